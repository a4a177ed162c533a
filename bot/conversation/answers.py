"""What the bot answers, as data: an AC, a choice of units, a unit, theorists, search results.

Pure functions over the catalogue and the retriever; `bot.conversation.rendering` turns the
results into messages; `bot.conversation.study` decides which to ask for. Nothing here invents text: every string shown comes from the catalogue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.services.assignment import SENTENCE_END
from content.catalogue import Catalogue, Criterion, LearningOutcome, Theorist, Unit
from content.refs import parse_reference
from content.schema import QualificationData, VerbData
from index.lexical import tokens
from index.retriever import Hit, Retriever


@dataclass(frozen=True)
class Context:
    """What the bot knows of the asker: their qualification, units and the unit last
    discussed."""

    units: tuple[str, ...] = ()
    last_unit: str | None = None
    qualification: str | None = None


@dataclass(frozen=True)
class AcAnswer:
    unit: Unit
    outcome: LearningOutcome
    criterion: Criterion
    verb: VerbData | None
    theorists: tuple[Theorist, ...]
    # Found by a free question: the next-best ACs, offered in case this is not the one.
    alternatives: tuple[str, ...] = ()


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


INDICATIVE = "indicative content"  # an ILM unit's, where it names theorists


@dataclass(frozen=True)
class TheoristList:
    """Theorists for a topic or an AC; `sources` are where the units name them (an AC's
    guidance, or an ILM unit's indicative content), so the learner can open those ACs."""

    topic: str
    theorists: tuple[Theorist, ...]
    sources: tuple[str, ...] = ()

    @property
    def acs(self) -> list[str]:
        """The sources that are ACs (an ILM unit's indicative content is not one)."""
        return [s for s in self.sources if not s.endswith(INDICATIVE)]


Answer = AcAnswer | ChooseUnit | Problem | SearchAnswer | TheoristList

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
    mine = set(context.units) | ({context.last_unit} if context.last_unit else set())
    if not reference.unit_code and mine and not mine & {h.unit_code for h in result.hits}:
        others = ", ".join(f"{h.unit_code} {h.ref}" for h in result.hits)
        return Problem(f"None of your units has an AC {reference.ref}; {others} "
                       f"{'does' if len(result.hits) == 1 else 'do'}. Ask with the unit, e.g. "
                       f"“{result.hits[0].unit_code} {reference.ref}”, or see /units.")
    if result.ambiguous:
        return ChooseUnit(reference.ref, tuple(catalogue.units[h.unit_code] for h in result.hits))
    answer = ac_answer(catalogue, result.hits[0].key)
    assert answer is not None
    return answer


def _with_context_acs(catalogue: Catalogue, problem: str, typed_unit: str | None,
                      context: Context) -> str:
    """A bare AC number that exists nowhere: also list the ACs of the asker's last unit."""
    unit_code = typed_unit or context.last_unit
    if typed_unit or unit_code is None or unit_code not in catalogue.units:
        return problem
    refs = ", ".join(ac.ref for ac in catalogue.units[unit_code].criteria)
    return f"{problem} In {unit_code}, the unit you last asked about, the ACs are: {refs}."


# Words that ask for theorists rather than name the topic they are wanted for.
_CITE_WORDS = frozenset(tokens(
    "cite citing citation quote reference referencing theorist theorists theory theories author "
    "authors writer writers academic academics reading read book books literature model models "
    "framework frameworks who should could can use mention look talk talks write wrote says any "
    "good some give list recommend suggest unit level"))


MAX_SOURCES = 3  # places named beside a topic's theorists
TOPIC_ACS = 10  # ACs whose guidance is read for a topic's theorists


def theorists_for(catalogue: Catalogue, retriever: Retriever, topic: str,
                  context: Context, limit: int = 6,
                  scope: tuple[str, ...] | None = None) -> Answer:
    """Theorists for an AC ("5015 2.3") or a topic ("coaching culture").

    For a topic: the guidance sentences that name theorists, in the best ACs' guidance, ranked
    by how much of the topic they share (and by the AC's rank), among the units of `scope`
    (every unit when None), so that "coaching culture"
    finds "...'coaching culture'. Contributors here include: Clutterbuck and Megginson,
    Hardingham et al, and Caplan." rather than every name the same paragraph cites."""
    reference = answer_reference(catalogue, retriever, topic, context)
    if isinstance(reference, AcAnswer):
        key = reference.criterion.key
        return TheoristList(key, reference.theorists, (key,) if reference.theorists else ())
    if reference is not None:
        return reference
    named = catalogue.theorist(topic)
    if named is not None:
        return TheoristList(topic, (named,))
    result = retriever.search(topic, units=scope, prefer=context.units, k=TOPIC_ACS)
    words = set(tokens(topic)) - _CITE_WORDS
    scores: dict[str, float] = {}
    where: dict[str, str] = {}  # each name's best-scoring AC
    for rank, hit in enumerate(result.hits, 1):
        for sentence, names, source in theorist_evidence(catalogue, hit.key):
            overlap = sum(retriever.bm25.idf.get(w, 0.0) for w in words & set(tokens(sentence)))
            for name in names:
                if overlap + 1.0 / rank > scores.get(name, 0.0):
                    scores[name], where[name] = overlap + 1.0 / rank, source
    ordered = sorted(scores, key=lambda n: -scores[n])[:limit]
    sources = tuple(dict.fromkeys(where[n] for n in ordered))[:MAX_SOURCES]
    return TheoristList(topic, tuple(t for n in ordered
                                     if (t := catalogue.theorist(n)) is not None), sources)


def theorist_evidence(catalogue: Catalogue,
                      key: str) -> list[tuple[str, tuple[str, ...], str]]:
    """(sentence and the one before it, theorists named, where) for each guidance sentence of
    an AC that names any: the sentence before often says what they are cited for. `where` is
    the AC, or for ILM units "D5.01 indicative content", where the names are printed."""
    criterion = catalogue.criterion(key)
    assert criterion is not None
    found = []
    for paragraph in (p for g in criterion.guidance for p in g.paragraphs):
        sentences = SENTENCE_END.split(paragraph)
        for i, sentence in enumerate(sentences):
            names = tuple(n for n in criterion.theorists if _names(catalogue, n, sentence))
            if names:
                found.append((" ".join(sentences[max(0, i - 1):i + 1]), names, key))
    if not found:  # ILM units name theorists in their indicative content, not per AC
        unit = catalogue.units[criterion.unit_code]
        mentioned = [t.name for t in catalogue.theorists if unit.code in t.mentioned_in]
        for item in unit.indicative_content:
            if names := tuple(n for n in mentioned if _names(catalogue, n, item)):
                found.append((item, names, f"{unit.code} {INDICATIVE}"))
    if not found and criterion.theorists:
        found.append(("", criterion.theorists, key))
    return found


def _names(catalogue: Catalogue, name: str, sentence: str) -> bool:
    """Whether a sentence names the theorist by any of its spellings."""
    theorist = catalogue.theorist(name)
    spellings = (name, *(theorist.aliases if theorist else ()))
    return any(re.search(rf"\b{re.escape(s)}\b", sentence) for s in spellings)


def qualification_units(catalogue: Catalogue, qualification: QualificationData) -> list[Unit]:
    return [catalogue.units[c] for g in qualification.rule.groups for c in g.units]

