"""Any indicator table of the document model, read by what its headers and cells say.

The table's header rows are the rows the format marks as header plus the rows under them that
label columns only (name and code cells empty, no figure), after any title row (one text over
the whole table, read like the text before the table); a unit printed in the header (``Đơn vị:
1000 ha``) or as a row of its own over the table is the table's unit. Each column's role comes from
:mod:`pipelines.extract.header_roles`, each cell's value from :mod:`pipelines.extract.values`, in
the number convention the table's own cells prove (:mod:`pipelines.extract.convention`). A body row
with no figure is a group heading (it may carry the unit of the rows under it); a row's unit is, in
order: its unit cell, a unit in parentheses at the end of its name, its group heading's unit, the
table legend's abbreviation matched by its name (``SL=1000 tấn`` for ``Sản lượng``), the unit of the
row it is a component of (``+ Ngô`` under ``Trong đó: + Lúa``), the table's unit line.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipelines.common.text import fold_diacritics
from pipelines.document.model import Block, Heading, Paragraph, Table
from pipelines.extract.convention import Convention, decide, literal_evidence
from pipelines.extract.header_roles import (
    NAME,
    ROW_LABEL,
    UNIT,
    UNKNOWN,
    ColumnRole,
    header_paths,
    read_roles,
)
from pipelines.extract.units import lookup_unit
from pipelines.extract.values import CellValue, parse_value, printed_text

_UNIT_LINE = re.compile(r"^(?:đơn vị tính|đơn vị|đvt|unit)\s*:\s*(?P<unit>.+)$", re.IGNORECASE)
_LEGEND_ENTRY = re.compile(r"(?P<abbr>[A-ZĐ]{2,4})\s*=\s*(?P<unit>[^;,]+)")
_TABLE_LABEL = re.compile(
    r"^(?P<label>(?:phụ lục|biểu|bảng|table|appendix)\s+[0-9IVXLC]+[a-z]?)\b", re.IGNORECASE
)
_STACK = re.compile(r"<br\s*/?>|\n", re.IGNORECASE)
_NAME_UNIT = re.compile(r"^(?P<name>.*\S)\s*\((?P<unit>[^()]{1,30})\)\s*$")
_COMPONENT = re.compile(r"^(?:trong do|tr\.\s*do|[-+–])", re.IGNORECASE)
_LITERALS = re.compile(r"\d[\d.,]*(?: \d{3})*(?:[.,]\d+)?")
_UNIT_WORDS = re.compile(
    r"^(%|‰|usd|vnd|đồng|(?:nghìn|ngàn|triệu|tỷ|tỉ|1000|1\.000)\s.+|.*/.+|điểm %|lượt|người|hộ|ha|km|m[23]|"
    r"con|cây|tấn|ha|km|kwh|m3|m2|chiếc|cái|xã|trường|giường|bác sỹ|doanh nghiệp|dự án)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ReadCell:
    """One figure cell of a data row: its column's meaning, its value, where it was printed."""

    column: ColumnRole
    value: CellValue
    source_ref: str


@dataclass(frozen=True)
class ReadRow:
    """A data row: its code, name as printed and without its unit, unit, group heading, cells."""

    row_label: str
    name: str
    name_vi: str
    unit: str
    group: str
    source_ref: str
    cells: tuple[ReadCell, ...]


@dataclass(frozen=True)
class ReadTable:
    """A table read: its label, the roles of its columns, the convention it prints in, its rows."""

    label: str
    roles: tuple[ColumnRole, ...]
    convention: Convention | None
    unit: str
    rows: tuple[ReadRow, ...]
    source_ref: str
    # Columns whose role could not be read, each with where its header is printed.
    unknown_columns: tuple[tuple[ColumnRole, str], ...] = field(default=())


def read_tables(blocks: Sequence[Block]) -> list[ReadTable]:
    """Every table of a document's blocks, each with the text printed since the table before it."""
    out: list[ReadTable] = []
    context: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            read = read_table(block, context, ordinal=len(out) + 1)
            if read is not None:
                out.append(read)
            context = []
        elif isinstance(block, Heading | Paragraph):
            context.append(printed_text(block.text))
    return out


def read_table(table: Table, context: Sequence[str], ordinal: int) -> ReadTable | None:
    """One table; None when it has no figure column (a layout table, a list printed as a table)."""
    filled = [[printed_text(text) for text in row] for row in _filled_rows(table)]
    plain = [[printed_text(text) for text in row] for row in table.rows]
    top = 0
    while top < len(plain) - 1 and _is_title_row(plain[top]):
        top += 1
    context = [*context, *(next(t for t in row if t) for row in plain[:top])]
    label = next((m["label"] for m in map(_TABLE_LABEL.match, context) if m), str(ordinal))
    unit = next((m["unit"].strip() for m in map(_UNIT_LINE.match, context) if m), "")
    if top < len(plain) and _is_unit_row(plain[top]):
        unit, top = _unit_of_row(plain[top]), top + 1
    end = top + max(table.header_rows - top, 1)
    header = [list(row) for row in filled[top:end]]
    unit = _take_unit_cells(header) or unit
    roles = read_roles(header_paths(header))
    while end < len(filled) and _labels_columns(filled[end], roles):
        header.append(list(filled[end]))
        end += 1
        roles = read_roles(header_paths(header))
    figures = [r for r in roles if r.holds_figures]
    if not figures or not any(r.role == NAME for r in roles):
        return None
    body = [r for r in range(end, table.n_rows) if filled[r] not in header and not _is_unit_row(plain[r])]
    convention = decide(
        literal_evidence(literal)
        for r in body
        for column in figures
        for line in _STACK.split(table.rows[r][column.index])  # stacked values: each line its own
        for literal in _LITERALS.findall(printed_text(line))
    )
    legend = dict(_LEGEND_ENTRY.findall(unit)) if "=" in unit else {}
    table_unit = "" if legend else unit
    first = table.covering(0, 0)
    return ReadTable(
        label=label,
        roles=tuple(roles),
        convention=convention,
        unit=table_unit,
        rows=tuple(
            _rows(
                table, [list(row) for row in table.rows], plain, body, roles, convention, table_unit, legend
            )
        ),
        source_ref=str(first.locator) if first else "",
        unknown_columns=tuple((r, _ref(table, end - 1, r.index)) for r in roles if r.role == UNKNOWN),
    )


def _filled_rows(table: Table) -> list[list[str]]:
    """Grid texts where a cell merged across columns repeats its text in each column it covers."""
    rows = []
    for r in range(table.n_rows):
        row = []
        for c in range(table.n_cols):
            cell = table.covering(r, c)
            own_row = cell is not None and (cell.row == r or (cell.row, cell.col) == (r, c))
            row.append(cell.text if cell is not None and own_row else "")
        rows.append(row)
    return rows


def _take_unit_cells(header: list[list[str]]) -> str:
    """The unit a header cell prints (``Đơn vị: 1000 ha``), blanked from the header."""
    for row in header:
        for _c, text in enumerate(row):
            match = _UNIT_LINE.match(text)
            if match:
                for k, other in enumerate(row):
                    if other == text:
                        row[k] = ""
                return match["unit"].strip()
    return ""


def _is_title_row(row: Sequence[str]) -> bool:
    """A row over the headers that prints one text and no figure: the table's title or caption
    repeated as its first row (a unit row is read as the unit instead)."""
    filled = {text for text in row if text}
    return len(filled) == 1 and not _is_unit_row(row) and not _LITERALS.fullmatch(next(iter(filled)))


def _is_unit_row(row: Sequence[str]) -> bool:
    filled = {text for text in row if text}
    return len(filled) == 1 and bool(_unit_of_row(row))


def _unit_of_row(row: Sequence[str]) -> str:
    text = next(t for t in row if t)
    match = _UNIT_LINE.match(text)
    if match:
        return match["unit"].strip()
    vietnamese = text.split(" - ")[0].strip()
    return vietnamese if lookup_unit(vietnamese) else ""


def _labels_columns(row: Sequence[str], roles: Sequence[ColumnRole]) -> bool:
    """A row under the header that only labels columns: no name, code or unit; text, not figures."""
    fixed = [r.index for r in roles if r.role in (NAME, ROW_LABEL, UNIT)]
    if any(row[i] for i in fixed):
        return False
    rest = [text for i, text in enumerate(row) if i not in fixed and text]
    return len(rest) >= 2 and all(
        parse_value(text, None).value_text and parse_value(text, None).verdict is None for text in rest
    )


def _unstacked(
    raw: Sequence[str], printed: list[str], name_at: int, figures: Sequence[ColumnRole]
) -> list[list[str]]:
    """A grid row that prints two or more sub-rows stacked in its cells (``Xuất khẩu<br>Nhập
    khẩu`` beside ``120<br>600``) as one row per sub-row; any other row as it is.

    Stacked when the name cell has N lines and every figure cell has N lines or is empty; a cell
    with one line (a unit, a code) belongs to every sub-row.
    """
    names = _lines(raw[name_at])
    columns = [c.index for c in figures]
    if len(names) < 2 or not any(len(_lines(raw[c])) == len(names) for c in columns):
        return [printed]
    if any(raw[c].strip() and len(_lines(raw[c])) != len(names) for c in columns):
        return [printed]
    parts = [_lines(text) for text in raw]
    return [
        [printed_text(cell[k]) if len(cell) == len(names) else printed_text(" ".join(cell)) for cell in parts]
        for k in range(len(names))
    ]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in _STACK.split(text)] if text.strip() else [""]


def _rows(
    table: Table,
    raw: list[list[str]],
    grid: list[list[str]],
    body: list[int],
    roles: Sequence[ColumnRole],
    convention: Convention | None,
    table_unit: str,
    legend: dict[str, str],
) -> list[ReadRow]:
    name_at = next(r.index for r in roles if r.role == NAME)
    label_at = next((r.index for r in roles if r.role == ROW_LABEL), None)
    unit_at = next((r.index for r in roles if r.role == UNIT), None)
    figures = [r for r in roles if r.holds_figures]
    out: list[ReadRow] = []
    group, group_unit = "", ""
    for r, row in ((at, split) for at in body for split in _unstacked(raw[at], grid[at], name_at, figures)):
        name = row[name_at]
        values = [parse_value(row[c.index], convention) for c in figures]
        if not any(not v.is_empty for v in values):
            if name and len({t for t in row if t}) == 1:
                group = name
                split = _NAME_UNIT.match(name)
                group_unit = split["unit"] if split and _looks_like_unit(split["unit"]) else ""
            continue
        if not name:
            continue
        split = _NAME_UNIT.match(name)
        named_unit = split["unit"] if split and _looks_like_unit(split["unit"]) else ""
        unit = (
            (row[unit_at] if unit_at is not None else "")
            or named_unit
            or group_unit
            or _legend_unit(name, legend)
            or (out[-1].unit if out and _COMPONENT.match(fold_diacritics(name)) else "")
            or table_unit
        )
        cells = tuple(
            ReadCell(column, value, _ref(table, r, column.index))
            for column, value in zip(figures, values, strict=True)
        )
        out.append(
            ReadRow(
                row_label=row[label_at] if label_at is not None else "",
                name=name,
                name_vi=split["name"] if named_unit and split else name,
                unit=unit,
                group=group,
                source_ref=_ref(table, r, name_at),
                cells=cells,
            )
        )
    return out


def _looks_like_unit(text: str) -> bool:
    return bool(lookup_unit(text) or _UNIT_WORDS.match(text.strip()))


def _legend_unit(name: str, legend: dict[str, str]) -> str:
    """The legend's unit whose abbreviation is the initials of two consecutive words of the name."""
    words = fold_diacritics(name).split()
    initials = {(a[0] + b[0]).upper() for a, b in itertools.pairwise(words) if a and b}
    return next(
        (unit.strip() for abbr, unit in legend.items() if fold_diacritics(abbr).upper() in initials), ""
    )


def _ref(table: Table, row: int, col: int) -> str:
    cell = table.covering(row, col)
    return str(cell.locator) if cell is not None else ""
