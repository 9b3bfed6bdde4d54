"""Rows match their schema: every field present, nothing extra, each value of the field's type.

Checked where rows become CSV, so a row can never lose a field silently or carry a value the
Table Schema would reject. The error names the resource, the field and where in the source
document the row was read (``source_ref``, or ``L<line>`` from ``source_line``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import cache

from pipelines.common.errors import PipelineError
from pipelines.package.metadata import FieldMeta, ResourceMeta

# Python types a value of each Table Schema type may have before it is written as text.
_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float, Decimal),
    "boolean": (bool,),
    "date": (dt.date,),
    "year": (int,),
}


class RowSchemaError(PipelineError):
    """A row that does not match its resource's Table Schema."""

    def __init__(self, resource: str, field: str, reference: str, problem: str) -> None:
        self.resource, self.field, self.reference = resource, field, reference
        super().__init__(f"{resource}: row from {reference}: field {field!r} {problem}")


def source_reference(row: Mapping[str, object]) -> str:
    """Where the row was read: its ``source_ref``, else its text line, else that it has neither."""
    if row.get("source_ref"):
        return str(row["source_ref"])
    if row.get("source_line") is not None:
        return f"L{row['source_line']}"
    return "an unknown place (no source_ref or source_line)"


@cache
def _codes(field: FieldMeta) -> frozenset[str] | None:
    enum = field.resolved_enum()
    return None if enum is None else frozenset(str(code) for code in enum)


def _problem(field: FieldMeta, value: object) -> str | None:
    if value is None or value == "":
        return "is required but empty" if field.constraints.required else None
    accepted = _TYPES[field.type]
    if not isinstance(value, accepted) or (isinstance(value, bool) and bool not in accepted):
        return f"holds {value!r} ({type(value).__name__}), not a {field.type}"
    codes = _codes(field)
    if codes is not None and str(value) not in codes:
        return f"holds {value!r}, not one of its codes {sorted(codes)}"
    return None


def check_row(resource: ResourceMeta, row: Mapping[str, object]) -> None:
    """Raise RowSchemaError for a missing field, an extra field or a value the schema rejects."""
    names = resource.field_names
    if len(row) != len(names) or row.keys() != set(names):
        extra = sorted(set(row) - set(names))
        if extra:
            raise RowSchemaError(resource.name, extra[0], source_reference(row), "is not in the schema")
        missing = next(name for name in names if name not in row)
        raise RowSchemaError(resource.name, missing, source_reference(row), "is missing from the row")
    for field in resource.fields:
        problem = _problem(field, row[field.name])
        if problem:
            raise RowSchemaError(resource.name, field.name, source_reference(row), problem)


def row_checker(resource: ResourceMeta) -> Callable[[Mapping[str, object]], None]:
    """``check_row`` for many rows of one resource, with the schema read once.

    A row whose fields are all present, of their type and within their codes passes on a fast
    path that applies ``check_row``'s very tests (``isinstance``, so a ``StrEnum`` code is a
    string; a ``bool`` is no integer); anything else goes through ``check_row``, which raises its
    error (or accepts it), so the two never disagree.
    """
    names = frozenset(resource.field_names)
    count = len(resource.fields)
    plain = [
        (
            field.name,
            _TYPES[field.type],
            bool in _TYPES[field.type],
            bool(field.constraints.required),
            _codes(field),
        )
        for field in resource.fields
    ]

    def check(row: Mapping[str, object]) -> None:
        if len(row) == count and row.keys() == names:
            for name, types, takes_bool, required, codes in plain:
                value = row[name]
                if value is None or value == "":
                    if required:
                        break
                elif (
                    not isinstance(value, types)
                    or (not takes_bool and isinstance(value, bool))
                    or (codes is not None and str(value) not in codes)
                ):
                    break
            else:
                return
        check_row(resource, row)

    return check
