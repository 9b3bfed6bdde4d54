"""Fixtures for the site tests: the database and site folder built from the committed root package."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from collections.abc import Callable
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


def rewrite_csv(path: Path, change: Callable[[dict[str, str]], dict[str, str]]) -> None:
    """Every row of the CSV at ``path`` passed through ``change``, written back in place."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(change(row) for row in rows)


def republish(
    work: Path,
    report_id: str,
    raw: list[Path],
    observation: Callable[[dict[str, str]], dict[str, str]],
    scanned: tuple[Path | None, Path | None] = (None, None),
) -> Path:
    """The committed package with ``report_id`` published from the files ``raw`` (in
    ``work/package/data/raw/``) and each observation passed through ``observation``, built into a
    database and a site as the pipeline builds them; returns the site folder."""
    package = work / "package"
    for path in (ROOT_PACKAGE.parent / "data").glob("*.csv"):
        shutil.copyfile(path, package / "data" / path.name)
    source_file = ";".join(f"data/raw/{path.name}" for path in raw)
    sha = ";".join(hashlib.sha256(path.read_bytes()).hexdigest() for path in raw)
    descriptor = json.loads(ROOT_PACKAGE.read_text(encoding="utf-8"))
    for source in descriptor["sources"]:
        if source["report_id"] == report_id:
            source.update(file=source_file, sha256=sha)
    for resource in descriptor["resources"]:
        resource.pop("hash", None)
        resource.pop("bytes", None)
    (package / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    rewrite_csv(
        package / "data" / "reports.csv",
        lambda row: (
            {**row, "source_file": source_file, "source_sha256": sha}
            if row["report_id"] == report_id
            else row
        ),
    )
    rewrite_csv(package / "data" / "observations.csv", observation)
    site, db = work / "site", work / "chitieu.db"
    build_database(package / "datapackage.json", db, load_metadata(), load_site_config())
    build_site(package / "datapackage.json", db, site, load_metadata(), load_site_config(), None, scanned)
    return site
