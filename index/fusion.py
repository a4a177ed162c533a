"""How the rankers' scores become one ranking, a refusal and a confidence, all fitted.

For every AC a question gets six features: the dense (cosine) and lexical (BM25 share of the
query's weight) scores of its best chunk of each group: its own AC chunk, any specification
chunk (guidance paragraph, aims, indicative content, theorist), and the curated question bank
(best question, and the mean of its best three for dense). A linear blend of the features ranks
the ACs; two logistic models read the top of that ranking to say whether the question is in
scope at all and whether the top AC is right. The weights and both models are fitted by
`python -m index fit` on a split of the bank and a set of off-topic questions
(`index/fitting.py`), and saved with the bank and model they were fitted for.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from index.chunks import Chunk

FEATURES = ("dense_ac", "dense_spec", "dense_bank", "dense_bank3", "lexical_spec",
            "lexical_bank")
# What the scope and confidence models read of a ranking (see `query_vector`).
QUERY_FEATURES = ("top", "margin", "dense_spec", "dense_bank", "lexical_spec", "lexical_bank")
FITTED_FILE = Path(__file__).with_name("fitted.json")
# How much a specification chunk of each kind speaks for the ACs it points to.
KIND_WEIGHT = {"ac": 1.0, "guidance": 0.95, "theorist": 0.85, "indicative": 0.8, "aims": 0.7}


class AcFeatures:
    """Turns per-chunk scores into the per-AC feature matrix, with precomputed index arrays."""

    def __init__(self, chunks: Sequence[Chunk], keys: Sequence[str]) -> None:
        self.keys = tuple(keys)
        position = {key: i for i, key in enumerate(self.keys)}
        groups: dict[str, list[tuple[int, int, float]]] = {"ac": [], "spec": [], "bank": []}
        for chunk in chunks:
            for key in chunk.criteria:
                ac = position[key]
                if chunk.kind == "bank":
                    groups["bank"].append((chunk.id, ac, 1.0))
                    continue
                groups["spec"].append((chunk.id, ac, KIND_WEIGHT[chunk.kind]))
                if chunk.kind == "ac":
                    groups["ac"].append((chunk.id, ac, 1.0))
        self._pairs = {name: (np.array([p[0] for p in rows], dtype=np.int64),
                              np.array([p[1] for p in rows], dtype=np.int64),
                              np.array([p[2] for p in rows], dtype=np.float32))
                       for name, rows in groups.items()}
        per_ac: list[list[int]] = [[] for _ in self.keys]
        every: list[list[int]] = [[] for _ in self.keys]
        for chunk_id, ac, _ in groups["bank"]:
            per_ac[ac].append(chunk_id)
        for name in ("spec", "bank"):
            for chunk_id, ac, _ in groups[name]:
                every[ac].append(chunk_id)
        self.chunks_of = tuple(np.array(ids, dtype=np.int64) for ids in every)
        width = max((len(ids) for ids in per_ac), default=0) or 1
        self._bank = np.full((len(self.keys), width), -1, dtype=np.int64)
        for ac, ids in enumerate(per_ac):
            self._bank[ac, :len(ids)] = ids

    def _best(self, group: str, scores: np.ndarray) -> np.ndarray:
        chunk_ids, acs, weights = self._pairs[group]
        out = np.zeros(len(self.keys), dtype=np.float32)
        if len(chunk_ids):
            np.maximum.at(out, acs, scores[chunk_ids] * weights)
        return out

    def matrix(self, dense: np.ndarray | None, lexical: np.ndarray) -> np.ndarray:
        """Rows are ACs (in `keys` order), columns FEATURES; `dense` None leaves its columns 0
        (the lexical ranker alone), `lexical` is already divided by the query's ceiling."""
        columns = np.zeros((len(self.keys), len(FEATURES)), dtype=np.float32)
        if dense is not None:
            columns[:, 0] = self._best("ac", dense)
            columns[:, 1] = self._best("spec", dense)
            columns[:, 2] = self._best("bank", dense)
            values = np.where(self._bank >= 0, dense[np.maximum(self._bank, 0)], 0.0)
            top3 = -np.sort(-values, axis=1)[:, :3]
            columns[:, 3] = top3.mean(axis=1)
        columns[:, 4] = self._best("spec", lexical)
        columns[:, 5] = self._best("bank", lexical)
        return columns


@dataclass(frozen=True)
class Logistic:
    """A logistic model over standardised inputs: P = 1 / (1 + e^-(w·z + b))."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    bias: float

    def probability(self, x: np.ndarray) -> float:
        z = (np.asarray(x, dtype=np.float64) - np.array(self.mean)) / np.array(self.scale)
        return 1.0 / (1.0 + math.exp(-(float(z @ np.array(self.coef)) + self.bias)))


def query_vector(features: np.ndarray, fused: np.ndarray, order: np.ndarray) -> np.ndarray:
    """The summary of one ranking that the scope and confidence models read."""
    top = order[0]
    second = fused[order[1]] if len(order) > 1 else 0.0
    return np.array([fused[top], fused[top] - second, features[:, 1].max(),
                     features[:, 2].max(), features[:, 4].max(), features[:, 5].max()])


@dataclass(frozen=True)
class Fitted:
    """Fitted blend weights, scope and confidence models, and what they were fitted on."""

    weights: tuple[float, ...]
    scope: Logistic
    scope_threshold: float
    confidence: Logistic
    confident_threshold: float
    prefer_bonus: float = 0.0  # added to the blend for the asker's own units
    provenance: dict[str, object] = field(default_factory=dict)

    @classmethod
    def neutral(cls) -> Fitted:
        """Equal weights and never-refusing models: the starting point for fitting."""
        flat = Logistic((0.0,) * len(QUERY_FEATURES), (1.0,) * len(QUERY_FEATURES),
                        (0.0,) * len(QUERY_FEATURES), 0.0)
        return cls((1.0,) * len(FEATURES), flat, 0.0, flat, 1.0)

    def save(self, path: Path = FITTED_FILE) -> None:
        path.write_text(json.dumps(asdict(self), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = FITTED_FILE) -> Fitted:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(weights=tuple(data["weights"]), scope=Logistic(**data["scope"]),
                   scope_threshold=data["scope_threshold"],
                   confidence=Logistic(**data["confidence"]),
                   confident_threshold=data["confident_threshold"],
                   prefer_bonus=data.get("prefer_bonus", 0.0),
                   provenance=data.get("provenance", {}))
