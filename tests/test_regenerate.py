"""Regenerating everything from data/raw and metadata/ gives exactly the committed bytes.

Covers the package (datapackage.json and data/*.csv), the data dictionary and the expectation
suites. The outputs under build/ (the database, the site's metadata.json) are compared with the
checksums the committed dvc.lock records by the end-to-end test
(tests/release/test_release_dvc_e2e.py::test_clean_repro_leaves_committed_files_identical).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.package.dictionary import data_dictionary
from pipelines.validate.suites import generate_suites, metadata_schemas, suite_bytes
from tests.paths import RAW_DIR, REPO_ROOT, ROOT_PACKAGE


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("regenerate")
    assert main(["extract-all", str(RAW_DIR), "--out", str(work / "extracted")]) == 0
    assert main(["package", str(work / "extracted"), "--out", str(work / "root")]) == 0
    return work / "root"


def test_package_bytes_are_the_committed_ones(rebuilt: Path) -> None:
    committed = json.loads(ROOT_PACKAGE.read_text(encoding="utf-8"))
    paths = ["datapackage.json", *(resource["path"] for resource in committed["resources"])]
    differing = [p for p in paths if (rebuilt / p).read_bytes() != (REPO_ROOT / p).read_bytes()]
    assert not differing, f"regenerated files differ from the committed ones: {differing}; run dvc repro"


def test_data_dictionary_is_the_committed_one() -> None:
    committed = (REPO_ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert data_dictionary() == committed, "run `python -m pipelines docs` and commit the result"


def test_suites_are_the_committed_bytes() -> None:
    for suite in generate_suites(metadata_schemas()):
        path = REPO_ROOT / "expectations" / f"{suite['name']}.json"
        assert path.read_bytes() == suite_bytes(suite), path.name
