"""The immutable catalogue of units, criteria, qualifications, theorists, command verbs and
facts about the qualifications.

Built once from the validated data files by `content.loader.load_catalogue`; everything the bot
and the index say about the specifications comes from here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from content.schema import Assessment, Conflict, QualificationData, VerbData, WordCountData


@dataclass(frozen=True)
class Guidance:
    """One good-practice block as an AC sees it: its paragraphs and the other ACs sharing it."""

    paragraphs: tuple[str, ...]
    shared_with: tuple[str, ...] = ()

    @property
    def shared(self) -> bool:
        return bool(self.shared_with)


@dataclass(frozen=True)
class Criterion:
    """An assessment criterion with what is derived for it."""

    unit_code: str
    lo_number: str
    ref: str
    text: str
    verb: str
    guidance: tuple[Guidance, ...]
    theorists: tuple[str, ...]
    related: tuple[str, ...]

    @property
    def key(self) -> str:
        """The catalogue-wide id, e.g. "5015V1 2.3"."""
        return f"{self.unit_code} {self.ref}"


@dataclass(frozen=True)
class LearningOutcome:
    number: str
    text: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Unit:
    code: str
    title: str
    awarding_body: str
    level: int
    credits: int
    glh: int | None
    tut: int | None
    ofqual_ref: str | None
    source: str
    aims: str
    learning_outcomes: tuple[LearningOutcome, ...]
    conflicts: tuple[Conflict, ...] = ()
    indicative_content: tuple[str, ...] = ()
    assessment: Assessment | None = None
    delivery_hours_required: int | None = None
    word_count: WordCountData | None = None

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(ac for lo in self.learning_outcomes for ac in lo.criteria)

    @property
    def short_code(self) -> str:
        """The code as learners type it ("5015" for "5015V1"); `Catalogue.unit` reads it."""
        return self.code.removesuffix("V1")

    def criterion(self, ref: str) -> Criterion | None:
        return next((ac for ac in self.criteria if ac.ref == ref), None)

    def outcome(self, number: str) -> LearningOutcome | None:
        return next((lo for lo in self.learning_outcomes if lo.number == number), None)

    def next_criterion(self, ref: str) -> Criterion | None:
        """The AC after `ref` in specification order, or None at the end of the unit."""
        refs = [ac.ref for ac in self.criteria]
        i = refs.index(ref) if ref in refs else len(refs)
        return self.criteria[i + 1] if i + 1 < len(refs) else None


@dataclass(frozen=True)
class Theorist:
    """A theorist or named model; `cited_in` are the ACs whose guidance names it, and
    `mentioned_in` the ILM units whose indicative content does (ILM gives no per-AC guidance)."""

    name: str
    aliases: tuple[str, ...]
    known_for: str
    kind: str
    cited_in: tuple[str, ...]
    mentioned_in: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fact:
    """A fact about the qualifications (word count, credits, grading...): this project's plain
    `answer` and the verbatim `quotes` it rests on, as (source file, text) pairs. `applies_to`
    holds qualification codes; empty means every qualification."""

    id: str
    topic: str
    applies_to: tuple[str, ...]
    answer: str
    quotes: tuple[tuple[str, str], ...]

    def applies(self, qualification: str) -> bool:
        return not self.applies_to or qualification in self.applies_to


def fold(text: str) -> str:
    """A lookup key: accents removed, case folded, punctuation and spacing collapsed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())


@dataclass(frozen=True)
class Catalogue:
    """All content, with the lookups the bot needs. Immutable: share it freely."""

    units: Mapping[str, Unit]
    qualifications: Mapping[str, QualificationData]
    theorists: tuple[Theorist, ...]
    verbs: Mapping[str, VerbData]
    conflicts: tuple[Conflict, ...] = ()
    documents: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    facts: tuple[Fact, ...] = ()
    fact_topics: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    _theorist_keys: Mapping[str, Theorist] = field(
        default_factory=lambda: MappingProxyType({}), repr=False)

    def credits(self) -> dict[str, int]:
        """Each unit's credits by code, as a rule of combination (`content.rules`) counts them."""
        return {code: unit.credits for code, unit in self.units.items()}

    def criteria(self) -> Iterator[Criterion]:
        for unit in self.units.values():
            yield from unit.criteria

    def criterion(self, key: str) -> Criterion | None:
        """Look up by catalogue id, e.g. "5015V1 2.3"."""
        code, _, ref = key.partition(" ")
        unit = self.units.get(code)
        return unit.criterion(ref) if unit else None

    def unit(self, text: str) -> Unit | None:
        """A unit by code as learners type it: "5015V1", "5015", "d5.01", "D501"."""
        key = text.strip().upper().replace(" ", "")
        if key in self.units:
            return self.units[key]
        for code, unit in self.units.items():
            if key in {unit.short_code, code.replace(".", "")}:
                return unit
        return None

    def units_with(self, ref: str) -> tuple[Unit, ...]:
        """The units that have an AC numbered `ref`."""
        return tuple(u for u in self.units.values() if u.criterion(ref))

    def qualification(self, text: str) -> QualificationData | None:
        """A qualification by CMI code, Ofqual number or short name ("L7 Diploma")."""
        key = fold(text)
        for q in self.qualifications.values():
            if key in {fold(q.code), fold(q.qrn or "-"), fold(q.short), fold(q.title)}:
                return q
        return None

    def theorist(self, text: str) -> Theorist | None:
        """A theorist or model by any spelling the sources use, or by surname alone."""
        key = fold(text)
        if not key:
            return None
        if key in self._theorist_keys:
            return self._theorist_keys[key]
        matches = {t.name: t for k, t in self._theorist_keys.items() if key in k.split()}
        return next(iter(matches.values())) if len(matches) == 1 else None

    def verb(self, verb: str) -> VerbData | None:
        return self.verbs.get(verb.casefold())

    def facts_about(self, topic: str, qualification: str | None = None) -> tuple[Fact, ...]:
        """The facts on `topic` that apply to the qualification code given (those for every
        qualification included), or all the topic's facts when none is given."""
        return tuple(f for f in self.facts if f.topic == topic
                     and (qualification is None or f.applies(qualification)))

    def document_title(self, file: str) -> str:
        """The title a source document is cited by (its file name if it has none)."""
        return self.documents.get(file, file)
