"""The published database's copy of a derived table is compared with the checked copy: the same
rows pass (whatever their rowids), any difference fails and names the rows on each side."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pipelines.validate.same_rows import same_rows

ROWS = [("grdp_growth", "Cao Bằng", 2022, 5.55, 1), ("grdp_growth", "Cao Bằng", 2023, 6.1, 1)]


def _database(path: Path, rows: list[tuple], table: str = "series") -> Path:
    connection = sqlite3.connect(path)
    with connection:
        connection.execute(
            f"CREATE TABLE {table} (indicator_code TEXT, province TEXT, period INTEGER, value REAL, latest INTEGER)"
        )
        connection.executemany(f"INSERT INTO {table} VALUES (?, ?, ?, ?, ?)", rows)
    connection.close()
    return path


KEY = ["indicator_code", "province", "period"]


def test_the_same_rows_pass(tmp_path: Path) -> None:
    checked = _database(tmp_path / "checked.sqlite", ROWS)
    outcome = same_rows(_database(tmp_path / "db.sqlite", ROWS), checked, "series", KEY)
    assert outcome.success and outcome.id == "series.rows.same_as_checked"


def test_the_same_rows_in_another_order_pass(tmp_path: Path) -> None:
    checked = _database(tmp_path / "checked.sqlite", ROWS)
    assert same_rows(_database(tmp_path / "db.sqlite", ROWS[::-1]), checked, "series", KEY).success


def test_a_changed_value_fails_naming_the_row_on_each_side(tmp_path: Path) -> None:
    checked = _database(tmp_path / "checked.sqlite", ROWS)
    changed = [ROWS[0], (*ROWS[1][:3], 6.2, 1)]
    outcome = same_rows(_database(tmp_path / "db.sqlite", changed), checked, "series", KEY)
    assert not outcome.success
    assert outcome.unexpected_count == 2
    assert outcome.rows == [
        {"only_in": "database", "indicator_code": "grdp_growth", "province": "Cao Bằng", "period": 2023},
        {"only_in": "checked copy", "indicator_code": "grdp_growth", "province": "Cao Bằng", "period": 2023},
    ]


def test_a_value_of_another_type_fails(tmp_path: Path) -> None:
    checked = _database(tmp_path / "checked.sqlite", ROWS)
    retyped = [ROWS[0], (*ROWS[1][:3], "6,1", 1)]
    assert not same_rows(_database(tmp_path / "db.sqlite", retyped), checked, "series", KEY).success


def test_a_missing_row_fails(tmp_path: Path) -> None:
    checked = _database(tmp_path / "checked.sqlite", ROWS)
    outcome = same_rows(_database(tmp_path / "db.sqlite", ROWS[:1]), checked, "series", KEY)
    assert not outcome.success
    assert outcome.rows == [
        {"only_in": "checked copy", "indicator_code": "grdp_growth", "province": "Cao Bằng", "period": 2023}
    ]


def test_a_missing_table_fails_with_its_name(tmp_path: Path) -> None:
    checked = _database(tmp_path / "checked.sqlite", ROWS)
    outcome = same_rows(_database(tmp_path / "db.sqlite", ROWS, "other"), checked, "series", KEY)
    assert not outcome.success
    assert outcome.error == "the database has no table 'series'"
