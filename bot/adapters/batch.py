"""`python -m bot ask --jsonl FILE`: the whole answer (router, retrieval, rendering) for a file
of questions, in one process, as JSON lines: for evaluation sets and for trying questions in
bulk. No database: each line says the asker's units itself."""

from __future__ import annotations

import json
import sys
from typing import TextIO

from bot.conversation.answers import Context
from bot.conversation.replies import plain
from bot.conversation.router import shown
from bot.conversation.study import render_plain, router
from content.loader import load_catalogue
from index.retriever import Retriever
from index.settings import IndexSettings, Settings


def answer_lines(settings: Settings, path: str, out: TextIO) -> int:
    """Answers each line of `path` ("-": standard input); 2 for a line that is not a JSON
    object with a "query" string (nothing more is read)."""
    catalogue = load_catalogue()
    route = router(Retriever(catalogue, IndexSettings.from_settings(settings)))
    source = sys.stdin if path == "-" else open(path, encoding="utf-8")
    with source:
        for number, line in enumerate(source, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                query = row["query"]
                if not isinstance(query, str):
                    raise TypeError("query is not a string")
            except (ValueError, KeyError, TypeError) as exc:
                print(f"line {number}: expected {{\"query\": \"...\", \"units\": [...]}} "
                      f"({exc})", file=sys.stderr)
                return 2
            units = tuple(u.code for typed in row.get("units") or ()
                          if (u := catalogue.unit(str(typed))))
            understood = route.answer(query, Context(units=units))
            acs, theorists = shown(understood)
            text = plain(render_plain(understood.answer, catalogue).html)
            out.write(json.dumps({"query": query, "kind": understood.kind.value, "acs": acs,
                                  "theorists": theorists, "text": text},
                                 ensure_ascii=False) + "\n")
    return 0
