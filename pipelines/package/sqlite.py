"""The one loader of a package into SQLite, for the served database and for validation.

Both get the same tables, column types and values. The served database (``constrained``) also
gets NOT NULL, primary and single-column foreign keys, and refuses a value its type rejects;
validation's copy loads every row as it is, a wrong-typed value kept as text, so that the SQL
checks can name the bad rows instead of the load stopping at the first.
"""

from __future__ import annotations

import csv
import os
import sqlite3
from collections.abc import Callable, Iterator
from itertools import islice
from operator import call
from pathlib import Path
from typing import Any

from pipelines.common.errors import PipelineError
from pipelines.package.arrow_csv import python_rows
from pipelines.package.parquet import read_typed_csv
from pipelines.package.reader import Package

# Table Schema type -> the Python type sqlite-utils declares the column with.
SQL_TYPES: dict[str, type] = {
    "string": str,
    "date": str,
    "datetime": str,
    "time": str,
    "integer": int,
    "year": int,
    "boolean": int,
    "number": float,
}
TRUE_VALUES = {"true", "True", "TRUE", "1"}
FALSE_VALUES = {"false", "False", "FALSE", "0"}

Resource = dict[str, Any]


def as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _typed(field_type: str) -> Callable[[str], Any]:
    """The Python constructor of a non-empty CSV cell of ``field_type`` (raises ValueError)."""
    if field_type == "boolean":
        return _boolean
    return SQL_TYPES.get(field_type, str)


def _boolean(text: str) -> int:
    if text in TRUE_VALUES:
        return 1
    if text in FALSE_VALUES:
        return 0
    raise ValueError(text)


def column_converter(field_type: str, strict: bool = True) -> Callable[[str], Any]:
    """A CSV cell as the SQLite value its type asks for; empty means NULL, except for text, kept
    as it is ('' included: the INSERT makes it NULL, see ``_insert``). Not strict: a value the
    type rejects is kept as its text. Strict: ValueError (the caller names file and line)."""
    typed = _typed(field_type)
    if typed is str:
        return str
    if strict:
        return lambda text: typed(text) if text else None

    def lenient(text: str) -> Any:
        if not text:
            return None
        try:
            return typed(text)
        except ValueError:
            return text

    return lenient


def typed_rows(package: Package, resource: Resource, strict: bool = True) -> Iterator[tuple[int, tuple]]:
    """(line, row) of the resource with typed values in schema order, every schema field present
    (None when the CSV lacks the column or a typed cell is empty; a text cell as it is)."""
    fields = resource["schema"]["fields"]
    converters = [column_converter(f.get("type", "string"), strict) for f in fields]
    path = package.resource_path(resource["name"])
    if not path.exists():
        raise PipelineError(f"{path}: data of resource {resource['name']!r} is missing")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        # Where each schema field sits in the CSV record (-1: not there, NULL in every row).
        positions = [header.index(f["name"]) if f["name"] in header else -1 for f in fields]
        width = len(header)
        pairs = list(zip(positions, converters, strict=True))
        in_order = positions == list(range(len(fields)))
        for line, record in enumerate(reader, start=2):
            if len(record) < width:
                record = record + [""] * (width - len(record))
            try:
                if in_order:
                    # The columns in schema order (as the package writer writes them): one
                    # converter per cell, mapped in C.
                    yield line, tuple(map(call, converters, record))
                else:
                    yield line, tuple(convert(record[i]) if i >= 0 else None for i, convert in pairs)
            except ValueError:
                raise _type_error(path, line, fields, positions, record) from None


def arrow_rows(package: Package, resource: Resource) -> Iterator[tuple[int, tuple]] | None:
    """``typed_rows`` of a file Arrow's CSV reader takes as its schema says (the per-cell parsing
    in C++, at half the CPU), or None: then ``typed_rows`` reads it and names any bad line.

    The values are those ``typed_rows`` gives (dates stay their text, an empty text cell is
    None, which the INSERT gives too); only files whose records each hold one line are read so,
    so that a row's number is its line.
    """
    path = package.resource_path(resource["name"])
    if not path.is_file():
        return None
    data = path.read_bytes()
    # Only an empty cell is missing here, as in typed_rows, whatever else the schema counts so.
    schema = {**resource["schema"], "missingValues": [""]}
    table = read_typed_csv(schema, data, as_text=frozenset({"date"}))
    if table is None or data.count(b"\n") + (not data.endswith(b"\n")) != table.num_rows + 1:
        return None
    return enumerate(python_rows(table), start=2)


def _type_error(
    path: Path, line: int, fields: list[dict[str, Any]], positions: list[int], record: list[str]
) -> PipelineError:
    """The first cell of a row its field's type rejects, named by file, line and field."""
    for field, i in zip(fields, positions, strict=True):
        kind = field.get("type", "string")
        if i >= 0 and record[i]:
            try:
                _typed(kind)(record[i])
            except ValueError:
                return PipelineError(f"{path}:{line}: {field['name']} {record[i]!r} is not a valid {kind}")
    return PipelineError(f"{path}:{line}: a value is not valid for its type")


def unique_fields(resource: Resource) -> set[str]:
    fields = {f["name"] for f in resource["schema"]["fields"] if (f.get("constraints") or {}).get("unique")}
    primary = as_list(resource["schema"].get("primaryKey"))
    if len(primary) == 1:
        fields |= set(primary)
    return fields


def single_column_keys(resource: Resource, by_name: dict[str, Resource]) -> list[tuple[str, str, str]]:
    """Foreign keys as SQLite and Datasette can use them: one column each.

    SQLite needs the referenced column to be unique, so a key is declared on the first column whose
    referenced field is unique on its own: (report_id, indicator_id) -> indicators becomes
    indicator_id -> indicators.indicator_id (report_id has its own key to reports). Keys that cannot
    be expressed this way are left to the validation suites.
    """
    keys = []
    for fk in resource["schema"].get("foreignKeys", []):
        fields = as_list(fk["fields"])
        target_name = fk["reference"].get("resource") or resource["name"]
        targets = as_list(fk["reference"]["fields"])
        unique = unique_fields(by_name[target_name])
        pairs = [(f, t) for f, t in zip(fields, targets, strict=True) if t in unique]
        keys.extend((field, target_name, target) for field, target in pairs[:1])
    return list(dict.fromkeys(keys))


def creation_order(resources: list[Resource]) -> list[Resource]:
    """Referenced tables before the tables that reference them."""
    by_name = {r["name"]: r for r in resources}
    done: dict[str, Resource] = {}

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in done:
            return
        if name in path:
            raise PipelineError(f"circular foreign keys between resources {' -> '.join((*path, name))}")
        for fk in by_name[name]["schema"].get("foreignKeys", []):
            target = fk["reference"].get("resource") or name
            if target != name:
                if target not in by_name:
                    raise PipelineError(f"resource {name}: foreign key to unknown resource {target!r}")
                visit(target, (*path, name))
        done[name] = by_name[name]

    for resource in resources:
        visit(resource["name"], ())
    return list(done.values())


def create_table(db: Any, resource: Resource, by_name: dict[str, Resource], constrained: bool) -> None:
    schema = resource["schema"]
    columns = {f["name"]: SQL_TYPES.get(f.get("type", "string"), str) for f in schema["fields"]}
    if not constrained:
        db[resource["name"]].create(columns)
        return
    required = {f["name"] for f in schema["fields"] if (f.get("constraints") or {}).get("required")}
    primary = as_list(schema.get("primaryKey"))
    db[resource["name"]].create(
        columns,
        pk=primary[0] if len(primary) == 1 else tuple(primary) or None,
        not_null=required | set(primary),
        foreign_keys=single_column_keys(resource, by_name),
    )


# Rows written per executemany call; a failed batch is replayed row by row to name the line.
BATCH_ROWS = 5000


def _insert(conn: sqlite3.Connection, package: Package, resource: Resource, strict: bool) -> None:
    """Every row of the resource into its table, in CSV order, inside the caller's transaction."""
    fields = resource["schema"]["fields"]
    names = [f["name"] for f in fields]
    # Text cells come as read; an empty one becomes NULL here, in SQLite, not once per cell in Python.
    values = ["NULLIF(?, '')" if _typed(f.get("type", "string")) is str else "?" for f in fields]
    sql = (
        f"INSERT INTO [{resource['name']}] ({', '.join(f'[{n}]' for n in names)}) "
        f"VALUES ({', '.join(values)})"
    )
    if not conn.in_transaction:
        conn.execute("BEGIN")
    rows = arrow_rows(package, resource) or typed_rows(package, resource, strict)
    while batch := list(islice(rows, BATCH_ROWS)):
        conn.execute("SAVEPOINT batch")
        try:
            conn.executemany(sql, [row for _, row in batch])
        except sqlite3.IntegrityError:
            conn.execute("ROLLBACK TO batch")
            raise _integrity_error(conn, sql, package.resource_path(resource["name"]), batch) from None
        conn.execute("RELEASE batch")


def _integrity_error(
    conn: sqlite3.Connection, sql: str, path: Path, batch: list[tuple[int, tuple]]
) -> PipelineError:
    """The first row of a refused batch (rolled back) that breaks a constraint, by file and line."""
    for line, row in batch:
        try:
            conn.execute(sql, row)
        except sqlite3.IntegrityError as exc:
            return PipelineError(f"{path}:{line}: the row breaks a constraint of the table ({exc})")
    return PipelineError(f"{path}: a batch of rows broke a constraint no single row breaks")


def load_package(
    package: Package,
    db: Any,
    constrained: bool,
    after_table: Callable[[Any, Resource, dict[str, Resource]], None] | None = None,
    leave_out: frozenset[str] = frozenset(),
) -> list[Resource]:
    """Create and fill one table per resource in ``db`` (a ``sqlite_utils.Database``), referenced
    tables first, except the resources in ``leave_out``, which no other loaded one may reference;
    ``after_table`` runs after each (the served database indexes there).

    sqlite-utils creates the tables (types, keys, NOT NULL); the rows go in with one prepared
    INSERT per table and one transaction for the whole load, which is what the per-row cost of
    a large package needs. The caller commits.
    """
    resources = [r for r in package.resources if r["name"] not in leave_out]
    if not resources:
        raise PipelineError(f"{package.label}: the package has no resources")
    by_name = {r["name"]: r for r in resources}
    for resource in creation_order(resources):
        create_table(db, resource, by_name, constrained)
        _insert(db.conn, package, resource, strict=constrained)
        if after_table is not None:
            after_table(db, resource, by_name)
    return resources


def load_into_file(package: Package, path: Path, leave_out: frozenset[str] = frozenset()) -> Path:
    """Validation's copy: a fresh SQLite file with every row as loaded (of every resource but
    those in ``leave_out``), written atomically."""
    import sqlite_utils

    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)
    db = sqlite_utils.Database(temp)
    try:
        load_package(package, db, constrained=False, leave_out=leave_out)
        db.conn.commit()
    finally:
        db.close()
    os.replace(temp, path)
    return path
