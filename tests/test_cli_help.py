"""Every command explains itself: ``python -m pipelines --help`` and ``COMMAND --help``."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pipelines.cli import build_parser


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
