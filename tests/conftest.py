"""Fixtures shared across the test suite: the project's own files, never anything outside it.

The seed report is extracted once per test run (``seed_extracted``) and written as a package
once (``seed_package``, merged as ``package`` merges it); tests that change a package copy it first.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.extract.report import ExtractedReport, extract_report, source_entry
from pipelines.package.writer import merge_packages, write_report_package
from tests.paths import REPO_ROOT, SEED


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def seed_report() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_extracted() -> ExtractedReport:
    """The seed report through the real extraction, in memory; read it, never change it."""
    return extract_report(SEED)


@pytest.fixture(scope="session")
def seed_report_package(tmp_path_factory: pytest.TempPathFactory, seed_extracted: ExtractedReport) -> Path:
    """The seed report's own package folder, as ``extract`` writes it; copy it before changing it."""
    out = tmp_path_factory.mktemp("seed-report") / "package"
    issued = seed_extracted.issued.isoformat()
    tables = {name: list(rows) for name, rows in seed_extracted.tables.items()}  # the writer takes its rows
    write_report_package(tables, source_entry(seed_extracted), issued, out)
    return out


@pytest.fixture(scope="session")
def seed_package(tmp_path_factory: pytest.TempPathFactory, seed_report_package: Path) -> Path:
    """The seed's package as ``package`` publishes it: the report's own package merged, so with
    the resources derived across reports and the Parquet copy. Copy it before changing anything."""
    out = tmp_path_factory.mktemp("seed") / "package"
    merge_packages([seed_report_package], out)
    return out
