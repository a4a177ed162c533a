"""Which kind of answer a message needs, and which fact topic a fact question is about,
learned from labelled messages over the question's sentence embedding.

The router's patterns are exact about the shapes they know and blind to others; this model
reads the meaning, so "gn, speak tmrw" sounds like a goodbye and "youngest age u can start"
like an entry requirement without a pattern for either. Two softmax regressions (kinds, fact
topics) are fitted by `python -m index fit-kinds` on `content.kinds.kind_questions` with
scikit-learn and saved as plain weights, so answering needs only numpy.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

KINDS_MODEL_FILE = Path(__file__).with_name("kinds.json")
# Share of the labelled messages held out to report the model's precision and recall before
# the final fit on all of them.
HELD_OUT = 0.2
SEED = 13
REGULARISATION = 4.0  # scikit-learn's C: chosen on the held-out share (README)


@dataclass(frozen=True)
class Softmax:
    """A multinomial logistic model: P(label) = softmax(W·x + b)."""

    labels: tuple[str, ...]
    weights: np.ndarray  # (labels, dimension)
    bias: np.ndarray  # (labels,)

    def probabilities(self, vector: np.ndarray) -> dict[str, float]:
        logits = self.weights @ np.asarray(vector, dtype=np.float32).reshape(-1) + self.bias
        exp = np.exp(logits - logits.max())
        p = exp / exp.sum()
        return {label: float(v) for label, v in zip(self.labels, p, strict=True)}

    def as_json(self) -> dict[str, object]:
        return {"labels": list(self.labels), "weights": self.weights.round(5).tolist(),
                "bias": self.bias.round(5).tolist()}

    @classmethod
    def from_json(cls, data: dict) -> Softmax:
        return cls(tuple(data["labels"]), np.asarray(data["weights"], dtype=np.float32),
                   np.asarray(data["bias"], dtype=np.float32))


@dataclass(frozen=True)
class KindModel:
    """The fitted kind and fact-topic models and what they were fitted on."""

    kinds: Softmax
    topics: Softmax
    provenance: dict[str, object] = field(default_factory=dict)

    def save(self, path: Path = KINDS_MODEL_FILE) -> None:
        data = {"provenance": self.provenance, "kinds": self.kinds.as_json(),
                "topics": self.topics.as_json()}
        path.write_text(json.dumps(data) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = KINDS_MODEL_FILE) -> KindModel | None:
        """The saved model, or None when none has been fitted."""
        if not path.exists():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(Softmax.from_json(data["kinds"]), Softmax.from_json(data["topics"]),
                   data.get("provenance", {}))


def fit_softmax(x: np.ndarray, labels: Sequence[str], c: float = REGULARISATION) -> Softmax:
    """A multinomial logistic regression (scikit-learn, L2, lbfgs), deterministic; three
    labels or more (scikit-learn keeps a single row for two)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=2000, random_state=SEED)
    model.fit(x, list(labels))
    return Softmax(tuple(str(c) for c in model.classes_),
                   np.asarray(model.coef_, dtype=np.float32),
                   np.asarray(model.intercept_, dtype=np.float32))


def held_out_split(labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Indices to fit on and to test on: every label split HELD_OUT, seeded."""
    rng = np.random.default_rng(SEED)
    fit_rows: list[int] = []
    test_rows: list[int] = []
    for label in sorted(set(labels)):
        rows = np.flatnonzero(np.asarray(labels) == label)
        rng.shuffle(rows)
        cut = int(round(len(rows) * HELD_OUT))
        test_rows += rows[:cut].tolist()
        fit_rows += rows[cut:].tolist()
    return np.array(sorted(fit_rows)), np.array(sorted(test_rows))


def report(model: Softmax, x: np.ndarray, labels: Sequence[str]) -> dict[str, dict[str, float]]:
    """Per label: precision, recall and count of the model's top label on (x, labels)."""
    predicted = [max(p, key=p.__getitem__) for p in (model.probabilities(row) for row in x)]
    out: dict[str, dict[str, float]] = {}
    for label in model.labels:
        said = [i for i, p in enumerate(predicted) if p == label]
        truly = [i for i, t in enumerate(labels) if t == label]
        right = sum(1 for i in said if labels[i] == label)
        out[label] = {"n": len(truly), "precision": round(right / len(said), 3) if said else 0.0,
                      "recall": round(right / len(truly), 3) if truly else 0.0}
    out["all"] = {"n": len(labels), "accuracy": round(
        sum(p == t for p, t in zip(predicted, labels, strict=True)) / len(labels), 3)}
    return out
