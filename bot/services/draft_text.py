"""A learner's draft as text: read from a .docx, a .pdf or plain text, in memory only, and
split into headings, paragraphs, tables, a reference list and appendices.

Nothing here writes the file anywhere: the bytes come in, blocks of text go out. A file that
cannot be read raises `Unreadable` with the reason, so the learner gets a reply that says what
to do about it.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

# Telegram lets a bot download files up to 20 MB.
MAX_BYTES = 20 * 1024 * 1024
# A password-protected .docx (or an old .doc) is an OLE compound file, not a zip.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD = re.compile(r"[A-Za-z0-9À-ÿ][\w'’\-]*")
# "1.2", "AC 1.2", "1.2)", "Task 1", "LO2": what numbered headings start with.
_NUMBERED = re.compile(r"^(?:(?:AC|LO|Task|Section|Part|Question)\s*)?\d{1,2}(?:\.\d{1,2})*\b",
                       re.IGNORECASE)
_NAMED = re.compile(r"^(?:introduction|conclusions?|summary|references?|reference list|"
                    r"bibliography|appendi(?:x|ces)\b.*|background|context|recommendations?)$",
                    re.IGNORECASE)
_REFERENCES = re.compile(r"^(?:references?|reference list|bibliography|sources|works cited)$",
                         re.IGNORECASE)
_ENTRY_START = re.compile(r"^[A-Z][\w'’\-]+(?:,|\s+\(|\s+and\s|\s+&\s|\s+et al)")
_APPENDIX = re.compile(r"^appendi(?:x|ces)\b", re.IGNORECASE)

BlockKind = Literal["heading", "paragraph", "table", "reference", "appendix"]
Piece = Literal["heading", "text", "table"]  # what a reader found, before classification


class Problem(str, Enum):
    """Why a file could not be checked."""

    too_big = "too_big"
    unsupported = "unsupported"
    empty = "empty"
    scanned = "scanned"  # a PDF with pages but no text layer
    encrypted = "encrypted"
    corrupt = "corrupt"


class Unreadable(Exception):
    def __init__(self, problem: Problem, detail: str = "") -> None:
        super().__init__(detail or problem.value)
        self.problem = problem


@dataclass(frozen=True)
class Block:
    """A heading, a body paragraph (numbered from 1 in reading order), a table, an entry of
    the reference list, or a paragraph of an appendix."""

    kind: BlockKind
    text: str
    number: int = 0  # body paragraphs only

    @property
    def words(self) -> int:
        return count_words(self.text)


@dataclass(frozen=True)
class DraftText:
    blocks: tuple[Block, ...]

    @property
    def body_words(self) -> int:
        """Words as CMI counts them: headings, tables, the reference list and appendices are
        left out."""
        return sum(b.words for b in self.blocks if b.kind == "paragraph")


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def read_draft(filename: str, data: bytes) -> DraftText:
    """The draft in a file, whatever its kind (by content, then by name)."""
    if len(data) > MAX_BYTES:
        raise Unreadable(Problem.too_big)
    name = filename.lower()
    if data.startswith(b"%PDF"):
        return from_pdf(data)
    if data.startswith(b"PK"):
        return from_docx(data)
    if data.startswith(_OLE):
        # Word keeps a password-protected .docx in this container; an old .doc also uses it.
        raise Unreadable(Problem.encrypted if name.endswith(".docx") else Problem.unsupported)
    if name.endswith((".pdf", ".docx")):
        raise Unreadable(Problem.corrupt)
    if name.endswith((".txt", ".md", ".text")) or not re.search(r"\.\w{1,5}$", name):
        return from_text(_decode(data))
    raise Unreadable(Problem.unsupported)


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise Unreadable(Problem.unsupported, "binary data")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def from_text(text: str) -> DraftText:
    """Plain text: paragraphs are separated by blank lines; a short line without a full stop
    that looks like a heading (numbered, "# Markdown", or a known section name) is one."""
    text = text.replace("\r\n", "\n")
    lines = [line for line in text.split("\n") if line.strip()]
    if not re.search(r"\n\s*\n", text) and lines and \
            sorted(map(len, lines))[len(lines) // 2] > 150:
        text = text.replace("\n", "\n\n")  # pasted with one line a paragraph
    pieces: list[tuple[str, Piece]] = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        while lines and is_heading(lines[0]):
            pieces.append((lines.pop(0).lstrip("#").strip(), "heading"))
        if lines:
            pieces.append(("\n".join(lines), "text"))
    return _classify(pieces)


def is_heading(line: str) -> bool:
    """A line that reads as a heading rather than a sentence."""
    line = line.strip()
    if line.startswith("#"):
        return True
    if not line or len(line) > 140 or line[-1] in ".,;" or len(line.split()) > 18:
        return False
    if _NUMBERED.match(line) or _NAMED.match(line):
        return True
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", line) if len(w) > 3]
    return len(words) >= 1 and sum(w[0].isupper() for w in words) / len(words) >= 0.6 \
        and line[-1] not in "!?"


def _classify(pieces: list[tuple[str, Piece]]) -> DraftText:
    """Blocks in order: after a References heading, entries; after an Appendix heading,
    appendix text (until the next heading that is neither); tables apart."""
    blocks: list[Block] = []
    section: BlockKind = "paragraph"
    number = 0
    for text, piece in pieces:
        if piece == "table":
            blocks.append(Block("table", text))
            continue
        if piece == "heading":
            blocks.append(Block("heading", text))
            section = ("reference" if _REFERENCES.match(text) else
                       "appendix" if _APPENDIX.match(text) else
                       "appendix" if section == "appendix" and _NUMBERED.match(text) is None
                       else "paragraph")
            continue
        if section == "reference":
            blocks.extend(Block("reference", entry) for entry in _entries(text))
            continue
        text = " ".join(text.split())
        if section == "paragraph":
            number += 1
        blocks.append(Block(section, text, number if section == "paragraph" else 0))
    if not any(b.kind == "paragraph" for b in blocks):
        raise Unreadable(Problem.empty)
    return DraftText(tuple(blocks))


def _entries(text: str) -> list[str]:
    """A reference list's entries: a line that starts like "Surname, I." or "CIPD (2020)"
    begins one; any other line continues the one before (a wrapped line of a PDF)."""
    entries: list[str] = []
    for line in (line.strip() for line in text.split("\n")):
        if not line:
            continue
        if entries and not _ENTRY_START.match(line):
            entries[-1] += " " + line
        else:
            entries.append(line)
    return entries


def from_docx(data: bytes) -> DraftText:
    """Word: headings by their style (or by the look of the line), tables kept apart."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        content = list(document.iter_inner_content())
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise Unreadable(Problem.corrupt, str(exc)) from exc
    except Exception as exc:  # lxml and zip errors of every kind: the file is damaged
        raise Unreadable(Problem.corrupt, str(exc)) from exc
    names = {style.style_id: style.name or "" for style in document.styles}
    pieces: list[tuple[str, Piece]] = []
    for item in content:
        if isinstance(item, Table):
            cells = [cell.text.strip() for row in item.rows for cell in row.cells]
            pieces.append((" | ".join(c for c in cells if c), "table"))
            continue
        text = item.text.strip()
        if not text:
            continue
        # Paragraph.style looks the style up among all of them for every paragraph, which
        # is slow on long documents; the id on the element and one table of names are not.
        style = names.get(item._p.style or "", "")
        heading = style.startswith(("Heading", "Title")) or (
            style in ("Normal", "") and is_heading(text) and _all_bold(item))
        pieces.append((text, "heading" if heading else "text"))
    return _classify(pieces)


def _all_bold(paragraph: object) -> bool:
    runs = [r for r in getattr(paragraph, "runs", []) if r.text.strip()]
    return bool(runs) and all(r.bold for r in runs)


def _page_lines(page: Any) -> list[str]:
    """A page's lines from top to bottom, with "" where the gap above a line is clearly
    wider than the usual line spacing (a paragraph break that leaves no text behind)."""
    found: list[tuple[float, str]] = []  # (height on the page, text) of each fragment

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            found.append((tm[4] * cm[1] + tm[5] * cm[3] + cm[5], text))

    page.extract_text(visitor_text=visit)
    lines: list[tuple[float, str]] = []
    for y, text in found:
        if lines and abs(lines[-1][0] - y) < 1:
            lines[-1] = (lines[-1][0], lines[-1][1] + text)
        else:
            lines.append((y, text))
    gaps = sorted(a[0] - b[0] for a, b in zip(lines, lines[1:]) if a[0] > b[0])
    usual = gaps[len(gaps) // 2] if gaps else 0.0
    out: list[str] = []
    for i, (y, text) in enumerate(lines):
        if i and usual and lines[i - 1][0] - y > 1.35 * usual:
            out.append("")
        out.extend(part.strip() for part in text.split("\n") if part.strip())
    return out


def from_pdf(data: bytes) -> DraftText:
    """PDF: the text layer, page by page; lines are joined into paragraphs where a line ends
    a sentence well short of the full width, and short heading-like lines stand alone."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable(Problem.encrypted)
        pages = [_page_lines(page) for page in reader.pages]
    except Unreadable:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        message = str(exc).lower()
        problem = Problem.encrypted if "decrypt" in message or "password" in message \
            else Problem.corrupt
        raise Unreadable(problem, str(exc)) from exc
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        raise Unreadable(Problem.corrupt, str(exc)) from exc
    lines = [line for page in pages for line in page]
    if not any(lines):
        raise Unreadable(Problem.scanned if reader.pages else Problem.empty)
    full = max((len(line) for line in lines), default=0)
    pieces: list[tuple[str, Piece]] = []
    current: list[str] = []

    def close() -> None:
        if current:
            pieces.append(("\n".join(current), "text"))
            current.clear()

    for line in lines:
        if not line:
            close()
        elif len(line) >= 0.8 * full:  # a full line is body text wrapping on
            current.append(line)
        elif is_heading(line) and (not current or current[-1][-1] in ".?!:"
                                   or _NUMBERED.match(line) or _NAMED.match(line)):
            close()
            pieces.append((line, "heading"))
        else:
            current.append(line)
            if line[-1] in ".?!:" and len(line) < 0.8 * full:
                close()
    close()
    return _classify(pieces)
