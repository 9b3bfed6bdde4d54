"""Rows match their schema: every field present, nothing extra, each value of the field's type.

Checked where rows become CSV, so a row can never lose a field silently or carry a value the
Table Schema would reject. The error names the resource, the field and where in the source
document the row was read (``source_ref``, or ``L<line>`` from ``source_line``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from decimal import Decimal
from functools import cache
from operator import itemgetter
from typing import ClassVar, Protocol

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


def _plain(field: FieldMeta) -> tuple[frozenset[type], bool, bool, frozenset[str] | None]:
    """What the fast path accepts of a field: the plain classes of its type, whether it is text
    (any ``str``), whether it is required, its codes."""
    return (
        frozenset(t for t in _TYPES[field.type] if field.type == "boolean" or t is not bool),
        field.type == "string",
        bool(field.constraints.required),
        _codes(field),
    )


def checked_columns(
    resource: ResourceMeta, rows: list[Mapping[str, object]]
) -> list[tuple[object, ...]] | None:
    """The values of ``rows`` column by column, in field order, when every row passes
    ``row_checker``'s fast path, found a column at a time in C-level passes rather than value by
    value; None when any row might not (a row that is not a plain dict of exactly the fields, a
    class, code or empty value the fast path does not take): the rows then go through
    ``row_checker`` one by one, which accepts them or names the first bad one."""
    order = tuple(resource.field_names)
    if len(order) < 2 or set(map(type, rows)) != {dict} or set(map(len, rows)) != {len(order)}:
        return None
    try:
        columns = list(zip(*map(itemgetter(*order), rows), strict=True))
    except KeyError:
        return None
    if all(
        _column_passes(_plain(field), column) for field, column in zip(resource.fields, columns, strict=True)
    ):
        return columns
    return None


def _column_passes(rule: tuple[frozenset[type], bool, bool, frozenset[str] | None], column: tuple) -> bool:
    types, text, required, codes = rule
    present = set(map(type, column))
    empty = type(None) in present or (str in present and "" in column)
    present.discard(type(None))
    if required and empty:
        return False
    if text:
        if not all(issubclass(t, str) for t in present):
            return False
    elif not present <= types:  # an empty text cell in a typed field: left to the row checker
        return False
    if codes is None:
        return True
    return text and all(str(v) in codes for v in set(column) - {None, ""})


def row_checker(resource: ResourceMeta) -> Callable[[Mapping[str, object]], list[object]]:
    """``check_row`` for many rows of one resource, with the schema read once; the checker
    returns the row's values in field order.

    A row whose fields are all of their type's plain Python class (or, for text, a ``str`` enum)
    and within their codes passes on a fast path; anything else (a missing field, a subclass, a
    wrong value) goes through ``check_row``, which accepts it or raises its error. The fast path
    accepts only rows that ``check_row`` accepts, so the two never disagree.
    """
    names = frozenset(resource.field_names)
    order = tuple(resource.field_names)
    count = len(resource.fields)
    plain = [_plain(field) for field in resource.fields]

    def check(row: Mapping[str, object]) -> list[object]:
        if isinstance(row, Row) and row._fields == order:
            values = row.in_order()
        elif len(row) == count and row.keys() == names:
            values = [row[name] for name in order]
        else:
            values = None
        if values is not None:
            for value, (types, text, required, codes) in zip(values, plain, strict=True):
                if value is None or value == "":
                    if required:
                        break
                elif (type(value) not in types and not (text and isinstance(value, str))) or (
                    codes is not None and str(value) not in codes
                ):
                    break
            else:
                return values
        check_row(resource, row)
        return [row[name] for name in order]

    return check


class Row(MutableMapping[str, object]):
    """A row of one resource, held compactly: one slot per field instead of a dict per row.

    A large report has hundreds of thousands of rows alive until they are written; a dict costs
    about 460 bytes, a row of slots about 200. It reads and writes like a dict of its fields
    (``row["value"]``, ``row.get``, ``dict(row)``), always holds every field and no other.
    """

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _slots: ClassVar[dict[str, str]] = {}
    _resource: ClassVar[str] = ""

    def __init__(self, **values: object) -> None:
        if values.keys() != self._slots.keys():
            extra = sorted(values.keys() - self._slots.keys())
            problem = "is not in the schema" if extra else "is missing from the row"
            name = extra[0] if extra else next(n for n in self._fields if n not in values)
            raise RowSchemaError(self._resource, name, source_reference(values), problem)
        for name, value in values.items():
            object.__setattr__(self, self._slots[name], value)

    def __getitem__(self, name: str) -> object:
        return getattr(self, self._slots[name])

    def __setitem__(self, name: str, value: object) -> None:
        object.__setattr__(self, self._slots[name], value)

    def __delitem__(self, name: str) -> None:
        raise TypeError(f"{self._resource}: a row keeps every field; set {name!r} to None instead")

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(self)!r})"

    def in_order(self) -> list[object]:
        """The values in field order (as they are written)."""
        return [getattr(self, slot) for slot in self._slots.values()]


def row_type(resource: ResourceMeta) -> type[Row]:
    """The compact row class of ``resource`` (its fields as slots, named apart from the methods)."""
    return _row_type(resource.name, tuple(resource.field_names))


@cache
def _row_type(resource: str, fields: tuple[str, ...]) -> type[Row]:
    slots = {name: f"f_{name}" for name in fields}
    return type(
        f"{resource.title().replace('_', '')}Row",
        (Row,),
        {"__slots__": tuple(slots.values()), "_fields": fields, "_slots": slots, "_resource": resource},
    )


Key = tuple[str, ...]


class RowSink(Protocol):
    """Where rows go as they are made (a package's files as they are written, or lists): a
    large table is handed over a row at a time instead of being held until the end."""

    def add(self, resource: str, row: Mapping[str, object]) -> None:
        """One more row of ``resource``."""

    def amend(self, resource: str, key: Key, changes: Mapping[Key, Mapping[str, object]]) -> None:
        """Set fields of rows handed over already: ``changes`` maps the text of a row's ``key``
        fields (as published) to the fields to set and their new values."""
