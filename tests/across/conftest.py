"""A few consecutive years of generated reports through extraction and packaging, shared by the tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.cli import main

PROVINCES = ("Bắc Kạn", "Cao Bằng")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    work = tmp_path_factory.mktemp("series")
    include = [arg for province in PROVINCES for arg in ("--include", province)]
    argv = ["generate-series", "--out", str(work / "raw"), "--provinces", "3", "--years", "5", "--seed", "7"]
    assert main([*argv, "--first-year", "2022", *include]) == 0
    # Every file of a raw folder is a report: the truth goes beside it, not in it.
    (work / "raw" / "series.truth.json").rename(work / "series.truth.json")
    assert main(["extract-all", str(work / "raw"), "--out", str(work / "extracted")]) == 0
    assert main(["package", str(work / "extracted"), "--out", str(work / "package")]) == 0
    truth = json.loads((work / "series.truth.json").read_text(encoding="utf-8"))
    return work / "package", truth
