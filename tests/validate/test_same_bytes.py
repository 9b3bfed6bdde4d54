"""A derived table of the published database is taken as its CSV only when it gives the CSV's
bytes back exactly; anything else sends validation the full way (structure, copy, same_rows)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import sqlite_utils

from pipelines.package.reader import Package, read_package
from pipelines.package.sqlite import load_package
from pipelines.validate.same_bytes import checked_on_database, renders_as_csv, unreferenced

FIELDS = [
    {"name": "code", "type": "string", "constraints": {"required": True}},
    {"name": "value", "type": "number"},
    {"name": "latest", "type": "boolean"},
    {"name": "period", "type": "integer"},
]
# The package writer's dialect: minimal quoting, "\n", whole numbers without ".0", empty = none.
CSV = 'code,value,latest,period\n"poverty, rate",5,true,2022\ngrdp_growth,5.55,false,\nnet,-0.3,,2023\n'


def _package(folder: Path, tables: dict[str, str], references: dict[str, str] | None = None) -> Package:
    """A package of ``tables`` (name -> CSV text, all with FIELDS); ``references`` adds a foreign
    key from one resource's code to another's."""
    (folder / "data").mkdir(parents=True)
    resources = []
    for name, text in tables.items():
        (folder / "data" / f"{name}.csv").write_bytes(text.encode("utf-8"))
        schema: dict = {"fields": FIELDS}
        if name in (references or {}):
            target = references[name]
            schema["foreignKeys"] = [{"fields": "code", "reference": {"resource": target, "fields": "code"}}]
        resources.append({"name": name, "path": f"data/{name}.csv", "schema": schema})
    (folder / "datapackage.json").write_text(json.dumps({"resources": resources}), encoding="utf-8")
    return read_package(folder)


def _database(package: Package, path: Path) -> Path:
    """The package through the served database's own loader (typed, constrained)."""
    db = sqlite_utils.Database(path)
    load_package(package, db, constrained=True)
    db.conn.commit()
    db.close()
    return path


def _renders(package: Package, db: Path, name: str = "series") -> bool:
    conn = sqlite3.connect(db)
    try:
        return renders_as_csv(conn, package, name)
    finally:
        conn.close()


def test_a_table_loaded_from_the_writers_csv_gives_its_bytes_back(tmp_path: Path) -> None:
    package = _package(tmp_path / "p", {"series": CSV})
    assert _renders(package, _database(package, tmp_path / "db.sqlite"))


def test_a_changed_value_or_an_extra_row_is_not_the_csv(tmp_path: Path) -> None:
    package = _package(tmp_path / "p", {"series": CSV})
    db = _database(package, tmp_path / "db.sqlite")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE series SET value = 5.56 WHERE code = 'grdp_growth'")
    assert not _renders(package, db)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE series SET value = 5.55 WHERE code = 'grdp_growth'")
    assert _renders(package, db)
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO series VALUES ('extra', 1, 1, 2024)")
    assert not _renders(package, db)


def test_a_csv_the_writer_would_not_write_is_not_vouched_for(tmp_path: Path) -> None:
    """CR LF line ends and an exponent-free decimal the database stores as 1e-05 both differ
    from the rendering, so the full checks name them instead."""
    crlf = _package(tmp_path / "crlf", {"series": CSV.replace("\n", "\r\n")})
    assert not _renders(crlf, _database(crlf, tmp_path / "crlf.sqlite"))
    tiny = _package(tmp_path / "tiny", {"series": "code,value,latest,period\nx,0.00001,true,2022\n"})
    assert not _renders(tiny, _database(tiny, tmp_path / "tiny.sqlite"))


def test_a_missing_table_or_file_is_not_the_csv(tmp_path: Path) -> None:
    package = _package(tmp_path / "p", {"series": CSV, "best": CSV})
    db = _database(package, tmp_path / "db.sqlite")
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE best")
    assert not _renders(package, db, "best")
    (package.root / "data" / "series.csv").unlink()
    assert not _renders(package, db)


def test_a_derived_resource_that_another_refers_to_stays_in_the_copy(tmp_path: Path) -> None:
    package = _package(
        tmp_path / "p",
        {"catalogue": CSV, "observations": CSV, "series": CSV, "best": CSV},
        references={"observations": "catalogue", "best": "series"},
    )
    assert unreferenced(package, ["catalogue", "series", "best"]) == {"series", "best"}
    assert unreferenced(package, ["series"]) == set()


def test_derived_tables_go_to_the_database_all_or_none(tmp_path: Path) -> None:
    package = _package(tmp_path / "p", {"reports": CSV, "series": CSV, "best": CSV})
    db = _database(package, tmp_path / "db.sqlite")
    assert checked_on_database(db, package, ["series", "best"]) == {"series", "best"}
    assert checked_on_database(None, package, ["series", "best"]) == set()
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM best WHERE code = 'net'")
    assert checked_on_database(db, package, ["series", "best"]) == set()
