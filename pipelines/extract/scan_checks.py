"""Figures read by OCR checked against each other: a printed ratio the read figures cannot give,
or components ("Trong đó") that add up to more than their total, put every cell involved up for
review, because any one of them may be the misread one.

A conflict among cells that were all read with full confidence is the source's own (the seed
prints eight ratios its figures cannot give): that is reported by the ratio checks, not flagged
as a reading problem.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from pipelines.common.enums import ReviewReason
from pipelines.common.errors import ExtractionError
from pipelines.common.numbers import NumberFormatError, PrintedNumber, parse_number
from pipelines.document.model import Cell, Table
from pipelines.extract.columns import Layout, read_layout
from pipelines.extract.hierarchy import Marker, read_marker
from pipelines.extract.ratios import is_consistent
from pipelines.extract.table import TableRow

CONFLICTS_WITH_RATIO = ReviewReason.ocr_conflicts_with_ratio
CONFLICTS_WITH_SUM = ReviewReason.ocr_conflicts_with_sum
# Cells read at least this sure are taken as printed when a check fails.
SURE = 90.0


def _number(cell: Cell | None) -> PrintedNumber | None:
    if cell is None or not cell.text:
        return None
    try:
        return parse_number(cell.text)
    except NumberFormatError:
        return None


def _unsure(cells: list[Cell]) -> bool:
    return any(c.confidence is not None and c.confidence < SURE for c in cells)


def table_layout(table: Table) -> Layout | None:
    """The appendix layout of a table read by OCR, or None when its header is not one."""
    rows = [TableRow(index, None, row, ("",) * len(row)) for index, row in enumerate(table.rows)]
    try:
        return read_layout("scan", rows)
    except (ExtractionError, IndexError, ValueError):
        return None


def ratio_conflicts(table: Table, layout: Layout) -> Iterator[tuple[Cell, str]]:
    """Cells of rows whose printed ratio the read figures cannot give (one of them unsure)."""
    for r in range(layout.header_rows, table.n_rows):
        for ratio in layout.ratios:
            cells = [
                table.covering(r, c) for c in (ratio.index, ratio.numerator.index, ratio.denominator.index)
            ]
            if any(c is None for c in cells):
                continue
            published, top, bottom = (_number(c) for c in cells)
            if published is None or is_consistent(published, top, bottom, Decimal("0.1")) is not False:
                continue
            if _unsure(cells):  # type: ignore[arg-type]
                for cell in cells:
                    yield cell, CONFLICTS_WITH_RATIO  # type: ignore[misc]


def sum_conflicts(table: Table, layout: Layout) -> Iterator[tuple[Cell, str]]:
    """Cells of "Trong đó" components whose figures add up to more than their total's."""
    parent: int | None = None
    children: list[int] = []

    def check() -> Iterator[tuple[Cell, str]]:
        if parent is None or len(children) < 2:
            return
        unit = table.text_at(parent, layout.unit)
        if not unit or "%" in unit:
            return
        for column in layout.values:
            total_cell = table.covering(parent, column.index)
            part_cells = [table.covering(r, column.index) for r in children]
            total, parts = _number(total_cell), [_number(c) for c in part_cells]
            if total is None or any(p is None for p in parts):
                continue
            if sum(p.low for p in parts) > total.high and _unsure([total_cell, *part_cells]):  # type: ignore[union-attr, list-item]
                for cell in (total_cell, *part_cells):
                    yield cell, CONFLICTS_WITH_SUM  # type: ignore[misc]

    last_row: int | None = None
    for r in range(layout.header_rows, table.n_rows):
        marker = read_marker(table.text_at(r, layout.tt), table.text_at(r, layout.name))
        if marker.marker is None:  # "Trong đó:" opens the components of the row above
            yield from check()
            parent, children = last_row, []
            continue
        last_row = r
        if parent is not None and marker.marker in (Marker.DASH, Marker.PLUS, Marker.DOTTED):
            children.append(r)
            continue
        yield from check()
        parent, children = None, []
    yield from check()


def conflicts(table: Table) -> dict[int, str]:
    """``id(cell)`` -> review reason for every cell a cross-check puts up for review."""
    layout = table_layout(table)
    if layout is None:
        return {}
    found: dict[int, str] = {}
    for cell, reason in (*ratio_conflicts(table, layout), *sum_conflicts(table, layout)):
        found.setdefault(id(cell), reason)
    return found
