"""The curated question bank: how learners ask about each AC, in their own words.

The bank is this project's writing, not the specifications': retrieval indexes it as a chunk
kind of its own so that "my team dont buy into coaching" finds the resistance AC, and the
fusion and refusal fits learn from it. It is never shown as specification text, and answer
quality is measured on `tests/eval/hard.jsonl`, written apart from it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ConfigDict, Field

from content.catalogue import Catalogue, fold
from content.loader import DATA_DIR, ContentError, Curated, read_curated

BANK_DIR = DATA_DIR / "bank"


class BankFile(Curated):
    """One unit's questions, keyed by AC reference."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    unit: str
    questions: dict[str, tuple[str, ...]] = Field(min_length=1)


@dataclass(frozen=True)
class BankQuestion:
    key: str  # the AC it asks about, "5015V1 2.3"
    text: str


def load_bank(catalogue: Catalogue, folder: Path = BANK_DIR) -> tuple[BankQuestion, ...]:
    """Every curated question, validated against the catalogue, in file and AC order.

    Raises ContentError for a question about an AC that does not exist, a file not marked
    curated, or the same question twice."""
    questions: list[BankQuestion] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = read_curated(BankFile, path)
        unit = catalogue.units.get(data.unit)
        if unit is None:
            raise ContentError(f"{path.name}: no unit {data.unit}")
        for ref, texts in data.questions.items():
            if unit.criterion(ref) is None:
                raise ContentError(f"{path.name}: {data.unit} has no AC {ref}")
            for text in texts:
                key = fold(text)
                if key in seen:
                    raise ContentError(f"{path.name}: {text!r} is already asked for {seen[key]}")
                seen[key] = f"{data.unit} {ref}"
                questions.append(BankQuestion(f"{data.unit} {ref}", text.strip()))
    return tuple(questions)


def bank_hash(questions: tuple[BankQuestion, ...]) -> str:
    """Identifies the bank's content: fitted parameters record the bank they were fitted on."""
    payload = "\n".join(f"{q.key}\t{q.text}" for q in questions)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


class OffTopicFile(Curated):
    """Questions the bot should not answer from the units, to fit the refusal on."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    questions: tuple[str, ...] = Field(min_length=1)


def load_offtopic(path: Path = DATA_DIR / "offtopic.yaml") -> tuple[str, ...]:
    """The curated off-topic questions (training data for the refusal, never the evaluation)."""
    return tuple(q.strip() for q in read_curated(OffTopicFile, path).questions)
