"""Query embeddings at run time with ONNX Runtime and the `tokenizers` library.

This module imports neither torch nor sentence-transformers nor transformers: the running bot
embeds a question with the model that `python -m index build` exported (index/onnx_export.py)
and reproduces the sentence-transformers modules by hand: the tokenizer as the Transformer
module calls it (truncation at max_seq_length, padding to the longest text of a batch), the
Pooling module's mode from its config, then normalisation.

The export folder (INDEX_DIR/onnx) holds model.onnx (its weights in model.onnx.data), model_int8.onnx, tokenizer.json, the
sentence-transformers configs (modules.json, sentence_bert_config.json, 1_Pooling/config.json)
and manifest.json. Loading trusts nothing the manifest does not vouch for: the model name, the
variant's parity verdict, and the SHA-256 of every file.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

MANIFEST_FILE = "manifest.json"
FORMAT = 1
# variant -> model file in the export folder
VARIANT_FILES = {"fp32": "model.onnx", "int8": "model_int8.onnx"}
# The sentence-transformers files the runtime reads, kept as the model folder lays them out.
CONFIG_FILES = ("tokenizer.json", "modules.json", "sentence_bert_config.json")
SUPPORTED_MODULES = {
    "sentence_transformers.models.Transformer": "transformer",
    "sentence_transformers.models.Pooling": "pooling",
    "sentence_transformers.models.Normalize": "normalize",
}
POOLING_MODES = ("cls_token", "mean_tokens", "max_tokens", "mean_sqrt_len_tokens")


class ExportUnusable(Exception):
    """The export is missing, refused at build, stale or altered: do not use it."""

    def __init__(self, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class StModules:
    """What the runtime needs from a sentence-transformers model folder's configs."""

    max_seq_length: int
    do_lower_case: bool
    pooling: str  # one of POOLING_MODES
    normalize: bool
    dimension: int

    @classmethod
    def read(cls, folder: Path) -> StModules:
        """Read modules.json and its modules' configs; ValueError for anything beyond
        Transformer -> Pooling -> (Normalize), which an exported transformer cannot reproduce."""
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
        kinds = [SUPPORTED_MODULES.get(m.get("type", "")) for m in modules]
        if None in kinds or kinds[:2] != ["transformer", "pooling"] or kinds[2:] not in (
                [], ["normalize"]):
            raise ValueError(f"unsupported sentence-transformers modules: "
                             f"{[m.get('type') for m in modules]}")
        bert = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
        pooling_path = modules[1].get("path") or ""
        pool = json.loads((folder / pooling_path / "config.json").read_text(encoding="utf-8"))
        modes = [m for m in POOLING_MODES if pool.get(f"pooling_mode_{m}")]
        if len(modes) != 1:
            raise ValueError(f"unsupported pooling configuration: {pool}")
        return cls(max_seq_length=int(bert["max_seq_length"]),
                   do_lower_case=bool(bert.get("do_lower_case", False)), pooling=modes[0],
                   normalize=kinds[-1] == "normalize",
                   dimension=int(pool["word_embedding_dimension"]))

    @staticmethod
    def files(folder: Path) -> list[str]:
        """The config files, relative to the folder, that define these modules."""
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
        pooling_path = modules[1].get("path") or ""
        return ["modules.json", "sentence_bert_config.json",
                (Path(pooling_path) / "config.json").as_posix()]


def pool(hidden: np.ndarray, mask: np.ndarray, mode: str) -> np.ndarray:
    """The Pooling module: token embeddings (batch, seq, dim) and attention mask -> (batch, dim)."""
    m = mask[..., None].astype(hidden.dtype)
    if mode == "cls_token":
        return hidden[:, 0]
    if mode == "max_tokens":
        return np.where(m > 0, hidden, np.finfo(hidden.dtype).min).max(axis=1)
    summed = (hidden * m).sum(axis=1)
    counts = np.clip(m.sum(axis=1), 1e-9, None)
    if mode == "mean_sqrt_len_tokens":
        return summed / np.sqrt(counts)
    return summed / counts  # mean_tokens


def normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.clip(norms, 1e-12, None)


def read_export_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST_FILE
    if not path.exists():
        raise ExportUnusable(f"no ONNX export at {folder}", missing=True)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExportUnusable(f"export manifest unreadable: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ExportUnusable(f"export manifest at {path} has an unknown format")
    return manifest


def source_fingerprint(model_dir: Path) -> dict[str, int]:
    """Names and sizes of a model folder's files: cheap enough to compare at every start."""
    return {p.relative_to(model_dir).as_posix(): p.stat().st_size
            for p in sorted(model_dir.rglob("*")) if p.is_file() and ".cache" not in p.parts}


class OnnxEmbedder:
    """Turns texts into normalised float32 vectors with an exported model (`encode` as
    index.dense.Embedder's). Raises ExportUnusable when the export cannot be trusted."""

    backend = "onnx"

    def __init__(self, folder: Path, variant: str = "fp32", *, model: str | None = None,
                 check: bool = True, threads: int | None = None) -> None:
        if variant not in VARIANT_FILES:
            raise ValueError(f"unknown ONNX variant {variant!r}; one of {list(VARIANT_FILES)}")
        self.folder = Path(folder)
        self.variant = variant
        self.backend = "onnx" if variant == "fp32" else "onnx-int8"
        self.manifest: dict[str, Any] = {}
        if check:
            self.manifest = self._verified(model)
        self.name: str = model or self.manifest.get("model", str(folder))
        try:
            self.modules = StModules.read(self.folder)
        except (OSError, ValueError, KeyError, IndexError) as exc:
            raise ExportUnusable(f"export configs unreadable: {exc}") from exc
        self.dimension = self.modules.dimension

        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=self.modules.max_seq_length)
        padding = self.tokenizer.padding or {}
        pad_token = padding.get("pad_token", "[PAD]")
        pad_id = self.tokenizer.token_to_id(pad_token)
        self.tokenizer.enable_padding(pad_id=padding.get("pad_id", pad_id or 0),
                                      pad_type_id=padding.get("pad_type_id", 0),
                                      pad_token=pad_token)  # to the longest text of a batch
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # No memory arena: it holds ~26 MB for the model's intermediate tensors that a
        # query of a few dozen tokens never needs back, and queries are no slower without it
        # (all-MiniLM-L6-v2 on 2 CPUs: 11-13 ms either way).
        options.enable_cpu_mem_arena = False
        if threads:
            options.intra_op_num_threads = threads
        try:
            self.session = ort.InferenceSession(str(self.folder / VARIANT_FILES[variant]),
                                                options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types
            raise ExportUnusable(f"ONNX Runtime cannot load {variant}: {exc}") from exc
        self.inputs = {i.name for i in self.session.get_inputs()}

    def _verified(self, model: str | None) -> dict[str, Any]:
        manifest = read_export_manifest(self.folder)
        if model is not None and manifest.get("model") != model:
            raise ExportUnusable(f"export is of {manifest.get('model')!r}, the setting says "
                                 f"{model!r}: run `python -m index build`")
        verdict = manifest.get("variants", {}).get(self.variant, {})
        if not verdict.get("accepted"):
            raise ExportUnusable(f"ONNX {self.variant} was refused at build: "
                                 f"{verdict.get('reason', 'no verdict')}")
        expected = manifest.get("files", {})
        # This variant's model file (with its weights file, if any) and every config file;
        # the other variant's files are not read.
        others = [f for v, f in VARIANT_FILES.items() if v != self.variant]
        needed = [VARIANT_FILES[self.variant], *CONFIG_FILES,
                  *[n for n in expected if n not in VARIANT_FILES.values()
                    and not any(n.startswith(f"{other}.") for other in others)]]
        for name in dict.fromkeys(needed):
            path = self.folder / name
            if name not in expected or not path.exists():
                raise ExportUnusable(f"export file {name} missing")
            if sha256_file(path) != expected[name]:
                raise ExportUnusable(f"export file {name} does not match its manifest hash")
        source = manifest.get("source_fingerprint")
        if source and model is not None:
            try:
                from index.settings import model_path

                model_dir = model_path(model)
            except (ImportError, OSError) as exc:  # export shipped without the model package
                log.debug("cannot check the source model (%s)", exc)
            else:
                if source_fingerprint(model_dir) != source:
                    raise ExportUnusable(f"the model files at {model_dir} changed since the "
                                         "export: run `python -m index build`")
        return manifest

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # Longest first, as sentence-transformers batches, so padding stays short.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            ids = order[start:start + batch_size]
            out[ids] = self._embed([texts[i] for i in ids])
        return out

    def _embed(self, texts: list[str]) -> np.ndarray:
        if self.modules.do_lower_case:
            texts = [t.lower() for t in texts]
        encodings = self.tokenizer.encode_batch(texts)
        feeds = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        hidden = self.session.run(None, {k: v for k, v in feeds.items() if k in self.inputs})[0]
        vectors = pool(hidden.astype(np.float32), feeds["attention_mask"], self.modules.pooling)
        # Normalised whether or not the model has a Normalize module: the index is inner-product
        # and the shared interface promises unit vectors (Embedder asks for them too).
        return normalise(vectors).astype(np.float32)
