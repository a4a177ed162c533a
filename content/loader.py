"""Reads and validates the data files and builds the one immutable catalogue."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from content.catalogue import (
    Catalogue,
    Criterion,
    Fact,
    Guidance,
    LearningOutcome,
    Theorist,
    Unit,
    fold,
)
from content.schema import (
    DocumentData,
    FactsFile,
    QualificationsFile,
    TheoristData,
    UnitFile,
    VerbData,
    WordCountData,
)

DATA_DIR = Path(__file__).parent / "data"
T = TypeVar("T")
_AC_MENTION = re.compile(r"(?<![\d.])(\d{1,2}\.\d{1,2})(?![\d])")


class ContentError(Exception):
    """The data files are invalid; the message names the file and the problem."""


def read_yaml(path: Path) -> object:
    """A data file's YAML, read with libyaml's safe loader where PyYAML has it: the same
    safe subset as `yaml.safe_load` in a fifth of the time, which a worker's start waits for."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


def _read(path: Path) -> object:
    try:
        return read_yaml(path)
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path.name}: cannot be read: {exc}") from exc


class Curated(BaseModel):
    """A file of this project's own writing (bank, off-topic and labelled messages): it must
    say so, so that nothing in it is taken for specification text."""

    curated: bool


C = TypeVar("C", bound=Curated)


def read_curated(model: type[C], path: Path) -> C:
    """A curated file read and validated; ContentError when it is not marked curated."""
    data = validate_file(model, path)
    if not data.curated:
        raise ContentError(f"{path.name}: must be marked curated: true")
    return data


def validate_file(model: type[T], path: Path) -> T:
    """A data file read and validated as `model`; ContentError names the file."""
    try:
        return TypeAdapter(model).validate_python(_read(path))
    except ValidationError as exc:
        raise ContentError(f"{path.name}: {exc}") from exc


def load_unit_files(data_dir: Path = DATA_DIR) -> list[UnitFile]:
    """Every unit file, validated, in code order."""
    paths = sorted((data_dir / "units").glob("*.yaml"))
    return [validate_file(UnitFile, p) for p in paths]


def command_verb(text: str, verbs: dict[str, VerbData]) -> str:
    """The AC's command verb: its first word, past a leading adverb ("Critically evaluate")."""
    words = [w.casefold().strip(",:") for w in text.split()[:2]]
    adverb = words[0].endswith("ly") and words[0] not in verbs  # "Apply" is a verb
    verb = words[1] if adverb and len(words) > 1 else words[0]
    if verb not in verbs:
        raise ContentError(f"command verb {verb!r} of {text!r} is not in verbs.yaml")
    return verb


@dataclass(frozen=True)
class Spellings:
    """A theorist's spellings as whole words. A spelling must occur in the text as a plain
    substring before the regular expression is run: that skips nearly every pair of text and
    theorist, and loading the catalogue at start-up takes a fifth of the time."""

    names: tuple[str, ...]
    pattern: re.Pattern[str]

    @classmethod
    def of(cls, theorist: TheoristData) -> Spellings:
        names = tuple(sorted({theorist.name, *theorist.aliases}, key=len, reverse=True))
        return cls(names, re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in names)))

    def finditer(self, text: str) -> list[re.Match[str]]:
        if not any(name in text for name in self.names):
            return []
        return list(self.pattern.finditer(text))


def cited_names(text: str, patterns: dict[str, Spellings]) -> tuple[str, ...]:
    """The theorists a text names, in catalogue order. The longest spelling wins where two
    overlap: "Johnson and Scholes" is not also a mention of "Johnson" alone."""
    found = sorted(((m.start(), m.end(), name) for name, p in patterns.items()
                    for m in p.finditer(text)), key=lambda f: f[0] - f[1])
    taken: list[tuple[int, int]] = []
    names = set()
    for start, end, name in found:
        if all(end <= s or start >= e for s, e in taken):
            taken.append((start, end))
            names.add(name)
    return tuple(n for n in patterns if n in names)


def _build_unit(
    data: UnitFile,
    verbs: dict[str, VerbData],
    patterns: dict[str, Spellings],
    word_counts: dict[str, WordCountData],
) -> Unit:
    refs = {ac.ref for lo in data.learning_outcomes for ac in lo.criteria}
    outcomes = []
    for lo in data.learning_outcomes:
        criteria = []
        for ac in lo.criteria:
            blocks = [b for b in data.guidance if ac.ref in b.covers]
            guidance = tuple(
                Guidance(b.paragraphs, tuple(r for r in b.covers if r != ac.ref)) for b in blocks
            )
            text = " ".join(p for b in blocks for p in b.paragraphs)
            mentioned = dict.fromkeys(m for m in _AC_MENTION.findall(text) if m in refs)
            mentioned.pop(ac.ref, None)
            criteria.append(Criterion(
                unit_code=data.code,
                lo_number=lo.number,
                ref=ac.ref,
                text=ac.text,
                verb=command_verb(ac.text, verbs),
                guidance=guidance,
                theorists=cited_names(text, patterns),
                related=tuple(f"{data.code} {r}" for r in mentioned),
            ))
        outcomes.append(LearningOutcome(lo.number, lo.text, tuple(criteria)))
    return Unit(
        code=data.code, title=data.title, awarding_body=data.awarding_body, level=data.level,
        credits=data.credits, glh=data.glh, tut=data.tut, ofqual_ref=data.ofqual_ref,
        source=data.source, aims=data.aims, learning_outcomes=tuple(outcomes),
        conflicts=data.conflicts, indicative_content=data.indicative_content,
        assessment=data.assessment, delivery_hours_required=data.delivery_hours_required,
        word_count=word_counts.get(data.source),
    )


def load_facts(data_dir: Path, qualifications: set[str], documents: set[str]) -> FactsFile:
    """facts.yaml, validated, with every qualification code and quoted source known (an empty
    file when a data directory has none)."""
    path = data_dir / "facts.yaml"
    if not path.exists():
        return FactsFile.model_construct(topics=(), facts=())
    facts = validate_file(FactsFile, path)
    for f in facts.facts:
        unknown = sorted(set(f.applies_to) - qualifications)
        if unknown:
            raise ContentError(f"facts.yaml: {f.id} applies to unknown qualifications {unknown}")
        sources = sorted({q.source for q in f.quotes} - documents)
        if sources:
            raise ContentError(f"facts.yaml: {f.id} quotes sources with no title {sources}")
    return facts


def build_catalogue(data_dir: Path = DATA_DIR) -> Catalogue:
    """Validate every data file and derive verbs, theorists, related ACs and sharing."""
    verb_list = validate_file(list[VerbData], data_dir / "verbs.yaml")
    verbs = {v.verb: v for v in verb_list}
    theorist_data: list[TheoristData] = validate_file(
        list[TheoristData], data_dir / "theorists.yaml")
    word_counts = {w.source: w for w in validate_file(
        list[WordCountData], data_dir / "word_counts.yaml")}
    quals: QualificationsFile = validate_file(
        QualificationsFile, data_dir / "qualifications.yaml")
    documents = {d.file: d.title for d in validate_file(
        list[DocumentData], data_dir / "documents.yaml")}
    patterns = {t.name: Spellings.of(t) for t in theorist_data}
    units = {u.code: _build_unit(u, verbs, patterns, word_counts)
             for u in load_unit_files(data_dir)}

    sources = {u.source for u in units.values()} | {q.source for q in quals.qualifications}
    if sources - documents.keys():
        raise ContentError(f"documents.yaml: no title for {sorted(sources - documents.keys())}")
    for q in quals.qualifications:
        missing = [c for g in q.rule.groups for c in g.units if c not in units]
        if missing:
            raise ContentError(f"qualifications.yaml: {q.code} names unknown units {missing}")

    facts = load_facts(data_dir, {q.code for q in quals.qualifications}, set(documents))

    cited = {t.name: [] for t in theorist_data}  # type: dict[str, list[str]]
    for unit in units.values():
        for ac in unit.criteria:
            for name in ac.theorists:
                cited[name].append(ac.key)
    in_content = {code: cited_names(" ".join(unit.indicative_content), patterns)
                  for code, unit in units.items()}
    mentioned = {name: tuple(code for code, names in in_content.items() if name in names)
                 for name in patterns}
    theorists = tuple(Theorist(t.name, t.aliases, t.known_for, t.kind, tuple(cited[t.name]),
                               mentioned[t.name])
                      for t in theorist_data)
    keys: dict[str, Theorist] = {}
    for t in theorists:
        for spelling in (t.name, *t.aliases):
            keys.setdefault(fold(spelling), t)
    return Catalogue(
        units=MappingProxyType(units),
        qualifications=MappingProxyType({q.code: q for q in quals.qualifications}),
        theorists=theorists,
        verbs=MappingProxyType(verbs),
        conflicts=quals.conflicts,
        documents=MappingProxyType(documents),
        facts=tuple(Fact(f.id, f.topic, f.applies_to, f.answer,
                         tuple((q.source, q.text) for q in f.quotes)) for f in facts.facts),
        fact_topics=MappingProxyType({t.id: t.title for t in facts.topics}),
        _theorist_keys=MappingProxyType(keys),
    )


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """The catalogue of the shipped data, built once per process."""
    return build_catalogue()
