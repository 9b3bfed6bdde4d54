"""The project as a fresh clone of its working tree would hold it, in a new repository: for the
benchmarks and the end-to-end tests (``tests/support.py``) that run the pipeline in a copy.

The bench scripts run as ``python bench/<script>.py``, which puts this folder on the import path;
run alone this module does nothing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def copy_project(target: Path, env: dict[str, str] | None = None) -> Path:
    """The project's files as a fresh clone would have them (tracked and not ignored, as in the
    working tree), committed on branch ``main`` of a new repository at ``target``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    for relative in filter(None, listed.split("\0")):
        source = ROOT / relative
        if source.is_file():
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / relative)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org"]
    for argv in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "copy"]):
        subprocess.run([*git, *argv], cwd=target, env=env, check=True, capture_output=True)
    return target
