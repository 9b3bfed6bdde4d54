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


@pytest.fixture(scope="session")
def root_package() -> Path:
    return ROOT_PACKAGE


@pytest.fixture(scope="session")
def validation_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A validation output as the validate stage leaves it: a passing summary and Data Docs."""
    folder = tmp_path_factory.mktemp("validation")
    (folder / "summary.json").write_text(json.dumps({"passed": True}), encoding="utf-8")
    (folder / "data-docs").mkdir()
    (folder / "data-docs" / "index.html").write_text("<h1>Data Docs</h1>", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory, validation_dir: Path) -> Path:
    folder = tmp_path_factory.mktemp("site")
    db = folder / "chitieu.db"
    build_database(ROOT_PACKAGE, db, load_metadata(), load_site_config())
    build_site(ROOT_PACKAGE, db, folder, load_metadata(), load_site_config(), validation_dir)
    return folder


@pytest.fixture(scope="session")
def site_db(site_dir: Path) -> Path:
    return site_dir / "chitieu.db"


def fetch(site: Path, *urls: str, method: str = "GET", **kwargs: object) -> dict[str, object]:
    """Responses of Datasette's in-process client for the site folder, served as `serve` serves it."""
    import asyncio

    from datasette.app import Datasette

    async def run() -> dict[str, object]:
        datasette = Datasette(config_dir=site)
        await datasette.invoke_startup()
        call = datasette.client.get if method == "GET" else datasette.client.post
        return {url: await call(url, **kwargs) for url in urls}

    return asyncio.run(run())
