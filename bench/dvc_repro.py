"""Benchmark the DVC pipeline: full ``dvc repro`` on a clean clone, and a no-op ``dvc repro``.

Usage (from the project root, venv installed):  .venv/bin/python bench/dvc_repro.py [--repeat 5]
                                                [--worktree]

Baselines are measured in the same run on the same machine, so the figures can be compared
across machines: ``python -c pass`` (interpreter start) and ``dvc status`` (DVC's own fixed
cost of reading the pipeline and hashing its dependencies). Installs are not counted: the
clone reuses the interpreter this script runs with.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Runs as a script from any folder: the project's root on the path, as `python -m` would do.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from project import copy_project

from pipelines.common.paths import REPO_ROOT

BIN = Path(sys.executable).parent
FULL_TARGET_S = 20.0
NOOP_TARGET_S = 2.0


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}", DVC_NO_ANALYTICS="1", GX_ANALYTICS_ENABLED="false"
    )
    return env


def timed(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(argv, cwd=cwd, env=environment(), capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed


def median_of(argv: list[str], cwd: Path, repeat: int) -> float:
    return statistics.median(timed(argv, cwd) for _ in range(repeat))


def clean_clone(target: Path, worktree: bool) -> Path:
    """A clone of HEAD, or (``--worktree``) the tracked and unignored files of the working tree."""
    if not worktree:
        subprocess.run(["git", "clone", "--quiet", str(REPO_ROOT), str(target)], check=True)
        return target
    return copy_project(target)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each fast measurement (median)")
    parser.add_argument(
        "--worktree", action="store_true", help="copy the working tree instead of cloning HEAD"
    )
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="chitieu-bench-") as tmp:
        repo = clean_clone(Path(tmp) / "chitieu", args.worktree)
        python_start = median_of([str(BIN / "python"), "-c", "pass"], repo, args.repeat)
        full = timed(["dvc", "repro"], repo)
        forced = timed(["dvc", "repro", "--force"], repo)
        status = median_of(["dvc", "status"], repo, args.repeat)
        noop = median_of(["dvc", "repro"], repo, args.repeat)

    rows = [
        ("python -c pass (baseline)", python_start, ""),
        ("dvc status, up to date (baseline)", status, ""),
        ("dvc repro, clean clone (all stages)", full, f"target < {FULL_TARGET_S:.0f} s"),
        ("dvc repro --force, warm", forced, ""),
        ("dvc repro, nothing changed", noop, f"target < {NOOP_TARGET_S:.0f} s"),
    ]
    source = "working tree" if args.worktree else "HEAD clone"
    print(
        f"DVC pipeline benchmark ({source}; {os.cpu_count()} CPUs; median of {args.repeat} for fast figures)"
    )
    print(
        f"1-minute load average: {load_before:.2f} before, {os.getloadavg()[0]:.2f} after (other work skews it)"
    )
    print(f"{'measurement':40} {'seconds':>8} {'x python':>9} {'x status':>9}  note")
    for name, seconds, note in rows:
        print(f"{name:40} {seconds:8.2f} {seconds / python_start:9.1f} {seconds / status:9.2f}  {note}")
    ok = full < FULL_TARGET_S and noop < NOOP_TARGET_S
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
