"""The shape of the data files in `content/data/`, validated on load.

These models describe the files as curated (see `data/FORMAT.md`); the catalogue built from them
(`content.catalogue`) adds what is derived: verbs, theorists, related ACs, shared guidance.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

AC_REF = re.compile(r"^\d{1,2}\.\d{1,2}$")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ConflictValue(_Frozen):
    value: int | str | None
    where: str


class Conflict(_Frozen):
    """Sources that disagree about one value: all of them, the one shown, and why."""

    field: str
    values: tuple[ConflictValue, ...] = Field(min_length=2)
    shown: int | str | None
    why: str
    qualifications: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _shown_is_a_recorded_value(self) -> Conflict:
        if self.shown not in {v.value for v in self.values}:
            raise ValueError(f"{self.field}: shown value {self.shown!r} is not among the values")
        return self


class CriterionData(_Frozen):
    ref: str
    text: str = Field(min_length=3)

    @field_validator("ref")
    @classmethod
    def _ref_form(cls, ref: str) -> str:
        if not AC_REF.match(ref):
            raise ValueError(f"AC reference {ref!r} is not of the form 2.3")
        return ref


class LearningOutcomeData(_Frozen):
    number: str
    text: str = Field(min_length=3)
    criteria: tuple[CriterionData, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _criteria_belong_to_outcome(self) -> LearningOutcomeData:
        for ac in self.criteria:
            if ac.ref.split(".")[0] != self.number:
                raise ValueError(f"AC {ac.ref} listed under LO {self.number}")
        return self


class GuidanceBlock(_Frozen):
    """Good-practice text written for one AC, or shared by several."""

    covers: tuple[str, ...] = Field(min_length=1)
    paragraphs: tuple[str, ...] = Field(min_length=1)


class AssessmentSection(_Frozen):
    title: str
    covers: tuple[str, ...] = ()
    marks_available: int = Field(gt=0)
    min_marks: int = Field(ge=0)

    @model_validator(mode="after")
    def _min_within_available(self) -> AssessmentSection:
        if self.min_marks > self.marks_available:
            raise ValueError(f"{self.title}: minimum marks exceed marks available")
        return self


class Assessment(_Frozen):
    title: str
    task: str
    sections: tuple[AssessmentSection, ...] = Field(min_length=1)


class UnitFile(_Frozen):
    """One unit specification as curated from its source document."""

    code: str
    title: str
    awarding_body: Literal["CMI", "ILM"]
    level: int = Field(ge=1, le=8)
    credits: int = Field(gt=0)
    glh: int | None = Field(default=None, gt=0)
    tut: int | None = Field(default=None, gt=0)
    ofqual_ref: str | None = None
    source: str
    also_in: tuple[str, ...] = ()
    aims: str
    ocr_fixes: dict[str, str] = Field(default_factory=dict)
    conflicts: tuple[Conflict, ...] = ()
    learning_outcomes: tuple[LearningOutcomeData, ...] = Field(min_length=1)
    guidance: tuple[GuidanceBlock, ...] = ()
    indicative_content: tuple[str, ...] = ()
    assessment: Assessment | None = None
    delivery_hours_required: int | None = None

    @model_validator(mode="after")
    def _references_resolve(self) -> UnitFile:
        refs = [ac.ref for lo in self.learning_outcomes for ac in lo.criteria]
        if len(refs) != len(set(refs)):
            raise ValueError(f"{self.code}: duplicate AC references")
        known = set(refs)
        covered = [r for b in self.guidance for r in b.covers]
        if self.assessment:
            covered += [r for s in self.assessment.sections for r in s.covers]
        unknown = sorted(set(covered) - known)
        if unknown:
            raise ValueError(f"{self.code}: guidance or assessment covers unknown ACs {unknown}")
        return self


class RuleGroup(_Frozen):
    name: str
    mandatory: bool
    units: tuple[str, ...] = Field(min_length=1)
    min_credits: int | None = None


class Rule(_Frozen):
    """A rule of combination: total credits, mandatory groups, optional groups' minimums."""

    text: str
    min_credits: int = Field(gt=0)
    groups: tuple[RuleGroup, ...] = Field(min_length=1)


class QualificationData(_Frozen):
    code: str
    title: str
    short: str
    awarding_body: Literal["CMI", "ILM"]
    level: int
    qrn: str | None
    tqt: int | None
    glh: int | None
    source: str
    rule: Rule


class QualificationsFile(_Frozen):
    qualifications: tuple[QualificationData, ...] = Field(min_length=1)
    conflicts: tuple[Conflict, ...] = ()


class TheoristData(_Frozen):
    name: str
    aliases: tuple[str, ...] = ()
    known_for: str
    kind: Literal["person", "model", "organisation"]


class DocumentData(_Frozen):
    """A source document and the title answers cite it by."""

    file: str
    title: str


class VerbData(_Frozen):
    verb: str
    meaning: str
    source: str | None = None


class WordCountData(_Frozen):
    source: str
    min_words: int
    max_words: int
    quote: str


FACT_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


class FactQuote(_Frozen):
    """A verbatim sentence or clause of a source document that a fact rests on."""

    source: str
    text: str = Field(min_length=3)
    ocr_fixes: dict[str, str] = Field(default_factory=dict)


class FactTopic(_Frozen):
    """A kind of question about the qualifications the bot can answer ("word_count")."""

    id: str
    title: str = Field(min_length=3)

    @field_validator("id")
    @classmethod
    def _id_form(cls, value: str) -> str:
        if not FACT_ID.match(value):
            raise ValueError(f"topic id {value!r} is not lower-case words joined by - or _")
        return value


class FactData(_Frozen):
    """One fact about a qualification: this project's plain answer and the quotes behind it.
    `applies_to` names qualification codes; empty means every qualification."""

    id: str
    topic: str
    applies_to: tuple[str, ...] = ()
    answer: str = Field(min_length=10, max_length=400)
    quotes: tuple[FactQuote, ...] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _id_form(cls, value: str) -> str:
        if not FACT_ID.match(value):
            raise ValueError(f"fact id {value!r} is not lower-case words joined by - or _")
        return value

    @model_validator(mode="after")
    def _no_repeated_codes(self) -> FactData:
        if len(self.applies_to) != len(set(self.applies_to)):
            raise ValueError(f"{self.id}: applies_to repeats a qualification")
        return self


class FactsFile(_Frozen):
    topics: tuple[FactTopic, ...] = Field(min_length=1)
    facts: tuple[FactData, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_unique_and_topics_declared(self) -> FactsFile:
        for kind, ids in (("topic", [t.id for t in self.topics]),
                          ("fact", [f.id for f in self.facts])):
            repeated = sorted({i for i in ids if ids.count(i) > 1})
            if repeated:
                raise ValueError(f"{kind} ids repeated: {repeated}")
        declared = {t.id for t in self.topics}
        undeclared = sorted({f"{f.id}: {f.topic}" for f in self.facts if f.topic not in declared})
        if undeclared:
            raise ValueError(f"facts with an undeclared topic: {undeclared}")
        return self
