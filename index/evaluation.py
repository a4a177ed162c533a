"""Answer-quality evaluation: recall@1, recall@3 and MRR over a JSONL file of queries.

A query is found at k when any of its relevant criteria is in the top k (MRR from the first
relevant one); a query whose `relevant` list is empty is found when nothing is returned.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class EvalCase:
    query: str
    relevant: tuple[str, ...]
    kind: str


@dataclass(frozen=True)
class CaseResult:
    case: EvalCase
    returned: tuple[str, ...]

    @property
    def rank(self) -> int | None:
        """1-based rank of the first relevant criterion; for a no-answer case 1 when nothing
        came back; None when missed."""
        if not self.case.relevant:
            return None if self.returned else 1
        return next((i + 1 for i, key in enumerate(self.returned)
                     if key in self.case.relevant), None)


def read_cases(path: Path) -> list[EvalCase]:
    cases = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            cases.append(EvalCase(row["query"], tuple(row.get("relevant", ())),
                                  row.get("kind", "other")))
    return cases


def metrics(results: Sequence[CaseResult]) -> dict[str, float | int]:
    n = len(results)
    ranks = [r.rank for r in results]
    return {
        "n": n,
        "recall@1": round(sum(1 for r in ranks if r == 1) / n, 4) if n else 0.0,
        "recall@3": round(sum(1 for r in ranks if r and r <= 3) / n, 4) if n else 0.0,
        "mrr": round(sum(1 / r for r in ranks if r) / n, 4) if n else 0.0,
    }


def evaluate(cases: Sequence[EvalCase],
             search: Callable[[str], Sequence[str]]) -> tuple[dict, list[CaseResult]]:
    """Run every case through `search` (query -> ranked criterion keys); the report has the
    overall metrics and `per_kind`."""
    results = [CaseResult(c, tuple(search(c.query))) for c in cases]
    report = metrics(results)
    kinds = sorted({c.kind for c in cases})
    report["per_kind"] = {k: metrics([r for r in results if r.case.kind == k]) for k in kinds}
    return report, results
