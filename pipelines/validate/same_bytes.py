"""Whether the published database's table of a derived resource, written out as the package
writer writes CSV, is byte for byte that resource's CSV file.

The derived resources (series, best figures, revisions, crosswalk) are as large as the tables
they come from. When the database renders every one of them back to its CSV's exact bytes, the
CSV is sound in structure (the writer's header, quoting and widths, UTF-8) and the database holds
exactly its rows, so their SQL suites run once, on the database, without validation loading its
own copy of them. Anything else (an edited file, a table changed after the build, a number the
database cannot give back in the CSV's spelling) takes the full way: structure check, copy,
suites on the copy, and the database compared row by row (``same_rows``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Set
from pathlib import Path
from typing import Any

from pipelines.package.csvio import text_rows_to_csv
from pipelines.package.reader import Package
from pipelines.validate.expectations import Suite
from pipelines.validate.gx_runner import ExpectationOutcome, SuiteOutcome, table_outcomes
from pipelines.validate.suites import TYPED_COLUMNS


def _rendered(field: dict[str, Any]) -> str:
    """The column as SQL giving the CSV cell's value: a whole number without ``.0``, a boolean
    as ``true``/``false``; other values as the csv module writes them (NULL as empty)."""
    name = f"[{field['name']}]"
    kind = field.get("type", "string")
    if kind == "number":
        return f"CASE WHEN {name} = CAST({name} AS INTEGER) THEN CAST({name} AS INTEGER) ELSE {name} END"
    if kind == "boolean":
        return f"CASE {name} WHEN 1 THEN 'true' WHEN 0 THEN 'false' END"
    return name


def renders_as_csv(conn: sqlite3.Connection, package: Package, name: str) -> bool:
    """The database's table ``name``, in row order, written as the package writes CSV, equals
    the bytes of the resource's CSV file."""
    fields = package.schemas[name]["fields"]
    path = package.resource_path(name)
    if not path.is_file():
        return False
    try:
        cursor = conn.execute(f"SELECT {', '.join(map(_rendered, fields))} FROM [{name}] ORDER BY rowid")
        return text_rows_to_csv([f["name"] for f in fields], cursor) == path.read_bytes()
    except sqlite3.Error:
        return False


def unreferenced(package: Package, names: Iterable[str]) -> frozenset[str]:
    """The resources of ``names`` that no resource outside them refers to by a foreign key: a
    copy of the package without them still holds every table its other suites join."""
    left = set(names)
    while True:
        referred = {
            fk["reference"].get("resource") or r["name"]
            for r in package.resources
            if r["name"] not in left
            for fk in r["schema"].get("foreignKeys", [])
        }
        if not left & referred:
            return frozenset(left)
        left -= referred


def checked_on_database(database: Path | None, package: Package, derived: Iterable[str]) -> frozenset[str]:
    """The derived resources whose SQL suites run on the published database alone: those no
    other resource refers to, when the database gives back every one of their CSVs byte for
    byte (all or none: a suite on the copy may join any of them)."""
    names = unreferenced(package, derived)
    if database is None or not names:
        return frozenset()
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return names if all(renders_as_csv(conn, package, name) for name in sorted(names)) else frozenset()
    finally:
        conn.close()


def typed_on_database(suites: list[Suite], tables: Set[str]) -> frozenset[str]:
    """The tables of ``tables`` whose SQL suite checks their values as their CSV suite does
    (``typed_columns_check``): on the database, that check stands for the CSV suite."""
    return frozenset(
        suite["meta"]["target"]
        for suite in suites
        if suite["meta"]["engine"] == "sql"
        and suite["meta"]["target"] in tables
        and any(
            e["meta"]["id"] == f"{suite['meta']['target']}.{TYPED_COLUMNS}" for e in suite["expectations"]
        )
    )


def rendered_suites(suites: list[Suite], tables: Set[str], typed: Set[str], label: str) -> list[SuiteOutcome]:
    """The outcomes on the package of the suites that ran on the database instead, the CSV being
    the database's table as written: each SQL suite of ``tables``, and the CSV suite of each of
    ``typed``, whose checks its SQL suite ran on the database's typed values."""
    return table_outcomes(
        suites,
        tables,
        label,
        lambda table, _: ExpectationOutcome(
            id=f"{table}.csv.same_as_database", type="same_bytes", success=True
        ),
    ) + table_outcomes(
        suites,
        typed,
        label,
        lambda table, _: ExpectationOutcome(
            id=f"{table}.columns.checked_on_database", type="same_bytes", success=True
        ),
        engine="pandas",
    )
