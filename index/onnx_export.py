"""Index build, second half: export the sentence-transformers model to ONNX and prove it.

sentence-transformers stays the reference: it embeds the chunks for the index, then this module
exports its transformer to ONNX (fp32) and an int8 dynamically quantised variant, both in
INDEX_DIR/onnx, and checks them before the bot may use them:

- fp32 must embed every chunk with cosine >= PARITY_MIN_COSINE against sentence-transformers, or
  it is refused: the manifest says why, the loader will not use it, and the bot stays on torch.
- int8 is kept only if, on every evaluation set, recall@1, recall@3 and MRR of the retrieval the
  bot serves (hybrid) are no lower than with sentence-transformers.

Why not sentence-transformers' own `export_optimized_onnx_model` /
`export_dynamic_quantized_onnx_model`: they need optimum-onnx, whose newest release (0.1.0)
requires transformers < 4.58, while sentence-transformers 6 requires transformers >= 5; both
cannot be installed together. The same two steps are done with what those functions call in the
end: torch's ONNX exporter for the transformer, ONNX Runtime's `quantize_dynamic` with the
settings of their "avx2" configuration (uint8 weights, per channel; MatMul layers only), and
ONNX Runtime's own graph optimisations when the session loads. Everything runs offline from the
model folder.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
import warnings
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, Final, cast

import numpy as np

from index.dense import Embedder, TextEmbedder
from index.onnx_embedder import (
    CONFIG_FILES,
    FORMAT,
    MANIFEST_FILE,
    VARIANT_FILES,
    OnnxEmbedder,
    StModules,
    sha256_file,
    source_fingerprint,
)
from index.settings import ROOT, model_path

log = logging.getLogger(__name__)

PARITY_MIN_COSINE = 0.999
OPSET = 18
EVAL_SETS = (ROOT / "tests" / "eval" / "dev.jsonl", ROOT / "tests" / "eval" / "extra.jsonl",
             ROOT / "tests" / "eval" / "hard.jsonl")
METRICS = ("recall@1", "recall@3", "mrr")
GATE_MODE: Final = "hybrid"  # what the bot serves; dense alone is recorded too
LIBRARIES = ("torch", "sentence-transformers", "transformers", "onnx", "onnxscript",
             "onnxruntime", "tokenizers", "numpy", "faiss-cpu")

# embedder -> {eval set name: {mode: {"recall@1": .., "recall@3": .., "mrr": .., "n": ..}}}
Quality = Callable[[TextEmbedder], dict[str, dict[str, dict[str, float]]]]


def versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def source_sha256(model_dir: Path) -> dict[str, str]:
    """Content hash of every file of the model folder the export was made from."""
    return {p.relative_to(model_dir).as_posix(): sha256_file(p)
            for p in sorted(model_dir.rglob("*")) if p.is_file() and ".cache" not in p.parts}


def export_transformer(embedder: Embedder, target: Path) -> None:
    """The sentence-transformers Transformer module as an ONNX graph: token ids in, token
    embeddings out, batch and sequence length dynamic. The weights go to a file of their own
    (`model.onnx.data`), which ONNX Runtime maps into memory rather than copying out of the
    graph: a loaded session holds 59 MB instead of 144, and loading peaks at 59 MB instead of
    227 (all-MiniLM-L6-v2), which is what keeps a worker under 300 MB."""
    import torch

    transformer = embedder.model[0]
    hf_model = cast(torch.nn.Module, transformer.auto_model).eval()
    sample = embedder.model.preprocess(["An example sentence to trace the model with.",
                                        "A second, longer example sentence, padded in a batch."])
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in sample]

    class TokenEmbeddings(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = hf_model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None,
                    token_type_ids: torch.Tensor | None = None) -> torch.Tensor:
            given = {"input_ids": input_ids, "attention_mask": attention_mask,
                     "token_type_ids": token_type_ids}
            return self.model(**{n: given[n] for n in names}).last_hidden_state

    batch, sequence = torch.export.Dim("batch"), torch.export.Dim("sequence")
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's deprecation and axis-naming notes
        torch.onnx.export(TokenEmbeddings().eval(), (), str(target),
                          kwargs={n: sample[n] for n in names}, input_names=names,
                          output_names=["token_embeddings"], opset_version=OPSET, dynamo=True,
                          external_data=True, verbose=False,
                          dynamic_shapes={n: {0: batch, 1: sequence} for n in names})


def quantize(source: Path, target: Path) -> None:
    """Dynamic int8 quantisation (weights quantised ahead, activations at run time) of the
    MatMul layers, with uint8 weights and one scale per channel as sentence-transformers' "avx2"
    configuration. The word-embedding table (a Gather) stays fp32: quantising it only saves file
    size, and on the dev set it cost MRR 0.9189 -> 0.9153, which the quality gate refuses."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(max(level, logging.ERROR))  # it logs advice to the root logger
    try:
        quantize_dynamic(str(source), str(target), weight_type=QuantType.QUInt8,
                         per_channel=True, op_types_to_quantize=["MatMul"])
    finally:
        root.setLevel(level)


def parity(reference: np.ndarray, candidate: np.ndarray) -> dict[str, float]:
    """Row-wise cosine of two sets of unit vectors for the same texts."""
    cosines = np.sum(reference.astype(np.float64) * candidate.astype(np.float64), axis=1)
    return {"min_cosine": round(float(cosines.min()), 6),
            "mean_cosine": round(float(cosines.mean()), 6), "chunks": len(cosines)}


def quality_drop(reference: dict, candidate: dict) -> list[str]:
    """The gated metrics (GATE_MODE on every set) where the candidate is below the reference."""
    return [f"{name} {GATE_MODE} {metric} {candidate[name][GATE_MODE][metric]} < "
            f"{reference[name][GATE_MODE][metric]}"
            for name in reference for metric in METRICS
            if candidate[name][GATE_MODE][metric] < reference[name][GATE_MODE][metric] - 1e-9]


def export_onnx(embedder: Embedder, folder: Path) -> dict[str, Any]:
    """Write the fp32 and int8 models and the runtime's configs into `folder` (emptied first);
    return the manifest fields about provenance. No verdicts yet."""
    started = time.perf_counter()
    source = model_path(embedder.name)
    StModules.read(source)  # refuses a model with modules the export cannot reproduce
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    export_transformer(embedder, folder / VARIANT_FILES["fp32"])
    quantize(folder / VARIANT_FILES["fp32"], folder / VARIANT_FILES["int8"])
    configs = [*CONFIG_FILES, *StModules.files(source), "config.json"]
    for name in dict.fromkeys(configs):
        if (source / name).exists():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / name, folder / name)
    modules = StModules.read(folder)
    return {
        "format": FORMAT,
        "model": embedder.name,
        "model_path": str(source),
        "source_sha256": source_sha256(source),
        "source_fingerprint": source_fingerprint(source),
        "exported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "export_seconds": round(time.perf_counter() - started, 3),
        "exporter": f"torch.onnx.export(dynamo=True, opset={OPSET}) + "
                    "onnxruntime.quantization.quantize_dynamic(QUInt8, per_channel, MatMul)",
        "versions": versions(),
        "max_seq_length": modules.max_seq_length,
        "pooling": modules.pooling,
        "dimension": modules.dimension,
    }


def export_checked(embedder: Embedder, texts: Sequence[str], reference: np.ndarray,
                   folder: Path, *, quality: Quality | None = None,
                   exporter: Callable[[Embedder, Path], dict[str, Any]] = export_onnx,
                   ) -> dict[str, Any] | None:
    """Export, check parity on `texts` (whose sentence-transformers vectors are `reference`)
    and the int8 variant's quality, and write the export's manifest with the verdicts.

    The export is built beside `folder` and swapped in whole; a refused variant's file stays for
    diagnosis and benchmarks, but OnnxEmbedder will not load it. Returns the manifest, or None
    when the model could not be exported at all (then no export is left, so the bot uses
    sentence-transformers)."""
    staging = folder.with_name(folder.name + ".tmp")
    try:
        manifest = exporter(embedder, staging)
    except Exception as exc:  # noqa: BLE001 - any exporter failure: refuse, keep torch
        log.error("ONNX EXPORT REFUSED: %s cannot be exported (%s: %s); the bot will embed "
                  "with sentence-transformers", embedder.name, type(exc).__name__, exc)
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)
        return None
    started = time.perf_counter()
    variants: dict[str, dict[str, Any]] = {}
    loaded: dict[str, OnnxEmbedder] = {}
    for variant in VARIANT_FILES:
        onnx = OnnxEmbedder(staging, variant, model=embedder.name, check=False)
        loaded[variant] = onnx
        variants[variant] = {"file": VARIANT_FILES[variant],
                             **parity(reference, onnx.encode(list(texts), batch_size=8))}
    fp32, int8 = variants["fp32"], variants["int8"]
    fp32["accepted"] = fp32["min_cosine"] >= PARITY_MIN_COSINE
    if not fp32["accepted"]:
        fp32["reason"] = (f"min cosine {fp32['min_cosine']} < {PARITY_MIN_COSINE} against "
                          "sentence-transformers")
    reference_quality = quality(embedder) if quality else None
    if quality is not None:
        for variant, verdict in variants.items():
            verdict["quality"] = quality(loaded[variant])
    if not fp32["accepted"]:
        int8.update(accepted=False, reason="the fp32 export was refused")
    elif reference_quality is None:
        int8.update(accepted=False, reason="no evaluation set to prove its quality")
    else:
        drops = quality_drop(reference_quality, int8["quality"])
        int8["accepted"] = not drops
        if drops:
            int8["reason"] = "retrieval quality dropped: " + "; ".join(drops)
    manifest.update(
        parity_min_cosine=PARITY_MIN_COSINE, check_seconds=round(time.perf_counter() - started, 3),
        reference_quality=reference_quality, variants=variants,
        files={p.relative_to(staging).as_posix(): sha256_file(p)
               for p in sorted(staging.rglob("*")) if p.is_file()})
    (staging / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    old = folder.with_name(folder.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    staging.rename(folder)
    shutil.rmtree(old, ignore_errors=True)
    for variant, verdict in variants.items():
        if verdict["accepted"]:
            log.info("ONNX %s accepted: min cosine %s", variant, verdict["min_cosine"])
        else:
            log.error("ONNX %s REFUSED (not used): %s", variant.upper(), verdict["reason"])
    return manifest


def evaluation_quality(catalogue: Any, settings: Any, index: Any, manifest: Any,
                       sets: Sequence[Path] = EVAL_SETS) -> Quality | None:
    """A Quality function that runs the evaluation sets through index.Retriever over the index
    just built (held in memory: nothing is read back or rebuilt); None without any set."""
    from index.evaluation import EvalCase, evaluate, is_retrieval_case, read_cases
    from index.retriever import Mode, Retriever

    cases = {path.stem: [c for c in read_cases(path) if is_retrieval_case(c)]
             for path in sets if path.exists()}
    if not cases:
        return None

    def measure(embedder: TextEmbedder) -> dict[str, dict[str, dict[str, float]]]:
        retriever = Retriever(catalogue, settings, embedder=embedder)
        retriever.index, retriever.manifest = index, manifest
        out: dict[str, dict[str, dict[str, float]]] = {}
        for name, rows in cases.items():
            out[name] = {}
            for mode in (GATE_MODE, "dense"):
                def ranked(case: EvalCase, mode: Mode = mode) -> list[str]:
                    return [h.key for h in retriever.search(case.query, prefer=case.units,
                                                            k=10, mode=mode).hits]

                report, _ = evaluate(rows, ranked)
                out[name][mode] = {k: v for k, v in report.items() if k != "per_kind"}
        return out

    return measure
