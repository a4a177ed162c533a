"""Okapi BM25 over the chunks: the lexical ranker beside the dense one, and the baseline.

Written out here rather than taken from a package: the corpus is a few hundred chunks, the code
is short, and owning the tokeniser lets it keep AC numbers and theorist names intact.
"""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np

_TOKEN = re.compile(r"[a-z0-9]+")
_STOP = frozenset("""a about above after again against all am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours ourselves
out over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which while
who whom why will with would you your yours yourself yourselves ac acs need needs want tell
please""".split())
_SUFFIXES = ("ational", "ations", "ation", "ities", "ity", "ings", "ing", "ments", "ment",
             "ness", "ers", "er", "ies", "ied", "es", "ed", "ly", "s")


def stem(word: str) -> str:
    """A light suffix stripper: enough to match evaluate/evaluation, mentor/mentoring."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def tokens(text: str) -> list[str]:
    return [stem(t) for t in _TOKEN.findall(text.casefold()) if t not in _STOP]


class BM25:
    """Scores every document for a query; documents are token lists, ids their positions.

    Postings are numpy arrays per term, so a query costs a few array additions whatever the
    corpus size (the bank makes it a few thousand chunks)."""

    def __init__(self, documents: list[list[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.size = len(documents)
        lengths = np.array([len(d) for d in documents], dtype=np.float32)
        avg_length = float(lengths.mean()) if self.size else 1.0
        norms = k1 * (1 - b + b * lengths / max(avg_length, 1e-9))
        postings: dict[str, list[tuple[int, int]]] = {}
        for doc, words in enumerate(documents):
            for term, freq in Counter(words).items():
                postings.setdefault(term, []).append((doc, freq))
        self.idf: dict[str, float] = {}
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, rows in postings.items():
            idf = math.log(1 + (self.size - len(rows) + 0.5) / (len(rows) + 0.5))
            docs = np.array([d for d, _ in rows], dtype=np.int64)
            freqs = np.array([f for _, f in rows], dtype=np.float32)
            self.idf[term] = idf
            self._postings[term] = (docs, idf * freqs * (k1 + 1) / (freqs + norms[docs]))

    def scores(self, query: list[str]) -> np.ndarray:
        out = np.zeros(self.size, dtype=np.float32)
        for term in dict.fromkeys(query):
            if term in self._postings:
                docs, weights = self._postings[term]
                out[docs] += weights
        return out

    def ceiling(self, query: list[str]) -> float:
        """The most any document could score: a score divided by it says how much of the
        query's weight a document matched, comparable across queries."""
        return sum(self.idf[t] for t in dict.fromkeys(query) if t in self.idf) * (self.k1 + 1)
