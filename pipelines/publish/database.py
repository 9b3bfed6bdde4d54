"""Build the site's SQLite database from a Frictionless package with sqlite-utils.

Everything is driven by the package descriptor, so a resource added to the package becomes a
table (with keys, indexes and descriptions) with no code change; views and full-text search
come from ``metadata/site.yaml`` and the resources' ``site`` metadata.
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipelines.common.assessment import assess
from pipelines.common.atomic import replace_durably
from pipelines.common.errors import PipelineError, os_failure
from pipelines.common.text import fold_diacritics
from pipelines.package.metadata import Metadata
from pipelines.package.reader import Package, read_package
from pipelines.package.sqlite import Resource, as_list, load_package, single_column_keys, unique_fields
from pipelines.publish.siteconfig import SiteConfig, ViewConfig

FTS_TOKENIZER = "unicode61 remove_diacritics 2"
FOLDED_COLUMN = "search_folded"
# Columns the saved queries and the indicator page look rows up by, indexed wherever they appear.
LOOKUP_COLUMNS = ("report_id", "indicator_id")


def fts_table_name(table: str) -> str:
    return f"{table}_fts"


def _index(db: Any, resource: Resource, by_name: dict[str, Resource], metadata: Metadata) -> None:
    name = resource["name"]
    table = db[name]
    primary = as_list(resource["schema"].get("primaryKey"))
    for field in sorted(unique_fields(resource) - (set(primary) if len(primary) == 1 else set())):
        table.create_index([field], unique=True, index_name=f"ux_{name}_{field}")
    indexed = [column for column, _, _ in single_column_keys(resource, by_name)]
    meta = metadata.resources.get(name)
    compound = meta.site.indexes if meta is not None else []
    if meta is not None:
        indexed += meta.site.facets + [c for c in (meta.site.sort, meta.site.sort_desc) if c]
    for columns in compound:
        table.create_index(columns, index_name=f"ix_{name}_{'_'.join(columns)}", if_not_exists=True)
    # The primary key's index and a compound index serve lookups by their first column too: no
    # second index for that column.
    leading = {columns[0] for columns in [primary, *compound] if columns}
    for column in dict.fromkeys(c for c in indexed if c not in leading):
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
    # The same names recur in every report: each distinct text is folded once.
    fold = lru_cache(maxsize=None)(fold_diacritics)
    rows = [
        (rowid, *values, fold(" ".join(v for v in values if v)))
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
    as their rowid order, which is the order Datasette shows by default. Its statistics are
    gathered too, for the views after it and for the site's queries.
    """
    try:
        conn.execute(f"CREATE TABLE [{view.name}] AS {view.sql}")
    except sqlite3.Error as exc:
        raise PipelineError(f"metadata/site.yaml: view {view.name}: {exc}") from None
    columns = {row[1] for row in conn.execute(f"PRAGMA table_info([{view.name}])")}
    for index in view_indexes(view, columns):
        column_sql = ", ".join(f"[{c}]" for c in index)
        conn.execute(f"CREATE INDEX [ix_{view.name}_{'_'.join(index)}] ON [{view.name}] ({column_sql})")
    conn.execute(f"ANALYZE [{view.name}]")


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


def _fill(
    db: Any, package: Package, metadata: Metadata, site: SiteConfig
) -> tuple[list[Resource], list[ViewConfig]]:
    """Tables, indexes, full-text search and materialised views, committed.

    No VACUUM: the file is written once, in one transaction, each table's rows in one run, so it
    leaves no free pages; rewriting the whole file again (3 s of CPU at 1,000 reports) would only
    repack partly filled pages (about 1 % of the file).
    """
    resources = load_package(
        package, db, constrained=True, after_table=lambda d, r, by_name: _index(d, r, by_name, metadata)
    )
    present = {r["name"] for r in resources}
    for name, meta in metadata.resources.items():
        if name in present and meta.site.search:
            _full_text(db, name, meta.site.search)
    views = site.views_for(present)
    register_functions(db.conn)
    # Without statistics the planner may look observations up by a column shared by every
    # report (period, measure) inside a view's join: quadratic in the number of reports.
    db.execute("ANALYZE")
    for view in views:
        _materialise(db.conn, view)
        if view.search:
            _full_text(db, view.name, view.search)
    _check_keys(db.conn)
    db.conn.commit()
    return resources, views


def build_database(package_path: Path, out: Path, metadata: Metadata, site: SiteConfig) -> list[str]:
    """Write the database atomically; returns the names of the tables and derived tables created."""
    import sqlite_utils

    package = read_package(package_path)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise os_failure(exc, "create the database") from None
    try:
        db = sqlite_utils.Database(tmp)
        try:
            resources, views = _fill(db, package, metadata, site)
        finally:
            db.close()  # an unfinished build's transaction is dropped with its journal
        replace_durably(tmp, out)
    except sqlite3.OperationalError as exc:
        tmp.unlink(missing_ok=True)
        raise PipelineError(f"{tmp}: cannot build the database: {exc}") from None
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise os_failure(exc, "write the database") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return [r["name"] for r in resources] + [v.name for v in views]
