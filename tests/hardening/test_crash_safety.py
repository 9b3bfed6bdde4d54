"""Killing the pipeline while it writes: the last published package and database stay intact.

Processes are killed with SIGKILL (no cleanup code runs): at a known step through the documented
pause hook of pipelines/common/atomic.py, and at random moments. Afterwards the published files
must be the old ones byte for byte (and still valid), or, once the commit point has passed, the
next run must roll the new ones forward; the next run always ends with a complete package.
"""

from __future__ import annotations

import contextlib
import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.common.atomic import MANIFEST, PAUSE_AT, STAGING, recover
from tests.hardening.hardening_helpers import frictionless_errors, package_hashes_hold, snapshot
from tests.paths import REPO_ROOT
from tests.support import environment

pytestmark = pytest.mark.slow

PY = [sys.executable, "-m", "pipelines"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two extracted sets (20 reports, then 150) and the packages they make when nothing goes wrong."""
    base = tmp_path_factory.mktemp("crash")
    paths: dict[str, Path] = {}
    for name, count in (("old", 20), ("new", 150)):
        raw, extracted, package = base / f"{name}-raw", base / f"{name}-extracted", base / f"{name}-package"
        assert main(["generate", "--out", str(raw), "--count", str(count), "--no-truth"]) == 0
        assert main(["extract-all", str(raw), "--out", str(extracted)]) == 0
        assert main(["package", str(extracted), "--out", str(package)]) == 0
        paths[f"{name}-extracted"], paths[f"{name}-package"] = extracted, package
    return paths


def published(root: Path) -> dict[str, bytes]:
    """What readers see: everything but the staging folder."""
    return {path: data for path, data in snapshot(root).items() if not path.startswith(STAGING)}


def start(argv: list[str], **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        argv,
        cwd=REPO_ROOT,
        env=environment(**env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for(process: subprocess.Popen[str], text: str, timeout: float = 120) -> None:
    """Block until ``text`` appears on the process's stderr."""
    lines: queue.Queue[str] = queue.Queue()
    assert process.stderr is not None
    stream = process.stderr
    threading.Thread(target=lambda: [lines.put(line) for line in stream], daemon=True).start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if text in lines.get(timeout=1):
                return
        except queue.Empty:
            if process.poll() is not None:
                break
    raise AssertionError(f"{process.args} never printed {text!r}")


def kill(process: subprocess.Popen[str]) -> None:
    """SIGKILL the process and its children, as a crash or the OOM killer would."""
    with contextlib.suppress(ProcessLookupError):  # it may have finished first
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def publish_old(corpus: dict[str, Path], root: Path) -> dict[str, bytes]:
    assert main(["package", str(corpus["old-extracted"]), "--out", str(root)]) == 0
    return published(root)


def test_killed_before_the_commit_point_leaves_the_old_package(
    corpus: dict[str, Path], tmp_path: Path
) -> None:
    root = tmp_path / "root"
    old = publish_old(corpus, root)
    process = start(
        [*PY, "package", str(corpus["new-extracted"]), "--out", str(root)], **{PAUSE_AT: "before-commit"}
    )
    wait_for(process, "paused at before-commit")
    kill(process)

    assert (root / STAGING / "data").is_dir(), "the kill should have interrupted a staged write"
    assert published(root) == old
    assert frictionless_errors(root / "datapackage.json") == []

    assert main(["package", str(corpus["new-extracted"]), "--out", str(root)]) == 0
    assert published(root) == published(corpus["new-package"])
    assert not (root / STAGING).exists()


def test_killed_after_the_commit_point_is_rolled_forward(corpus: dict[str, Path], tmp_path: Path) -> None:
    root = tmp_path / "root"
    publish_old(corpus, root)
    process = start(
        [*PY, "package", str(corpus["new-extracted"]), "--out", str(root)], **{PAUSE_AT: "rolling-forward"}
    )
    wait_for(process, "paused at rolling-forward")
    kill(process)

    assert (root / STAGING / MANIFEST).exists(), "the commit point was passed"
    recover(root)  # what the next run of any publishing command does first
    assert published(root) == published(corpus["new-package"])
    assert frictionless_errors(root / "datapackage.json") == []


def test_random_kills_of_package_never_leave_a_mixed_package(corpus: dict[str, Path], tmp_path: Path) -> None:
    root = tmp_path / "root"
    old = publish_old(corpus, root)
    new = published(corpus["new-package"])
    started = time.monotonic()
    subprocess.run(
        [*PY, "package", str(corpus["new-extracted"]), "--out", str(tmp_path / "timing")],
        cwd=REPO_ROOT,
        env=environment(),
        check=True,
    )
    duration = time.monotonic() - started
    rng = random.Random(7)
    outcomes = []
    for _ in range(6):
        process = start([*PY, "package", str(corpus["new-extracted"]), "--out", str(root)])
        time.sleep(rng.uniform(0.2, duration))
        finished = process.poll() is not None
        kill(process)
        if (root / STAGING / MANIFEST).exists() and not finished:
            outcomes.append("committed")
            recover(root)
            assert published(root) == new
        elif published(root) == new:
            outcomes.append("finished")
        else:
            outcomes.append("old")
            assert published(root) == old
            assert package_hashes_hold(root)
        assert main(["package", str(corpus["old-extracted"]), "--out", str(root)]) == 0
        assert published(root) == old
    assert "old" in outcomes or "committed" in outcomes, outcomes


def _counts(db: Path) -> tuple[int, str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        reports = conn.execute("select count(*) from reports").fetchone()[0]
        integrity = conn.execute("pragma integrity_check").fetchone()[0]
    return reports, integrity


def test_random_kills_of_build_db_leave_the_published_database(
    corpus: dict[str, Path], tmp_path: Path
) -> None:
    db = tmp_path / "site" / "chitieu.db"
    assert main(["build-db", str(corpus["old-package"] / "datapackage.json"), "--out", str(db)]) == 0
    old = db.read_bytes()
    argv = [*PY, "build-db", str(corpus["new-package"] / "datapackage.json"), "--out", str(db)]
    started = time.monotonic()
    subprocess.run(
        [*argv[:-1], str(tmp_path / "timing.db")],
        cwd=REPO_ROOT,
        env=environment(),
        check=True,
        capture_output=True,
    )
    duration = time.monotonic() - started
    rng = random.Random(11)
    interrupted = 0
    for _ in range(5):
        process = start(argv)
        time.sleep(rng.uniform(0.3, duration * 0.9))
        interrupted += process.poll() is None
        kill(process)
        if db.read_bytes() != old:
            assert _counts(db) == (150, "ok")
            db.write_bytes(old)
        assert _counts(db) == (20, "ok")
    assert interrupted, "no attempt landed while the database was being built"

    assert main(["build-db", str(corpus["new-package"] / "datapackage.json"), "--out", str(db)]) == 0
    assert _counts(db) == (150, "ok")
    assert sorted(p.name for p in db.parent.iterdir()) == ["chitieu.db"], "a temporary file was left behind"
