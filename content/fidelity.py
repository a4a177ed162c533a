"""Checks that curated text really is in the source documents.

The sources are PDF extractions: markup fragments, hyphenated line breaks, curly quotes, OCR
slips and, in the CMI Level 7 syllabus, table columns interleaved line by line (a guidance
paragraph can be cut in two by an AC's own line). The check therefore compares normalised text
and lets a paragraph be found as a few long verbatim pieces rather than one run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

SOURCES_DIR = Path(__file__).parent / "sources"

_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_MARKDOWN = re.compile(r"\*\*|[|#]|-{3,}")
_HYPHEN_BREAK = re.compile(r"(\w)\s*[-\u00ad\u2010\u2011]\s*(\w)")
_SPACE = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?)])")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-", "\u00a0": " "})

# A text found in several pieces needs each piece this long (in words): stops a "found" verdict
# built from scattered common words.
MIN_PIECE_WORDS = 3


def normalise(text: str) -> str:
    """The comparison key: markup stripped, quotes and dashes unified, hyphenation and
    whitespace folded."""
    text = text.translate(_QUOTES)
    text = _TAG.sub(" ", text)
    text = _MARKDOWN.sub(" ", text)
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    text = _SPACE.sub(" ", text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    return text.strip()


def apply_fixes(text: str, fixes: Mapping[str, str]) -> str:
    """Replace the OCR slips a unit lists (wrong -> right) so corrected text can be matched."""
    for wrong, right in fixes.items():
        text = text.replace(wrong, right)
    return text


@lru_cache(maxsize=32)
def normalised_source(name: str, fixes: tuple[tuple[str, str], ...] = ()) -> str:
    """The named source document, with its OCR slips fixed, as a comparison key."""
    raw = (SOURCES_DIR / name).read_text(encoding="utf-8")
    return normalise(apply_fixes(raw, dict(fixes)))


def exact_in(text: str, source_key: str) -> bool:
    """True when `text` occurs as one run in the normalised source."""
    return normalise(text) in source_key


def pieces_in(text: str, source_key: str, max_pieces: int = 4) -> list[str] | None:
    """Split `text` into the fewest verbatim runs of the source (greedy, longest first).

    Returns the runs, or None when the text cannot be covered by `max_pieces` runs of at
    least MIN_PIECE_WORDS words each (a text shorter than that must be found whole)."""
    words = normalise(text).split(" ")
    pieces: list[str] = []
    start = 0
    while start < len(words):
        if len(pieces) == max_pieces:
            return None
        end = _longest_run(words, start, source_key)
        if end == start:
            return None
        if end - start < MIN_PIECE_WORDS and (start, end) != (0, len(words)):
            return None
        pieces.append(" ".join(words[start:end]))
        start = end
    return pieces


def _longest_run(words: list[str], start: int, source_key: str) -> int:
    """The largest end such that words[start:end] occurs in the source (binary search: a
    run that occurs has every prefix occurring)."""
    lo, hi = start, len(words)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if " ".join(words[start:mid]) in source_key:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _texts_of(unit: Mapping) -> list[tuple[str, str, int]]:
    """(where, text, max_pieces) for every verbatim field of a raw unit mapping."""
    out: list[tuple[str, str, int]] = [("title", unit["title"], 2), ("aims", unit["aims"], 4)]
    for lo in unit["learning_outcomes"]:
        out.append((f"LO {lo['number']}", lo["text"], 3))
        out += [(f"AC {ac['ref']}", ac["text"], 3) for ac in lo["criteria"]]
    for block in unit.get("guidance", []):
        for i, para in enumerate(block["paragraphs"]):
            where = f"guidance for {', '.join(block['covers'])} paragraph {i + 1}"
            out.append((where, para, 4 + len(para) // 300))
    out += [(f"indicative content {i + 1}", item, 3)
            for i, item in enumerate(unit.get("indicative_content", []))]
    assessment = unit.get("assessment")
    if assessment:
        out.append(("assessment task", assessment["task"], 4 + len(assessment["task"]) // 300))
        out += [(f"assessment section {s['title']!r}", s["title"], 3)
                for s in assessment["sections"]]
    return out


def unit_problems(unit: Mapping) -> list[str]:
    """Every verbatim field of a raw unit mapping that its source does not contain."""
    fixes = tuple(sorted((unit.get("ocr_fixes") or {}).items()))
    key = normalised_source(unit["source"], fixes)
    return [f"{unit['code']} {where}: not found in {unit['source']}: {text[:80]!r}"
            for where, text, max_pieces in _texts_of(unit)
            if pieces_in(text, key, max_pieces) is None]


if __name__ == "__main__":
    import sys

    import yaml

    failed = 0
    for path in sys.argv[1:]:
        problems = unit_problems(yaml.safe_load(Path(path).read_text(encoding="utf-8")))
        failed += len(problems)
        print("\n".join(problems) or f"{path}: every text found in its source")
    sys.exit(1 if failed else 0)
