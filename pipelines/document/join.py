"""Joining a table that page breaks split into pieces.

A piece continues the table before it (whatever prose, page numbers or footnotes stand between
them) when it has the same number of columns and opens with a repeat of that table's header: the
same header rows again (Word's repeated header rows printed to PDF, a web page's split table;
a title row over the first piece need not be repeated), or header rows left blank (the text
form's fragments). The repeated rows are dropped; every kept
cell keeps its own locator, so provenance still names the page or line it was printed on.
"""

from __future__ import annotations

from dataclasses import replace

from pipelines.document.model import Block, Table

# A repeated header is at most this many rows (two-row header plus a column-number row, and a spare).
MAX_HEADER_ROWS = 4


def _repeated_rows(first: Table, piece: Table) -> int:
    """How many leading rows of ``piece`` repeat ``first``'s header; 0 when it is no continuation."""
    if piece.n_cols != first.n_cols or piece.n_rows < 2:
        return 0
    marked = piece.header_rows
    if marked and all(not text for row in piece.rows[:marked] for text in row):
        return marked
    for start in dict.fromkeys((0, _title_rows(first))):
        for count in range(min(MAX_HEADER_ROWS, piece.n_rows - 1, first.n_rows - 1 - start), 0, -1):
            repeated = piece.rows[:count]
            if repeated == first.rows[start : start + count] and any(any(row) for row in repeated):
                return count
    return 0


def _title_rows(table: Table) -> int:
    """How many leading rows print one text only (a title or unit over the table): a repeated
    header may leave them out."""
    count = 0
    while count < min(MAX_HEADER_ROWS, table.n_rows - 1) and len({t for t in table.rows[count] if t}) == 1:
        count += 1
    return count


def _append(first: Table, piece: Table, skip: int) -> Table:
    offset = first.n_rows - skip
    moved = tuple(replace(cell, row=cell.row + offset) for cell in piece.cells if cell.row >= skip)
    return Table(first.cells + moved, header_rows=first.header_rows)


def join_split_tables(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Blocks with each continued table merged into the table it continues (at that table's place)."""
    out: list[Block] = []
    last_table: int | None = None
    for block in blocks:
        if isinstance(block, Table):
            previous = out[last_table] if last_table is not None else None
            skip = _repeated_rows(previous, block) if isinstance(previous, Table) else 0
            if skip and last_table is not None and isinstance(previous, Table):
                out[last_table] = _append(previous, block, skip)
                continue
            last_table = len(out)
        out.append(block)
    return tuple(out)
