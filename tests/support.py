"""Process plumbing the slow end-to-end tests share: a clean copy of the project, the pipeline's
environment for subprocesses, and the site served as users get it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.paths import REPO_ROOT

BIN = Path(sys.executable).parent
LOOPBACK = "127.0.0.1"


def environment(**extra: str) -> dict[str, str]:
    """The pipeline's environment for subprocesses: project venv first, no telemetry."""
    env = dict(os.environ)
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        PYTHONPATH=str(REPO_ROOT),
        GX_ANALYTICS_ENABLED="false",
        DVC_NO_ANALYTICS="1",
        DO_NOT_TRACK="1",
    )
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def copy_project(target: Path, env: dict[str, str] | None = None) -> Path:
    """The project's files as a fresh clone would have them (tracked and not ignored, as in the
    working tree), committed in a new repository at ``target``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    for relative in filter(None, listed.split("\0")):
        source = REPO_ROOT / relative
        if source.is_file():
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / relative)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org"]
    for argv in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "copy"]):
        subprocess.run([*git, *argv], cwd=target, env=env, check=True, capture_output=True)
    return target


@contextmanager
def serving(
    site: Path, timeout: float = 60, log: Path | None = None, dvc: Path | None = None
) -> Iterator[str]:
    """``python -m pipelines serve`` of ``site`` on a free loopback port; yields its base URL.
    The server's log (stderr) goes to ``log`` when given; ``dvc`` is the published DVC cache it
    serves at /dvc/ (none by default, whatever the checkout holds)."""
    port = free_port()
    log_file = log.open("wb") if log else None
    cache = ["--dvc", str(dvc if dvc is not None else site / "no-dvc-cache")]
    process = subprocess.Popen(
        [sys.executable, "-m", "pipelines", "serve", "--site", str(site), "--port", str(port), *cache],
        cwd=REPO_ROOT,
        env=environment(DATASETTE_SECRET="test"),
        stdout=subprocess.DEVNULL,
        stderr=log_file or subprocess.PIPE,
    )
    base = f"http://{LOOPBACK}:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{base}/-/versions.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.stderr.read().decode() if process.stderr else log.read_text()
                raise RuntimeError(f"the site did not start: {output}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)
        if log_file:
            log_file.close()


def write_passing_summary(validation: Path, package: Path, db: Path | None = None, **fields: object) -> Path:
    """A passing validation summary as ``validate`` records it for the package folder ``package``
    (descriptor, Parquet copy when it has one, and ``db``; ``fields`` added as they are), for tests
    that build from a package they know to be valid without running the whole validation."""
    import json

    from pipelines.common.atomic import sha256_file
    from pipelines.package.parquet import parquet_checksum, read_parquet_copy

    checksums = {"package": sha256_file(package / "datapackage.json")}
    parquet = read_parquet_copy(package)
    if parquet:
        checksums["parquet"] = parquet_checksum(parquet)
    if db is not None:
        checksums["database"] = sha256_file(db)
    validation.mkdir(parents=True, exist_ok=True)
    path = validation / "summary.json"
    path.write_text(json.dumps({"passed": True, "checksums": checksums, **fields}), encoding="utf-8")
    return path
