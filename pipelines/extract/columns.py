"""Reading what each column means from the two-row header and the column-number row.

Nothing about the years or the order of columns is assumed: ``Thực hiện 2021`` is the actual
of 2021, ``Ước TH năm 2022`` the estimate of 2022, a numbering cell ``7=6/4`` a ratio of the
columns numbered 6 and 4, and a spanning cell such as ``Năm 2022`` lends its year to the
cells under it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.common.enums import Measure
from pipelines.common.errors import ExtractionError
from pipelines.common.text import fold_diacritics
from pipelines.extract.table import TableRow

# A year may be glued to its measure, as headers abbreviate it: ``KH2022``, ``TH2021``.
_YEAR = re.compile(r"(?<![\d.,])(1[89]\d\d|2[01]\d\d)(?![\d.,]?\d)")
_FORMULA = re.compile(r"^(\d+)\s*=\s*(\d+)\s*/\s*(\d+)$")
_NUMBERING_CELL = re.compile(r"^\d+(\s*=\s*\d+\s*/\s*\d+)?$")


@dataclass(frozen=True)
class ValueColumn:
    """A column of figures: which measure of which year."""

    index: int
    number: int
    label: str
    measure: str
    period: int


@dataclass(frozen=True)
class RatioColumn:
    """A column of printed percentages: ``numerator`` over ``denominator`` (column numbers)."""

    index: int
    number: int
    label: str
    formula: str
    numerator: ValueColumn
    denominator: ValueColumn


@dataclass(frozen=True)
class Layout:
    """Where the code, name, unit and note cells are, and what the figure columns hold."""

    tt: int
    name: int
    unit: int
    note: int | None
    values: tuple[ValueColumn, ...]
    ratios: tuple[RatioColumn, ...]
    header_rows: int

    @property
    def reporting_year(self) -> int:
        return next(c.period for c in self.values if c.measure == Measure.estimate)

    @property
    def plan_year(self) -> int:
        return max(c.period for c in self.values if c.measure == Measure.plan)


def _is_numbering_row(row: TableRow) -> bool:
    filled = [cell for cell in row.cells if cell]
    return len(filled) >= 3 and all(_NUMBERING_CELL.match(cell) for cell in filled)


def has_numbering_row(rows: list[TableRow]) -> bool:
    """Whether a column-number row (``1 | 2 | 3 | … | 7=6/4``) stands under the header's first row."""
    return any(_is_numbering_row(row) for row in rows[1:6])


def _measure(label: str) -> Measure | None:
    folded = fold_diacritics(label)
    if folded.startswith("uoc") or " uoc " in f" {folded} ":
        return Measure.estimate
    if re.search(r"\bkh(?![a-z])|ke hoach", folded):
        return Measure.plan
    if re.search(r"\bth(?![a-z])|thuc hien", folded):
        return Measure.actual
    return None


def _spanned(header: list[TableRow]) -> list[list[str]]:
    """Header rows with a spanning cell's text carried right over the empty cells after it,
    but only above columns that have their own label in a lower row."""
    width = len(header[0].cells)
    grid = [list(row.cells) for row in header]
    for r, row in enumerate(grid[:-1]):
        below = grid[r + 1 :]
        for c in range(1, width):
            if not row[c] and row[c - 1] and any(lower[c] for lower in below):
                row[c] = row[c - 1]
    return grid


def read_layout(path: str, rows: list[TableRow]) -> Layout:
    """Interpret the header; raise ExtractionError naming the header line when it cannot be read."""
    numbering_at = next((i for i, row in enumerate(rows[:6]) if _is_numbering_row(row)), None)
    if numbering_at is None or numbering_at == 0:
        raise ExtractionError(
            path, rows[0].line, "the appendix header has no column-number row (1 | 2 | 3 | … | 7=6/4 …)"
        )
    numbering = rows[numbering_at]
    grid = _spanned(rows[:numbering_at])
    labels = [" ".join(dict.fromkeys(cell for cell in column if cell)) for column in zip(*grid, strict=True)]
    folded = [fold_diacritics(label) for label in labels]

    def find(predicate: str) -> int | None:
        return next((i for i, label in enumerate(folded) if label.startswith(predicate)), None)

    tt, name, unit, note = find("tt"), find("chi tieu"), find("don vi"), find("ghi chu")
    if tt is None or name is None or unit is None:
        raise ExtractionError(
            path, rows[0].line, "the appendix header lacks a 'TT', 'Chỉ tiêu' or 'Đơn vị tính' column"
        )

    by_number: dict[int, ValueColumn] = {}
    formulas: list[tuple[int, int, str, re.Match[str]]] = []
    for index, cell in enumerate(numbering.cells):
        if index in (tt, name, unit, note) or not cell:
            continue
        formula = _FORMULA.match(cell)
        if formula:
            formulas.append((index, int(formula[1]), cell.replace(" ", ""), formula))
            continue
        measure = _measure(labels[index])
        years = _YEAR.findall(labels[index])
        if measure is None or not years:
            raise ExtractionError(
                path, rows[0].line, f"cannot tell what column {cell} holds from its header {labels[index]!r}"
            )
        by_number[int(cell)] = ValueColumn(index, int(cell), labels[index], measure, int(years[-1]))

    ratios = []
    for index, number, text, formula in formulas:
        top, bottom = int(formula[2]), int(formula[3])
        if top not in by_number or bottom not in by_number:
            raise ExtractionError(
                path, numbering.line, f"ratio column {text} refers to a column that holds no figures"
            )
        ratios.append(RatioColumn(index, number, labels[index], text, by_number[top], by_number[bottom]))

    values = tuple(sorted(by_number.values(), key=lambda c: c.index))
    if not any(c.measure == Measure.estimate for c in values):
        raise ExtractionError(path, rows[0].line, "the appendix header has no estimate ('Ước TH') column")
    if not any(c.measure == Measure.plan for c in values):
        raise ExtractionError(path, rows[0].line, "the appendix header has no plan ('KH') column")
    return Layout(tt, name, unit, note, values, tuple(ratios), numbering_at + 1)
