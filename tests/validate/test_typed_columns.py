"""The SQL check that stands for a derived resource's CSV suite on the database (its values
present, of their type's written form, among their codes) flags every row whose CSV, written
from the database as ``same_bytes`` writes it, the CSV suite would fail."""

from __future__ import annotations

import math
import re
import sqlite3
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.package.sqlite import SQL_TYPES
from pipelines.validate.same_bytes import _rendered
from pipelines.validate.suites import TYPE_PATTERNS, typed_columns_check

CODES = ["actual", "plan"]
SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "code", "type": "string", "constraints": {"required": True, "enum": CODES}},
        {"name": "value", "type": "number"},
        {"name": "period", "type": "integer", "constraints": {"required": True}},
        {"name": "latest", "type": "boolean"},
        {"name": "issued", "type": "date"},
        {"name": "year", "type": "year"},
    ],
    "primaryKey": ["code", "period"],
}
DECLARED = {"str": "TEXT", "int": "INTEGER", "float": "REAL"}


def _table(rows: list[tuple[Any, ...]]) -> sqlite3.Connection:
    """A table typed as the database loader types it (no constraints: a database changed behind
    the pipeline's back may hold anything its column affinity keeps)."""
    conn = sqlite3.connect(":memory:")
    columns = ", ".join(f"[{f['name']}] {DECLARED[SQL_TYPES[f['type']].__name__]}" for f in SCHEMA["fields"])
    conn.execute(f"CREATE TABLE t ({columns})")
    conn.executemany(f"INSERT INTO t VALUES ({', '.join('?' for _ in SCHEMA['fields'])})", rows)
    return conn


def _flagged(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    check = typed_columns_check("t", SCHEMA)
    assert check is not None
    return conn.execute(check["kwargs"]["unexpected_rows_query"].replace("{batch}", "t")).fetchall()


def _csv_cells(conn: sqlite3.Connection) -> list[str]:
    """The row's cells as ``same_bytes`` writes the table (the csv module: None empty, str())."""
    row = conn.execute(f"SELECT {', '.join(map(_rendered, SCHEMA['fields']))} FROM t").fetchone()
    return ["" if v is None else str(v) for v in row]


def _csv_suite_fails(cells: list[str]) -> bool:
    """What the CSV suite checks of one row's text (column_suite: required, type, codes)."""
    for field, cell in zip(SCHEMA["fields"], cells, strict=True):
        constraints = field.get("constraints") or {}
        if cell == "":
            if constraints.get("required") or field["name"] in SCHEMA["primaryKey"]:
                return True
            continue
        pattern = TYPE_PATTERNS.get(field["type"])
        if pattern and not re.search(pattern, cell):
            return True
        if "enum" in constraints and cell not in constraints["enum"]:
            return True
    return False


# Values at the edges of each written form, tried in every column.
EDGES = [None, "", "actual", "guess", "true", "abc", "2024-02-30", "2024-13-01", "2024-00-10",
         "2024-12-00", "2024-12-32", "2024-1-01", "12024-01-01", 0, 1, 2, -1, 999, 1000, 9999, 10000,
         -1000, 0.5, 2.0, -0.0, 1e20, 1e-7, math.inf, -math.inf]  # fmt: skip
_ANY = st.one_of(
    st.sampled_from(EDGES),
    st.text(alphabet="0123456789-.e ", max_size=11),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False),
)


SOUND = ("actual", 5.55, 2022, 1, "2022-11-30", 2023)


def _one_changed(column: int, value: Any) -> None:
    """A sound row with one value replaced: flagged whenever its CSV would fail the suite."""
    conn = _table([(*SOUND[:column], value, *SOUND[column + 1 :])])
    if _csv_suite_fails(_csv_cells(conn)):
        assert _flagged(conn), (column, value, _csv_cells(conn))


@pytest.mark.parametrize("value", EDGES, ids=repr)
@pytest.mark.parametrize("column", range(len(SOUND)))
def test_an_edge_value_the_csv_suite_would_fail_is_flagged(column: int, value: Any) -> None:
    _one_changed(column, value)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=len(SOUND) - 1), _ANY)
def test_any_value_the_csv_suite_would_fail_is_flagged(column: int, value: Any) -> None:
    _one_changed(column, value)


def test_rows_as_the_loader_stores_sound_csv_pass() -> None:
    conn = _table(
        [
            SOUND,
            ("plan", -3.0, 2023, 0, None, None),
            ("plan", None, 2024, None, "2024-02-29", -1000),
        ]
    )
    assert _flagged(conn) == []


def test_each_break_is_named_with_its_row_key() -> None:
    conn = _table(
        [
            ("guess", 1.0, 2022, 1, "2022-11-30", 2023),
            ("plan", "ba mươi", 2022, 1, "2022-11-30", 2023),
            ("actual", 1.0, 2022, 2, "2022-11-30", 2023),
            ("actual", 1.0, 2023, 1, "2022-02-31x", 2023),
            ("actual", 1.0, None, 1, "2022-11-30", 2023),
        ]
    )
    assert _flagged(conn) == [
        ("guess", 2022, "code: not one of its codes"),
        ("plan", 2022, "value: not of type number"),
        ("actual", 2022, "latest: not of type boolean"),
        ("actual", 2023, "issued: not of type date"),
        ("actual", None, "period: empty"),
    ]


def test_a_check_the_database_cannot_run_keeps_the_csv_suite() -> None:
    for constraint in ({"pattern": "^[a-z]+$"}, {"unique": True}):
        fields = [{"name": "code", "type": "string", "constraints": constraint}]
        assert typed_columns_check("t", {"fields": fields}) is None
    coded_numbers = [{"name": "n", "type": "integer", "constraints": {"enum": [1, 2]}}]
    assert typed_columns_check("t", {"fields": coded_numbers}) is None
