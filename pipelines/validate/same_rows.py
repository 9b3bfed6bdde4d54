"""Whether a table of one SQLite database holds exactly the rows of the same table in another.

Validation runs the SQL suites of the derived resources (built in the package from the others:
series, best figures, revisions, crosswalk) on its own copy of the package, where every row
loads as it is, and compares the published database's tables with that copy instead of running
the same suites on the same rows again. Identical rows give identical answers; the database's
own constraints (types, NOT NULL, keys) hold by construction.

Both are loaded in CSV order, so rows are compared by rowid first (one pass); when that finds a
difference, a set comparison confirms it (a database may number its rows differently) and names
the rows that differ.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Set
from pathlib import Path

from pipelines.validate.expectations import Suite
from pipelines.validate.gx_runner import MAX_ROWS, ExpectationOutcome, SuiteOutcome, table_outcomes


def _columns(conn: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA {schema}.table_info([{table}])")]


def _count(conn: sqlite3.Connection, schema: str, table: str) -> int:
    return conn.execute(f"SELECT COUNT(*) FROM {schema}.[{table}]").fetchone()[0]


def _same_by_rowid(conn: sqlite3.Connection, table: str, columns: list[str], rows: int) -> bool:
    differs = " OR ".join(f"a.[{c}] IS NOT b.[{c}]" for c in columns)
    matched, differing = conn.execute(
        f"SELECT COUNT(*), TOTAL({differs}) FROM main.[{table}] AS a "
        f"JOIN checked.[{table}] AS b ON a.rowid = b.rowid"
    ).fetchone()
    return matched == rows and differing == 0


def _differing_rows(
    conn: sqlite3.Connection, table: str, columns: list[str], key: list[str]
) -> tuple[int, list[dict]]:
    """Rows of the database that the checked copy lacks, and the other way round (by key)."""
    listed = ", ".join(f"[{c}]" for c in columns)
    shown = [c for c in key if c in columns] or columns[:3]
    found, rows = 0, []
    for side, first, second in (("database", "main", "checked"), ("checked copy", "checked", "main")):
        query = f"SELECT {listed} FROM {first}.[{table}] EXCEPT SELECT {listed} FROM {second}.[{table}]"
        found += conn.execute(f"SELECT COUNT(*) FROM ({query})").fetchone()[0]
        cursor = conn.execute(f"SELECT {', '.join(f'[{c}]' for c in shown)} FROM ({query}) LIMIT {MAX_ROWS}")
        rows += [{"only_in": side, **dict(zip(shown, values, strict=True))} for values in cursor]
    return found, rows[:MAX_ROWS]


def same_rows(database: Path, checked: Path, table: str, key: list[str]) -> ExpectationOutcome:
    """The outcome ``<table>.rows.same_as_checked``: ``database`` has exactly ``checked``'s rows."""
    outcome = ExpectationOutcome(id=f"{table}.rows.same_as_checked", type="same_rows", success=False)
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        conn.execute("ATTACH DATABASE ? AS checked", (f"file:{checked}?mode=ro",))
        columns = _columns(conn, "checked", table)
        mine = _columns(conn, "main", table)
        if mine != columns:
            outcome.error = (
                f"the database has no table {table!r}"
                if not mine
                else f"the columns of {table!r} differ from those of the checked copy"
            )
            return outcome
        rows, expected = _count(conn, "main", table), _count(conn, "checked", table)
        if rows == expected and _same_by_rowid(conn, table, columns, rows):
            outcome.success = True
            return outcome
        outcome.unexpected_count, outcome.rows = _differing_rows(conn, table, columns, key)
        outcome.success = outcome.unexpected_count == 0 and rows == expected
        if not outcome.success and not outcome.rows:
            outcome.error = f"{table!r} has {rows} rows, the checked copy {expected}"
        return outcome
    finally:
        conn.close()


def compared_suites(
    suites: list[Suite], tables: Set[str], database: Path, checked: Path, label: str
) -> list[SuiteOutcome]:
    """For each SQL suite of ``tables``, its outcome on ``database``: the rows compared with the
    checked copy on which the suite ran."""
    return table_outcomes(suites, tables, label, lambda table, key: same_rows(database, checked, table, key))
