"""`python -m pipelines validate` as the pipeline runs it: exit codes, outputs, no stray temp folders."""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _pipelines(repo_root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines", *args],
        cwd=repo_root,
        capture_output=True,
        text=True,
        env=env,
    )


@pytest.fixture(scope="module")
def package(seed_package: Path) -> Path:
    return seed_package


def test_validate_with_the_published_database_passes_and_leaves_no_temp_folder(
    package: Path, tmp_path: Path, repo_root: Path
) -> None:
    db = tmp_path / "site" / "chitieu.db"
    built = _pipelines(repo_root, "build-db", str(package / "datapackage.json"), "--out", str(db))
    assert built.returncode == 0, built.stderr
    scratch = tmp_path / "tmpdir"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    out = tmp_path / "validation"
    done = _pipelines(
        repo_root, "validate", str(package / "datapackage.json"), "--db", str(db), "--out", str(out), env=env
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "integrity-sql-observations@db" in done.stdout
    assert list(scratch.iterdir()) == []
    assert sorted(p.name for p in out.iterdir()) == [
        "data-docs",
        "package.sqlite",
        "results.json",
        "summary.json",
    ]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["suites"]["integrity-sql-observations@db"]["failed"] == 0
    assert summary["suites"]["integrity-sql-observations@db"]["evaluated"] >= 4
    # The database gives the derived CSVs back byte for byte: their suites ran on it alone, and
    # validation's copy was spared their rows (the catalogue, which indicators refer to, stays).
    assert summary["suites"]["integrity-sql-series@db"]["evaluated"] >= 9
    assert summary["suites"]["integrity-sql-series@package"]["evaluated"] == 1
    # Their CSV suites' column checks ran in SQL on the database's typed tables instead: one
    # expectation stands for each CSV suite, and the SQL suite has one more.
    assert summary["suites"]["integrity-series"]["evaluated"] == 1
    assert summary["suites"]["integrity-sql-series@db"]["evaluated"] >= 10
    copy = sqlite3.connect(out / "package.sqlite")
    tables = {name for (name,) in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    copy.close()
    assert {"observations", "indicator_catalogue"} <= tables
    assert not tables & {"series", "series_best", "revisions", "crosswalk"}
    assert (out / "data-docs" / "index.html").exists()
    assert any((out / "data-docs" / "validations").iterdir())


def _validate_altered_database(
    package: Path, tmp_path: Path, repo_root: Path, *statements: str
) -> tuple[subprocess.CompletedProcess, Path]:
    """Build the package's database, change it behind the pipeline's back, then validate both."""
    db = tmp_path / "chitieu.db"
    built = _pipelines(repo_root, "build-db", str(package / "datapackage.json"), "--out", str(db))
    assert built.returncode == 0, built.stderr
    connection = sqlite3.connect(db)
    with connection:
        for statement in statements:
            connection.execute(statement)
    connection.close()
    out = tmp_path / "validation"
    return _pipelines(repo_root, "validate", str(package), "--db", str(db), "--out", str(out)), out


def test_a_broken_database_fails_in_sql_and_names_the_rows(
    package: Path, tmp_path: Path, repo_root: Path
) -> None:
    done, out = _validate_altered_database(
        package,
        tmp_path,
        repo_root,
        "PRAGMA foreign_keys = OFF",
        "UPDATE observations SET indicator_id = 'nowhere/1' WHERE rowid = 1",
    )
    assert done.returncode == 1
    assert "observations.foreign_key.report_id+indicator_id.sql" in done.stdout
    assert "indicator_id=nowhere/1" in done.stdout
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["suites"]["integrity-sql-observations@package"]["failed"] == 0
    assert summary["suites"]["integrity-sql-observations@db"]["failed"] == 1


def test_a_derived_table_of_the_database_is_compared_with_the_checked_copy(
    package: Path, tmp_path: Path, repo_root: Path
) -> None:
    """The series suite runs once, on validation's copy; the database's series must hold its rows."""
    done, out = _validate_altered_database(
        package, tmp_path, repo_root, "UPDATE series SET value = value + 1 WHERE rowid = 1"
    )
    assert done.returncode == 1
    assert "series.rows.same_as_checked: same_rows, 2 rows" in done.stdout
    assert "only_in=database, report_id=" in done.stdout and "only_in=checked copy" in done.stdout
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["suites"]["integrity-sql-series@package"]["evaluated"] >= 9
    assert summary["suites"]["integrity-sql-series@package"]["failed"] == 0
    assert summary["suites"]["integrity-sql-series@db"] == {
        "kind": "integrity",
        "blocking": True,
        "skipped": False,
        "evaluated": 1,
        "passed": 0,
        "failed": 1,
    }


def test_a_bad_code_in_both_the_database_and_its_csv_fails_on_the_database(
    package: Path, tmp_path: Path, repo_root: Path
) -> None:
    """The CSV is the database's table as written, so the CSV suite does not run; the same check
    on the database's typed values catches the code the CSV suite would have caught."""
    copy = tmp_path / "package"
    shutil.copytree(package, copy)
    series = copy / "data" / "series.csv"
    with series.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = list(reader.fieldnames or []), list(reader)
    rows[0]["measure"] = "guess"
    with series.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    descriptor = json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == "series":
            resource.pop("hash", None), resource.pop("bytes", None)
    (copy / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    done, out = _validate_altered_database(
        copy, tmp_path, repo_root, "UPDATE series SET measure = 'guess' WHERE rowid = 1"
    )
    assert done.returncode == 1
    assert "series.columns.typed.sql" in done.stdout
    assert "problem=measure: not one of its codes" in done.stdout
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    ids = {e["id"] for s in results["suites"] for e in s.get("failed", [])}
    assert "series.rows.same_as_checked" not in ids, ids  # the database gave the CSV back


def test_missing_package_is_a_clear_error(tmp_path: Path, repo_root: Path) -> None:
    done = _pipelines(repo_root, "validate", str(tmp_path / "nothing.json"), "--out", str(tmp_path / "v"))
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr


def test_failed_frictionless_blocks(package: Path, tmp_path: Path, repo_root: Path) -> None:
    copy = tmp_path / "package"
    shutil.copytree(package, copy)
    path = copy / "data" / "reports.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(",2022-11-14,", ",14/11/2022,"), encoding="utf-8"
    )
    done = _pipelines(repo_root, "validate", str(copy), "--out", str(tmp_path / "v"))
    assert done.returncode == 1
    assert "frictionless: INVALID" in done.stdout
    assert "reports.issued_date.type" in done.stdout
