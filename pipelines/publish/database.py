"""Build the site's SQLite database from a Frictionless package with sqlite-utils.

Everything is driven by the package descriptor, so a resource added to the package becomes a
table (with keys, indexes and descriptions) with no code change; views and full-text search
come from ``metadata/site.yaml`` and the resources' ``site`` metadata.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from pipelines.common.assessment import assess
from pipelines.common.errors import PipelineError
from pipelines.common.text import fold_diacritics
from pipelines.package.metadata import Metadata
from pipelines.publish.siteconfig import SiteConfig, ViewConfig

SQL_TYPES = {
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
FTS_TOKENIZER = "unicode61 remove_diacritics 2"
FOLDED_COLUMN = "search_folded"
# Columns the saved queries and the indicator page look rows up by, indexed wherever they appear.
LOOKUP_COLUMNS = ("report_id", "indicator_id")


def fts_table_name(table: str) -> str:
    return f"{table}_fts"


def read_descriptor(package: Path) -> dict[str, Any]:
    """The package descriptor; ``package`` is the datapackage.json or the folder holding it."""
    path = package / "datapackage.json" if package.is_dir() else package
    if not path.exists():
        raise PipelineError(f"{path}: no datapackage.json")
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def _as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def convert(text: str, field_type: str, where: str) -> Any:
    """A CSV cell as the SQLite value its Table Schema type asks for; empty means NULL."""
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
        raise PipelineError(f"{where}: {text!r} is not a valid {field_type}") from None


def read_rows(base: Path, resource: dict[str, Any]) -> Iterator[dict[str, Any]]:
    path = base / resource["path"]
    types = {f["name"]: f.get("type", "string") for f in resource["schema"]["fields"]}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            yield {name: convert(row.get(name) or "", kind, f"{path}:{line}") for name, kind in types.items()}


def _unique_fields(resource: dict[str, Any]) -> set[str]:
    fields = {f["name"] for f in resource["schema"]["fields"] if (f.get("constraints") or {}).get("unique")}
    primary = _as_list(resource["schema"].get("primaryKey"))
    if len(primary) == 1:
        fields |= set(primary)
    return fields


def single_column_keys(
    resource: dict[str, Any], by_name: dict[str, dict[str, Any]]
) -> list[tuple[str, str, str]]:
    """Foreign keys as SQLite and Datasette can use them: one column each.

    SQLite needs the referenced column to be unique, so a key is declared on the first column whose
    referenced field is unique on its own: (report_id, indicator_id) -> indicators becomes
    indicator_id -> indicators.indicator_id (report_id has its own key to reports). Keys that cannot
    be expressed this way are left to the validation suites.
    """
    keys = []
    for fk in resource["schema"].get("foreignKeys", []):
        fields = _as_list(fk["fields"])
        target_name = fk["reference"].get("resource") or resource["name"]
        targets = _as_list(fk["reference"]["fields"])
        unique = _unique_fields(by_name[target_name])
        pairs = [(f, t) for f, t in zip(fields, targets, strict=True) if t in unique]
        keys.extend((field, target_name, target) for field, target in pairs[:1])
    return list(dict.fromkeys(keys))


def creation_order(resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Referenced tables before the tables that reference them."""
    by_name = {r["name"]: r for r in resources}
    done: dict[str, dict[str, Any]] = {}

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


def _create_table(db: Any, resource: dict[str, Any], by_name: dict[str, dict[str, Any]]) -> None:
    schema = resource["schema"]
    columns = {f["name"]: SQL_TYPES.get(f.get("type", "string"), str) for f in schema["fields"]}
    required = {f["name"] for f in schema["fields"] if (f.get("constraints") or {}).get("required")}
    primary = _as_list(schema.get("primaryKey"))
    db[resource["name"]].create(
        columns,
        pk=primary[0] if len(primary) == 1 else tuple(primary) or None,
        not_null=required | set(primary),
        foreign_keys=single_column_keys(resource, by_name),
    )


def _index(db: Any, resource: dict[str, Any], metadata: Metadata, by_name: dict[str, dict[str, Any]]) -> None:
    name = resource["name"]
    table = db[name]
    primary = _as_list(resource["schema"].get("primaryKey"))
    for field in sorted(_unique_fields(resource) - (set(primary) if len(primary) == 1 else set())):
        table.create_index([field], unique=True, index_name=f"ux_{name}_{field}")
    indexed = [column for column, _, _ in single_column_keys(resource, by_name)]
    meta = metadata.resources.get(name)
    if meta is not None:
        indexed += meta.site.facets + [c for c in (meta.site.sort, meta.site.sort_desc) if c]
    for column in dict.fromkeys(indexed):
        table.create_index([column], index_name=f"ix_{name}_{column}", if_not_exists=True)


def _full_text(db: Any, name: str, columns: list[str]) -> None:
    """FTS5 over the named columns plus an accent-free copy of them (``đ`` folded to ``d``).

    The tokenizer removes Vietnamese diacritics from both the text and the query, but no tokenizer
    folds ``đ``; the extra column makes ``duong`` find ``đường``. Row ids match the table's, which
    is what Datasette's ``fts_table``/``fts_pk`` search expects.
    """
    fts = fts_table_name(name)
    present = {row[1] for row in db.execute(f"PRAGMA table_info([{name}])")}
    missing = [c for c in columns if c not in present]
    if missing:
        raise PipelineError(
            f"metadata/resources/{name}.yaml: search columns {missing} are not in the package"
        )
    indexed = [*columns, FOLDED_COLUMN]
    column_sql = ", ".join(f"[{c}]" for c in indexed)
    db.execute(f"CREATE VIRTUAL TABLE [{fts}] USING fts5({column_sql}, tokenize='{FTS_TOKENIZER}')")
    selected = ", ".join(f"[{c}]" for c in columns)
    rows = [
        (rowid, *values, fold_diacritics(" ".join(v for v in values if v)))
        for rowid, *values in db.execute(f"SELECT rowid, {selected} FROM [{name}]").fetchall()
    ]
    placeholders = ", ".join("?" for _ in range(len(indexed) + 1))
    db.conn.executemany(f"INSERT INTO [{fts}] (rowid, {column_sql}) VALUES ({placeholders})", rows)


def view_indexes(view: ViewConfig, columns: set[str]) -> list[tuple[str, ...]]:
    """The view's declared indexes, one per facet and sort column, and its lookup columns."""
    wanted = [tuple(index) for index in view.indexes]
    wanted += [(c,) for c in [*view.facets, view.sort, view.sort_desc] if c]
    unknown = sorted({c for index in wanted for c in index} - columns)
    if unknown:
        raise PipelineError(f"metadata/site.yaml: view {view.name}: indexed columns {unknown} are not in it")
    wanted += [(c,) for c in LOOKUP_COLUMNS if c in columns]
    return list(dict.fromkeys(wanted))


def _materialise(conn: sqlite3.Connection, view: ViewConfig) -> None:
    """A derived table named like the view, filled in the view's order, with its indexes.

    The database is never written after the build, so computing a view's joins once here, rather
    than on every page and saved query that reads it, loses nothing; rows keep the view's ORDER BY
    as their rowid order, which is the order Datasette shows by default.
    """
    try:
        conn.execute(f"CREATE TABLE [{view.name}] AS {view.sql}")
    except sqlite3.Error as exc:
        raise PipelineError(f"metadata/site.yaml: view {view.name}: {exc}") from None
    columns = {row[1] for row in conn.execute(f"PRAGMA table_info([{view.name}])")}
    for index in view_indexes(view, columns):
        column_sql = ", ".join(f"[{c}]" for c in index)
        conn.execute(f"CREATE INDEX [ix_{view.name}_{'_'.join(index)}] ON [{view.name}] ({column_sql})")


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def assess_in_sql(
    value: Any, target_low: Any, target_high: Any, qualifier: Any, direction: Any, flagged: Any
) -> str:
    """``chitieu_assess(...)`` in the views' SQL: the project's one direction-aware assessment."""
    return assess(
        _decimal(value),
        target_low=_decimal(target_low),
        target_high=_decimal(target_high),
        qualifier=qualifier,
        direction=direction,
        flagged=bool(flagged),
    )


def register_functions(conn: sqlite3.Connection) -> None:
    """SQL functions the views may call while they are materialised (never at serving time)."""
    conn.create_function("chitieu_assess", 6, assess_in_sql, deterministic=True)


def _check_keys(conn: sqlite3.Connection) -> None:
    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        sample = ", ".join(f"{table} rowid {rowid} -> {parent}" for table, rowid, parent, _ in broken[:5])
        raise PipelineError(f"{len(broken)} rows break a foreign key: {sample}")


def build_database(package: Path, out: Path, metadata: Metadata, site: SiteConfig) -> list[str]:
    """Write the database atomically; returns the names of the tables and derived tables created."""
    import sqlite_utils

    descriptor = read_descriptor(package)
    base = package if package.is_dir() else package.parent
    resources = descriptor.get("resources", [])
    if not resources:
        raise PipelineError(f"{package}: the package has no resources")
    by_name = {r["name"]: r for r in resources}
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        db = sqlite_utils.Database(tmp)
        for resource in creation_order(resources):
            _create_table(db, resource, by_name)
            db[resource["name"]].insert_all(read_rows(base, resource), batch_size=1000)
            _index(db, resource, metadata, by_name)
        for name, meta in metadata.resources.items():
            if name in by_name and meta.site.search:
                _full_text(db, name, meta.site.search)
        views = site.views_for(set(by_name))
        register_functions(db.conn)
        for view in views:
            _materialise(db.conn, view)
            if view.search:
                _full_text(db, view.name, view.search)
        _check_keys(db.conn)
        db.conn.commit()
        db.execute("VACUUM")
        db.close()
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return [r["name"] for r in resources] + [v.name for v in views]
