"""Which kind of answer a message needs, and which fact topic a fact question is about,
learned from labelled messages over the question's sentence embedding and its words.

The router's patterns are exact about the shapes they know and blind to others; this model
reads the meaning, so "gn, speak tmrw" sounds like a goodbye and "youngest age u can start"
like an entry requirement without a pattern for either. The embedding carries the meaning; the
tf-idf of the message's words and word pairs carries the cue words the embedding blurs ("write
it for me", "what does … mean"): together they classify a held-out fifth of the training
messages better than either (README). Two softmax regressions (kinds, fact topics) are fitted
by `python -m index fit-kinds` on `content.kinds.kind_questions` with scikit-learn and saved as
plain weights and a vocabulary, so answering needs only numpy.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

KINDS_MODEL_FILE = Path(__file__).with_name("kinds.json")
# Share of the labelled messages held out to report the model's precision and recall before
# the final fit on all of them.
HELD_OUT = 0.2
SEED = 13
REGULARISATION = 8.0  # scikit-learn's C: chosen on the held-out share (README)
# A word or word pair in fewer training messages than this is too rare to learn from.
MIN_MESSAGES = 2
TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


@dataclass(frozen=True)
class Terms:
    """The words and word pairs of the training messages with their idf: a message's tf-idf
    vector exactly as scikit-learn's TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    computes it (a test holds the two equal), without needing scikit-learn to answer."""

    columns: dict[str, int]
    idf: np.ndarray  # (terms,)

    def vector(self, text: str) -> np.ndarray:
        words = TOKEN.findall(text.lower())
        counts = Counter([*words, *(" ".join(pair) for pair in zip(words, words[1:]))])
        out = np.zeros(len(self.columns), dtype=np.float32)
        for term, n in counts.items():
            column = self.columns.get(term)
            if column is not None:
                out[column] = (1.0 + math.log(n)) * self.idf[column]
        norm = float(np.linalg.norm(out))
        return out / norm if norm else out

    def as_json(self) -> dict[str, object]:
        terms = sorted(self.columns, key=self.columns.__getitem__)
        return {"terms": terms, "idf": _saved(self.idf)}

    @classmethod
    def from_json(cls, data: dict) -> Terms:
        return cls({term: i for i, term in enumerate(data["terms"])},
                   np.asarray(data["idf"], dtype=np.float32))


def _saved(values: np.ndarray) -> list:
    """An array as JSON numbers of five decimals (float32 values written as they are print
    eight more digits of noise and double the file)."""
    return np.round(values.astype(np.float64), 5).tolist()


def fit_terms(texts: Sequence[str]) -> Terms:
    """The vocabulary and idf of the training messages, as scikit-learn counts them."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=MIN_MESSAGES)
    vectorizer.fit(texts)
    return Terms({str(t): int(i) for t, i in vectorizer.vocabulary_.items()},
                 np.asarray(vectorizer.idf_, dtype=np.float32))


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
        return {"labels": list(self.labels),
                "weights": _saved(self.weights), "bias": _saved(self.bias)}

    @classmethod
    def from_json(cls, data: dict) -> Softmax:
        return cls(tuple(data["labels"]), np.asarray(data["weights"], dtype=np.float32),
                   np.asarray(data["bias"], dtype=np.float32))


@dataclass(frozen=True)
class KindModel:
    """The fitted kind and fact-topic models, the vocabulary they read, and what they were
    fitted on."""

    kinds: Softmax
    topics: Softmax
    terms: Terms
    provenance: dict[str, object] = field(default_factory=dict)

    def probabilities(self, embedding: np.ndarray, text: str
                      ) -> tuple[dict[str, float], dict[str, float]]:
        """P(kind) and P(fact topic) of a message, from its embedding and its words."""
        x = features(embedding, self.terms, text)
        return self.kinds.probabilities(x), self.topics.probabilities(x)

    def save(self, path: Path = KINDS_MODEL_FILE) -> None:
        data = {"provenance": self.provenance, "kinds": self.kinds.as_json(),
                "topics": self.topics.as_json(), "terms": self.terms.as_json()}
        path.write_text(json.dumps(data) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = KINDS_MODEL_FILE) -> KindModel | None:
        """The saved model, or None when none has been fitted."""
        if not path.exists():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(Softmax.from_json(data["kinds"]), Softmax.from_json(data["topics"]),
                   Terms.from_json(data["terms"]), data.get("provenance", {}))


def features(embedding: np.ndarray, terms: Terms, text: str) -> np.ndarray:
    """What the models read: the embedding, then the tf-idf of the words."""
    return np.concatenate([np.asarray(embedding, dtype=np.float32).reshape(-1),
                           terms.vector(text)])


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
