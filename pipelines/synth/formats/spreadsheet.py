"""A report's appendix rendered as an Excel workbook, as provinces attach it.

The caption lines above the table (from ``Phụ lục`` on) are merged across the table's width; the
header keeps its merged cells and is set to print on every page; figures are stored as numbers
with a number format that shows them exactly as the report prints them (``#,##0.000`` for
``1.949,545``), row codes and column numbers stay text.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl
from openpyxl.styles import Alignment, Font

from pipelines.common.text import fold_diacritics
from pipelines.document.model import Document, Paragraph, Table
from pipelines.synth.formats.layout import header_band, header_spans

SHEET = "Phụ lục"
# A figure as the report prints it: "." groups thousands, "," marks decimals, "-" for negatives.
_PRINTED_NUMBER = re.compile(r"^-?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?$")


def _stored(printed: str) -> tuple[int | float, int] | None:
    """The number to store for a printed figure and its decimals; None for text."""
    match = _PRINTED_NUMBER.match(printed)
    if not match:
        return None
    value = Decimal(printed.replace(".", "").replace(",", "."))
    decimals = len(match[1] or "")
    return (int(value) if decimals == 0 else float(value)), decimals


def _caption(doc: Document, table: Table) -> list[str]:
    """The paragraphs between the last ``Phụ lục`` line before the table and the table."""
    before: list[str] = []
    for block in doc.blocks:
        if block is table:
            break
        if isinstance(block, Paragraph):
            if fold_diacritics(block.text).startswith("phu luc"):
                before = []
            before.append(block.text)
    return before


def _number_format(printed: str, decimals: int) -> str:
    """The format that displays the number as printed: grouped thousands only where the report
    grouped them (``1.793,2`` against ``1793,2``), and its decimals."""
    grouped = "." in printed.split(",")[0]
    return ("#,##0" if grouped else "0") + ("." + "0" * decimals if decimals else "")


def render_xlsx(doc: Document, table: Table | None = None) -> bytes:
    """The workbook holding ``table`` (default: the document's largest table) and its caption."""
    table = table or max(doc.tables, key=lambda t: t.n_rows * t.n_cols)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    caption = _caption(doc, table)
    for r, text in enumerate(caption, start=1):
        sheet.cell(r, 1, text).alignment = Alignment(horizontal="center", wrap_text=True)
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=table.n_cols)
    top = len(caption) + 1
    band = header_band(table)
    for r, texts in enumerate(table.rows):
        for c, text in enumerate(texts):
            if not text:
                continue
            cell = sheet.cell(top + r, c + 1)
            stored = _stored(text) if r >= band and c > 0 else None
            if stored is None:
                cell.value = text
                cell.number_format = "@"
            else:
                cell.value = stored[0]
                cell.number_format = _number_format(text, stored[1])
            if r < band:
                cell.font = Font(bold=True)
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for span in header_spans(table, band):
        sheet.merge_cells(
            start_row=top + span.row,
            start_column=span.col + 1,
            end_row=top + span.row + span.rows - 1,
            end_column=span.col + span.cols,
        )
    if band:
        sheet.print_title_rows = f"{top}:{top + band - 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
