"""Every command explains itself: ``python -m pipelines --help`` and ``COMMAND --help``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.cli import build_parser
from tests.paths import REPO_ROOT


def _commands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)


def test_top_level_help_lists_every_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pipelines", "--help"], capture_output=True, text=True, check=True
    )
    for command in _commands():
        assert command in result.stdout


@pytest.mark.parametrize("command", _commands())
def test_command_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage:" in capsys.readouterr().out


# Scripts run as ``__main__``; the other files of bench/ are modules they import (bench/servers.py).
BENCH_SCRIPTS = sorted(
    p.name
    for p in (REPO_ROOT / "bench").glob("*.py")
    if 'if __name__ == "__main__":' in p.read_text(encoding="utf-8")
)


def test_bench_holds_scripts() -> None:
    assert len(BENCH_SCRIPTS) >= 8, BENCH_SCRIPTS


@pytest.mark.parametrize("script", BENCH_SCRIPTS)
def test_benchmark_runs_as_a_script_from_any_folder(script: str, tmp_path: Path) -> None:
    """``make bench`` runs ``python bench/<script>``: the project, and the modules of bench/ it
    imports, must import without being installed."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "bench" / script), "--help"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout
