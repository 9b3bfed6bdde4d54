"""Publishing a set of files so readers never see a half-written package.

Files are written to a staging folder first; a ``COMMITTED`` manifest (itself written
atomically) marks the set complete; then each file is moved into place with ``os.replace``,
the package descriptor last. A run killed before the manifest leaves the published files
untouched (the staging folder is discarded next time); a run killed after it is rolled
forward by the next run.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

STAGING = ".publish-staging"
MANIFEST = "COMMITTED"
# Test hook for the crash-safety tests: the named step announces itself on stderr and waits to be
# killed. Nothing else reads this variable.
PAUSE_AT = "CHITIEU_TEST_PAUSE_AT"


def _pause_point(step: str) -> None:
    if os.environ.get(PAUSE_AT) == step:
        print(f"paused at {step}", file=sys.stderr, flush=True)
        time.sleep(600)


def _write_durably(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def recover(root: Path) -> None:
    """Finish or discard a publish that a previous run did not complete."""
    staging = root / STAGING
    manifest = staging / MANIFEST
    if manifest.exists():
        for relative in json.loads(manifest.read_text(encoding="utf-8")):
            source = staging / relative
            if source.exists():
                (root / relative).parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, root / relative)
                _pause_point("rolling-forward")
    if staging.exists():
        shutil.rmtree(staging)


def publish_files(root: Path, files: dict[str, bytes], last: str | None = None) -> None:
    """Write ``files`` (relative path -> bytes) under ``root`` all at once; ``last`` moves last."""
    root.mkdir(parents=True, exist_ok=True)
    recover(root)
    staging = root / STAGING
    for relative, data in files.items():
        _write_durably(staging / relative, data)
    order = sorted(files, key=lambda name: (name == last, name))
    _pause_point("before-commit")
    temp = staging / f"{MANIFEST}.tmp"
    _write_durably(temp, json.dumps(order).encode())
    os.replace(temp, staging / MANIFEST)
    recover(root)


def write_file_atomically(path: Path, data: bytes) -> None:
    """One file: write beside it, then rename over it."""
    temp = path.with_name(f".{path.name}.tmp")
    _write_durably(temp, data)
    os.replace(temp, path)
