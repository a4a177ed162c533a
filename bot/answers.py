"""What the bot answers, as data: an AC, a choice of units, a unit, theorists, search results.

Pure functions over the catalogue and the retriever; `bot.render` turns the results into
messages. Nothing here invents text: every string shown comes from the catalogue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from content.catalogue import Catalogue, Criterion, LearningOutcome, Theorist, Unit
from content.refs import parse_reference
from content.schema import QualificationData, VerbData
from index.retriever import Hit, Retriever


@dataclass(frozen=True)
class Context:
    """What the bot knows of the asker: their units and the unit last discussed."""

    units: tuple[str, ...] = ()
    last_unit: str | None = None


@dataclass(frozen=True)
class AcAnswer:
    unit: Unit
    outcome: LearningOutcome
    criterion: Criterion
    verb: VerbData | None
    theorists: tuple[Theorist, ...]


@dataclass(frozen=True)
class ChooseUnit:
    """An AC number several of the asker's candidate units have: ask, never guess."""

    ref: str
    units: tuple[Unit, ...]


@dataclass(frozen=True)
class Problem:
    """A reference to something that does not exist, with what does."""

    message: str


@dataclass(frozen=True)
class Found:
    criterion: Criterion
    unit: Unit
    hit: Hit


@dataclass(frozen=True)
class SearchAnswer:
    query: str
    found: tuple[Found, ...]
    covered: bool


@dataclass(frozen=True)
class TheoristList:
    topic: str
    theorists: tuple[Theorist, ...]


Answer = AcAnswer | ChooseUnit | Problem | SearchAnswer | TheoristList

# A question about whom to read or cite, rather than about what an AC needs.
_THEORIST_QUESTION = re.compile(
    r"\b(cite|citing|theorists?|theory|theories|authors?|reading list|who should i (read|use|"
    r"reference|quote))\b", re.IGNORECASE)


def ac_answer(catalogue: Catalogue, key: str) -> AcAnswer | None:
    """Everything shown about one AC, by catalogue key ("5015V1 2.3")."""
    criterion = catalogue.criterion(key)
    if criterion is None:
        return None
    unit = catalogue.units[criterion.unit_code]
    outcome = unit.outcome(criterion.lo_number)
    assert outcome is not None
    theorists = tuple(t for name in criterion.theorists
                      if (t := catalogue.theorist(name)) is not None)
    return AcAnswer(unit, outcome, criterion, catalogue.verb(criterion.verb), theorists)


def answer_reference(catalogue: Catalogue, retriever: Retriever, text: str,
                     context: Context) -> Answer | None:
    """The answer to a message naming an AC, or None when it names none."""
    reference = parse_reference(text, catalogue)
    if reference is None:
        return None
    if not reference.ok:
        return Problem(_with_context_acs(catalogue, reference.problem or "", reference.unit_code,
                                         context))
    result = retriever.search(text, prefer=context.units, last_unit=context.last_unit)
    if result.problem:
        return Problem(result.problem)
    if result.ambiguous:
        return ChooseUnit(reference.ref, tuple(catalogue.units[h.unit_code] for h in result.hits))
    answer = ac_answer(catalogue, result.hits[0].key)
    assert answer is not None
    return answer


def _with_context_acs(catalogue: Catalogue, problem: str, typed_unit: str | None,
                      context: Context) -> str:
    """A bare AC number that exists nowhere: also list the ACs of the asker's last unit."""
    unit_code = typed_unit or context.last_unit
    if typed_unit or unit_code not in catalogue.units:
        return problem
    refs = ", ".join(ac.ref for ac in catalogue.units[unit_code].criteria)
    return f"{problem} In {unit_code}, the unit you last asked about, the ACs are: {refs}."


def search(catalogue: Catalogue, retriever: Retriever, text: str, context: Context,
           k: int = 3) -> SearchAnswer:
    """The criteria that best answer a free question, the asker's units first."""
    result = retriever.search(text, prefer=context.units, k=k)
    found = tuple(Found(catalogue.criterion(h.key), catalogue.units[h.unit_code], h)  # type: ignore[arg-type]
                  for h in result.hits)
    return SearchAnswer(text, found if result.covered else (), result.covered)


def is_theorist_question(text: str) -> bool:
    return bool(_THEORIST_QUESTION.search(text))


def theorists_for(catalogue: Catalogue, retriever: Retriever, topic: str,
                  context: Context, limit: int = 8) -> Answer:
    """Theorists for an AC ("5015 2.3") or a topic ("coaching culture")."""
    reference = answer_reference(catalogue, retriever, topic, context)
    if isinstance(reference, AcAnswer):
        return TheoristList(reference.criterion.key, reference.theorists)
    if reference is not None:
        return reference
    named = catalogue.theorist(topic)
    if named is not None:
        return TheoristList(topic, (named,))
    result = search(catalogue, retriever, topic, context, k=6)
    # A theorist cited by several of the best criteria, and by the best ones, comes first.
    weight: dict[str, float] = {}
    for rank, found in enumerate(result.found, 1):
        for name in found.criterion.theorists:
            weight[name] = weight.get(name, 0.0) + 1 / rank
    ordered = sorted(weight, key=lambda name: -weight[name])[:limit]
    return TheoristList(topic, tuple(t for name in ordered
                                     if (t := catalogue.theorist(name)) is not None))


def qualification_units(catalogue: Catalogue, qualification: QualificationData) -> list[Unit]:
    return [catalogue.units[c] for g in qualification.rule.groups for c in g.units]


def default_units(qualification: QualificationData) -> list[str]:
    """The units a learner starts with: every unit of a mandatory group (the rest are chosen)."""
    return [c for g in qualification.rule.groups if g.mandatory for c in g.units]
