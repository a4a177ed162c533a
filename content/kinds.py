"""Curated messages labelled with the kind of answer each needs: training data for the
learned kind model (`index.kinds`), never shown and never used to evaluate.

The router's patterns read the shapes this project has seen; learners keep writing new ones
("kubla ross curve for my change section, explain", "gn, speak tmrw"). These messages, written
by writers who never saw an evaluation set, teach a classifier over the question's embedding
what each kind sounds like. Questions for "search" and "refusal" also come from the question
bank and `offtopic.yaml` (`kind_questions`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from content.bank import BankQuestion, load_offtopic
from content.catalogue import Catalogue, fold
from content.loader import DATA_DIR, ContentError, Curated, read_curated

KINDS_FILE = DATA_DIR / "kinds.yaml"
KindName = Literal["search", "fact", "unit", "verb", "theorist", "theorists", "integrity",
                   "greeting", "refusal"]
KINDS: tuple[str, ...] = get_args(KindName)
# Every this-many-th bank question stands for "search": the whole bank (3,000+) would drown
# the other kinds, a few hundred of every unit's questions say what search sounds like.
BANK_STRIDE = 5


class LabelledQuestion(BaseModel):
    """One message and its kind; a fact carries its topic, a verb question its verbs, a
    question about one theorist the theorist's canonical name."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    q: str = Field(min_length=1)
    kind: KindName
    topic: str | None = None
    verbs: tuple[str, ...] = ()
    theorist: str | None = None


class KindsFile(Curated):
    model_config = ConfigDict(frozen=True, extra="forbid")

    questions: tuple[LabelledQuestion, ...] = Field(min_length=1)


@dataclass(frozen=True)
class KindQuestion:
    text: str
    kind: str
    topic: str | None = None  # fact questions only: a topic id of facts.yaml


def load_labelled(catalogue: Catalogue, path: Path = KINDS_FILE) -> tuple[LabelledQuestion, ...]:
    """The curated labelled messages, each label checked against the catalogue.

    Raises ContentError for an unknown fact topic, verb or theorist, a fact without a topic,
    a file not marked curated, or the same message twice."""
    data = read_curated(KindsFile, path)
    seen: set[str] = set()
    for q in data.questions:
        problem = _label_problem(q, catalogue)
        if problem is None and fold(q.q) in seen:
            problem = "is there twice"
        if problem is not None:
            raise ContentError(f"{path.name}: {q.q!r} {problem}")
        seen.add(fold(q.q))
    return data.questions


def _label_problem(q: LabelledQuestion, catalogue: Catalogue) -> str | None:
    if (q.kind == "fact") != (q.topic is not None):
        return "needs a topic exactly when it is a fact"
    if q.topic is not None and q.topic not in catalogue.fact_topics:
        return f"has no fact topic {q.topic}"
    unknown = [v for v in q.verbs if catalogue.verb(v) is None]
    if unknown:
        return f"names verbs that are not in verbs.yaml: {unknown}"
    if q.theorist is not None and catalogue.theorist(q.theorist) is None:
        return f"names no theorist of theorists.yaml: {q.theorist}"
    return None


def kind_questions(catalogue: Catalogue, bank: tuple[BankQuestion, ...]
                   ) -> tuple[KindQuestion, ...]:
    """Every training message for the kind model: the labelled file, a stride of the bank as
    "search", and the off-topic questions as "refusal"."""
    labelled = [KindQuestion(q.q.strip(), q.kind, q.topic) for q in load_labelled(catalogue)]
    searched = [KindQuestion(q.text, "search") for q in bank[::BANK_STRIDE]]
    refused = [KindQuestion(q, "refusal") for q in load_offtopic()]
    return (*labelled, *searched, *refused)


def kinds_hash(questions: tuple[KindQuestion, ...]) -> str:
    """Identifies the training messages: the fitted kind model records what it learned from."""
    payload = "\n".join(f"{q.kind}\t{q.topic or ''}\t{q.text}" for q in questions)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]
