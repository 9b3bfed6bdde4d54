"""What the renderers share: the header band of a table and its merged cells, footnote markers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.common.text import FOOTNOTE_REFERENCE, superscript_number
from pipelines.document.model import Document, Footnote, Paragraph, Table

_NUMBERING_CELL = re.compile(r"^\d+(\s*=\s*\d+\s*/\s*\d+)?$")


@dataclass(frozen=True)
class Span:
    """A merged cell of the rendered table: its top-left grid position and extent."""

    row: int
    col: int
    rows: int
    cols: int


def header_band(table: Table) -> int:
    """Rows printed as the header (and repeated on every page): through the column-number row
    (``1 | 2 | … | 7=6/4``) when there is one, else the rows the source marked as header."""
    for index, row in enumerate(table.rows[:6]):
        filled = [cell for cell in row if cell]
        if len(filled) >= 3 and all(_NUMBERING_CELL.match(cell) for cell in filled):
            return index + 1
    return table.header_rows


def header_spans(table: Table, band: int) -> list[Span]:
    """Merged header cells as the text form implies them: a label with empty cells to its right
    that have labels below spans across them; a label with empty cells below spans down (the
    column-number row is never merged)."""
    rows = [list(row) for row in table.rows[:band]]
    merged_rows = band - 1 if band and any(rows[band - 1]) and band > 1 else band
    spans: list[Span] = []
    covered: set[tuple[int, int]] = set()
    for r in range(merged_rows):
        for c in range(table.n_cols):
            if not rows[r][c] or (r, c) in covered:
                continue
            width = 1
            while (
                c + width < table.n_cols
                and not rows[r][c + width]
                and any(rows[lower][c + width] for lower in range(r + 1, merged_rows))
            ):
                width += 1
            height = 1
            if width == 1:
                while r + height < merged_rows and not rows[r + height][c]:
                    height += 1
            if width > 1 or height > 1:
                spans.append(Span(r, c, height, width))
                covered.update((r + i, c + j) for i in range(height) for j in range(width))
    return spans


def footnotes_by_number(doc: Document) -> dict[int, Footnote]:
    """The first body of each footnote number (the text form may repeat a page)."""
    found: dict[int, Footnote] = {}
    for note in doc.footnotes:
        found.setdefault(note.number, note)
    return found


def split_references(paragraph: Paragraph, notes: dict[int, Footnote]) -> list[str | int]:
    """The paragraph's text in pieces: strings, and footnote numbers where a known footnote is referenced."""
    pieces: list[str | int] = []
    position = 0
    for match in FOOTNOTE_REFERENCE.finditer(paragraph.text):
        number = superscript_number(match[1])
        if number not in notes:
            continue
        pieces.append(paragraph.text[position : match.start()])
        pieces.append(number)
        position = match.end()
    pieces.append(paragraph.text[position:])
    return [p for p in pieces if p != ""]
