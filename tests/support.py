"""Process plumbing the slow end-to-end tests share: a clean copy of the project, the pipeline's
environment for subprocesses, and the site served as users get it."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench import servers
from bench.project import copy_project as copy_project
from bench.servers import LOOPBACK as LOOPBACK
from bench.servers import free_port as free_port
from bench.servers import our_site
from tests.paths import REPO_ROOT

BIN = Path(sys.executable).parent


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


@contextmanager
def serving(
    site: Path, timeout: float = 60, log: Path | None = None, dvc: Path | None = None
) -> Iterator[str]:
    """``python -m pipelines serve`` of ``site`` on a free loopback port; yields its base URL.
    The server's log (stderr) goes to ``log`` when given, else to a temporary file quoted if it
    does not start; ``dvc`` is the published DVC cache it serves at /dvc/ (none by default,
    whatever the checkout holds)."""
    cache = ["--dvc", str(dvc if dvc is not None else site / "no-dvc-cache")]
    env = environment(DATASETTE_SECRET="test")
    with (
        tempfile.TemporaryDirectory() as scratch,
        servers.serving([*our_site(site), *cache], env, log or Path(scratch) / "server.log", timeout) as base,
    ):
        yield base


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


def confirm_as_read(corrections: Path, figure: dict[str, str], by: str = "Nguyễn Văn An") -> None:
    """Write the corrections file a maintainer would: one flagged figure confirmed as it was read."""
    corrections.write_text(
        f"""corrections:
  - source_ref: "{figure["source_ref"]}"
    read: "{figure["value_printed"]}"
    value: "{figure["value_printed"]}"
    by: {by}
    date: 2026-11-30
""",
        encoding="utf-8",
    )
