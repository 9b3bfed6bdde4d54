"""An Excel workbook (.xlsx) read into the document model with openpyxl.

Each sheet gives the lines above and below its table as paragraphs (a caption merged across
the columns) and its table: merged ranges become spans, the print-title rows (repeated on every
printed page) are the header rows. A number is kept as stored (``Cell.number``) and displayed as
its number format shows it in the Vietnamese convention (``1.949,545`` for 1949.545 in
``#,##0.000``), so it reads exactly as printed. A formula whose value was never stored (a file
written by a program, never opened in a spreadsheet) cannot be read: that is an error, not a blank.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from pipelines.common.errors import ExtractionError
from pipelines.document.limits import ReadLimits
from pipelines.document.model import Block, Cell, Paragraph, SheetRef, Table

_TITLE_ROWS = re.compile(r"\$?(\d+):\$?(\d+)")


def vietnamese_number(value: int | float | Decimal, number_format: str) -> tuple[str, Decimal]:
    """``value`` as its number format displays it, ``.`` grouping thousands, ``,`` for decimals."""
    number = Decimal(str(value))
    section = number_format.split(";")[0]
    if section.lower() in ("general", "@", ""):
        text = format(number.normalize(), "f") if number != number.to_integral() else str(int(number))
        return text.replace(".", ","), number
    percent = "%" in section
    if percent:
        number *= 100
    digits = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", section)
    decimals = len(re.findall(r"[0#?]", digits.split(".", 1)[1])) if "." in digits else 0
    grouped = "," in digits.split(".", 1)[0]
    shown = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{abs(shown):,.{decimals}f}" if grouped else f"{abs(shown):.{decimals}f}"
    text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    sign = "-" if shown < 0 else ""
    return f"{sign}{text}{'%' if percent else ''}", shown


def _display(value: object, number_format: str) -> tuple[str, Decimal | None]:
    if value is None:
        return "", None
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), None
    if isinstance(value, int | float | Decimal):
        return vietnamese_number(value, number_format)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y"), None
    return " ".join(str(value).split()), None


def _header_rows(sheet, first_row: int) -> int:
    titles = _TITLE_ROWS.search(sheet.print_title_rows or "")
    if not titles:
        return 0
    return max(0, int(titles[2]) - max(first_row, int(titles[1])) + 1)


def _sheet_blocks(path: Path, sheet, values, limits: ReadLimits) -> list[Block]:
    where = f"sheet {sheet.title!r}"
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for merged in sheet.merged_cells.ranges:
        limits.check_rows(path, merged.max_row - merged.min_row + 1, f"a merged cell of {where}")
        limits.check_columns(path, merged.max_col, where)
        spans[(merged.min_row, merged.min_col)] = (
            merged.max_row - merged.min_row + 1,
            merged.max_col - merged.min_col + 1,
        )
        covered.update(
            (r, c)
            for r in range(merged.min_row, merged.max_row + 1)
            for c in range(merged.min_col, merged.max_col + 1)
            if (r, c) != (merged.min_row, merged.min_col)
        )
    printed: dict[int, list[tuple[int, str, Decimal | None, str]]] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if (cell.row, cell.column) in covered or cell.value is None:
                continue
            value = cell.value
            if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
                value = values[sheet.title][cell.coordinate].value
                if value is None:
                    raise ExtractionError(
                        path,
                        None,
                        f"cell {sheet.title}!{cell.coordinate} holds a formula ({cell.value}) with no stored "
                        "value; open and save the file in a spreadsheet program so its values are stored",
                    )
            text, number = _display(value, cell.number_format)
            if text:
                if cell.row not in printed:
                    limits.check_rows(path, len(printed) + 1, where)
                limits.check_columns(path, cell.column, where)
                printed.setdefault(cell.row, []).append((cell.column, text, number, cell.coordinate))
    tabular = [r for r, cells in sorted(printed.items()) if len(cells) >= 2]
    if not tabular:
        return [
            Paragraph(text, SheetRef(sheet.title, coordinate))
            for r in sorted(printed)
            for _, text, _, coordinate in printed[r]
        ]
    first, last = tabular[0], tabular[-1]
    first_col = min(c for r in range(first, last + 1) for c, *_ in printed.get(r, []))
    blocks: list[Block] = []
    for r in sorted(printed):
        if r < first:
            blocks.extend(Paragraph(text, SheetRef(sheet.title, ref)) for _, text, _, ref in printed[r])
    cells = tuple(
        Cell(
            r - first,
            c - first_col,
            text,
            SheetRef(sheet.title, ref),
            *spans.get((r, c), (1, 1)),
            number=number,
        )
        for r in range(first, last + 1)
        for c, text, number, ref in printed.get(r, [])
    )
    blocks.append(Table(cells, header_rows=_header_rows(sheet, first)))
    for r in sorted(printed):
        if r > last:
            blocks.extend(Paragraph(text, SheetRef(sheet.title, ref)) for _, text, _, ref in printed[r])
    return blocks


def read_xlsx(path: Path, raw: bytes, limits: ReadLimits) -> tuple[Block, ...]:
    """The blocks of every visible sheet, in sheet order."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    limits.check_archive(path, raw)
    try:
        formulas = openpyxl.load_workbook(io.BytesIO(raw), data_only=False)
        values = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ExtractionError(path, None, f"a damaged Excel workbook: {exc}") from None
    blocks: list[Block] = []
    for sheet in formulas.worksheets:
        if sheet.sheet_state == "visible":
            blocks.extend(_sheet_blocks(path, sheet, values, limits))
            limits.check_blocks(path, len(blocks))
    return tuple(blocks)
