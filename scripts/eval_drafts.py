"""Scores the draft check against the answer keys of the drafts corpus (tests/drafts): precision
and recall for "missing", for "thin" as a whole and for each reason of thinness, over every
(draft, AC) pair; then the disagreements, one line each.

    .venv/bin/python scripts/eval_drafts.py [--format txt|docx|pdf] [--json]

--format docx or pdf checks each draft as the Word document or PDF made from its text
(tests/drafts/files.py), to show that the readers agree.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.services.draft_check import DraftChecker  # noqa: E402
from content.loader import load_catalogue  # noqa: E402
from index.retriever import Retriever  # noqa: E402
from tests.drafts.keys import KEYS, run, scores  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", default=str(KEYS))
    parser.add_argument("--format", choices=("txt", "docx", "pdf"), default="txt")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    catalogue = load_catalogue()
    checker = DraftChecker(catalogue, Retriever(catalogue))
    checker.retriever.warm()
    started = time.perf_counter()
    rows = run(checker, catalogue, keys=Path(args.keys), file_format=args.format)
    seconds = time.perf_counter() - started
    results = scores(rows)
    if args.json:
        print(json.dumps({"drafts": len({r.file for r in rows}), "acs": len(rows), **results}))
        return 0
    print(f"{len({r.file for r in rows})} drafts ({args.format}), {len(rows)} ACs, checked in "
          f"{seconds:.1f} s")
    print(f"{'':16}{'expected':>9}{'flagged':>9}{'precision':>11}{'recall':>8}")
    for name, s in results.items():
        print(f"{name:16}{s['expected']:>9}{s['predicted']:>9}{s['precision']:>11.3f}"
              f"{s['recall']:>8.3f}")
    wrong = [r for r in rows if (r.want, r.why) != (r.got, r.because)]
    if wrong:
        print("\ndisagreements (key -> check):")
    for r in wrong:
        print(f"  {r.file} {r.ref}: {r.want} {sorted(r.why) or ''} -> {r.got} "
              f"{sorted(r.because) or ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
