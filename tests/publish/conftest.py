"""Fixtures for the site tests: the database and site folder built from the committed root package."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.package.metadata import load_metadata
from pipelines.publish.database import build_database
from pipelines.publish.site import build_site
from pipelines.publish.siteconfig import load_site_config
from tests.paths import ROOT_PACKAGE
from tests.support import write_passing_summary


@pytest.fixture(scope="session")
def root_package() -> Path:
    return ROOT_PACKAGE


@pytest.fixture(scope="session")
def candidate_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The database build-db makes of the committed package, before the site copies it."""
    db = tmp_path_factory.mktemp("candidate") / "chitieu.db"
    build_database(ROOT_PACKAGE, db, load_metadata(), load_site_config())
    return db


@pytest.fixture(scope="session")
def validation_dir(tmp_path_factory: pytest.TempPathFactory, candidate_db: Path) -> Path:
    """A validation output as the validate stage leaves it: a passing summary recording the
    checksums of what it checked, and Data Docs."""
    folder = tmp_path_factory.mktemp("validation")
    write_passing_summary(
        folder, ROOT_PACKAGE.parent, candidate_db, integrity={"evaluated": 1, "passed": 1, "failed": 0}
    )
    (folder / "data-docs").mkdir()
    (folder / "data-docs" / "index.html").write_text(
        '<script src="https://cdn.example/x.js"></script><h1>Data Docs</h1>', encoding="utf-8"
    )
    failed = {"id": "crops.balanced", "type": "expect_column_values_to_be_in_set", "column": "balanced"}
    failed |= {"unexpected_count": 1, "rows": [{"report_id": "r", "crop_vi": "Ngô", "balanced": "false"}]}
    results = {
        "suites": [
            {
                "suite": "integrity-reports",
                "data": "package",
                "kind": "integrity",
                "blocking": True,
                "failed": [],
            },
            {
                "suite": "source_quality-crop_balance",
                "data": "package",
                "kind": "source_quality",
                "failed": [failed],
            },
        ]
    }
    (folder / "results.json").write_text(json.dumps(results), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory, candidate_db: Path, validation_dir: Path) -> Path:
    folder = tmp_path_factory.mktemp("site") / "site"
    build_site(ROOT_PACKAGE, candidate_db, folder, load_metadata(), load_site_config(), validation_dir)
    return folder


@pytest.fixture(scope="session")
def site_db(site_dir: Path) -> Path:
    return site_dir / "chitieu.db"


def fetch(
    site: Path, *urls: str, method: str = "GET", dvc: Path | None = None, **kwargs: object
) -> dict[str, object]:
    """Responses of Datasette's in-process client for the site folder, served as `serve` serves it
    (with the published DVC cache ``dvc`` mounted at /dvc/ when given)."""
    import asyncio

    from datasette.app import Datasette

    from pipelines.publish.serve import static_mounts

    mounts = static_mounts(site, dvc)

    async def run() -> dict[str, object]:
        datasette = Datasette(config_dir=site, static_mounts=mounts)
        await datasette.invoke_startup()
        return {url: await datasette.client.request(method, url, **kwargs) for url in urls}

    return asyncio.run(run())
