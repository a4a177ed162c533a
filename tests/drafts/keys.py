"""The drafts corpus's answer keys and how the check is scored against them (used by
scripts/eval_drafts.py and by the test that holds the check to the issue's targets)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.services.draft_check import DraftChecker
from bot.services.draft_text import read_draft
from content.catalogue import Catalogue
from tests.drafts.files import as_docx, as_pdf

KEYS = Path(__file__).parent / "keys.yaml"
REASONS = ("words", "verb", "examples", "theorists")


@dataclass(frozen=True)
class Row:
    """One AC of one draft: what the key says and what the check said."""

    file: str
    ref: str
    want: str
    why: frozenset[str]
    got: str
    because: frozenset[str]


def parse_key(value: str) -> tuple[str, frozenset[str]]:
    """("thin", {"verb", "examples"}) for "thin: verb, examples"."""
    status, _, reasons = value.partition(":")
    return status.strip(), frozenset(r.strip() for r in reasons.split(",") if r.strip())


def run(checker: DraftChecker, catalogue: Catalogue, *, keys: Path = KEYS,
        file_format: str = "txt") -> list[Row]:
    """Check every draft of the corpus (as text, or as the .docx or PDF made from it)."""
    rows = []
    for entry in yaml.safe_load(keys.read_text()):
        path = keys.parent / entry["file"]
        read: dict[str, Callable[[], bytes]] = {
            "txt": path.read_bytes, "docx": lambda: as_docx(entry["file"]),
            "pdf": lambda: as_pdf(entry["file"])}
        report = checker.check(read_draft(f"draft.{file_format}", read[file_format]()),
                               catalogue.units[entry["unit"]])
        for ref, value in entry["acs"].items():
            want, why = parse_key(value)
            got = report.result(ref)
            rows.append(Row(entry["file"], ref, want, why, got.status,
                            frozenset(r.code for r in got.reasons)))
    return rows


def score(pairs: list[tuple[bool, bool]]) -> dict[str, float | int]:
    """Precision and recall of (expected, predicted) pairs (1.0 when nothing to count)."""
    tp = sum(1 for e, p in pairs if e and p)
    fp = sum(1 for e, p in pairs if p and not e)
    fn = sum(1 for e, p in pairs if e and not p)
    return {"expected": tp + fn, "predicted": tp + fp,
            "precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
            "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0}


def scores(rows: list[Row]) -> dict[str, dict[str, float | int]]:
    """Precision and recall for "missing", "thin" and each reason of thinness."""
    out = {"missing": score([(r.want == "missing", r.got == "missing") for r in rows]),
           "thin": score([(r.want == "thin", r.got == "thin") for r in rows])}
    for reason in REASONS:
        out[f"thin:{reason}"] = score([(reason in r.why, reason in r.because) for r in rows])
    return out
