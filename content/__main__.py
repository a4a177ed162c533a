"""`python -m content dump` prints the whole catalogue as one JSON document."""

from __future__ import annotations

import argparse
import json
import sys

from content.export import catalogue_document
from content.loader import ContentError, load_catalogue


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m content", description=__doc__)
    parser.add_argument("command", choices=["dump"])
    parser.parse_args(argv)
    try:
        catalogue = load_catalogue()
    except ContentError as exc:
        print(f"content is invalid: {exc}", file=sys.stderr)
        return 1
    json.dump(catalogue_document(catalogue), sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
