"""The Parquet copy travels with the CSVs through the gate: promoted only as validation saw it,
and the site offers only the copy that passed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.common.errors import PipelineError
from pipelines.package.metadata import load_metadata
from pipelines.publish.promote import promote
from pipelines.publish.site import build_site
from pipelines.publish.siteconfig import load_site_config
from tests.paths import REPO_ROOT
from tests.support import write_passing_summary

PARQUET = "data/parquet/observations.parquet"


@pytest.fixture
def candidate(tmp_path: Path) -> Path:
    """The committed package copied as a candidate: descriptor, CSVs and Parquet copy."""
    folder = tmp_path / "candidate"
    (folder / "data").mkdir(parents=True)
    shutil.copyfile(REPO_ROOT / "datapackage.json", folder / "datapackage.json")
    for csv in (REPO_ROOT / "data").glob("*.csv"):
        shutil.copyfile(csv, folder / "data" / csv.name)
    shutil.copytree(REPO_ROOT / "data" / "parquet", folder / "data" / "parquet")
    return folder


def test_the_validated_parquet_copy_is_promoted_with_the_csvs(candidate: Path, tmp_path: Path) -> None:
    validation = tmp_path / "validation"
    write_passing_summary(validation, candidate)
    out = tmp_path / "published"
    written = promote(candidate, validation, out)
    assert PARQUET in written and "data/parquet/datapackage.json" in written
    for path in (candidate / "data" / "parquet").iterdir():
        assert (out / "data" / "parquet" / path.name).read_bytes() == path.read_bytes(), path.name


def test_a_parquet_copy_changed_after_validation_is_not_promoted(candidate: Path, tmp_path: Path) -> None:
    validation = tmp_path / "validation"
    write_passing_summary(validation, candidate)
    out = tmp_path / "published"
    promote(candidate, validation, out)
    before = {p.name: p.read_bytes() for p in (out / "data" / "parquet").iterdir()}
    before_csv = (out / "data" / "observations.csv").read_bytes()

    (candidate / PARQUET).write_bytes((candidate / PARQUET).read_bytes() + b"\0")
    with pytest.raises(PipelineError, match="not the Parquet copy that passed validation"):
        promote(candidate, validation, out)
    assert {p.name: p.read_bytes() for p in (out / "data" / "parquet").iterdir()} == before
    assert (out / "data" / "observations.csv").read_bytes() == before_csv, "nothing half-published"


def test_the_site_refuses_a_parquet_copy_that_did_not_pass(
    candidate: Path, candidate_db: Path, tmp_path: Path
) -> None:
    validation = tmp_path / "validation"
    write_passing_summary(validation, candidate, candidate_db)
    (candidate / PARQUET).write_bytes(b"not parquet")
    site = tmp_path / "site"
    with pytest.raises(PipelineError, match="not the Parquet copy that passed validation"):
        build_site(
            candidate / "datapackage.json",
            candidate_db,
            site,
            load_metadata(),
            load_site_config(),
            validation,
        )
    assert not site.exists()
