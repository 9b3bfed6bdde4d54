"""The SQLite loader: the same tables and rows as sqlite-utils' own row insertion gives.

The loader writes rows with one prepared INSERT per table in one transaction. The reference here
is the simple way it replaced: sqlite-utils ``insert_all`` of rows converted cell by cell from
the CSV's text. Both must give the same schema (every CREATE statement) and the same rows, value
for value and type for type, for the served (constrained) copy and validation's copy.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlite_utils

from pipelines.common.errors import PipelineError
from pipelines.package.reader import Package, read_package
from pipelines.package.sqlite import create_table, creation_order, load_into_file, load_package
from tests.paths import ROOT_PACKAGE

CONVERSIONS = {"integer": int, "year": int, "number": float}


def _reference_cell(text: str, kind: str, strict: bool) -> object:
    if text == "":
        return None
    try:
        if kind == "boolean":
            return {"true": 1, "True": 1, "TRUE": 1, "1": 1, "false": 0, "False": 0, "FALSE": 0, "0": 0}[text]
        return CONVERSIONS.get(kind, str)(text)
    except (KeyError, ValueError):
        if strict:
            raise
        return text


def _reference_load(package: Package, path: Path, constrained: bool) -> None:
    db = sqlite_utils.Database(path)
    by_name = {r["name"]: r for r in package.resources}
    for resource in creation_order(package.resources):
        create_table(db, resource, by_name, constrained)
        types = [(f["name"], f.get("type", "string")) for f in resource["schema"]["fields"]]
        rows = (
            {name: _reference_cell(row.get(name) or "", kind, constrained) for name, kind in types}
            for _, row in package.text_rows(resource["name"])
        )
        db[resource["name"]].insert_all(rows, batch_size=1000)
    db.conn.commit()
    db.close()


def _load(package: Package, path: Path, constrained: bool) -> None:
    db = sqlite_utils.Database(path)
    load_package(package, db, constrained)
    db.conn.commit()
    db.close()


def _contents(path: Path) -> tuple[list[tuple], dict[str, list[tuple]]]:
    conn = sqlite3.connect(path)
    schema = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    tables = [name for kind, name, _ in schema if kind == "table"]
    rows = {
        table: [
            tuple((type(v).__name__, v) for v in row)
            for row in conn.execute(f"SELECT * FROM [{table}] ORDER BY rowid")
        ]
        for table in tables
    }
    conn.close()
    return schema, rows


@pytest.mark.parametrize("constrained", [True, False])
@pytest.mark.parametrize("which", ["seed", "root"])
def test_the_loader_gives_the_schema_and_rows_of_sqlite_utils_insert_all(
    tmp_path: Path, seed_package: Path, which: str, constrained: bool
) -> None:
    package = read_package(seed_package if which == "seed" else ROOT_PACKAGE)
    _reference_load(package, tmp_path / "reference.db", constrained)
    _load(package, tmp_path / "loaded.db", constrained)
    reference_schema, reference_rows = _contents(tmp_path / "reference.db")
    schema, rows = _contents(tmp_path / "loaded.db")
    assert schema == reference_schema
    assert rows.keys() == reference_rows.keys()
    for table, expected in reference_rows.items():
        assert rows[table] == expected, table
    assert sum(len(r) for r in rows.values()) > 100


def _package_with(seed_package: Path, tmp_path: Path, resource: str, edit: Callable[[str], str]) -> Package:
    copy = tmp_path / "package"
    shutil.copytree(seed_package, copy)
    path = copy / "data" / f"{resource}.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = edit(lines[1])
    path.write_text("".join(lines), encoding="utf-8")
    return read_package(copy)


def test_a_value_its_type_rejects_is_named_by_file_line_and_field(seed_package: Path, tmp_path: Path) -> None:
    package = _package_with(
        seed_package, tmp_path, "reports", lambda line: line.replace(",2022,", ",20x2,", 1)
    )
    with pytest.raises(PipelineError, match=r"reports\.csv:2: \w+ '20x2' is not a valid (integer|year)"):
        _load(package, tmp_path / "db.sqlite", constrained=True)
    # Validation's copy keeps the value as its text, for the checks to name.
    load_into_file(package, tmp_path / "validation.sqlite")
    conn = sqlite3.connect(tmp_path / "validation.sqlite")
    assert conn.execute("SELECT COUNT(*) FROM reports WHERE reporting_year = '20x2'").fetchone() == (1,)


def test_a_row_that_breaks_a_key_is_named_by_file_and_line(seed_package: Path, tmp_path: Path) -> None:
    package = _package_with(seed_package, tmp_path, "observations", lambda line: line + line)
    with pytest.raises(PipelineError, match=r"observations\.csv:3: the row breaks a constraint .*UNIQUE"):
        _load(package, tmp_path / "db.sqlite", constrained=True)


def test_columns_in_another_order_or_missing_load_as_the_schema_says(
    seed_package: Path, tmp_path: Path
) -> None:
    """A CSV whose columns are not in schema order (or lack one) takes the cell-by-cell path:
    each value goes to its field, a missing column is NULL, an empty text cell NULL."""
    import csv

    copy = tmp_path / "package"
    shutil.copytree(seed_package, copy)
    path = copy / "data" / "reports.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    dropped, kept = fields[-1], list(reversed(fields[:-1]))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=kept, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    _load(read_package(seed_package), tmp_path / "in_order.db", constrained=False)
    _load(read_package(copy), tmp_path / "reordered.db", constrained=False)
    conn = sqlite3.connect(tmp_path / "in_order.db")
    conn.execute("ATTACH DATABASE ? AS reordered", (str(tmp_path / "reordered.db"),))
    others = ", ".join(f"[{f}]" for f in kept)
    assert (
        conn.execute(f"SELECT {others} FROM reports").fetchall()
        == conn.execute(f"SELECT {others} FROM reordered.reports").fetchall()
    )
    assert conn.execute(
        f"SELECT COUNT(*) FROM reordered.reports WHERE [{dropped}] IS NOT NULL"
    ).fetchone() == (0,)
    assert conn.execute(f"SELECT COUNT(*) FROM reports WHERE [{kept[0]}] = ''").fetchone() == (0,)


def _one_table(tmp_path: Path, body: str, missing: list[str] | None = None) -> tuple[Package, dict]:
    import json

    fields = [
        {"name": "code", "type": "string"},
        {"name": "value", "type": "number"},
        {"name": "latest", "type": "boolean"},
        {"name": "day", "type": "date"},
    ]
    schema: dict = {"fields": fields} | ({"missingValues": missing} if missing else {})
    (tmp_path / "t.csv").write_text("code,value,latest,day\n" + body, encoding="utf-8")
    descriptor = {"resources": [{"name": "t", "path": "t.csv", "schema": schema}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    package = read_package(tmp_path)
    return package, package.resources[0]


def _as_stored(rows: list[tuple[int, tuple]]) -> list[tuple[int, tuple]]:
    """Rows as SQLite stores them: an empty text cell NULL (the INSERT's NULLIF), True as 1."""
    return [
        (line, tuple(None if v == "" else int(v) if type(v) is bool else v for v in row))
        for line, row in rows
    ]


def test_arrow_reads_a_plain_file_as_the_cell_by_cell_reading_does(tmp_path: Path) -> None:
    """Dates stay their text (never re-spelled), NA is text unless empty: only "" is missing."""
    from pipelines.package.sqlite import arrow_rows, typed_rows

    package, resource = _one_table(
        tmp_path, '04,5.55,true,2022-1-5\n"a, b",,false,\nNA,-0.3,,2023-12-31\n', ["", "NA"]
    )
    fast = arrow_rows(package, resource)
    assert fast is not None
    assert (
        _as_stored(list(fast))
        == _as_stored(list(typed_rows(package, resource)))
        == [
            (2, ("04", 5.55, 1, "2022-1-5")),
            (3, ("a, b", None, 0, None)),
            (4, ("NA", -0.3, None, "2023-12-31")),
        ]
    )


@pytest.mark.parametrize(
    "body",
    ['x,1,true,"two\nlines"\n', "x,1,True,\n", "x,1_000,true,\n", "x,20x2,true,\n"],
    ids=["line break in a cell", "True", "1_000", "not a number"],
)
def test_a_file_arrow_would_read_otherwise_goes_cell_by_cell(tmp_path: Path, body: str) -> None:
    """A record over two lines (its number would not be its line) and cells Arrow's reader
    refuses are left to the cell-by-cell reading, which accepts or names them as before."""
    from pipelines.package.sqlite import arrow_rows

    package, resource = _one_table(tmp_path, body)
    assert arrow_rows(package, resource) is None
