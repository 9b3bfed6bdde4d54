"""A report's own package holds what was extracted from it; ``package`` adds what is derived across reports."""

from __future__ import annotations

import json
from pathlib import Path

from pipelines.package.derived import ACROSS_REPORTS, BUILDERS, EVERY_PACKAGE
from pipelines.package.metadata import load_metadata
from pipelines.validate.frictionless_check import validate_package


def _names(package: Path) -> list[str]:
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    return [resource["name"] for resource in descriptor["resources"]]


def test_a_reports_package_is_valid_without_the_resources_derived_across_reports(
    seed_report_package: Path,
) -> None:
    every = load_metadata().package.resources
    expected = [name for name in every if name not in ACROSS_REPORTS]
    assert _names(seed_report_package) == expected
    assert set(EVERY_PACKAGE) <= set(expected), "the indicators' codes refer to the catalogue"
    assert sorted(p.name for p in (seed_report_package / "data").iterdir()) == sorted(
        f"{name}.csv" for name in expected
    )
    report = validate_package(seed_report_package / "datapackage.json")
    assert report["valid"], report["errors"][:5]


def test_the_merge_builds_every_derived_resource(seed_package: Path) -> None:
    assert _names(seed_package) == load_metadata().package.resources
    assert set(BUILDERS) <= set(_names(seed_package))
    series = (seed_package / "data" / "series.csv").read_text(encoding="utf-8").splitlines()
    assert len(series) > 1, "the seed's matched figures make a series"
    report = validate_package(seed_package / "datapackage.json")
    assert report["valid"], report["errors"][:5]
