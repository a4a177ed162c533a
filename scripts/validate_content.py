"""Validate the content data and print a table per unit; exits 1 on any problem."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from content.loader import ContentError, load_catalogue  # noqa: E402
from content.report import content_report  # noqa: E402


def main() -> int:
    try:
        catalogue = load_catalogue()
    except ContentError as exc:
        print(f"content is invalid: {exc}", file=sys.stderr)
        return 1
    text, problems = content_report(catalogue)
    print(text)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
