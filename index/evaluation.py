"""Answer-quality evaluation: recall@1, recall@3 and MRR over a JSONL file of queries.

A query is found at k when any of its relevant criteria is in the top k (MRR from the first
relevant one); a query whose `relevant` list is empty is found when nothing is returned, so a
refusal counts as returning nothing. The report also gives the share of in-scope questions
refused (nothing returned though an AC was relevant) and of out-of-scope ones refused.

Rows may say `kind` (the development set) or `category` (the hard set, `tests/eval/hard.jsonl`);
only the retrieval kinds are this evaluation's business: facts, verbs, theorists, greetings and
unit questions are answered before retrieval and measured with the whole answer
(`scripts/eval_answers.py`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Kinds whose right answer is no AC at all: references to ACs that do not exist, off-topic
# questions and requests to write the work.
NO_ANSWER_KINDS = frozenset({"missing", "wrong_ref", "offtopic", "integrity"})


def is_retrieval_case(case: EvalCase) -> bool:
    """Whether retrieval alone answers the case: it names ACs, or the right answer is none.
    (A bare AC number several units share wants the router's "which unit?" question.)"""
    return bool(case.relevant) or case.kind in NO_ANSWER_KINDS


@dataclass(frozen=True)
class EvalCase:
    query: str
    relevant: tuple[str, ...]
    kind: str
    units: tuple[str, ...] = ()  # the asker's units, where the question depends on them


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
            kind = row.get("category") or row.get("kind", "other")
            cases.append(EvalCase(row["query"], tuple(row.get("relevant", ())), kind,
                                  tuple(row.get("units", ()))))
    return cases


def metrics(results: Sequence[CaseResult]) -> dict[str, float | int]:
    n = len(results)
    ranks = [r.rank for r in results]
    in_scope = [r for r in results if r.case.relevant]
    out_of_scope = [r for r in results if not r.case.relevant]
    return {
        "n": n,
        "in_scope_refused": round(sum(1 for r in in_scope if not r.returned)
                                  / len(in_scope), 4) if in_scope else 0.0,
        "out_of_scope_refused": round(sum(1 for r in out_of_scope if not r.returned)
                                      / len(out_of_scope), 4) if out_of_scope else 0.0,
        "recall@1": round(sum(1 for r in ranks if r == 1) / n, 4) if n else 0.0,
        "recall@3": round(sum(1 for r in ranks if r and r <= 3) / n, 4) if n else 0.0,
        "mrr": round(sum(1 / r for r in ranks if r) / n, 4) if n else 0.0,
    }


def evaluate(cases: Sequence[EvalCase],
             search: Callable[[EvalCase], Sequence[str]]) -> tuple[dict, list[CaseResult]]:
    """Run every case through `search` (case -> ranked criterion keys); the report has the
    overall metrics and `per_kind`."""
    results = [CaseResult(c, tuple(search(c))) for c in cases]
    report: dict[str, Any] = dict(metrics(results))
    kinds = sorted({c.kind for c in cases})
    report["per_kind"] = {k: metrics([r for r in results if r.case.kind == k]) for k in kinds}
    return report, results
