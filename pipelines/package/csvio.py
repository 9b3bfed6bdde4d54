"""CSV as published: UTF-8, comma, dot decimals, header row, ``\\n`` line ends, stable bytes."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from decimal import Decimal

from pipelines.common.decimals import decimal_text
from pipelines.package.metadata import ResourceMeta
from pipelines.package.rows import row_checker


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


def rows_to_csv(resource: ResourceMeta, rows: Iterable[Mapping[str, object]]) -> bytes:
    """Serialise typed rows in field order; each must match the resource's schema (``check_row``).

    Each row is checked and encoded as it comes: with an iterator that lets go of the rows it
    hands out, a large table is never held both as rows and as text.
    """
    fields = resource.field_names
    check = row_checker(resource)
    buffer = io.BytesIO()
    text = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        values = check(row)
        writer.writerow([v if type(v) is str else format_value(v) for v in values])
    text.flush()
    text.detach()
    return buffer.getvalue()


def text_rows_to_csv(header: list[str], rows: Iterable[list[str]]) -> bytes:
    """Published CSV text rows (already checked when first written) under ``header``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def read_csv_rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a published CSV, as text."""
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    header = next(reader, [])
    return header, list(reader)
