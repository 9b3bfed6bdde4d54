"""A throwaway PostgreSQL cluster for tests: Debian's server binaries, a temporary data folder,
127.0.0.1 on a free port, trust authentication, stopped and deleted at the end.

``initdb`` refuses to run as root, so as root the cluster runs as the unprivileged ``nobody``
(through ``runuser``); otherwise as the current user.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support import LOOPBACK, free_port

UNPRIVILEGED = "nobody"


def server_bin() -> Path:
    """The folder of ``initdb``/``pg_ctl``: Debian keeps them off PATH, under /usr/lib/postgresql/N/bin."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb is None:
        raise RuntimeError("PostgreSQL server binaries not found: run `make system` (Debian's postgresql)")
    return Path(initdb).resolve().parent


def _as_owner(argv: list[str]) -> list[str]:
    return ["runuser", "-u", UNPRIVILEGED, "--", *argv] if os.geteuid() == 0 else argv


@contextmanager
def throwaway_cluster() -> Iterator[str]:
    """Yields the connection URI of a fresh cluster's ``postgres`` database."""
    bindir = server_bin()
    base = Path(tempfile.mkdtemp(prefix="chitieu-pg-"))
    data = base / "data"
    if os.geteuid() == 0:
        shutil.chown(base, UNPRIVILEGED)
    port = free_port()
    run = {"check": True, "capture_output": True, "text": True, "cwd": base}
    try:
        subprocess.run(
            _as_owner([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                       "-E", "UTF8", "--locale=C", "-N"]),
            **run,
        )  # fmt: skip
        with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(
                f"listen_addresses = '{LOOPBACK}'\nport = {port}\nunix_socket_directories = '{base}'\n"
                "fsync = off\nfull_page_writes = off\nsynchronous_commit = off\n"
            )
        subprocess.run(
            _as_owner(
                [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w", "-t", "60", "start"]
            ),
            **run,
        )
        try:
            yield f"postgresql://postgres@{LOOPBACK}:{port}/postgres"
        finally:
            subprocess.run(
                _as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                capture_output=True,
                check=False,
            )
    finally:
        shutil.rmtree(base, ignore_errors=True)
