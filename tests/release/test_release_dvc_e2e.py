"""Real ``dvc repro``, ``push`` and ``pull`` on a clean copy of the project (slow).

The copy holds what a clone would (tracked and not-ignored files), so these tests check the
working tree as it would be committed, with an empty DVC cache and no build/ folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.paths import REPO_ROOT
from tests.paths import SEED as SEED_PATH
from tests.support import confirm_as_read, copy_project, free_port

pytestmark = pytest.mark.slow

SEED = SEED_PATH.relative_to(REPO_ROOT).as_posix()
BIN = Path(sys.executable).parent


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DVC_", "GIT_"))}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        DVC_NO_ANALYTICS="1",
        GX_ANALYTICS_ENABLED="false",
        AWS_EC2_METADATA_DISABLED="true",
        GIT_AUTHOR_NAME="test",
        GIT_AUTHOR_EMAIL="test@example.org",
        GIT_COMMITTER_NAME="test",
        GIT_COMMITTER_EMAIL="test@example.org",
    )
    env.update(extra)
    return env


def run(repo: Path, *argv: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(argv, cwd=repo, capture_output=True, text=True, env=env or _env(), check=False)
    assert result.returncode == 0, f"{' '.join(argv)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def git_status(repo: Path) -> str:
    return run(repo, "git", "status", "--porcelain", "--untracked-files=all")


def ignored_folders(repo: Path) -> list[str]:
    """Folders inside outputs that .dvcignore keeps out of DVC (the copied Data Docs)."""
    lines = (repo / ".dvcignore").read_text(encoding="utf-8").splitlines()
    return [line.rstrip("/") + "/" for line in lines if line.startswith("build/")]


def cached_outputs(repo: Path) -> list[Path]:
    """Every file DVC caches: of every cached output declared in dvc.yaml, minus .dvcignore's."""
    stages = yaml.safe_load((repo / "dvc.yaml").read_text(encoding="utf-8"))["stages"]
    ignored = ignored_folders(repo)
    files = []
    for stage in stages.values():
        for entry in stage.get("outs", []):
            path, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
            if (options or {}).get("cache", True):
                target = repo / path
                files += sorted(p for p in target.rglob("*") if p.is_file()) if target.is_dir() else [target]
    return [f for f in files if not f.relative_to(repo).as_posix().startswith(tuple(ignored))]


def checksums(repo: Path) -> dict[str, str]:
    return {
        str(p.relative_to(repo)): hashlib.sha256(p.read_bytes()).hexdigest() for p in cached_outputs(repo)
    }


def forget_outputs(repo: Path) -> None:
    shutil.rmtree(repo / "build")
    shutil.rmtree(repo / ".dvc" / "cache")


@dataclass(frozen=True)
class Built:
    repo: Path
    status: str
    unreproducible: list[str]


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A clean copy after a forced full ``dvc repro`` (every stage really ran), then committed,
    so that each later test starts from a clean git state whatever the first run changed."""
    repo = copy_project(tmp_path_factory.mktemp("built") / "chitieu", env=_env())
    run(repo, "dvc", "repro", "--force")
    result = Built(repo, git_status(repo), unreproducible_outputs(repo))
    run(repo, "git", "add", "-A")
    run(repo, "git", "commit", "-q", "--allow-empty", "-m", "repro")
    return result


@pytest.fixture
def built(built_once: Built) -> Path:
    return built_once.repo


def committed_files_changed(repo: Path) -> str:
    """Git status of the committed files, dvc.lock aside (its output hashes are checked above)."""
    return run(repo, "git", "status", "--porcelain", "--untracked-files=all", "--", ".", ":!dvc.lock")


def _copy_of(built: Path, tmp_path: Path) -> Path:
    repo = tmp_path / "chitieu"
    shutil.copytree(built, repo, symlinks=True)
    return repo


def _lock_outputs(text: str) -> dict[str, str]:
    stages = yaml.safe_load(text)["stages"]
    return {o["path"]: o["md5"] for stage in stages.values() for o in stage.get("outs", [])}


def unreproducible_outputs(repo: Path) -> list[str]:
    """Outputs whose bytes differ from those recorded in the committed dvc.lock."""
    committed = _lock_outputs(run(repo, "git", "show", "HEAD:dvc.lock"))
    current = _lock_outputs((repo / "dvc.lock").read_text(encoding="utf-8"))
    return sorted(path for path, md5 in current.items() if committed.get(path) != md5)


def test_clean_repro_leaves_committed_files_identical(built_once):
    assert built_once.status == "", (
        f"dvc repro changed committed files:\n{built_once.status}"
        f"outputs differing from dvc.lock: {built_once.unreproducible}"
    )


def test_after_a_repro_nothing_is_left_to_do(built):
    assert "Data and pipelines are up to date." in run(built, "dvc", "status")
    assert "Running stage" not in run(built, "dvc", "repro")


def test_a_second_report_flows_through_and_out_again(built, tmp_path):
    repo = _copy_of(built, tmp_path)
    seed = repo / SEED
    text = seed.read_text(encoding="utf-8")
    assert text.count("Biểu kèm theo Báo cáo số 2960/BC-UBND") == 1
    second = seed.with_name("cao-bang-2022-second-copy.md")
    second.write_text(
        text.replace("Biểu kèm theo Báo cáo số 2960/", "Biểu kèm theo Báo cáo số 2961/"), "utf-8"
    )
    before = {p.name: p.read_text(encoding="utf-8") for p in (repo / "data").glob("*.csv")}

    output = run(repo, "dvc", "repro")
    assert "Running stage 'extract'" in output and "Running stage 'site'" in output

    reports = (repo / "data" / "reports.csv").read_text(encoding="utf-8")
    assert "cao-bang-2022-2960-bc-ubnd" in reports and "cao-bang-2022-2961-bc-ubnd" in reports
    for name in ("indicators.csv", "observations.csv", "ratios.csv"):
        old_rows = before[name].splitlines()
        new_rows = (repo / "data" / name).read_text(encoding="utf-8").splitlines()
        copied = [r for r in new_rows if "cao-bang-2022-2961-bc-ubnd" in r]
        seed_rows = [r for r in old_rows if r.startswith("cao-bang-2022-2960-bc-ubnd,")]
        assert len(new_rows) == len(old_rows) + len(seed_rows), name
        assert len(copied) == len(seed_rows), name
    count = len(before["reports.csv"].splitlines())  # the header and one row per report, plus the copy
    assert f'"reports": {count}' in (repo / "metrics.json").read_text(encoding="utf-8")
    changed = git_status(repo)
    assert " M data/observations.csv" in changed and " M dvc.lock" in changed

    second.unlink()
    run(repo, "dvc", "repro")
    assert committed_files_changed(repo) == "", "removing the report did not restore the committed package"


def test_a_failed_validation_stops_the_chain_before_publishing(built, tmp_path):
    repo = _copy_of(built, tmp_path)
    published = {p: (repo / p).read_bytes() for p in ("build/site/metadata.json", "metrics.json")}
    suite_path = repo / "expectations" / "integrity-reports.json"
    suite = json.loads(suite_path.read_text(encoding="utf-8"))
    patterns = [
        e
        for e in suite["expectations"]
        if e["kwargs"].get("column") == "report_id" and "regex" in e["kwargs"]
    ]
    assert patterns, "the reports suite checks the report_id pattern"
    patterns[0]["kwargs"]["regex"] = "^[A-Z]+$"
    suite_path.write_text(json.dumps(suite, indent=2), encoding="utf-8")

    result = subprocess.run(
        ["dvc", "repro"], cwd=repo, capture_output=True, text=True, env=_env(), check=False
    )
    assert result.returncode != 0
    assert "Running stage 'validate'" in result.stdout
    assert "Running stage 'site'" not in result.stdout and "Running stage 'metrics'" not in result.stdout
    assert all((repo / path).read_bytes() == data for path, data in published.items())


def test_push_to_and_pull_from_s3_on_loopback(built, tmp_path):
    import boto3
    from moto.server import ThreadedMotoServer

    repo = _copy_of(built, tmp_path)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    try:
        endpoint = f"http://127.0.0.1:{port}"
        credentials = {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        }
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **_keys(credentials))
        s3.create_bucket(Bucket="chitieu-test")
        env = _env(**credentials)
        run(repo, "dvc", "remote", "add", "--local", "s3", "s3://chitieu-test/dvc", env=env)
        run(repo, "dvc", "remote", "modify", "--local", "s3", "endpointurl", endpoint, env=env)
        expected = checksums(repo)
        assert len(expected) >= 4

        run(repo, "dvc", "push", "-r", "s3", env=env)
        stored = s3.list_objects_v2(Bucket="chitieu-test", Prefix="dvc/")["KeyCount"]
        assert stored >= len({v for v in expected.values()})
        forget_outputs(repo)
        run(repo, "dvc", "pull", "-r", "s3", env=env)
    finally:
        server.stop()

    assert checksums(repo) == expected
    assert git_status(repo) == ""
    assert "Data and pipelines are up to date." in run(repo, "dvc", "status")


def _keys(credentials: dict[str, str]) -> dict[str, str]:
    return {
        "aws_access_key_id": credentials["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": credentials["AWS_SECRET_ACCESS_KEY"],
    }


def test_local_directory_remote_round_trip(built, tmp_path):
    repo = _copy_of(built, tmp_path)
    expected = checksums(repo)
    run(repo, "dvc", "push", "-r", "storage")
    assert any((tmp_path / "chitieu-dvc-storage").rglob("*")), "the storage remote sits beside the project"
    forget_outputs(repo)
    run(repo, "dvc", "pull", "-r", "storage")
    assert checksums(repo) == expected
    assert git_status(repo) == ""


def test_pull_and_get_a_release_from_the_site_into_a_fresh_clone(built, tmp_path):
    """The maintainer publishes the cache into the site, the site serves it read-only over HTTP,
    and a fresh clone pulls every cached output from it; `dvc get --rev` fetches one file."""
    import httpx

    from tests.support import serving

    repo = _copy_of(built, tmp_path)
    expected = checksums(repo)
    run(repo, "dvc", "push", "-r", "publish", "--all-tags")
    public = repo / "build" / "dvc-public"
    published = public / "files" / "md5"
    assert len(list(published.rglob("*"))) >= len(set(expected.values()))
    run(repo, "dvc", "repro", "--force", "--single-item", "site")
    assert len(list(published.rglob("*"))) >= len(set(expected.values())), "a new site keeps the cache"
    with serving(repo / "build" / "site", dvc=public) as base:
        run(repo, "dvc", "remote", "modify", "site", "url", f"{base}/dvc")
        run(repo, "git", "commit", "-q", "-am", "the site's address")
        run(repo, "git", "tag", "-a", "v0.1.0", "-m", "release")

        clone = tmp_path / "clone"
        run(tmp_path, "git", "clone", "-q", str(repo), str(clone))
        assert not (clone / "build").exists()
        pulled = run(clone, "dvc", "pull")
        assert "fetched" in pulled
        assert checksums(clone) == expected

        got = tmp_path / "got.db"
        run(tmp_path, "dvc", "get", str(repo), "build/site/chitieu.db", "--rev", "v0.1.0", "-o", str(got))
        assert hashlib.sha256(got.read_bytes()).hexdigest() == expected["build/site/chitieu.db"]
        csv = tmp_path / "observations.csv"
        run(tmp_path, "dvc", "get", str(repo), "data/observations.csv", "--rev", "v0.1.0", "-o", str(csv))
        assert csv.read_bytes() == (repo / "data" / "observations.csv").read_bytes()

        an_object = next(p for p in published.rglob("*") if p.is_file())
        url = f"{base}/dvc/{an_object.relative_to(public).as_posix()}"
        fetched = httpx.get(url)
        assert fetched.content == an_object.read_bytes()
        assert "immutable" in fetched.headers["cache-control"]
        assert httpx.head(url).status_code == 200
        assert httpx.put(url, content=b"x").status_code == 405, "the site's cache is read-only"
        assert httpx.post(url, content=b"x").status_code == 405
        assert "content-security-policy" in fetched.headers, "the site's security headers"
        (clone / "new-output.txt").write_text("not yet published", encoding="utf-8")
        run(clone, "dvc", "add", "new-output.txt")
        refused = subprocess.run(
            ["dvc", "push", "new-output.txt.dvc"], cwd=clone, capture_output=True, text=True, env=_env()
        )
        assert refused.returncode != 0, "a push to the site must fail, not pretend"
    assert an_object.read_bytes() != b"x"


def _csv_rows(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# A print by LibreOffice, OCR and two DVC runs: more than the default limit on a loaded machine.
@pytest.mark.timeout(1200)
def test_a_scanned_report_flows_through_into_the_package(built, tmp_path):
    """A generated report (figures nobody typed into a test), printed through Word and LibreOffice,
    scanned at 200 dpi (three pages: bounded for CI), dropped into data/raw: `dvc repro` reads it
    by OCR once and publishes it; every figure read otherwise than printed carries a review
    reason; a maintainer's decision in the corrections file is recorded by the next run, which
    does not read the scan again."""
    import re
    import time

    from pipelines.document.office import convert
    from pipelines.document.read import parse_document
    from pipelines.extract.report import extract_document
    from pipelines.synth.formats.word import render_docx
    from pipelines.synth.generator import generate_report
    from pipelines.synth.plan import Options
    from pipelines.synth.scan import scan_pdf

    repo = _copy_of(built, tmp_path)
    text = generate_report(7, Options(0.0, False, False), "lf", False).data
    model = parse_document(Path("report.md"), text)
    printed = tmp_path / "printed.pdf"
    printed.write_bytes(convert(Path("report.docx"), render_docx(model), ".docx", "pdf"))
    scan = repo / "data" / "raw" / "tinh-bao-cao-quet.pdf"
    scan.write_bytes(scan_pdf(printed, 200, seed=1, profile="standard"))
    truth = extract_document(model, "report.md").tables
    report_id = truth["reports"][0]["report_id"]

    started = time.perf_counter()
    output = run(repo, "dvc", "repro")
    print(f"dvc repro with a new 200 dpi scan: {time.perf_counter() - started:.0f} s")
    assert "Running stage 'read-scans'" in output and "Running stage 'page-images'" in output

    reports = {r["report_id"]: r for r in _csv_rows(repo / "data" / "reports.csv")}
    assert reports[report_id]["source_format"] == "scan"
    observations = [o for o in _csv_rows(repo / "data" / "observations.csv") if o["report_id"] == report_id]
    assert len(observations) == len(truth["observations"])
    assert all(re.fullmatch(r"p\d+:[\d.]+,[\d.]+,[\d.]+,[\d.]+", o["source_ref"]) for o in observations)
    printed_values = {(o["measure"], str(o["period"]), o["value_printed"]) for o in truth["observations"]}
    wrong = [o for o in observations if (o["measure"], o["period"], o["value_printed"]) not in printed_values]
    assert all(o["review_reason"] for o in wrong), f"published as certain: {wrong}"
    flagged = [o for o in observations if o["review_reason"]]
    assert len(flagged) <= 0.1 * len(observations)
    warnings = {(w["source_ref"], w["code"]) for w in _csv_rows(repo / "data" / "warnings.csv")}
    assert {(o["source_ref"], o["review_reason"]) for o in flagged} <= warnings
    assert (repo / "build" / "pages" / scan.stem / "p1.jpg").is_file()
    assert (repo / "build" / "scans" / f"{scan.stem}.json").is_file()

    decided = next((o for o in flagged if o["value"]), observations[0])
    confirm_as_read(scan.with_name(f"{scan.stem}.corrections.yaml"), decided)
    output = run(repo, "dvc", "repro")
    assert "unchanged, reading kept" in output
    again = {o["source_ref"]: o for o in _csv_rows(repo / "data" / "observations.csv")}
    confirmed = again[decided["source_ref"]]
    assert confirmed["review_status"] == "confirmed" and confirmed["review_reason"] == ""
    assert confirmed["reviewed_by"] == "Nguyễn Văn An" and confirmed["reviewed_on"] == "2026-11-30"
