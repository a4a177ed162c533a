"""The one retrieval entry point: a question (plus the learner's context) in, ranked criteria out.

An explicit AC reference short-circuits search; otherwise a dense ranker (FAISS) and a lexical
one (BM25) each rank the criteria and reciprocal-rank fusion combines them.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Literal

import faiss
import numpy as np

from content.catalogue import Catalogue
from content.refs import AcReference, parse_reference
from index.chunks import Chunk, build_chunks, content_hash
from index.dense import Embedder, Manifest, load_or_build
from index.lexical import BM25, tokens
from index.settings import IndexSettings

log = logging.getLogger(__name__)

Mode = Literal["hybrid", "dense", "lexical"]

# The model reads at most 256 word pieces; a longer query only costs time.
MAX_QUERY_CHARS = 1000
RRF_K = 60
# How much a chunk of each kind counts towards the criteria it points to: an AC's own chunk
# speaks for it best; aims and indicative content speak for the whole unit only loosely.
KIND_WEIGHT = {"ac": 1.0, "theorist": 0.9, "indicative": 0.8, "aims": 0.7}
# Below this cosine similarity of the best criterion, the guidance does not cover the question.
COVERED_MIN_SIMILARITY = 0.30


@dataclass(frozen=True)
class Hit:
    """One criterion in the ranking, with the chunk that matched it best."""

    key: str  # "5015V1 2.3"
    unit_code: str
    ref: str
    score: float
    chunk: Chunk | None = None


@dataclass(frozen=True)
class SearchResult:
    hits: tuple[Hit, ...]
    problem: str | None = None
    reference: AcReference | None = None
    ambiguous: bool = False  # an AC number alone that several candidate units have
    covered: bool = True  # False when nothing in the specifications is relevant enough
    similarity: float | None = None  # best dense cosine, for the "covered" judgement


@dataclass
class _Rankings:
    """Per-criterion best chunk and score for one ranker."""

    allowed: set[str] | None = None
    scores: dict[str, float] = field(default_factory=dict)
    chunks: dict[str, Chunk] = field(default_factory=dict)

    def offer(self, chunk: Chunk, score: float) -> None:
        weighted = score * KIND_WEIGHT[chunk.kind]
        for key in chunk.criteria:
            if self.allowed is not None and key.split(" ")[0] not in self.allowed:
                continue
            if weighted > self.scores.get(key, float("-inf")):
                self.scores[key] = weighted
                self.chunks[key] = chunk

    def ranked(self) -> list[str]:
        return sorted(self.scores, key=lambda k: -self.scores[k])


class Retriever:
    """Searches the catalogue. Build once per process; `search` is safe to call concurrently
    from one thread at a time (the model is not shared across threads)."""

    def __init__(self, catalogue: Catalogue, settings: IndexSettings | None = None,
                 *, embedder: Embedder | None = None) -> None:
        self.catalogue = catalogue
        self.settings = settings or IndexSettings.from_env()
        self.chunks = build_chunks(catalogue)
        self.bm25 = BM25([tokens(c.text) for c in self.chunks])
        self.embedder = embedder
        self.index: faiss.Index | None = None
        self.manifest: Manifest | None = None

    def warm(self) -> None:
        """Load the model and the index now; otherwise the first search that needs them does
        (an AC reference never does, so `ask "5015 2.3"` skips the model's load time)."""
        if self.index is not None:
            return
        self.embedder = self.embedder or Embedder(self.settings.model)
        self.index, self.manifest = load_or_build(
            self.embedder, [c.text for c in self.chunks], content_hash(self.chunks),
            self.settings.index_dir)

    def search(
        self,
        query: str,
        *,
        units: Collection[str] | None = None,
        qualification: str | None = None,
        prefer: Iterable[str] = (),
        last_unit: str | None = None,
        k: int = 5,
        mode: Mode = "hybrid",
    ) -> SearchResult:
        """Rank the criteria for a question.

        Args:
            query: what the learner typed; truncated to MAX_QUERY_CHARS.
            units: hard filter: only these units (codes as typed, e.g. "5015" or "5015V1").
            qualification: hard filter: only the units of this qualification (code, Ofqual
                number or short name, e.g. "7D2V2" or "L7 Diploma").
            prefer: the learner's units: ranked first, and used to resolve a bare AC number.
            last_unit: the unit last discussed, used first to resolve a bare AC number.
            k: how many criteria at most.
            mode: "hybrid" (default), or one ranker alone for comparison.
        """
        query = query.strip()[:MAX_QUERY_CHARS]
        if not query:
            return SearchResult((), problem="The question is empty.")
        allowed, problem = self._resolve_units(units)
        if problem:
            return SearchResult((), problem=problem)
        if qualification is not None:
            q = self.catalogue.qualification(qualification)
            if q is None:
                return SearchResult((), problem=(
                    f"There is no qualification {qualification}. The qualifications are: "
                    f"{', '.join(self.catalogue.qualifications)}."))
            in_qualification = {u for g in q.rule.groups for u in g.units}
            allowed = in_qualification if allowed is None else allowed & in_qualification
        reference = parse_reference(query, self.catalogue)
        if reference is not None:
            return self._answer_reference(reference, allowed, tuple(prefer), last_unit)
        return self._rank(query, allowed, self._codes(prefer), k, mode)

    def _codes(self, typed: Iterable[str]) -> tuple[str, ...]:
        return tuple(u.code for t in typed if (u := self.catalogue.unit(t)))

    def _resolve_units(self, units: Collection[str] | None) -> tuple[set[str] | None, str | None]:
        if units is None:
            return None, None
        unknown = [u for u in units if self.catalogue.unit(u) is None]
        if unknown:
            return None, (f"There is no unit {', '.join(unknown)}. The units are: "
                          f"{', '.join(self.catalogue.units)}.")
        return set(self._codes(units)), None

    def _answer_reference(self, ref: AcReference, allowed: set[str] | None,
                          prefer: tuple[str, ...], last_unit: str | None) -> SearchResult:
        if not ref.ok:
            return SearchResult((), problem=ref.problem, reference=ref)
        if ref.unit_code:
            candidates = [ref.unit_code]
        else:
            candidates = [u.code for u in self.catalogue.units_with(ref.ref)
                          if allowed is None or u.code in allowed]
            # The unit last discussed decides; else the learner's own units narrow the choice.
            for context in (self._codes([last_unit] if last_unit else []), self._codes(prefer)):
                mine = [c for c in candidates if c in context]
                if mine:
                    candidates = mine
                    break
        if not candidates:
            return SearchResult((), problem=f"None of the chosen units has an AC {ref.ref}.",
                                reference=ref)
        hits = tuple(Hit(f"{c} {ref.ref}", c, ref.ref, 1.0) for c in candidates)
        return SearchResult(hits, reference=ref, ambiguous=len(hits) > 1)

    def _rank(self, query: str, allowed: set[str] | None, prefer: tuple[str, ...], k: int,
              mode: Mode) -> SearchResult:
        # Only the rankers the mode uses run: lexical alone never loads the model.
        dense, similarity = (self._dense(query, allowed) if mode != "lexical"
                             else (_Rankings(allowed), None))
        lexical = self._lexical(query, allowed) if mode != "dense" else _Rankings(allowed)
        fused: dict[str, float] = {}
        for ranking in (dense, lexical):
            for rank, key in enumerate(ranking.ranked()):
                fused[key] = fused.get(key, 0.0) + 1.0 / (RRF_K + rank + 1)
        covered = (similarity >= COVERED_MIN_SIMILARITY if similarity is not None
                   else bool(fused))
        order = sorted(fused, key=lambda key: (key.split()[0] not in prefer, -fused[key]))
        hits = []
        for key in order[:k]:
            unit_code, ref = key.split(" ")
            chunk = dense.chunks.get(key) or lexical.chunks.get(key)
            hits.append(Hit(key, unit_code, ref, round(fused[key], 6), chunk))
        return SearchResult(tuple(hits), covered=covered,
                            similarity=None if similarity is None else round(similarity, 4))

    def _dense(self, query: str, allowed: set[str] | None) -> tuple[_Rankings, float]:
        self.warm()
        assert self.embedder is not None and self.index is not None
        vector = self.embedder.encode([query])
        scores, ids = self.index.search(vector, self.index.ntotal)
        ranking = _Rankings(allowed)
        for score, i in zip(scores[0], ids[0]):
            ranking.offer(self.chunks[int(i)], float(score))
        best = max(ranking.scores.values(), default=0.0)
        return ranking, best

    def _lexical(self, query: str, allowed: set[str] | None) -> _Rankings:
        ranking = _Rankings(allowed)
        scores = np.asarray(self.bm25.scores(tokens(query)))
        for i in np.flatnonzero(scores > 0):
            ranking.offer(self.chunks[int(i)], float(scores[i]))
        return ranking
