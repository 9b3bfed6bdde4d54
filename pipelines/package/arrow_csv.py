"""Published CSV read by Arrow's CSV reader: the per-cell parsing of the largest tables in C++.

Each caller keeps its own cell-by-cell reading for a file Arrow refuses (None here) or reads
otherwise than the schema says, so that a bad cell is still named by its line.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Rows made into Python values at a time: the rest of the table stays compact, as Arrow holds it.
BATCH_ROWS = 5000


def read_arrow_csv(
    source: Path | bytes,
    column_types: dict[str, Any],
    include: list[str] | None = None,
    null_values: list[str] | None = None,
) -> Any:
    """The CSV as an Arrow table, ``column_types`` typing its columns (only ``include``'s taken
    out, when given); cells in ``null_values`` are null, and with None every cell is its text
    (an empty one ``""``, as the csv module reads it). None when Arrow refuses the file."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        size = len(source) if isinstance(source, bytes) else source.stat().st_size
        return pacsv.read_csv(
            io.BytesIO(source) if isinstance(source, bytes) else source,
            read_options=pacsv.ReadOptions(use_threads=False, block_size=max(size, 1 << 20)),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=column_types,
                include_columns=include or [],
                null_values=null_values or [],
                strings_can_be_null=null_values is not None,
                quoted_strings_can_be_null=null_values is not None,
                true_values=["true"],
                false_values=["false"],
            ),
        )
    except (pa.ArrowException, OSError):
        return None


def python_rows(table: Any) -> Iterator[tuple[Any, ...]]:
    """The rows of an Arrow table as tuples of Python values, made a batch at a time."""
    for start in range(0, table.num_rows, BATCH_ROWS):
        yield from zip(
            *(column.to_pylist() for column in table.slice(start, BATCH_ROWS).columns), strict=True
        )
