"""Documents a centre can accept: one small description (headings, paragraphs, tables) that
renders both as Word (.docx, python-docx) and as PDF (fpdf2), so the two never disagree.

The PDF embeds DejaVu Sans from matplotlib's own data (already installed for the charts), so
any text a learner writes prints, not only Latin-1."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

# python-docx, fpdf2 and matplotlib (for its fonts) are imported where a document is made:
# together they take half a second to import, and start-up should not wait for them.


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1: a section, 2: a subsection


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...] | None = None  # relative column widths in the PDF


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    blocks: tuple[Block, ...]


def to_docx(doc: Document) -> bytes:
    """The document as Word: title, headings at their levels, tables with a header row."""
    import docx

    out = docx.Document()
    out.add_heading(doc.title, level=0)
    out.add_paragraph(doc.subtitle)
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            out.add_paragraph(block.text)
        else:
            table = out.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.header, strict=True):
                cell.text = text
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row in block.rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def to_pdf(doc: Document) -> bytes:
    """The same document as A4 PDF."""
    import matplotlib
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 8, doc.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(0, 5, doc.subtitle, new_x="LMARGIN", new_y="NEXT")
    for block in doc.blocks:
        if isinstance(block, Heading):
            pdf.ln(3)
            pdf.set_font("DejaVu", "B", 13 if block.level == 1 else 11)
            pdf.multi_cell(0, 7, block.text, new_x="LMARGIN", new_y="NEXT")
        elif isinstance(block, Paragraph):
            pdf.set_font("DejaVu", "", 9.5)
            pdf.multi_cell(0, 5, block.text, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font("DejaVu", "", 8)
            with pdf.table(col_widths=block.widths or None, line_height=4.5,
                           headings_style=FontFace(emphasis="BOLD", fill_color=(225, 235, 225)),
                           ) as table:
                for cells in (block.header, *block.rows):
                    row = table.row()
                    for text in cells:
                        row.cell(text)
        pdf.ln(1)
    return bytes(pdf.output())
