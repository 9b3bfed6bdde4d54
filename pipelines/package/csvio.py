"""CSV as published: UTF-8, comma, dot decimals, header row, ``\\n`` line ends, stable bytes."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, BinaryIO

from pipelines.common.decimals import decimal_text
from pipelines.package.metadata import ResourceMeta
from pipelines.package.rows import checked_columns, row_checker


def format_value(value: object) -> str:
    """Render a typed value the way the Table Schema expects; None is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@contextmanager
def csv_rows(resource: ResourceMeta, handle: BinaryIO) -> Iterator[Callable[[Mapping[str, object]], None]]:
    """A function writing one typed row at a time into ``handle``, in field order, each checked
    against the resource's schema (``check_row``) as it comes: a large table is never held,
    neither as rows nor as text."""
    check = row_checker(resource)
    with _text(handle) as writer:
        writer.writerow(resource.field_names)

        def add(row: Mapping[str, object]) -> None:
            writer.writerow([v if type(v) is str else format_value(v) for v in check(row)])

        yield add


# Classes the csv module writes as ``format_value`` does (None empty, an int by str).
_WRITTEN_AS_IS = frozenset({str, int, type(None)})


def _column_text(column: tuple[object, ...]) -> tuple[object, ...] | list[object]:
    """A column ``checked_columns`` passed, as the csv module is to write it."""
    kinds = set(map(type, column))
    if kinds <= _WRITTEN_AS_IS:
        return column
    if any(issubclass(kind, str) for kind in kinds):
        return [v if type(v) is str else format_value(v) for v in column]
    # Dates, figures, booleans: a column repeats its dates and many of its values, so each
    # distinct value is formatted once (equal values of a field's classes format alike).
    texts: dict[object, str] = {}
    try:
        for value in column:
            if value not in texts:
                texts[value] = format_value(value)
    except TypeError:  # an unhashable value (a signalling NaN)
        return [format_value(v) for v in column]
    return list(map(texts.__getitem__, column))


def write_csv(resource: ResourceMeta, rows: Iterable[Mapping[str, object]], handle: BinaryIO) -> None:
    """Every row of ``rows`` through ``csv_rows``; an iterator that lets go of the rows it hands
    out keeps the memory of a large table small. A list (a derived resource, built whole) is
    checked and formatted a column at a time when ``checked_columns`` takes it: the same checks
    and the same bytes, for a fraction of the per-value cost."""
    columns = checked_columns(resource, rows) if isinstance(rows, list) else None
    if columns is not None:
        with _text(handle) as writer:
            writer.writerow(resource.field_names)
            writer.writerows(zip(*map(_column_text, columns), strict=True))
        return
    with csv_rows(resource, handle) as add:
        for row in rows:
            add(row)


def rows_to_csv(resource: ResourceMeta, rows: Iterable[Mapping[str, object]]) -> bytes:
    """``write_csv`` into bytes: for small tables."""
    buffer = io.BytesIO()
    write_csv(resource, rows, buffer)
    return buffer.getvalue()


def write_text_csv(header: list[str], rows: Iterable[list[str]], handle: BinaryIO) -> None:
    """Published CSV text rows (already checked when first written) under ``header``."""
    with _text(handle) as writer:
        writer.writerow(header)
        writer.writerows(rows)


def text_rows_to_csv(header: list[str], rows: Iterable[list[str]]) -> bytes:
    """``write_text_csv`` into bytes: the published bytes of text rows."""
    buffer = io.BytesIO()
    write_text_csv(header, rows, buffer)
    return buffer.getvalue()


@contextmanager
def _text(handle: BinaryIO) -> Iterator[Any]:
    """A CSV writer over a binary file, in the published dialect; the file stays open."""
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    yield csv.writer(text, lineterminator="\n")
    text.flush()
    text.detach()


def read_csv_rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a published CSV, as text."""
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    header = next(reader, [])
    return header, list(reader)
