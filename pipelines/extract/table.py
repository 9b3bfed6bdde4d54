"""Locating the appendix pipe table and stitching the fragments a page break split it into."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.common.errors import ExtractionError
from pipelines.common.text import clean_cell, fold_diacritics
from pipelines.extract.document import Document

_SEPARATOR_CELL = re.compile(r"^\s*:?-{2,}:?\s*$")


@dataclass(frozen=True)
class TableRow:
    """One printed table row: its cells (cleaned) and where it stands in the raw file."""

    line: int
    cells: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not any(self.cells)


@dataclass(frozen=True)
class Block:
    """Consecutive pipe-table lines; ``rows`` excludes Markdown separator lines."""

    rows: tuple[TableRow, ...]
    separator_after_first: bool


def _split_cells(text: str) -> list[str]:
    inner = text.strip()
    return inner[1:-1].split("|")


def _is_separator(cells: list[str]) -> bool:
    return all(_SEPARATOR_CELL.match(cell) or not cell.strip() for cell in cells) and any(
        _SEPARATOR_CELL.match(cell) for cell in cells
    )


def _blocks(doc: Document) -> list[Block]:
    blocks: list[Block] = []
    current: list[tuple[int, list[str]]] = []

    def flush() -> None:
        if not current:
            return
        rows = tuple(
            TableRow(n, tuple(clean_cell(c) for c in cells))
            for n, cells in current
            if not _is_separator(cells)
        )
        sep_after_first = len(current) > 1 and _is_separator(current[1][1])
        blocks.append(Block(rows, sep_after_first))
        current.clear()

    for number, text in enumerate(doc.lines, start=1):
        stripped = text.strip()
        if stripped.startswith("|"):
            if len(stripped) < 2 or not stripped.endswith("|"):
                raise ExtractionError(doc.path, number, "table row is cut off: it does not end with '|'")
            current.append((number, _split_cells(stripped)))
        else:
            flush()
    flush()
    return blocks


def _is_appendix_header(row: TableRow) -> bool:
    folded = [fold_diacritics(cell) for cell in row.cells]
    return "tt" in folded and any(cell.startswith("chi tieu") for cell in folded)


def _is_continuation(block: Block) -> bool:
    return bool(block.rows) and block.rows[0].is_empty and block.separator_after_first


def find_appendix_table(doc: Document, max_rows: int | None = None) -> list[TableRow]:
    """The appendix table's rows (header rows first), fragments stitched in order.

    A fragment that opens with an all-empty header row and a separator continues the table
    before it, whatever text (page numbers, footnotes, blank lines) stands between them.
    """
    blocks = _blocks(doc)
    start = next(
        (i for i, block in enumerate(blocks) if block.rows and _is_appendix_header(block.rows[0])), None
    )
    if start is None:
        raise ExtractionError(
            doc.path,
            None,
            "no appendix table found (a pipe table whose header has 'TT' and 'Chỉ tiêu' columns)",
        )
    rows = list(blocks[start].rows)
    for block in blocks[start + 1 :]:
        if not _is_continuation(block):
            break
        rows.extend(block.rows[1:])
    if max_rows is not None and len(rows) > max_rows:
        raise ExtractionError(
            doc.path,
            rows[max_rows].line,
            f"the appendix table has more than {max_rows:,} rows (limits.max_table_rows in params.yaml)",
        )
    width = len(rows[0].cells)
    for row in rows:
        if len(row.cells) != width:
            raise ExtractionError(
                doc.path, row.line, f"table row has {len(row.cells)} cells, the table header has {width}"
            )
    return rows
