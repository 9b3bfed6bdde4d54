"""The one loader of a package into SQLite, for the served database and for validation.

Both get the same tables, column types and values. The served database (``constrained``) also
gets NOT NULL, primary and single-column foreign keys, and refuses a value its type rejects;
validation's copy loads every row as it is, a wrong-typed value kept as text, so that the SQL
checks can name the bad rows instead of the load stopping at the first.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pipelines.common.errors import PipelineError
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


def convert(text: str, field_type: str, where: str, strict: bool = True) -> Any:
    """A CSV cell as the SQLite value its type asks for; empty means NULL. Not strict: a value
    the type rejects is kept as its text."""
    if text == "":
        return None
    try:
        if field_type == "boolean":
            if text in TRUE_VALUES:
                return 1
            if text in FALSE_VALUES:
                return 0
            raise ValueError(text)
        return SQL_TYPES.get(field_type, str)(text)
    except ValueError:
        if not strict:
            return text
        raise PipelineError(f"{where}: {text!r} is not a valid {field_type}") from None


def typed_rows(package: Package, resource: Resource, strict: bool = True) -> Iterator[dict[str, Any]]:
    """The resource's rows with typed values, every schema field present (NULL when absent)."""
    types = {f["name"]: f.get("type", "string") for f in resource["schema"]["fields"]}
    where = package.resource_path(resource["name"])
    for line, row in package.text_rows(resource["name"]):
        yield {
            name: convert(row.get(name) or "", kind, f"{where}:{line}", strict)
            for name, kind in types.items()
        }


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


def _create_table(db: Any, resource: Resource, by_name: dict[str, Resource], constrained: bool) -> None:
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


def load_package(
    package: Package,
    db: Any,
    constrained: bool,
    after_table: Callable[[Any, Resource, dict[str, Resource]], None] | None = None,
) -> list[Resource]:
    """Create and fill one table per resource in ``db`` (a ``sqlite_utils.Database``), referenced
    tables first; ``after_table`` runs after each (the served database indexes there)."""
    resources = package.resources
    if not resources:
        raise PipelineError(f"{package.label}: the package has no resources")
    by_name = {r["name"]: r for r in resources}
    for resource in creation_order(resources):
        _create_table(db, resource, by_name, constrained)
        db[resource["name"]].insert_all(typed_rows(package, resource, strict=constrained), batch_size=1000)
        if after_table is not None:
            after_table(db, resource, by_name)
    return resources


def load_into_file(package: Package, path: Path) -> Path:
    """Validation's copy: a fresh SQLite file with every row as loaded, written atomically."""
    import sqlite_utils

    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)
    db = sqlite_utils.Database(temp)
    try:
        load_package(package, db, constrained=False)
        db.conn.commit()
    finally:
        db.close()
    os.replace(temp, path)
    return path
