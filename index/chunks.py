"""The searchable chunks built from the catalogue, each knowing its unit and AC(s).

An AC chunk carries the unit title, the LO and the guidance so that a question worded like the
guidance finds the AC; aims, ILM indicative content and theorist entries are chunks of their own
that point to the ACs they belong to. The curated question bank adds one "bank" chunk per
question, pointing to its AC: how learners ask, beside what the specification says.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from content.bank import BankQuestion
from content.catalogue import Catalogue


@dataclass(frozen=True)
class Chunk:
    id: int
    kind: str  # "ac", "guidance", "aims", "indicative", "theorist", "bank"
    unit_code: str | None
    criteria: tuple[str, ...]  # catalogue keys, "5015V1 2.3"
    text: str


# The chunks that quote the specifications; "bank" chunks are this project's own questions.
SPEC_KINDS = frozenset({"ac", "guidance", "aims", "indicative", "theorist"})


def build_chunks(catalogue: Catalogue, bank: Sequence[BankQuestion] = ()) -> list[Chunk]:
    """Every chunk, in a stable order (the FAISS row of a chunk is its id)."""
    chunks: list[Chunk] = []

    def add(kind: str, unit: str | None, criteria: tuple[str, ...], text: str) -> None:
        chunks.append(Chunk(len(chunks), kind, unit, criteria, text))

    paragraphs: dict[str, list[str]] = {}  # a guidance paragraph -> the ACs it was written for
    for unit in catalogue.units.values():
        for lo in unit.learning_outcomes:
            for ac in lo.criteria:
                guidance = " ".join(p for g in ac.guidance for p in g.paragraphs)
                theorists = ", ".join(ac.theorists)
                add("ac", unit.code, (ac.key,),
                    f"{ac.text}. {lo.text}. {unit.title}. {guidance} {theorists}".strip())
                for paragraph in (p for g in ac.guidance for p in g.paragraphs):
                    paragraphs.setdefault(paragraph, []).append(ac.key)
        keys = tuple(ac.key for ac in unit.criteria)
        add("aims", unit.code, keys, f"{unit.title}. {unit.aims}")
        for item in unit.indicative_content:
            add("indicative", unit.code, keys, f"{unit.title}: {item}")
    # A long AC chunk is cut at the model's 256 word pieces; each paragraph alone is not.
    for paragraph, keys_ in paragraphs.items():
        add("guidance", keys_[0].split(" ")[0], tuple(keys_), paragraph)
    for t in catalogue.theorists:
        if t.cited_in:
            add("theorist", None, t.cited_in,
                f"{t.name} ({', '.join(t.aliases)}): {t.known_for}")
    for question in bank:
        add("bank", question.key.split(" ")[0], (question.key,), question.text)
    return chunks


def content_hash(chunks: list[Chunk]) -> str:
    """Identifies the chunk texts and their order: a different hash means a stale index."""
    payload = json.dumps([(c.kind, c.criteria, c.text) for c in chunks], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()
