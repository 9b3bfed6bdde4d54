"""The suites in expectations/ are generated from the Table Schemas and kept current."""

from __future__ import annotations

import json
from pathlib import Path

from pipelines.validate.suites import (
    column_suite,
    generate_suites,
    metadata_schemas,
    outdated_suites,
    read_suites,
    sql_suite,
    write_suites,
)

SCHEMA = {
    "fields": [
        {"name": "report_id", "type": "string", "constraints": {"required": True}},
        {"name": "code", "type": "string", "constraints": {"enum": ["a", "b"], "pattern": "^[a-z]$"}},
        {"name": "year", "type": "integer", "constraints": {"required": True}},
        {"name": "share", "type": "number"},
        {"name": "ok", "type": "boolean"},
    ],
    "primaryKey": ["report_id", "code"],
    "foreignKeys": [{"fields": ["report_id"], "reference": {"resource": "reports", "fields": ["report_id"]}}],
}


def _ids(suite: dict) -> list[str]:
    return [e["meta"]["id"] for e in suite["expectations"]]


def test_committed_suites_are_what_the_metadata_generates() -> None:
    assert outdated_suites(generate_suites(metadata_schemas())) == [], (
        "run `python -m pipelines validate --write-suites` and commit expectations/"
    )


def test_every_resource_of_the_metadata_has_column_and_sql_suites() -> None:
    names = {s["name"] for s in read_suites()}
    for resource in metadata_schemas():
        assert {f"integrity-{resource}", f"integrity-sql-{resource}"} <= names


def test_a_new_resource_is_covered_from_its_schema_alone() -> None:
    ids = _ids(column_suite("things", SCHEMA))
    assert ids == [
        "things.columns",
        "things.report_id.required",
        "things.code.required",
        "things.code.in_set",
        "things.code.pattern",
        "things.year.required",
        "things.year.type",
        "things.share.type",
        "things.ok.type",
        "things.primary_key.unique",
    ]
    sql_ids = _ids(sql_suite("things", SCHEMA, {"things", "reports"}))
    assert sql_ids == [
        "things.primary_key.present.sql",
        "things.primary_key.unique.sql",
        "things.foreign_key.report_id.sql",
    ]


def test_every_expectation_says_why_and_has_a_unique_id() -> None:
    for suite in read_suites():
        ids = _ids(suite)
        assert len(ids) == len(set(ids)), suite["name"]
        assert all(e["meta"]["why"] for e in suite["expectations"]), suite["name"]
        assert suite["meta"]["blocking"] == (suite["meta"]["kind"] == "integrity")


def test_unit_codes_come_from_the_reference_list(repo_root: Path) -> None:
    units = {line.split(",")[1] for line in (repo_root / "reference/units.csv").read_text().splitlines()[1:]}
    suite = json.loads((repo_root / "expectations/integrity-indicators.json").read_text(encoding="utf-8"))
    in_set = next(e for e in suite["expectations"] if e["meta"]["id"] == "indicators.unit.in_set")
    assert set(in_set["kwargs"]["value_set"]) == units


def test_write_suites_removes_suites_that_are_no_longer_generated(tmp_path: Path) -> None:
    (tmp_path / "integrity-gone.json").write_text("{}", encoding="utf-8")
    suites = [column_suite("things", SCHEMA)]
    write_suites(suites, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["integrity-things.json"]
    assert outdated_suites(suites, tmp_path) == []
    assert write_suites(suites, tmp_path) == []
