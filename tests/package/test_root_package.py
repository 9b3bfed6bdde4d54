"""The committed package: valid, current with data/raw, and described from the metadata source."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

from pipelines.package.metadata import load_metadata


def test_frictionless_accepts_the_committed_package(repo_root: Path) -> None:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("frictionless")), "validate", "--json", "datapackage.json"],
        cwd=repo_root,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    errors = [e["message"] for task in report["tasks"] for e in task["errors"]]
    assert report["valid"], errors[:5]
    assert result.returncode == 0


def test_descriptor_is_complete(repo_root: Path) -> None:
    descriptor = json.loads((repo_root / "datapackage.json").read_text(encoding="utf-8"))
    for key in (
        "$schema",
        "name",
        "title",
        "description",
        "version",
        "licenses",
        "sources",
        "contributors",
        "created",
    ):
        assert descriptor.get(key), key
    assert descriptor["sources"][0]["sha256"] == descriptor["sources"][0]["sha256"].lower()
    metadata = load_metadata()
    assert [r["name"] for r in descriptor["resources"]] == metadata.package.resources
    for resource in descriptor["resources"]:
        assert resource["hash"].startswith("sha256:") and resource["bytes"] > 0
        schema = resource["schema"]
        assert schema["primaryKey"]
        for field in schema["fields"]:
            assert field["description"] and field["title"] and field["title_vi"], (
                resource["name"],
                field["name"],
            )
    indicators = next(r for r in descriptor["resources"] if r["name"] == "indicators")
    references = {fk["reference"].get("resource", "indicators") for fk in indicators["schema"]["foreignKeys"]}
    assert references == {"reports", "indicators", "indicator_catalogue"}


def test_csv_is_utf8_with_dot_decimals_and_codes_as_text(repo_root: Path) -> None:
    with (repo_root / "data" / "reports.csv").open(encoding="utf-8", newline="") as handle:
        codes = {row["report_id"]: row["province_code"] for row in csv.DictReader(handle)}
    assert codes["cao-bang-2022-2960-bc-ubnd"] == "04"
    observations = (repo_root / "data" / "observations.csv").read_text(encoding="utf-8")
    assert "1949.545" in observations and '"1.949,545"' in observations
