"""How long the draft check takes on a 10,000-word draft (the issue's target: under 5 s on
2 CPUs): the corpus drafts put together as one Word document, read and checked against 5015V1
after the model and index are loaded, as the bot process has them.

    .venv/bin/python scripts/bench_drafts.py [--words 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.services.draft_check import DraftChecker  # noqa: E402
from bot.services.draft_text import from_text, read_draft  # noqa: E402
from content.loader import load_catalogue  # noqa: E402
from index.retriever import Retriever  # noqa: E402
from tests.drafts.files import HERE, as_docx  # noqa: E402


def long_draft(words: int) -> Path:
    """The corpus drafts, one after another (again if need be), until the body (as CMI
    counts it) has `words` words."""
    texts = [p.read_text() for p in sorted(HERE.glob("*.txt"))]
    parts: list[str] = []
    while from_text("\n\n".join(parts) or "-").body_words < words:
        parts.append(texts[len(parts) % len(texts)])
    path = HERE / f"_bench-{words}.txt"
    path.write_text("\n\n".join(parts))
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    catalogue = load_catalogue()
    checker = DraftChecker(catalogue, Retriever(catalogue))
    checker.retriever.warm()
    source = long_draft(args.words)
    try:
        data = as_docx(source.name)
    finally:
        source.unlink()
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        report = checker.check(read_draft("draft.docx", data), catalogue.units["5015V1"])
        times.append(time.perf_counter() - started)
    print(f"{report.words:,} body words ({len(data) / 1024:.0f} KiB .docx), {os.cpu_count()} "
          f"CPUs, load average {os.getloadavg()[0]:.1f}: read and checked in "
          f"{statistics.median(times):.2f} s (median of {args.runs}; runs "
          f"{', '.join(f'{t:.2f}' for t in times)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
