"""Locating the appendix among the document's tables (split pieces are already joined)."""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.common.errors import ExtractionError
from pipelines.common.text import clean_cell, fold_diacritics
from pipelines.document.model import Document, Locator, Table, line_of


@dataclass(frozen=True)
class TableRow:
    """One grid row of the appendix: cell texts (cleaned), where each cell was printed, and the
    raw line for text reports (None for other formats)."""

    index: int
    line: int | None
    cells: tuple[str, ...]
    refs: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not any(self.cells)

    @property
    def ref(self) -> str:
        """Where the row starts (its first printed cell)."""
        return next((ref for ref, text in zip(self.refs, self.cells, strict=True) if text), self.refs[0])


def _is_appendix_header(row: tuple[str, ...]) -> bool:
    folded = [fold_diacritics(clean_cell(cell)) for cell in row]
    return "tt" in folded and any(cell.startswith("chi tieu") for cell in folded)


def appendix_table(doc: Document) -> Table:
    """The first table whose header has the 'TT' and 'Chỉ tiêu' columns."""
    for table in doc.tables:
        if table.rows and _is_appendix_header(table.rows[0]):
            return table
    found = "the document has no table at all" if not doc.tables else f"{len(doc.tables)} other tables"
    raise ExtractionError(
        doc.path,
        None,
        f"no appendix table found (a table whose header has 'TT' and 'Chỉ tiêu' columns; {found})",
    )


def table_rows(doc: Document, table: Table) -> list[TableRow]:
    """The table's grid rows."""
    rows: list[TableRow] = []
    names: dict[Locator, str] = {}  # one string per locator: a text row's cells share their line's
    for r, texts in enumerate(table.rows):
        covering = [table.covering(r, c) for c in range(table.n_cols)]
        present = [cell for cell in covering if cell is not None]
        if not present:
            continue
        locator = present[0].locator
        line = line_of(locator)
        refs = tuple(
            names.get(at) or names.setdefault(at, str(at))
            for at in (cell.locator if cell is not None else locator for cell in covering)
        )
        rows.append(TableRow(len(rows), line, tuple(clean_cell(t) for t in texts), refs))
    return rows


def find_appendix_table(doc: Document) -> list[TableRow]:
    """The appendix table's rows (header rows first)."""
    return table_rows(doc, appendix_table(doc))
