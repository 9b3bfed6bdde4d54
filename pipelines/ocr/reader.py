"""A scanned PDF into the document model: pages read in parallel, one Tesseract thread per
process, then tables and prose placed in reading order with their boxes and confidences.

A PDF whose pages are images is read from its images even when someone else's OCR left a text
layer over them: that layer's quality is unknown, and the scan's own figures are the source.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from multiprocessing import get_context
from pathlib import Path

from pipelines.document.model import Block, BoxRef, Cell, Footnote, Paragraph, Table
from pipelines.ocr.page import CellReading, LineReading, PageReading, TableReading, read_page
from pipelines.ocr.pdfpages import check_scan, inspect_pdf

# A footnote's body opens with its number; its list items with a dash or a plus.
_NOTE_START = re.compile(r"^(\d{1,3})\s+(\S.*)$")
_LIST_ITEM = re.compile(r"^[+\-–]\s")
# Tesseract's own threads thrash on a small machine: pages go in parallel instead.
THREADS_PER_PROCESS = "1"
# Columns of a table continued on the next page stand within this much (points) of the first's.
COLUMN_TOLERANCE_PT = 6.0
# Text at most this far (points) above a table's top rule, within its columns, is a header row
# whose top rule was lost; boxes may stand this far outside the table's edges.
LOST_HEADER_PT = 24.0
EDGE_PT = 3.0


def _workers(pages: int) -> int:
    return max(1, min(pages, os.cpu_count() or 1))


def _read(args: tuple[str, int, int]) -> PageReading:
    path, number, dpi = args
    return read_page(Path(path), number, dpi)


def read_pages(path: Path, workers: int | None = None) -> list[PageReading]:
    """Every page of a scan, read in parallel processes; the errors for unreadable scans first."""
    pages = inspect_pdf(path)
    check_scan(path, pages)
    os.environ["OMP_THREAD_LIMIT"] = THREADS_PER_PROCESS
    jobs = [(str(path), page.number, page.dpi) for page in pages]
    count = workers or _workers(len(jobs))
    if count == 1:
        return [_read(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=count, mp_context=get_context("spawn")) as pool:
        return list(pool.map(_read, jobs))


def _box(page: int, box: tuple[float, float, float, float]) -> BoxRef:
    return BoxRef(page, *(round(v, 1) for v in box))


def _cell(page: int, reading: CellReading, row_offset: int) -> Cell:
    return Cell(
        row=reading.row + row_offset,
        col=reading.col,
        text=reading.text,
        locator=_box(page, reading.box),
        row_span=reading.row_span,
        col_span=reading.col_span,
        confidence=reading.confidence,
    )


def _paragraphs(page: PageReading, lines: list[LineReading]) -> list[Paragraph]:
    """Lines grouped into the paragraphs the engine found (below the footnote rule, a line
    opening with a footnote number or a list marker starts one too); a paragraph's box holds its
    lines and its confidence is its least sure line's."""
    grouped: dict[tuple[int, int], list[LineReading]] = {}
    opened = 0
    for line in lines:
        if line.footnote and (_NOTE_START.match(line.text) or _LIST_ITEM.match(line.text)):
            opened += 1
        grouped.setdefault((line.paragraph, opened if line.footnote else -1), []).append(line)
    paragraphs = []
    for members in grouped.values():
        box = _box(page.number, members[0].box)
        for line in members[1:]:
            box = box.union(_box(page.number, line.box))
        text = " ".join(line.text for line in members)
        paragraphs.append(Paragraph(text, box, min(line.confidence for line in members)))
    return paragraphs


def _continues(previous: TableReading, piece: TableReading) -> bool:
    """A table at the top of a page continues the one that ended the page before when its columns
    stand where that table's did (OCR'd repeated headers rarely read identically twice)."""
    before, after = previous.columns, piece.columns
    return len(before) == len(after) and all(
        abs(a - b) <= COLUMN_TOLERANCE_PT for a, b in zip(before, after, strict=True)
    )


def to_blocks(pages: list[PageReading]) -> tuple[Block, ...]:
    """Page readings to blocks in reading order: on each page, prose and tables by their top."""
    blocks: list[Block] = []
    open_table: tuple[list[Cell], int, int] | None = None  # cells, header rows, rows so far
    last: TableReading | None = None
    notes: list[Paragraph] = []
    for page in pages:
        items: list[tuple[float, object]] = [(t.box[1], t) for t in page.tables]
        body = [line for line in page.lines if not line.footnote]
        paragraphs = _paragraphs(page, body)
        first = min(page.tables, key=lambda t: t.box[1]) if page.tables else None
        if open_table and last and first and _continues(last, first):
            paragraphs = [p for p in paragraphs if not _lost_header(p, first)]
        items += [(p.locator.y0, p) for p in paragraphs]  # type: ignore[union-attr]
        notes += _paragraphs(page, [line for line in page.lines if line.footnote])
        items.sort(key=lambda item: item[0])
        for position, (_, item) in enumerate(items):
            if isinstance(item, TableReading):
                first_on_page = position == 0 or all(
                    isinstance(i, Paragraph) and i.locator.y1 < item.box[1] and _is_furniture(i)
                    for _, i in items[:position]
                )
                if open_table and last and first_on_page and _continues(last, item):
                    cells, header_rows, rows = open_table
                    skip = item.header_rows
                    if _split_row(item, skip):
                        cells = _merge_into_last_row(cells, rows - 1, item, skip, page.number)
                        skip += 1
                    cells += [_cell(page.number, c, rows - skip) for c in item.cells if c.row >= skip]
                    open_table = (
                        cells,
                        header_rows,
                        rows + max(c.row + c.row_span for c in item.cells) - skip,
                    )
                else:
                    _close(blocks, open_table)
                    rows = max(c.row + c.row_span for c in item.cells)
                    open_table = ([_cell(page.number, c, 0) for c in item.cells], item.header_rows, rows)
                last = item
                continue
            if open_table and not _is_furniture(item):  # type: ignore[arg-type]
                _close(blocks, open_table)
                open_table, last = None, None
            if not _is_furniture(item) or open_table is None:  # type: ignore[arg-type]
                blocks.append(item)  # type: ignore[arg-type]
    _close(blocks, open_table)
    return (*blocks, *_footnotes(notes))


def _footnotes(paragraphs: list[Paragraph]) -> list[Block]:
    """The paragraphs below the footnote rules as footnotes: one opening with a number starts a
    footnote, the others (its list items, its continuation on the next page) belong to the one
    before. They come after the body, so a footnote never cuts a table continued on the next page."""
    notes: list[Block] = []
    for paragraph in paragraphs:
        opening = _NOTE_START.match(paragraph.text)
        if opening:
            notes.append(Footnote(int(opening[1]), (replace(paragraph, text=opening[2]),)))
        elif notes and not _is_furniture(paragraph):
            last = notes[-1]
            assert isinstance(last, Footnote)
            notes[-1] = Footnote(last.number, (*last.paragraphs, paragraph))
    return notes


def _split_row(piece: TableReading, first_body: int) -> bool:
    """The continuation's first row is the rest of a row the page break cut: it has figures but
    no code and no name (a row of its own always has one of them)."""
    row = [c for c in piece.cells if c.row == first_body]
    return any(c.text for c in row if c.numeric) and not any(c.text for c in row if not c.numeric)


def _merge_into_last_row(
    cells: list[Cell], last_row: int, piece: TableReading, first_body: int, page: int
) -> list[Cell]:
    """The figures of a cut row's second part put into its first part's cells (each keeps the box
    it was printed in: an empty first part takes the second part's)."""
    rest = {c.col: c for c in piece.cells if c.row == first_body and c.text}
    merged = []
    for cell in cells:
        part = rest.get(cell.col) if cell.row <= last_row < cell.row + cell.row_span else None
        if part is not None and not cell.text:
            cell = replace(cell, text=part.text, locator=_box(page, part.box), confidence=part.confidence)
        merged.append(cell)
    return merged


def _lost_header(paragraph: Paragraph, table: TableReading) -> bool:
    """Text in one column of a table continued from the page before, starting just above its top
    (a skewed page's boxes overlap a little): part of the repeated header row whose top rule the
    scan lost. Left as prose it would end the table."""
    box = paragraph.locator
    assert isinstance(box, BoxRef)
    top = table.box[1]
    in_one_column = any(
        left - EDGE_PT <= box.x0 and box.x1 <= right + EDGE_PT
        for left, right in zip(table.columns, table.columns[1:], strict=False)
    )
    return in_one_column and top - LOST_HEADER_PT <= box.y0 <= top + EDGE_PT


def _is_furniture(paragraph: Paragraph) -> bool:
    """A page number or running line: short, with no more than a few characters."""
    return len(paragraph.text) <= 12


def _close(blocks: list[Block], open_table: tuple[list[Cell], int, int] | None) -> None:
    if open_table:
        cells, header_rows, _ = open_table
        blocks.append(Table(tuple(cells), header_rows=header_rows))


def scan_blocks(path: Path, raw: bytes | None = None) -> tuple[Block, ...]:
    """The document model's blocks of a scanned PDF (``raw`` is unused: pages are rendered from
    the file, one per process)."""
    return to_blocks(read_pages(path))
