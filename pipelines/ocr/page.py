"""Reading one scanned page: straighten it, find its ruled tables and read them cell by cell,
then read the prose around them. Boxes come back in PDF points from the page's top-left corner,
on the page as scanned (before straightening), so they land on the published page image."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipelines.ocr import cells as cell_images
from pipelines.ocr.deskew import box_on_original, ink_mask, skew_angle, straighten
from pipelines.ocr.engine import CODE, FIGURE, TEXT, engine
from pipelines.ocr.grid import GridCell, TableGrid, find_tables, footnote_rule, rule_masks
from pipelines.ocr.marks import Marks, agrees, marks
from pipelines.ocr.numbers import convention, well_formed
from pipelines.ocr.pdfpages import render_page

# A column holds figures when this share of its sampled body cells read as numbers.
NUMERIC_SHARE = 0.75
SAMPLE_CELLS = 6
NUMBER_LIKE = re.compile(r"^[-+−–]?\d[\d.,]*%?$")
MIN_SKEW_DEG = 0.02
# A figure read with less confidence than this, or not well formed, is read again.
SURE = 90.0
# ... at these multiples of the resolution the table's figures were read at.
REREAD_SCALES = (4 / 3, 4 / 5, 5 / 3)
# Confidence kept for a figure no reading of which is well formed, or whose readings disagree.
MALFORMED_CONFIDENCE = 30.0
DISAGREEMENT_CONFIDENCE = 60.0
# ... and for a figure no reading of which has the minus or the separators its ink shows.
MARKS_CONFIDENCE = 50.0
# A row code whose reading disagrees with its ink is read again at these multiples of the scan's dpi.
CODE_REREAD_SCALES = (1.0, 4 / 3)
# A lone horizontal bar in a text or code cell is a dash: certain as a shape, not a reading.
DASH_CONFIDENCE = 95.0

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class CellReading:
    row: int
    col: int
    row_span: int
    col_span: int
    text: str
    confidence: float | None
    box: Box
    numeric: bool


@dataclass(frozen=True)
class TableReading:
    """A table's cells, its header rows, its box, and where its column rules stand (points from
    the straightened page's left edge: the same for every row, whatever the skew)."""

    cells: tuple[CellReading, ...]
    header_rows: int
    box: Box
    columns: tuple[float, ...]


@dataclass(frozen=True)
class LineReading:
    """A line of prose; ``footnote`` when it stands below the page's footnote rule."""

    text: str
    box: Box
    confidence: float
    paragraph: int
    footnote: bool = False


@dataclass(frozen=True)
class PageReading:
    number: int
    dpi: int
    skew_deg: float
    tables: tuple[TableReading, ...]
    lines: tuple[LineReading, ...]


class _Page:
    """A straightened page and what reading its cells needs."""

    def __init__(self, gray: np.ndarray, dpi: int) -> None:
        self.dpi = dpi
        self.shape = gray.shape
        self.angle = skew_angle(gray)
        self.gray = straighten(gray, self.angle) if abs(self.angle) >= MIN_SKEW_DEG else gray
        self.ink = ink_mask(self.gray)
        self.horizontal, self.vertical = rule_masks(self.gray, dpi)
        self.rules = self.horizontal | self.vertical
        self._cleaned: dict[tuple[int, int, int, int], np.ndarray | None] = {}
        self._readings: dict[tuple[tuple[int, int, int, int], str, int], tuple[str, float | None]] = {}

    def points(self, box: tuple[float, float, float, float]) -> Box:
        x0, y0, x1, y1 = box_on_original(box, self.shape, self.angle)
        scale = 72 / self.dpi
        return (x0 * scale, y0 * scale, x1 * scale, y1 * scale)

    def cleaned(self, cell: GridCell) -> np.ndarray | None:
        key = cell.box
        if key not in self._cleaned:
            self._cleaned[key] = cell_images.prepare(self.gray, self.ink, self.rules, cell.box, self.dpi)
        return self._cleaned[key]

    def marks(self, cell: GridCell) -> Marks | None:
        """The minus and separators the cell's ink shows (None for an empty cell)."""
        text = self.cleaned(cell)
        return None if text is None else marks(text, self.dpi)

    def read(self, cell: GridCell, kind: str, read_at: int | None = None) -> tuple[str, float | None]:
        """The cell's text and confidence (``kind``: figure, code or text); ``read_at`` overrides
        the resolution it is read at. Each reading is made once (the column sampling and the
        table pass share them)."""
        read_at = read_at or cell_images.read_dpi(self.dpi, kind)
        key = (cell.box, kind, read_at)
        if key not in self._readings:
            text = self.cleaned(cell)
            if text is None:
                self._readings[key] = ("", None)
            elif kind != FIGURE and cell_images.is_lone_dash(text):
                self._readings[key] = ("-", DASH_CONFIDENCE)
            else:
                image = cell_images.at_resolution(text, self.dpi, read_at)
                reading = engine().read_cell(image, read_at, kind)
                self._readings[key] = (reading.text, reading.confidence)
        return self._readings[key]


def _column_kinds(page: _Page, grid: TableGrid) -> dict[int, str]:
    """What each column holds, sampled from the bottom of the table up (where no header stands):
    figures, text, or row codes (``4.1``, ``II``, ``-``) in the columns left of the first text
    column."""
    kinds = {}
    seen_text = False
    for col in range(grid.n_cols):
        column = [c for c in grid.cells if c.col == col and c.col_span == 1]
        texts = []
        for cell in reversed(column):
            if len(texts) >= SAMPLE_CELLS or cell.row == 0:
                break
            text, _ = page.read(cell, TEXT)
            if text:
                texts.append(text)
        figures = sum(bool(NUMBER_LIKE.match(t)) for t in texts)
        words = sum(len(t) > 4 and any(ch.isalpha() for ch in t) for t in texts)
        if texts and figures >= NUMERIC_SHARE * len(texts) and seen_text:
            kinds[col] = FIGURE
        elif not seen_text and words < len(texts) / 2:
            kinds[col] = CODE
        else:
            seen_text = seen_text or words >= len(texts) / 2
            kinds[col] = TEXT
    return kinds


def _numbers_columns(texts: list[str]) -> bool:
    """A row numbering the columns: 1, 2, 3, ... (possibly with formulas such as ``7=6/4``)."""
    leading = [int(t.split("=")[0]) for t in texts if t.split("=")[0].isdigit()]
    return len(leading) >= 3 and leading == list(range(leading[0], leading[0] + len(leading)))


def _read_table(page: _Page, grid: TableGrid) -> TableReading:
    kinds = _column_kinds(page, grid)
    figure_at = _figure_dpi(page, grid, kinds)
    by_row: dict[int, list[GridCell]] = {}
    for cell in grid.cells:
        by_row.setdefault(cell.row, []).append(cell)
    read: list[tuple[GridCell, str, str, float | None]] = []
    header_rows = 0
    in_header = True
    for row in sorted(by_row):
        row_cells = sorted(by_row[row], key=lambda c: c.col)
        if in_header:
            # Header rows: read as text; they end at the first row whose figure columns hold
            # figures (or nothing), which numbers no columns and which no merged cell crosses.
            texts = {c.col: page.read(c, TEXT) for c in row_cells}
            spans = any(c.row_span > 1 or c.col_span > 1 for c in row_cells) or any(
                c.row < row < c.row + c.row_span for c in grid.cells
            )
            figures_ok = all(
                not texts[c.col][0] or NUMBER_LIKE.match(texts[c.col][0])
                for c in row_cells
                if kinds[c.col] == FIGURE
            )
            if spans or not figures_ok or _numbers_columns([texts[c.col][0] for c in row_cells]):
                header_rows = row + 1
                read += [(c, TEXT, *texts[c.col]) for c in row_cells]
                continue
            in_header = False
        for cell in row_cells:
            kind = kinds[cell.col] if cell.col_span == 1 else TEXT
            text, confidence = page.read(cell, kind, figure_at if kind == FIGURE else None)
            if kind == CODE and text and not agrees(text, page.marks(cell)):
                text, confidence = _reread_code(page, cell, (text, confidence))
            read.append((cell, kind, text, confidence))
    table_convention = convention(text for _, kind, text, _ in read if kind == FIGURE and text)
    readings = []
    for cell, kind, text, confidence in read:
        seen = page.marks(cell) if kind == FIGURE and text else None
        if (
            kind == FIGURE
            and text
            and (
                confidence is None
                or confidence < SURE
                or not well_formed(text, table_convention)
                or not agrees(text, seen)
            )
        ):
            text, confidence = _reread(page, cell, (text, confidence), table_convention, figure_at, seen)
        readings.append(
            CellReading(
                cell.row,
                cell.col,
                cell.row_span,
                cell.col_span,
                text,
                confidence,
                page.points(cell.box),
                kind == FIGURE,
            )
        )
    columns = tuple(round(float(x) * 72 / page.dpi, 1) for x in grid.xs)
    return TableReading(tuple(readings), header_rows, page.points(grid.box), columns)


def _figure_dpi(page: _Page, grid: TableGrid, kinds: dict[int, str]) -> int:
    """The resolution this table's figures are read at, from how tall their print is."""
    heights = []
    for cell in grid.cells:
        if cell.row > 0 and cell.col_span == 1 and kinds[cell.col] == FIGURE:
            image = page.cleaned(cell)
            if image is not None:
                heights.append(cell_images.ink_height(image))
    return cell_images.figure_dpi(page.dpi, heights)


def _reread(
    page: _Page,
    cell: GridCell,
    first: tuple[str, float | None],
    table_convention: str | None,
    figure_at: int,
    seen: Marks | None,
) -> tuple[str, float]:
    """A doubtful figure read again at other resolutions. The reading kept is the well-formed one
    most readings agree on, among those that show the marks the ink shows if any does; its
    confidence is capped unless two readings agree and none differs, and kept low when none is
    well formed or none shows the ink's marks, so the doubt stays visible."""
    text, confidence = first
    readings = [(text, confidence or 0.0)]
    ceiling = max(page.dpi, figure_at) * REREAD_SCALES[0]
    for scale in REREAD_SCALES:
        read_at = round(figure_at * scale)
        if read_at <= ceiling:
            readings.append(page.read(cell, FIGURE, read_at))
    formed = [(t, c or 0.0) for t, c in readings if t and well_formed(t, table_convention)]
    if not formed:
        return text, min(confidence or 0.0, MALFORMED_CONFIDENCE)
    marked = [(t, c) for t, c in formed if agrees(t, seen)]
    votes: dict[str, list[float]] = {}
    for candidate, score in marked or formed:
        votes.setdefault(candidate, []).append(score)
    best = max(votes, key=lambda t: (len(votes[t]), max(votes[t])))
    score = max(votes[best])
    if not marked:
        score = min(score, MARKS_CONFIDENCE)
    elif len(votes) > 1 or len(votes[best]) < 2 or len(marked) < len(formed):
        score = min(score, DISAGREEMENT_CONFIDENCE)
    return best, score


def _reread_code(page: _Page, cell: GridCell, first: tuple[str, float | None]) -> tuple[str, float | None]:
    """A row code whose reading lacks a dot its ink shows (``4.1`` read ``41`` at the figures'
    resolution, which changes the row's place in the hierarchy): the first reading at the scan's
    own resolution or above that shows it, else the first reading."""
    seen = page.marks(cell)
    for scale in CODE_REREAD_SCALES:
        text, confidence = page.read(cell, CODE, round(page.dpi * scale))
        if text and agrees(text, seen):
            return text, confidence
    return first


def read_page(path: Path, number: int, dpi: int) -> PageReading:
    """Tables cell by cell, then the prose with the tables blanked out; lines below the footnote
    rule are marked as footnotes."""
    page = _Page(render_page(path, number, dpi), dpi)
    grids = find_tables(page.horizontal, page.vertical, dpi)
    tables = tuple(_read_table(page, grid) for grid in grids)
    prose = page.gray.copy()
    for grid in grids:
        x0, y0, x1, y1 = grid.box
        prose[max(0, y0 - 3) : y1 + 4, max(0, x0 - 3) : x1 + 4] = 255
    notes_from = footnote_rule(page.gray, dpi, grids)
    lines = tuple(
        LineReading(
            line.text,
            page.points(line.box),
            line.confidence,
            line.paragraph,
            notes_from is not None and line.box[1] > notes_from,
        )
        for line in engine().read_page(prose, dpi)
    )
    return PageReading(number, dpi, page.angle, tables, lines)
