"""`python -m bot check FILE --unit 5015 [--json]`: the draft check from the command line, for
tutors and for testing. No database: the file is read in memory and the report printed (the
same text a learner gets); with --json the last line is the report as one JSON object."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from bot.conversation.drafts import PROBLEMS, render_report
from bot.conversation.replies import plain
from bot.services.draft_check import DraftChecker
from bot.services.draft_text import Unreadable, read_draft
from content.loader import load_catalogue
from index.retriever import Retriever
from index.settings import IndexSettings, Settings


def check_file(settings: Settings, path: str, unit_code: str, *, as_json: bool,
               out: TextIO) -> int:
    """0 with the report; 2 (and why, on standard error) for a unit or file it cannot use."""
    catalogue = load_catalogue()
    unit = catalogue.unit(unit_code)
    if unit is None:
        print(f"There is no unit {unit_code}. The units are: {', '.join(catalogue.units)}.",
              file=sys.stderr)
        return 2
    file = Path(path)
    try:
        draft = read_draft(file.name, file.read_bytes())
    except OSError as exc:
        print(f"Cannot read {path}: {exc.strerror}.", file=sys.stderr)
        return 2
    except Unreadable as exc:
        print(f"{path}: {PROBLEMS[exc.problem]}", file=sys.stderr)
        return 2
    retriever = Retriever(catalogue, IndexSettings.from_settings(settings))
    report = DraftChecker(catalogue, retriever).check(draft, unit)
    out.write(plain(render_report(report).html) + "\n")
    if as_json:
        out.write(json.dumps(report.to_json(), ensure_ascii=False) + "\n")
    return 0
