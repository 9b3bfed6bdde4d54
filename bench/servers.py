"""Servers started on a free loopback port and stopped after use: the ones the benchmarks measure,
and the site the end-to-end tests visit (``tests/support.py``).

Our site as served (``python -m pipelines serve``) and, as a baseline, plain ``datasette serve`` of
the same database. The bench scripts run as ``python bench/<script>.py``, which puts this folder on
the import path; run alone this module does nothing.

    with serving(our_site(site)) as base: ...
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = "127.0.0.1"
START_SECONDS = 60.0


def our_site(site: Path) -> list[str]:
    """The command serving ``site`` as the project serves it (plugins, metadata, response cache)."""
    return [sys.executable, "-m", "pipelines", "serve", "--site", str(site)]


def plain_datasette(database: Path) -> list[str]:
    """The command serving ``database`` alone with Datasette's defaults (immutable, no metadata)."""
    return [sys.executable, "-m", "datasette", "serve", "-i", str(database), "-h", LOOPBACK]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


@contextmanager
def serving(
    command: list[str],
    env: dict[str, str] | None = None,
    log: Path | None = None,
    timeout: float = START_SECONDS,
) -> Iterator[str]:
    """Run ``command --port N`` (N a free loopback port) with ``env`` added to the environment until
    it answers ``/-/versions.json``; yields its base URL and stops it afterwards. The server's
    stderr goes to ``log`` when given (a server that does not start is reported with it)."""
    port = free_port()
    argv = [*command, "--port", str(port)]
    log_file = log.open("wb") if log else None
    process = subprocess.Popen(
        argv,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log_file or subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
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
                process.wait(timeout=15)
                said = f": {log.read_text(encoding='utf-8', errors='replace')}" if log else ""
                raise RuntimeError(f"{' '.join(argv)}: the server did not start{said}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)
        if log_file:
            log_file.close()
