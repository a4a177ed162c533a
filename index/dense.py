"""Dense retrieval: the embedders and the persisted FAISS index.

Two embedders share one small interface (TextEmbedder): sentence-transformers (`Embedder`, the
reference, which builds the index) and ONNX Runtime (index/onnx_embedder.py, what the bot runs
once `python -m index build` has exported the model); `load_embedder` picks one by the
EMBEDDING_BACKEND setting.

The index lives in a data folder git ignores, beside a manifest (model, dimension, content
hash, build time, library versions). Loading checks the manifest: a missing, stale or corrupt
index is rebuilt, never trusted and never a crash loop.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import faiss
import numpy as np

from index.settings import IndexSettings, model_path

log = logging.getLogger(__name__)

INDEX_FILE = "chunks.faiss"
MANIFEST_FILE = "manifest.json"


class TextEmbedder(Protocol):
    """Texts in, one L2-normalised float32 row per text out, shape (len(texts), dimension)."""

    name: str  # the EMBEDDING_MODEL setting it serves
    dimension: int
    backend: str  # "torch", "onnx", "onnx-int8"

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray: ...


class Embedder:
    """Loads the model once, offline, and turns texts into normalised vectors."""

    backend = "torch"

    def __init__(self, model: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        # Imported here: sentence-transformers costs seconds to import, and only search needs it.
        from sentence_transformers import SentenceTransformer

        self.name = model
        self.model: SentenceTransformer = SentenceTransformer(str(model_path(model)),
                                                              device="cpu")
        dimension = self.model.get_embedding_dimension()
        assert dimension is not None, f"{model} does not say its embedding size"
        self.dimension = dimension

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        vectors = self.model.encode(texts, batch_size=batch_size, convert_to_numpy=True,
                                    normalize_embeddings=True, show_progress_bar=False)
        return np.ascontiguousarray(vectors, dtype=np.float32)


def load_embedder(settings: IndexSettings) -> TextEmbedder:
    """The query embedder the settings ask for.

    "auto": the ONNX fp32 export when one passed its checks, else sentence-transformers.
    "onnx" / "onnx-int8": that export; an unusable one is a warning and the next best (int8 ->
    fp32 -> torch), never a crash loop. "torch": sentence-transformers."""
    if settings.backend != "torch":
        from index.onnx_embedder import ExportUnusable, OnnxEmbedder

        variants = ["int8", "fp32"] if settings.backend == "onnx-int8" else ["fp32"]
        for variant in variants:
            try:
                embedder = OnnxEmbedder(settings.onnx_dir, variant, model=settings.model)
            except ExportUnusable as exc:
                quiet = settings.backend == "auto" and exc.missing
                (log.info if quiet else log.warning)(
                    "ONNX %s not used (%s)", variant, exc)
                continue
            log.info("embedding queries with ONNX Runtime (%s) from %s", variant,
                     settings.onnx_dir)
            return embedder
        log.info("embedding queries with sentence-transformers (torch)")
    return Embedder(settings.model)


@dataclass(frozen=True)
class Manifest:
    model: str
    dimension: int
    content_hash: str
    chunks: int
    built_at: str
    build_seconds: float
    faiss_version: str
    backend: str = "torch"  # the embedder that embedded the chunks

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        return cls(**json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8")))

    def write(self, folder: Path) -> None:
        (folder / MANIFEST_FILE).write_text(json.dumps(self.__dict__, indent=1),
                                            encoding="utf-8")


class IndexCorrupt(Exception):
    """The saved index cannot be read or does not match its manifest."""


# Long chunks run to the model's 256-token limit: batches of 32 of them raise the process's peak
# memory by about 330 MB against 180 MB for batches of 8 (no slower on 2 cores). Short texts
# (the question bank) go in large batches, which is several times faster.
LONG_TEXT = 400


def encode_by_length(embedder: TextEmbedder, texts: list[str]) -> np.ndarray:
    """Every text's vector, in order: long texts in small batches, short ones in large."""
    long = [i for i, t in enumerate(texts) if len(t) > LONG_TEXT]
    short = [i for i, t in enumerate(texts) if len(t) <= LONG_TEXT]
    vectors = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    for ids, batch in ((long, 8), (short, 64)):
        if ids:
            vectors[ids] = embedder.encode([texts[i] for i in ids], batch_size=batch)
    return vectors


def build_index(embedder: TextEmbedder, texts: list[str], content_hash: str,
                folder: Path) -> tuple[faiss.Index, Manifest]:
    """Embed every chunk text, save the exact inner-product index and its manifest.

    Exact search is right for a corpus of a few hundred chunks: approximate indexes add
    nothing but recall loss."""
    started = time.perf_counter()
    vectors = encode_by_length(embedder, texts)
    index = faiss.IndexFlatIP(embedder.dimension)
    index.add(vectors)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (INDEX_FILE + ".tmp")
    faiss.write_index(index, str(tmp))
    tmp.replace(folder / INDEX_FILE)  # atomic: a reader never sees half a file
    manifest = Manifest(
        model=embedder.name, dimension=embedder.dimension, content_hash=content_hash,
        chunks=len(texts), built_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        build_seconds=round(time.perf_counter() - started, 3), faiss_version=faiss.__version__,
        backend=getattr(embedder, "backend", "torch"))
    manifest.write(folder)
    return index, manifest


def read_index(folder: Path, model: str, content_hash: str) -> tuple[faiss.Index, Manifest] | None:
    """The saved index if it is present and current; None if missing or stale.

    Raises IndexCorrupt when the files exist but cannot be trusted."""
    if not (folder / INDEX_FILE).exists() or not (folder / MANIFEST_FILE).exists():
        return None
    try:
        manifest = Manifest.read(folder)
    except (OSError, ValueError, TypeError) as exc:
        raise IndexCorrupt(f"manifest unreadable: {exc}") from exc
    if manifest.model != model or manifest.content_hash != content_hash:
        log.info("index is stale (model or content changed); rebuilding")
        return None
    try:
        index = faiss.read_index(str(folder / INDEX_FILE))
    except RuntimeError as exc:
        raise IndexCorrupt(f"index file unreadable: {exc}") from exc
    if index.ntotal != manifest.chunks or index.d != manifest.dimension:
        raise IndexCorrupt(f"index holds {index.ntotal}x{index.d}, manifest says "
                           f"{manifest.chunks}x{manifest.dimension}")
    return index, manifest


def load_or_build(embedder: TextEmbedder, texts: list[str], content_hash: str,
                  folder: Path) -> tuple[faiss.Index, Manifest]:
    """The current index: loaded when valid, otherwise (missing, stale, corrupt) rebuilt."""
    try:
        found = read_index(folder, embedder.name, content_hash)
    except IndexCorrupt as exc:
        log.warning("index at %s is corrupt (%s); rebuilding", folder, exc)
        found = None
    return found or build_index(embedder, texts, content_hash, folder)
