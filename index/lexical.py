"""Okapi BM25 over the chunks: the lexical ranker beside the dense one, and the baseline.

Written out here rather than taken from a package: the corpus is a few hundred chunks, the code
is short, and owning the tokeniser lets it keep AC numbers and theorist names intact.
"""

from __future__ import annotations

import math
import re
from collections import Counter

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
    """Scores every document for a query; documents are token lists, ids their positions."""

    def __init__(self, documents: list[list[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.freqs = [Counter(d) for d in documents]
        self.lengths = [len(d) for d in documents]
        self.avg_length = sum(self.lengths) / max(len(documents), 1)
        df = Counter(t for d in self.freqs for t in d)
        n = len(documents)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def scores(self, query: list[str]) -> list[float]:
        terms = [t for t in dict.fromkeys(query) if t in self.idf]
        out = []
        for freq, length in zip(self.freqs, self.lengths):
            norm = self.k1 * (1 - self.b + self.b * length / self.avg_length)
            out.append(sum(self.idf[t] * freq[t] * (self.k1 + 1) / (freq[t] + norm)
                           for t in terms if t in freq))
        return out
