"""The corpus drafts as the files learners send: Word documents and PDFs made from the .txt
drafts with python-docx and fpdf2, and the broken files the check must refuse kindly."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from fpdf import FPDF
from pypdf import PdfWriter

from bot.services.draft_text import from_text

HERE = Path(__file__).parent


def blocks(name: str) -> list[tuple[str, str]]:
    """(kind, text) of a corpus draft, as the plain-text reader splits it."""
    draft = from_text((HERE / name).read_text())
    return [(b.kind, b.text) for b in draft.blocks]


def as_docx(name: str, *, table: list[list[str]] | None = None) -> bytes:
    """A .docx with Heading 1 paragraphs for the headings (and a table, if given, after the
    first body paragraph)."""
    document = docx.Document()
    placed = table is None
    for kind, text in blocks(name):
        if kind == "heading":
            document.add_heading(text, level=1)
            continue
        document.add_paragraph(text)
        if not placed and table is not None:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for row, cells in zip(grid.rows, table, strict=True):
                for cell, value in zip(row.cells, cells, strict=True):
                    cell.text = value
            placed = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _latin1(text: str) -> str:
    return (text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
            .replace("–", "-").replace("—", "-").encode("latin-1", "replace").decode("latin-1"))


def as_pdf(name: str) -> bytes:
    """A PDF with a text layer: bold headings, a blank line after each paragraph."""
    pdf = FPDF()
    pdf.add_page()
    for kind, text in blocks(name):
        pdf.set_font("Helvetica", "B" if kind == "heading" else "", 11)
        pdf.multi_cell(0, 6, _latin1(text))
        pdf.ln(4)
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """Pages with a picture and no text layer, as a scanner makes them."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(120, 120, 120)
    for y in range(20, 260, 12):
        pdf.rect(20, y, 170, 6, style="F")  # grey bars where lines of text would be
    return bytes(pdf.output())


def encrypted_pdf(name: str) -> bytes:
    """The PDF of a draft, locked with a password."""
    writer = PdfWriter(clone_from=io.BytesIO(as_pdf(name)))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
