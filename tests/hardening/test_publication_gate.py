"""Publish by promotion, attacked the way a bad report or a crash would: real ``dvc repro`` runs on a
clean copy of the project, processes killed with SIGKILL at each step of the promotion.

Nothing that failed validation may reach the committed package, the site folder, its downloads or
the published entries of dvc.lock; ``serve`` refuses a database that is not the one the last passing
validation checked; a killed promotion or site build leaves something servable and is completed by
the next run.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml

from pipelines.common.atomic import PAUSE_AT, STAGING
from pipelines.publish.gate import check_record
from pipelines.publish.serve import check_site
from pipelines.validate.parquet_check import check_parquet
from tests.hardening.hardening_helpers import frictionless_errors
from tests.hardening.test_crash_safety import kill, wait_for
from tests.paths import REPO_ROOT
from tests.paths import SEED as SEED_PATH
from tests.support import copy_project, environment, free_port, serving

pytestmark = pytest.mark.slow

SEED = SEED_PATH.relative_to(REPO_ROOT)
GRDP_ROW = "| 1 | Tốc độ tăng trưởng GRDP | % | 3,34 | 8,00 | 5,55 |"
PUBLISHED_STAGES = ("promote", "site")


def dvc(repo: Path, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["dvc", *argv], cwd=repo, env=environment(**env), capture_output=True, text=True)


def start_dvc(repo: Path, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        ["dvc", "repro"],
        cwd=repo,
        env=environment(**env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = copy_project(tmp_path_factory.mktemp("gate") / "chitieu", env=environment())
    result = dvc(repo, "repro")
    assert result.returncode == 0, result.stdout + result.stderr
    return repo


@pytest.fixture
def repo(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "chitieu"
    shutil.copytree(built, copy, symlinks=True)
    return copy


def published(repo: Path) -> dict[str, bytes]:
    """What users get: the committed package, its Parquet copy and every file of the site folder."""
    files = [repo / "datapackage.json", *sorted((repo / "data").glob("*.csv"))]
    files += sorted((repo / "data" / "parquet").iterdir())
    files += sorted(p for p in (repo / "build" / "site").rglob("*") if p.is_file())
    return {str(p.relative_to(repo)): p.read_bytes() for p in files}


def lock_entries(repo: Path) -> dict[str, object]:
    stages = yaml.safe_load((repo / "dvc.lock").read_text(encoding="utf-8"))["stages"]
    return {name: stages[name] for name in PUBLISHED_STAGES}


def report_count(site: Path) -> int:
    import sqlite3

    with sqlite3.connect(f"file:{site / 'chitieu.db'}?mode=ro", uri=True) as conn:
        return conn.execute("select count(*) from reports").fetchone()[0]


def make_failing_report(repo: Path) -> None:
    """The finding's attack: one printed value changed, and a header that fails validation."""
    seed = repo / SEED
    text = seed.read_text(encoding="utf-8")
    assert text.count(GRDP_ROW) == 1 and "Thực hiện 2021" in text
    text = text.replace(GRDP_ROW, GRDP_ROW.replace("5,55", "5,56"))
    seed.write_text(text.replace("Thực hiện 2021", "Thực hiện 2019"), encoding="utf-8")


def add_second_report(repo: Path) -> None:
    """A valid change that alters every published file: a second report."""
    seed = repo / SEED
    text = seed.read_text(encoding="utf-8")
    second = seed.with_name("cao-bang-2022-second-copy.md")
    second.write_text(text.replace("Báo cáo số 2960/", "Báo cáo số 2961/"), encoding="utf-8")


def grdp_value(base: str) -> str:
    response = httpx.get(
        f"{base}/chitieu.json",
        params={
            "sql": "select value_printed from observations where source_line = 779 and column_number = 6"
        },
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()["rows"][0][0]


def test_a_failed_validation_publishes_nothing(repo: Path) -> None:
    before, lock = published(repo), lock_entries(repo)
    make_failing_report(repo)

    result = dvc(repo, "repro")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Running stage 'validate'" in result.stdout and "Running stage 'promote'" not in result.stdout
    assert "rejected candidate is in build/candidate/package" in output, output
    assert '"5,56"' in (repo / "build/candidate/package/data/observations.csv").read_text(encoding="utf-8")
    parquet = "data/parquet/observations.parquet"
    assert (repo / "build/candidate/package" / parquet).read_bytes() != before[parquet], (
        "the candidate's differs"
    )

    assert published(repo) == before, "a published file changed although validation failed"
    assert lock_entries(repo) == lock, "dvc.lock's published outputs changed although validation failed"
    with serving(repo / "build" / "site") as base:
        assert grdp_value(base) == "5,55"


def test_serve_refuses_a_database_that_did_not_pass_validation(repo: Path) -> None:
    make_failing_report(repo)
    assert dvc(repo, "repro").returncode != 0
    site = repo / "build" / "site"
    shutil.copyfile(repo / "build/candidate/chitieu.db", site / "chitieu.db")  # what build-db used to do

    result = subprocess.run(
        [sys.executable, "-m", "pipelines", "serve", "--site", str(site), "--port", str(free_port())],
        cwd=REPO_ROOT,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "differs from the one recorded by the last passing validation" in lines[0]


@pytest.mark.parametrize("step", ["before-commit", "rolling-forward"])
def test_a_killed_promotion_is_detected_and_completed(repo: Path, step: str) -> None:
    old = published(repo)
    reports = (repo / "data" / "reports.csv").read_text(encoding="utf-8").splitlines()
    add_second_report(repo)
    assert dvc(repo, "repro", "validate").returncode == 0
    process = start_dvc(repo, **{PAUSE_AT: step})
    wait_for(process, f"paused at {step}")
    kill(process)

    if step == "before-commit":
        assert published(repo) == old
    else:
        assert (repo / STAGING / "COMMITTED").exists(), "the commit point was passed: rolled forward next"
    check_record(repo / "build" / "site", check_site(repo / "build" / "site"))

    again = dvc(repo, "repro")
    assert again.returncode == 0, again.stdout + again.stderr
    assert len((repo / "data" / "reports.csv").read_text(encoding="utf-8").splitlines()) == len(reports) + 1
    assert not (repo / STAGING).exists()
    assert frictionless_errors(repo / "datapackage.json") == []
    descriptor = json.loads((repo / "datapackage.json").read_text(encoding="utf-8"))
    assert check_parquet(repo, descriptor) == [], "the Parquet copy was promoted with the CSVs"
    assert "up to date" in dvc(repo, "status").stdout


@pytest.mark.parametrize("step", ["before-swap", "after-swap"])
def test_a_killed_site_stage_leaves_a_servable_site(repo: Path, step: str) -> None:
    first = len((repo / "data" / "reports.csv").read_text(encoding="utf-8").splitlines()) - 1
    add_second_report(repo)
    assert dvc(repo, "repro", "promote").returncode == 0
    process = start_dvc(repo, **{PAUSE_AT: step})
    wait_for(process, f"paused at {step}")
    kill(process)

    site = repo / "build" / "site"
    check_record(site, check_site(site))
    assert report_count(site) == (first if step == "before-swap" else first + 1)
    with serving(site) as base:
        assert grdp_value(base) == "5,55"

    again = dvc(repo, "repro")
    assert again.returncode == 0, again.stdout + again.stderr
    assert report_count(site) == first + 1
    assert sorted(p.name for p in site.parent.iterdir() if p.name.startswith(".site")) == []
    assert "up to date" in dvc(repo, "status").stdout
