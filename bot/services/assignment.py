"""What an assignment for a unit should weigh: the words the syllabus expects for the unit,
and each AC's share of them by what its command verb asks. The plan's word budgets and the
draft check's "far fewer words than a fair share" both come from here, so they agree."""

from __future__ import annotations

import re
from dataclasses import dataclass

from content.catalogue import Criterion, Unit

# How much an AC's verb asks, relative to "explain": weighing up takes more words than
# naming. Verbs not listed weigh 1.
VERB_WEIGHT = {
    **dict.fromkeys(("evaluate", "analyse", "assess", "discuss", "review", "justify",
                     "compare"), 1.5),
    **dict.fromkeys(("develop", "devise", "construct", "design", "plan", "determine",
                     "establish", "demonstrate", "present", "produce", "apply", "implement",
                     "promote", "conduct", "reflect", "deliver", "recommend"), 1.2),
    **dict.fromkeys(("explain", "describe", "suggest", "relate", "monitor", "undertake"), 1.0),
    **dict.fromkeys(("identify", "outline", "collect", "agree"), 0.6),
}


@dataclass(frozen=True)
class Budget:
    """Words for one AC: its share of the unit's range."""

    ref: str
    low: int
    high: int


def word_range(unit: Unit) -> tuple[int, int] | None:
    """The syllabus's words for the unit; None where it sets none (ILM)."""
    if unit.word_count is None:
        return None
    return unit.word_count.min_words, unit.word_count.max_words


def weight(criterion: Criterion) -> float:
    return VERB_WEIGHT.get(criterion.verb, 1.0)


def budgets(unit: Unit, total: tuple[int, int] | None = None) -> dict[str, Budget]:
    """Each AC's share of `total` (default: the unit's range), weighted by its verb, rounded
    to tens of words; empty when there is no range."""
    total = total or word_range(unit)
    if total is None:
        return {}
    weights = {ac.ref: weight(ac) for ac in unit.criteria}
    whole = sum(weights.values())
    return {ref: Budget(ref, int(round(total[0] * w / whole, -1)),
                       int(round(total[1] * w / whole, -1)))
            for ref, w in weights.items()}


def targets(unit: Unit) -> dict[str, int]:
    """Each AC's words when the unit aims at the middle of its range: one number per AC for a
    plan, adding up to within the range (rounding moves the sum by at most 5 words an AC)."""
    total = word_range(unit)
    if total is None:
        return {}
    middle = (total[0] + total[1]) // 2
    return {ref: b.low for ref, b in budgets(unit, (middle, middle)).items()}


SENTENCE_END = re.compile(r"(?<=[.!?])\s+")  # where guidance text splits into sentences
# A guidance sentence that says what an answer needs rather than what it might consider.
_NEEDED = re.compile(r"\b(must|should|required|requires?|need to|needs to|expected|important|"
                     r"essential|ensure|examples|case studies)\b", re.IGNORECASE)


def must_dos(criterion: Criterion, limit: int = 3) -> tuple[str, ...]:
    """The guidance's own sentences (verbatim) that say what an answer needs: a requirement,
    an expectation, several examples. Empty when the guidance has none, or there is none."""
    sentences = (s for g in criterion.guidance for p in g.paragraphs
                 for s in SENTENCE_END.split(p))
    return tuple(s for s in sentences if _NEEDED.search(s))[:limit]
