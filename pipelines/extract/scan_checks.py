"""Figures read by OCR checked against each other: a printed ratio the read figures cannot give,
or components ("Trong đó") that add up to more than their total, put every cell involved up for
review, because any one of them may be the misread one.

A conflict among cells that were all read with full confidence is usually the source's own (the
seed prints eight ratios its figures cannot give): that is reported by the ratio checks, not
flagged as a reading problem, unless one figure read with its punctuation changed (a separator
swapped, lost or inserted, the commonest misreading of print) gives the printed ratio: then
that figure is flagged. The same holds for a figure whose digits the prose prints with other
punctuation (``1,909`` in the table, ``1.909 hộ`` in the text): the same figure elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from pipelines.common.enums import ReviewReason
from pipelines.common.errors import ExtractionError
from pipelines.common.numbers import NumberFormatError, PrintedNumber, parse_number
from pipelines.document.model import Cell, Table
from pipelines.extract.columns import Layout, read_layout
from pipelines.extract.figures import NUMBER_TOKEN
from pipelines.extract.hierarchy import Marker, read_marker
from pipelines.extract.ratios import is_consistent
from pipelines.extract.table import TableRow

CONFLICTS_WITH_RATIO = ReviewReason.ocr_conflicts_with_ratio
CONFLICTS_WITH_SUM = ReviewReason.ocr_conflicts_with_sum
CONFLICTS_ELSEWHERE = ReviewReason.ocr_conflicts_elsewhere
# Figures with fewer digits match unrelated numbers of the prose too often to be compared.
ELSEWHERE_MIN_DIGITS = 4
_SEPARATORS = ".,"
# A cell a maintainer decided reads with full confidence.
DECIDED = 100.0
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


def other_readings(text: str) -> Iterator[PrintedNumber]:
    """The figure ``text`` with its punctuation misread: each separator swapped or dropped, or a
    decimal comma put between two digits."""
    variants: set[str] = set()
    for i, char in enumerate(text):
        if char in _SEPARATORS:
            swapped = _SEPARATORS.replace(char, "")
            variants |= {text[:i] + swapped + text[i + 1 :], text[:i] + text[i + 1 :]}
        elif i and char.isdigit() and text[i - 1].isdigit() and "," not in text:
            variants.add(text[:i] + "," + text[i:])
    for variant in sorted(variants - {text}):
        number = _number_text(variant)
        if number is not None:
            yield number


def _number_text(text: str) -> PrintedNumber | None:
    try:
        return parse_number(text)
    except NumberFormatError:
        return None


def _misread(cells: list[Cell], published: int, top: int, bottom: int) -> Iterator[Cell]:
    """The cells of a conflicting ratio that, read with other punctuation, give the ratio."""
    numbers = [_number(c) for c in cells]
    for index, cell in enumerate(cells):
        for alternative in other_readings(cell.text):
            trial = list(numbers)
            trial[index] = alternative
            if is_consistent(trial[published], trial[top], trial[bottom], Decimal("0.1")):  # type: ignore[arg-type]
                yield cell
                break


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
            else:
                for cell in _misread(cells, 0, 1, 2):  # type: ignore[arg-type]
                    yield cell, CONFLICTS_WITH_RATIO


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
                if _sources_own(total_cell, part_cells, total, parts):  # type: ignore[arg-type]
                    continue
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


def _sources_own(
    total_cell: Cell, part_cells: list[Cell], total: PrintedNumber, parts: list[PrintedNumber]
) -> bool:
    """The components read surely already add up to more than a total read surely: no misreading
    of the unsure components (figures of no sign) can explain it, so the conflict is the
    source's own, as when every cell is sure."""
    if _unsure([total_cell]) or any(p.low < 0 for p in parts):
        return False
    sure = [p for p, cell in zip(parts, part_cells, strict=True) if not _unsure([cell])]
    return sum(p.low for p in sure) > total.high


_THREE_DECIMALS = re.compile(r"^-?\d{1,3},\d{3}$")
_THOUSANDS = re.compile(r"^-?\d{1,3}(?:\.\d{3})+$")


def separator_doubts(table: Table, layout: Layout) -> Iterator[tuple[Cell, str]]:
    """Figures read as ``1,172`` (one comma, three decimals) beside figures of the same row
    printed with a thousands dot (``1.150``) and none with three decimals: a thousands dot read
    as a comma gives exactly that, and nothing else on the page tells the two apart."""
    for r in range(layout.header_rows, table.n_rows):
        cells = [table.covering(r, column.index) for column in layout.values]
        read = [c for c in cells if c is not None and c.text]
        for cell in read:
            if not _THREE_DECIMALS.match(cell.text) or (cell.confidence or 0) >= DECIDED:
                continue
            others = [c.text for c in read if c is not cell]
            if any(_THOUSANDS.match(t) for t in others) and not any(_THREE_DECIMALS.match(t) for t in others):
                yield cell, ReviewReason.ambiguous_number_format


def _shape(number: PrintedNumber) -> str:
    """The figure's digits with its separators, whichever they are, in their places (``1#909``)."""
    return "".join("#" if ch in _SEPARATORS else ch for ch in number.printed.lstrip("-"))


def prose_numbers(texts: Iterable[str]) -> dict[str, set[Decimal]]:
    """Shape -> the values the prose prints in that shape (``1#909`` -> {1909})."""
    found: dict[str, set[Decimal]] = {}
    for text in texts:
        for token in NUMBER_TOKEN.findall(text):
            number = _number_text(token)
            if number is not None and sum(ch.isdigit() for ch in token) >= ELSEWHERE_MIN_DIGITS:
                found.setdefault(_shape(number), set()).add(abs(number.value))
    return found


def elsewhere_conflicts(
    table: Table, layout: Layout, prose: dict[str, set[Decimal]]
) -> Iterator[tuple[Cell, str]]:
    """Figures the prose prints with the same digits in the same places but another separator,
    and never as read: one of the two punctuations is misread."""
    for r in range(layout.header_rows, table.n_rows):
        for column in (*layout.values, *layout.ratios):
            cell = table.covering(r, column.index)
            number = _number(cell)
            if number is None:
                continue
            values = prose.get(_shape(number))
            if values and abs(number.value) not in values:
                yield cell, CONFLICTS_ELSEWHERE  # type: ignore[misc]


def figure_cells(table: Table, layout: Layout | None) -> set[int]:
    """``id(cell)`` of the cells that hold figures: the value and ratio columns of an appendix
    below its header; in any other table, every cell whose reading has a digit."""
    if layout is None:
        return {id(c) for c in table.cells if any(ch.isdigit() for ch in c.text)}
    columns = {column.index for column in (*layout.values, *layout.ratios)}
    return {id(c) for c in table.cells if c.col in columns and c.row >= layout.header_rows}


def conflicts(table: Table, prose: dict[str, set[Decimal]] | None = None) -> dict[int, str]:
    """``id(cell)`` -> review reason for every cell a cross-check puts up for review; ``prose``
    (from prose_numbers) the numbers printed in the report's text."""
    layout = table_layout(table)
    if layout is None:
        return {}
    found: dict[int, str] = {}
    checks = (
        *ratio_conflicts(table, layout),
        *sum_conflicts(table, layout),
        *elsewhere_conflicts(table, layout, prose or {}),
        *separator_doubts(table, layout),
    )
    for cell, reason in checks:
        found.setdefault(id(cell), reason)
    return found
