"""Frictionless reads the rows of every resource but the derived ones the suites check in full;
of those it still checks the descriptor, and their size and hash are checked beside it."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipelines.package.reader import read_package
from pipelines.validate.frictionless_check import suites_check_rows, validate_package
from pipelines.validate.run import _rows_left_to_suites


def test_derived_resources_whose_rows_the_suites_check_are_left_to_them(seed_package: Path) -> None:
    schemas = read_package(seed_package).schemas
    left = _rows_left_to_suites(schemas)
    assert {"series", "series_best", "revisions", "crosswalk"} <= left
    assert "observations" not in left and "indicators" not in left
    # A constraint the suites do not check keeps frictionless reading the rows.
    schema = {"fields": [{"name": "n", "type": "integer", "constraints": {"exclusiveMinimum": 0}}]}
    assert not suites_check_rows(schema)
    assert not suites_check_rows({"fields": [{"name": "t", "type": "datetime"}]})


def test_a_changed_derived_file_fails_on_its_size_and_hash(seed_package: Path, tmp_path: Path) -> None:
    copy = tmp_path / "package"
    shutil.copytree(seed_package, copy)
    descriptor = copy / "datapackage.json"
    assert validate_package(descriptor, {"series"})["valid"]
    series = copy / "data" / "series.csv"
    lines = series.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    cells = lines[1].rstrip("\n").split(",")
    cells[header.index("period")] = "abcde"
    series.write_text("".join([lines[0], ",".join(cells) + "\n", *lines[2:]]), encoding="utf-8")
    left = validate_package(descriptor, {"series"})
    assert not left["valid"]
    assert {(e["resource"], e["type"]) for e in left["errors"]} == {
        ("series", "hash-count"),
        ("series", "byte-count"),
    }
    # Read by frictionless, the same file also fails on its row.
    read = validate_package(descriptor)
    assert {"type-error", "hash-count"} <= {e["type"] for e in read["errors"]}
