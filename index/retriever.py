"""The one retrieval entry point: a question (plus the learner's context) in, ranked criteria out.

An explicit AC reference short-circuits search. Otherwise a dense ranker (FAISS) and a lexical
one (BM25) score every chunk (the specification's and the curated question bank's), and a
fitted blend (`index.fusion`) ranks the ACs, says whether the question is in scope at all and
whether the top AC is confident. Unit codes and level or awarding-body words in the question
("7019", "level 7", "ILM") narrow the search to those units. The retrieval this replaced
(reciprocal-rank fusion over the specification chunks) stays as mode "rrf", with its two
rankers alone as "dense" and "lexical", so the evaluation can compare them side by side.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Literal

import faiss
import numpy as np

from content.bank import BankQuestion, bank_hash, load_bank
from content.catalogue import Catalogue
from content.refs import AcReference, parse_reference
from index.chunks import Chunk, build_chunks, content_hash
from index.dense import Manifest, TextEmbedder, load_embedder, load_or_build
from index.fusion import AcFeatures, Fitted, query_vector
from index.hints import narrow_units
from index.kinds import KindModel
from index.lexical import BM25, tokens
from index.settings import IndexSettings

log = logging.getLogger(__name__)

Mode = Literal["hybrid", "rrf", "dense", "lexical"]
BASELINE_MODES = ("rrf", "dense", "lexical")

# The model reads at most 256 word pieces; a longer query only costs time.
MAX_QUERY_CHARS = 1000
RRF_K = 60
# The retrieval before the bank and the fitted blend, kept for comparison: its chunk kinds and
# weights, and its "covered" rule (best cosine of a criterion at least this).
BASELINE_KIND_WEIGHT = {"ac": 1.0, "theorist": 0.9, "indicative": 0.8, "aims": 0.7}
BASELINE_COVERED_MIN_SIMILARITY = 0.30


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
    covered: bool = True  # False when the question is not about anything the units cover
    confident: bool = False  # the top hit is very probably the AC meant
    scope: float | None = None  # P(in scope) from the fitted model
    narrowed: tuple[str, ...] = ()  # units the question's own words narrowed the search to


@dataclass
class _Rankings:
    """Per-criterion best chunk and score for one baseline ranker."""

    allowed: set[str] | None = None
    scores: dict[str, float] = field(default_factory=dict)
    chunks: dict[str, Chunk] = field(default_factory=dict)

    def offer(self, chunk: Chunk, score: float) -> None:
        weighted = score * BASELINE_KIND_WEIGHT[chunk.kind]
        for key in chunk.criteria:
            if self.allowed is not None and key.split(" ")[0] not in self.allowed:
                continue
            if weighted > self.scores.get(key, float("-inf")):
                self.scores[key] = weighted
                self.chunks[key] = chunk

    def ranked(self) -> list[str]:
        return sorted(self.scores, key=lambda k: -self.scores[k])


class Retriever:
    """Searches the catalogue. Build once per process; `warm` and `search` may be called from
    several threads at once (the bot answers updates concurrently): the model loads once, and
    query embeddings and index lookups take turns (a few milliseconds each)."""

    def __init__(self, catalogue: Catalogue, settings: IndexSettings | None = None,
                 *, embedder: TextEmbedder | None = None,
                 bank: tuple[BankQuestion, ...] | None = None,
                 fitted: Fitted | None = None, kind_model: KindModel | None = None) -> None:
        self.catalogue = catalogue
        self.settings = settings or IndexSettings.from_env()
        self.bank = load_bank(catalogue) if bank is None else bank
        self.chunks = build_chunks(catalogue, self.bank)
        self.bm25 = BM25([tokens(c.text) for c in self.chunks])
        self.keys = tuple(ac.key for ac in catalogue.criteria())
        self.features = AcFeatures(self.chunks, self.keys)
        self._unit_of = np.array([k.split(" ")[0] for k in self.keys])
        self.baseline = [c for c in self.chunks if c.kind in BASELINE_KIND_WEIGHT]
        self.baseline_bm25 = BM25([tokens(c.text) for c in self.baseline])
        self.fitted = fitted or Fitted.load()
        self._check_fitted()
        self.embedder = embedder
        self.index: faiss.Index | None = None
        self.manifest: Manifest | None = None
        self._loading = threading.Lock()
        self._searching = threading.Lock()
        self._last_embedding: tuple[str | None, np.ndarray] = (None, np.zeros((1, 0)))
        self.kind_model = kind_model if kind_model is not None else KindModel.load()
        self._check_kind_model()

    def _check_fitted(self) -> None:
        fitted_for = self.fitted.provenance
        if fitted_for.get("bank") != bank_hash(self.bank):
            log.warning("index/fitted.json was fitted on another question bank; "
                        "run `python -m index fit` to refit")
        if fitted_for.get("model") != self.settings.model:
            log.warning("index/fitted.json was fitted for the model %s, not %s; "
                        "run `python -m index fit` to refit", fitted_for.get("model"),
                        self.settings.model)

    def _check_kind_model(self) -> None:
        if self.kind_model is None:
            return
        fitted_for = self.kind_model.provenance.get("model")
        if fitted_for != self.settings.model:
            log.warning("index/kinds.json was fitted for the model %s, not %s: the router "
                        "uses its patterns alone; run `python -m index fit-kinds`", fitted_for,
                        self.settings.model)
            self.kind_model = None

    def warm(self) -> None:
        """Load the model and the index now; otherwise the first search that needs them does
        (an AC reference never does, so `ask "5015 2.3"` skips the model's load time). A
        second caller while one loads waits for that load rather than loading again."""
        if self.index is not None:
            return
        with self._loading:
            if self.index is not None:
                return
            started = time.monotonic()
            self.embedder = self.embedder or load_embedder(self.settings)
            index, self.manifest = load_or_build(
                self.embedder, [c.text for c in self.chunks], content_hash(self.chunks),
                self.settings.index_dir)
            self.index = index  # last: a set index means the load is complete
            log.info("embedding model and index loaded in %.1f s", time.monotonic() - started)

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
            prefer: the learner's units: used to resolve a bare AC number and, in a free
                question, to break near-ties in their favour.
            last_unit: the unit last discussed, used first to resolve a bare AC number.
            k: how many criteria at most.
            mode: "hybrid" (default), or the earlier retrieval ("rrf") or one of its rankers
                alone ("dense", "lexical") for comparison.
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
        if mode in BASELINE_MODES:
            return self._baseline(query, allowed, self._codes(prefer), k, mode)
        return self._rank(query, allowed, self._codes(prefer), k)

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
        return SearchResult(hits, reference=ref, ambiguous=len(hits) > 1, confident=True)

    def embed(self, query: str) -> np.ndarray:
        """The query's embedding (1 × dimension). The last one is kept: the router asks the
        kind model and then searches with the same question, embedded once."""
        self.warm()
        assert self.embedder is not None
        with self._searching:
            if self._last_embedding[0] != query:
                self._last_embedding = (query, self.embedder.encode([query]))
            return self._last_embedding[1]

    def kind_probabilities(self, query: str) -> tuple[dict[str, float], dict[str, float]] | None:
        """P(kind) and P(fact topic) for a message from the fitted kind model; None when no
        model was fitted for this embedding model."""
        if self.kind_model is None:
            return None
        text = query.strip()[:MAX_QUERY_CHARS]
        return self.kind_model.probabilities(self.embed(text), text)

    def _dense_scores(self, query: str) -> np.ndarray:
        """Cosine of the query with every chunk, by chunk id."""
        vector = self.embed(query)
        assert self.index is not None
        with self._searching:
            scores, ids = self.index.search(vector, self.index.ntotal)
        out = np.zeros(len(self.chunks), dtype=np.float32)
        out[ids[0]] = scores[0]
        return out

    def scores(self, query: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The per-AC feature matrix (rows in `keys` order) and the per-chunk dense and
        lexical scores behind it; fitting reads the matrix directly."""
        dense = self._dense_scores(query)
        words = tokens(query)
        ceiling = self.bm25.ceiling(words)
        lexical = (self.bm25.scores(words) / ceiling if ceiling
                   else np.zeros(len(self.chunks), dtype=np.float32))
        return self.features.matrix(dense, lexical), dense, lexical

    def _rank(self, query: str, allowed: set[str] | None, prefer: tuple[str, ...],
              k: int) -> SearchResult:
        narrowed = narrow_units(query, self.catalogue, allowed)
        if narrowed:
            allowed = set(narrowed)
        features, dense, lexical = self.scores(query)
        fused = features @ np.asarray(self.fitted.weights, dtype=np.float32)
        if allowed is not None:
            fused = np.where(np.isin(self._unit_of, list(allowed)), fused, -np.inf)
        if prefer:
            # A near-tie goes to the learner's own units; a clearly better match elsewhere wins.
            fused = fused + np.isin(self._unit_of, list(prefer)) * self.fitted.prefer_bonus
        order = np.argsort(-fused, kind="stable")
        order = order[np.isfinite(fused[order])]
        if not len(order):
            return SearchResult((), covered=False, narrowed=tuple(narrowed))
        summary = query_vector(features, fused, order)
        scope = self.fitted.scope.probability(summary)
        confidence = self.fitted.confidence.probability(summary)
        hits = tuple(self._hit(int(i), float(fused[i]), dense, lexical) for i in order[:k])
        return SearchResult(hits, covered=scope >= self.fitted.scope_threshold,
                            confident=confidence >= self.fitted.confident_threshold,
                            scope=round(scope, 4), narrowed=tuple(narrowed))

    def _hit(self, ac: int, score: float, dense: np.ndarray, lexical: np.ndarray) -> Hit:
        """The AC with the chunk that speaks for it best (dense and lexical together)."""
        ids = self.features.chunks_of[ac]
        best = int(ids[np.argmax(dense[ids] + lexical[ids])]) if len(ids) else None
        key = self.keys[ac]
        unit_code, ref = key.split(" ")
        return Hit(key, unit_code, ref, round(score, 6),
                   self.chunks[best] if best is not None else None)

    def _baseline(self, query: str, allowed: set[str] | None, prefer: tuple[str, ...], k: int,
                  mode: Mode) -> SearchResult:
        """The retrieval before the bank: RRF over the specification chunks, or one ranker."""
        dense, similarity = _Rankings(allowed), None
        if mode != "lexical":
            scores = self._dense_scores(query)
            for spec in self.baseline:
                dense.offer(spec, float(scores[spec.id]))
            similarity = max(dense.scores.values(), default=0.0)
        lexical = _Rankings(allowed)
        if mode != "dense":
            bm25 = self.baseline_bm25.scores(tokens(query))
            for i in np.flatnonzero(bm25 > 0):
                lexical.offer(self.baseline[int(i)], float(bm25[i]))
        fused: dict[str, float] = {}
        for ranking in (dense, lexical):
            for rank, key in enumerate(ranking.ranked()):
                fused[key] = fused.get(key, 0.0) + 1.0 / (RRF_K + rank + 1)
        covered = (similarity >= BASELINE_COVERED_MIN_SIMILARITY if similarity is not None
                   else bool(fused))
        order = sorted(fused, key=lambda key: (key.split()[0] not in prefer, -fused[key]))
        hits = []
        for key in order[:k]:
            unit_code, ref = key.split(" ")
            chunk: Chunk | None = dense.chunks.get(key) or lexical.chunks.get(key)
            hits.append(Hit(key, unit_code, ref, round(fused[key], 6), chunk))
        return SearchResult(tuple(hits), covered=covered)
