"""The SQLite database built from the committed root package."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from pipelines.common.errors import PipelineError
from pipelines.package.metadata import load_metadata
from pipelines.package.sqlite import creation_order
from pipelines.publish.database import assess_in_sql, build_database, fts_table_name
from pipelines.publish.siteconfig import load_site_config

REPORT = "cao-bang-2022-2960-bc-ubnd"


def _descriptor(package: Path) -> dict:
    return json.loads(package.read_text(encoding="utf-8"))


def _csv_rows(package: Path, resource: dict) -> list[dict[str, str]]:
    with (package.parent / resource["path"]).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_resource_is_a_table_with_its_rows_and_keys(root_package: Path, site_db: Path) -> None:
    conn = sqlite3.connect(site_db)
    for resource in _descriptor(root_package)["resources"]:
        name = resource["name"]
        assert conn.execute(f"SELECT COUNT(*) FROM [{name}]").fetchone()[0] == len(
            _csv_rows(root_package, resource)
        )
        info = conn.execute(f"PRAGMA table_info([{name}])").fetchall()
        assert [row[1] for row in info] == [f["name"] for f in resource["schema"]["fields"]]
        primary = resource["schema"]["primaryKey"]
        primary = [primary] if isinstance(primary, str) else primary
        assert [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]] == primary
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_column_types_follow_the_table_schema(site_db: Path) -> None:
    conn = sqlite3.connect(site_db)
    types = {row[1]: row[2] for row in conn.execute("PRAGMA table_info(observations)")}
    assert types["value"] == "REAL" and types["period"] == "INTEGER" and types["measure"] == "TEXT"
    consistent = {row[0] for row in conn.execute("SELECT DISTINCT consistent FROM ratios")}
    assert consistent <= {0, 1, None} and 0 in consistent


def test_foreign_keys_and_indexes_are_declared(site_db: Path) -> None:
    conn = sqlite3.connect(site_db)
    keys = {(row[3], row[2], row[4]) for row in conn.execute("PRAGMA foreign_key_list(observations)")}
    assert keys == {("report_id", "reports", "report_id"), ("indicator_id", "indicators", "indicator_id")}
    parents = {(row[3], row[2], row[4]) for row in conn.execute("PRAGMA foreign_key_list(indicators)")}
    assert ("parent_id", "indicators", "indicator_id") in parents
    indexed = {row[1] for row in conn.execute("PRAGMA index_list(observations)")}
    assert {"ix_observations_indicator_id", "ix_observations_measure", "ix_observations_period"} <= indexed


@pytest.mark.parametrize(
    ("plain", "accented"),
    [("ho ngheo", "hộ nghèo"), ("duong", "đường"), ("thu ngan sach", "thu ngân sách"), ("Duong", "Đường")],
)
def test_search_without_diacritics_finds_what_accented_search_finds(
    site_db: Path, plain: str, accented: str
) -> None:
    conn = sqlite3.connect(site_db)
    fts = fts_table_name("indicators")

    def ids(query: str) -> set[str]:
        phrase = " ".join(f'"{word}"' for word in query.split())
        sql = f"SELECT indicator_id FROM indicators WHERE rowid IN (SELECT rowid FROM {fts} WHERE {fts} MATCH ?)"
        return {row[0] for row in conn.execute(sql, [phrase])}

    assert ids(accented), accented
    assert ids(plain) == ids(accented)


def test_plan_vs_estimate_view_flags_a_missed_target(site_db: Path) -> None:
    conn = sqlite3.connect(site_db)
    conn.row_factory = sqlite3.Row
    growth = conn.execute(
        "SELECT * FROM plan_vs_estimate WHERE name_vi = 'Tốc độ tăng trưởng GRDP' AND report_id = ?", [REPORT]
    ).fetchone()
    assert (growth["plan_value"], growth["estimate_value"]) == (8.0, 5.55)
    assert growth["gap"] == pytest.approx(-2.45) and growth["achieved"] == 0
    budget = conn.execute("SELECT * FROM plan_vs_estimate WHERE name_vi LIKE 'Thu Ngân sách%'").fetchone()
    assert budget["achieved"] == 1 and budget["estimate_value"] == 4180


def test_appendix_view_has_one_row_per_printed_row(site_db: Path) -> None:
    conn = sqlite3.connect(site_db)
    conn.row_factory = sqlite3.Row
    rows = conn.execute("SELECT * FROM appendix WHERE report_id = ? ORDER BY row_number", [REPORT]).fetchall()
    assert (
        len(rows)
        == conn.execute("SELECT COUNT(*) FROM indicators WHERE report_id = ?", [REPORT]).fetchone()[0]
    )
    per_capita = next(r for r in rows if r["name_vi"] == "GRDP bình quân đầu người")
    assert (per_capita["actual_previous_year"], per_capita["plan_reporting_year"]) == (37.18, 40.30)
    assert (per_capita["estimate_reporting_year"], per_capita["plan_next_year"]) == (39.48, 43.97)
    assert (per_capita["estimate_vs_actual_pct"], per_capita["estimate_vs_plan_pct"]) == (106.2, 97.97)


def test_ratio_findings_match_the_consistent_flag(site_db: Path) -> None:
    conn = sqlite3.connect(site_db)
    inconsistent = conn.execute("SELECT COUNT(*) FROM ratios WHERE consistent = 0").fetchone()[0]
    assert inconsistent > 0
    assert conn.execute("SELECT COUNT(*) FROM ratio_findings WHERE finding = 'inconsistent'").fetchone()[
        0
    ] == (inconsistent)


def _copy_package(root_package: Path, target: Path) -> Path:
    descriptor = _descriptor(root_package)
    for resource in descriptor["resources"]:
        (target / resource["path"]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root_package.parent / resource["path"], target / resource["path"])
    (target / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return target / "datapackage.json"


def test_a_new_resource_becomes_a_table_without_code_change(root_package: Path, tmp_path: Path) -> None:
    package = _copy_package(root_package, tmp_path)
    descriptor = _descriptor(package)
    (tmp_path / "data" / "harvests.csv").write_text(
        f"report_id,crop_vi,measure,value\n{REPORT},lúa,actual,1.5\n{REPORT},ngô,plan,\n", encoding="utf-8"
    )
    descriptor["resources"].append(
        {
            "name": "harvests",
            "path": "data/harvests.csv",
            "schema": {
                "fields": [
                    {"name": "report_id", "type": "string"},
                    {"name": "crop_vi", "type": "string"},
                    {"name": "measure", "type": "string"},
                    {"name": "value", "type": "number"},
                ],
                "primaryKey": ["report_id", "crop_vi", "measure"],
                "foreignKeys": [
                    {"fields": "report_id", "reference": {"resource": "reports", "fields": "report_id"}}
                ],
            },
        }
    )
    package.write_text(json.dumps(descriptor), encoding="utf-8")
    names = build_database(package, tmp_path / "site.db", load_metadata(), load_site_config())
    assert "harvests" in names
    conn = sqlite3.connect(tmp_path / "site.db")
    assert conn.execute("SELECT crop_vi, value FROM harvests ORDER BY value").fetchall() == [
        ("ngô", None),
        ("lúa", 1.5),
    ]
    assert ("report_id", "reports", "report_id") in {
        (row[3], row[2], row[4]) for row in conn.execute("PRAGMA foreign_key_list(harvests)")
    }


def test_bad_value_fails_naming_file_and_line_and_leaves_nothing(root_package: Path, tmp_path: Path) -> None:
    package = _copy_package(root_package, tmp_path)
    observations = tmp_path / "data" / "observations.csv"
    lines = observations.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = next(csv.reader([lines[3]]))
    cells[header.index("period")] = "năm 2022"
    lines[3] = ",".join(f'"{c}"' for c in cells)
    observations.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "site.db"
    with pytest.raises(PipelineError, match=r"observations\.csv:4: period 'năm 2022' is not a valid integer"):
        build_database(package, out, load_metadata(), load_site_config())
    assert list(tmp_path.glob("*.db*")) == [] and list(tmp_path.glob(".*tmp")) == []


def test_circular_references_are_refused() -> None:
    def resource(name: str, target: str) -> dict:
        key = {"fields": ["x"], "reference": {"resource": target, "fields": ["x"]}}
        return {"name": name, "schema": {"fields": [{"name": "x"}], "foreignKeys": [key]}}

    with pytest.raises(PipelineError, match="circular"):
        creation_order([resource("a", "b"), resource("b", "a")])
    assert [r["name"] for r in creation_order([resource("a", "b"), {"name": "b", "schema": {}}])] == [
        "b",
        "a",
    ]


def test_every_view_and_saved_query_compiles_against_the_metadata_schemas(tmp_path: Path) -> None:
    """Also the ones for resources the package does not have yet: their SQL must fit metadata/."""
    import sqlite_utils

    metadata, site = load_metadata(), load_site_config()
    db = sqlite_utils.Database(tmp_path / "schemas.db")
    db.conn.create_function("chitieu_assess", 6, assess_in_sql, deterministic=True)  # as the build does
    for resource in metadata.ordered():
        db[resource.name].create({f.name: str for f in resource.fields})
    db.execute(f"CREATE VIRTUAL TABLE {fts_table_name('indicators')} USING fts5(name_vi)")
    for view in site.views:
        db.create_view(view.name, view.sql)
    for query in site.queries:
        db.execute("EXPLAIN " + query.sql, dict.fromkeys(query.params, "x"))
