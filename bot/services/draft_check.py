"""The draft check: which of a unit's ACs a draft addresses, where, which answers are thin and
why, the word count as CMI counts it, citations against the reference list, and whether each
AC has a heading of its own.

A section whose heading names an AC ("2.3", "AC 2.3 Overcoming resistance") answers that AC.
Any other paragraph goes to the unit's AC that the project's retrieval ranks first for it (the
fitted blend of dense and lexical scores over the specification and the question bank), when
that score is high enough; introductions, conclusions and weak matches go nowhere.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

import numpy as np

from bot.services.assignment import budgets, word_range
from bot.services.draft_text import Block, DraftText, count_words
from content.catalogue import Catalogue, Criterion, Unit
from index.retriever import Retriever

Status = Literal["addressed", "thin", "missing"]
# A paragraph goes to its best AC only when the blended score reaches this (fitted on the
# drafts corpus in tests/drafts: see scripts/eval_drafts.py).
MIN_SCORE = 1.5
# A paragraph without a heading and shorter than this (a title line, an aside) is too little
# to place.
MIN_WORDS = 20
# What retrieval reads of a section: its heading and opening say what it answers; the model
# would cut a longer text anyway, and time grows with length.
QUERY_CHARS = 400
# Weight of the share of an AC's own distinctive words ("benefits", "resistance") that the
# text uses: it separates ACs of one unit that retrieval alone finds close.
OWN_WORDS_WEIGHT = 1.0
# Thin by length: fewer words than this share of the AC's fair share of the unit's range.
THIN_SHARE = 0.3
# Thin by verb: an evaluative verb needs this many distinct signs of weighing up.
WEIGHING_NEEDED = 2
EVALUATIVE = frozenset({"evaluate", "assess", "review", "discuss", "analyse", "justify",
                        "compare", "determine"})
EXPLANATORY = frozenset({"explain"})
_WEIGHING = re.compile(
    r"\b(however|although|whereas|on the other hand|strengths?|weakness(?:es)?|limitations?|"
    r"drawbacks?|disadvantages?|advantages?|outweighs?|on balance|overall|in my (?:view|"
    r"judgement|judgment|opinion)|i would argue|i conclude|to some extent|more effective|less "
    r"effective|most effective|risks?|downsides?|trade-offs?|critics?|criticis\w+|"
    r"nevertheless|despite|by contrast|conversely|at the cost of)\b", re.IGNORECASE)
_REASONING = re.compile(
    r"\b(because|so that|in order to|therefore|as a result|this means|which means|since|"
    r"which is why|that is why|due to|leads? to|so)\b", re.IGNORECASE)
_EXAMPLE = re.compile(
    r"\b(for example|for instance|e\.g\.|such as|another example|a further example|"
    r"a second example|case stud(?:y|ies)|one example|in my (?:organisation|team|company|"
    r"department)|at my (?:organisation|company|workplace)|illustrates?)\b", re.IGNORECASE)
# Guidance or an AC that asks for more than one example.
_SEVERAL = re.compile(r"\b(examples|breadth of examples|case studies|several examples)\b",
                      re.IGNORECASE)
_SKIP_HEADING = re.compile(r"^(?:\d+(?:\.\d+)*\s*)?(introduction|conclusions?|summary|"
                           r"background|context|recommendations?|executive summary)\b",
                           re.IGNORECASE)
_REF_IN_HEADING = re.compile(r"(?<![\d.])(\d{1,2}\.\d{1,2})(?![\d.])")
_YEAR = r"(?:19|20)\d{2}[a-z]?"
_NAME = r"[A-Z][A-Za-z'’\-]+"
_PAREN_CITE = re.compile(r"\(([^()]*?" + _YEAR + r"[^()]*)\)")
_NARRATIVE = re.compile(r"(" + _NAME + r"(?:\s+(?:and|&)\s+" + _NAME + r"|\s+et al\.?)?)\s*\(("
                        + _YEAR + r")")
_CITE_PART = re.compile(r"^\s*(?:see\s+|e\.g\.\s*|cited in\s+)?(" + _NAME + r")[^;]*?,?\s*("
                        + _YEAR + r")")
_REFERENCE_ENTRY = re.compile(r"^\s*(" + _NAME + r")[^()]*?\(?(" + _YEAR + r")\)?")


@dataclass(frozen=True)
class Reason:
    """Why an addressed AC is thin: "words", "verb", "examples" or "theorists"."""

    code: str
    text: str


@dataclass(frozen=True)
class AcResult:
    criterion: Criterion
    status: Status
    reasons: tuple[Reason, ...] = ()
    where: tuple[str, ...] = ()
    words: int = 0
    own_heading: bool = False


@dataclass(frozen=True)
class DraftReport:
    unit: Unit
    words: int  # body words, as CMI counts them
    range: tuple[int, int] | None
    acs: tuple[AcResult, ...]
    cited_not_listed: tuple[str, ...] = ()
    listed_not_cited: tuple[str, ...] = ()
    has_reference_list: bool = False
    appendix_words: int = 0

    def result(self, ref: str) -> AcResult:
        return next(r for r in self.acs if r.criterion.ref == ref)

    def to_json(self) -> dict[str, Any]:
        """The shape `python -m bot check --json` prints."""
        return {"unit": self.unit.code, "words": self.words,
                "range": list(self.range) if self.range else None,
                "acs": {r.criterion.key: {"status": r.status,
                                          "reasons": [x.code for x in r.reasons],
                                          "where": list(r.where), "words": r.words,
                                          "own_heading": r.own_heading}
                        for r in self.acs},
                "cited_not_listed": list(self.cited_not_listed),
                "listed_not_cited": list(self.listed_not_cited)}


@dataclass
class _Section:
    heading: str | None
    paragraphs: list[Block] = field(default_factory=list)


def sections(draft: DraftText) -> list[_Section]:
    """Body paragraphs grouped under the heading before them (None before the first)."""
    found = [_Section(None)]
    for block in draft.blocks:
        if block.kind == "heading":
            found.append(_Section(block.text))
        elif block.kind == "paragraph":
            found[-1].paragraphs.append(block)
    return [s for s in found if s.paragraphs or s.heading]


class DraftChecker:
    """Checks drafts against a unit's ACs with one retriever (build once, reuse)."""

    def __init__(self, catalogue: Catalogue, retriever: Retriever) -> None:
        self.catalogue = catalogue
        self.retriever = retriever
        self._weights = np.asarray(retriever.fitted.weights, dtype=np.float32)
        self._names = _theorist_pattern(catalogue)
        self._position = {key: i for i, key in enumerate(retriever.keys)}

    def ac_scores(self, unit: Unit, text: str) -> np.ndarray:
        """How well `text` answers each of the unit's ACs (in the unit's order): the
        retrieval's fitted blend, plus the share of each AC's own distinctive words present."""
        features, _, _ = self.retriever.scores(text[:QUERY_CHARS])
        rows = [self._position[ac.key] for ac in unit.criteria]
        return features[rows] @ self._weights + OWN_WORDS_WEIGHT * _own_words(unit, text)

    def place(self, draft: DraftText, unit: Unit) -> tuple[dict[str, list[Block]],
                                                              dict[str, str]]:
        """The paragraphs that answer each AC, and the heading each AC has of its own."""
        refs = [ac.ref for ac in unit.criteria]
        assigned: dict[str, list[Block]] = {ref: [] for ref in refs}
        headed: dict[str, str] = {}
        topical: list[tuple[_Section, np.ndarray]] = []
        for section in sections(draft):
            named = _refs_in(section.heading, set(refs))
            if named:
                for ref in named:
                    assigned[ref].extend(section.paragraphs)
                    headed.setdefault(ref, section.heading or "")
            elif section.heading and _SKIP_HEADING.match(section.heading):
                continue
            elif section.heading:
                # A heading says what its section answers, however short the answer is.
                text = " ".join(p.text for p in section.paragraphs)
                if text:
                    topical.append((section, self.ac_scores(unit, f"{section.heading}. {text}")))
            else:
                for paragraph in section.paragraphs:
                    if paragraph.words < MIN_WORDS:
                        continue
                    scores = self.ac_scores(unit, paragraph.text)
                    best = int(np.argmax(scores))
                    if scores[best] >= MIN_SCORE:
                        assigned[refs[best]].append(paragraph)
        # A section under a heading of its own answers one AC: best matches first.
        pairs = sorted(((float(scores[i]), n, i) for n, (_, scores) in enumerate(topical)
                        for i in range(len(refs))), reverse=True)
        placed: set[int] = set()
        for score, n, i in pairs:
            if n in placed or refs[i] in headed or score < MIN_SCORE:
                continue
            section = topical[n][0]
            assigned[refs[i]].extend(section.paragraphs)
            headed[refs[i]] = section.heading or ""
            placed.add(n)
        return assigned, headed

    def check(self, draft: DraftText, unit: Unit) -> DraftReport:
        """The whole report for one draft and one unit."""
        assigned, headed = self.place(draft, unit)
        # Where the syllabus sets no word count (ILM), the draft's own length is shared out.
        shares = budgets(unit) or budgets(unit, (max(draft.body_words, 1),) * 2)
        results = []
        for ac in unit.criteria:
            paragraphs = sorted(assigned[ac.ref], key=lambda b: b.number)
            if not paragraphs:
                results.append(AcResult(ac, "missing"))
                continue
            text = " ".join(p.text for p in paragraphs)
            words = count_words(text)
            share = shares.get(ac.ref)
            reasons = self._reasons(ac, text, words, share.low if share else None)
            results.append(AcResult(ac, "thin" if reasons else "addressed", tuple(reasons),
                                    _where(headed.get(ac.ref), paragraphs), words,
                                    ac.ref in headed))
        cited, listed = citations(draft)
        return DraftReport(unit, draft.body_words, word_range(unit), tuple(results),
                           tuple(sorted(cited - listed, key=str.casefold)),
                           tuple(sorted(listed - cited, key=str.casefold)),
                           any(b.kind == "reference" for b in draft.blocks),
                           sum(b.words for b in draft.blocks if b.kind == "appendix"))

    def _reasons(self, ac: Criterion, text: str, words: int,
                 fair: int | None) -> list[Reason]:
        reasons = []
        if fair and words < THIN_SHARE * fair:
            reasons.append(Reason("words", f"{words} words, far fewer than its fair share "
                                           f"of the unit (about {fair})"))
        if ac.verb in EVALUATIVE and len(_distinct(_WEIGHING, text)) < WEIGHING_NEEDED:
            reasons.append(Reason("verb", f"“{ac.verb}” asks you to weigh up and judge; this "
                                          f"describes without weighing"))
        elif ac.verb in EXPLANATORY and not _REASONING.search(text):
            reasons.append(Reason("verb", "“explain” asks how and why; no reasons are given"))
        guidance = " ".join(p for g in ac.guidance for p in g.paragraphs)
        if (_SEVERAL.search(guidance) or _SEVERAL.search(ac.text)) and \
                len(_EXAMPLE.findall(text)) <= 1:
            reasons.append(Reason("examples", "one example or none, where several are asked "
                                              "for"))
        if ac.theorists and not self._names.search(text) and not _cites(text):
            reasons.append(Reason("theorists", "no theorist or model cited; the guidance "
                                               "names " + ", ".join(ac.theorists)))
        return reasons


_CONTENT = re.compile(r"[a-z]{4,}")
_STOP = frozenset({"that", "with", "from", "their", "this", "which", "into", "within",
                   "other", "others", "such", "have", "been", "they", "them"})


def _stems(text: str) -> set[str]:
    """Content words cut to six letters: "benefits" and "beneficial" meet at "benefi"."""
    return {w[:6] for w in _CONTENT.findall(text.lower()) if w not in _STOP}


@lru_cache(maxsize=64)
def _distinctive(unit: Unit) -> tuple[dict[str, float], ...]:
    """Per AC of the unit, its words weighted by how few of the unit's ACs use them."""
    words = [_stems(ac.text) for ac in unit.criteria]
    df: dict[str, int] = {}
    for stems in words:
        for stem in stems:
            df[stem] = df.get(stem, 0) + 1
    n = len(words)
    return tuple({w: math.log(n / df[w]) for w in stems if df[w] < n} for stems in words)


def _own_words(unit: Unit, text: str) -> np.ndarray:
    """For each AC, the weighted share of its distinctive words that `text` uses."""
    present = _stems(text)
    return np.array([sum(v for w, v in own.items() if w in present) / total
                     if (total := sum(own.values())) else 0.0
                     for own in _distinctive(unit)], dtype=np.float32)


def _refs_in(heading: str | None, refs: set[str]) -> list[str]:
    if not heading:
        return []
    return [r for r in dict.fromkeys(_REF_IN_HEADING.findall(heading)) if r in refs]


def _distinct(pattern: re.Pattern[str], text: str) -> set[str]:
    return {m.casefold() for m in pattern.findall(text)}


def _cites(text: str) -> bool:
    return bool(_PAREN_CITE.search(text) or _NARRATIVE.search(text))


def _theorist_pattern(catalogue: Catalogue) -> re.Pattern[str]:
    """Any theorist or model in the catalogue, by its name, an alias or its surname."""
    names: set[str] = set()
    for theorist in catalogue.theorists:
        for name in (theorist.name, *theorist.aliases):
            names.add(name)
            if theorist.kind == "person" and " " in name:
                names.add(name.split()[-1])
    words = sorted((n for n in names if len(n) > 3), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


def _where(heading: str | None, paragraphs: list[Block]) -> tuple[str, ...]:
    """Where the answer is: its heading, then the paragraph numbers, first words quoted."""
    first = paragraphs[0]
    quote = " ".join(first.text.split()[:6])
    places = [f"¶{p.number}" for p in paragraphs[:4]] + (["…"] if len(paragraphs) > 4 else [])
    found = f"{', '.join(places)} “{quote}…”"
    return (heading, found) if heading else (found,)


def citations(draft: DraftText) -> tuple[set[str], set[str]]:
    """("Surname Year" cited in the body, "Surname Year" in the reference list)."""
    cited: set[str] = set()
    for block in draft.blocks:
        if block.kind not in ("paragraph", "table", "heading"):
            continue
        cited.update(_in_text(block.text))
    listed = {f"{m.group(1)} {m.group(2)}" for b in draft.blocks if b.kind == "reference"
              if (m := _REFERENCE_ENTRY.match(b.text))}
    return cited, listed


def _in_text(text: str) -> Iterable[str]:
    for match in _PAREN_CITE.finditer(text):
        for part in match.group(1).split(";"):
            if (found := _CITE_PART.match(part)) is not None:
                yield f"{found.group(1)} {found.group(2)}"
    for match in _NARRATIVE.finditer(text):
        yield f"{match.group(1).split()[0]} {match.group(2)}"
