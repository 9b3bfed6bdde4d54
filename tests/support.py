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
def serving(site: Path, timeout: float = 60) -> Iterator[str]:
    """``python -m pipelines serve`` of ``site`` on a free loopback port; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "pipelines", "serve", "--site", str(site), "--port", str(port)],
        cwd=REPO_ROOT,
        env=environment(DATASETTE_SECRET="test"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
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
                raise RuntimeError(
                    f"the site did not start: {process.stderr.read().decode() if process.stderr else ''}"
                )
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)
