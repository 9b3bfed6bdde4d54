"""Every command of the researchers' recipes (README "csvkit for researchers", docs/maintainers.md
"For researchers") runs as written and prints what the docs show, so the docs cannot drift.

Commands are the ``$ `` lines of ``console`` blocks; the lines after one are its expected output,
where a line ``...`` stands for any number of lines.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.paths import REPO_ROOT
from tests.support import environment

SECTIONS = {"README.md": "## csvkit for researchers", "docs/maintainers.md": "## For researchers"}
BLOCK = re.compile(r"^```console\n(.*?)^```$", re.S | re.M)


def section(text: str, heading: str) -> str:
    """From the level-2 heading starting with ``heading`` to the next level-2 heading."""
    start = next(m.start() for m in re.finditer(r"^## .*$", text, re.M) if m.group().startswith(heading))
    following = re.search(r"^## ", text[start + 3 :], re.M)
    return text[start : start + 3 + following.start()] if following else text[start:]


def recipes(path: str, heading: str) -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for every ``$`` line of the section's console blocks."""
    found: list[tuple[str, list[str]]] = []
    for block in BLOCK.findall(section((REPO_ROOT / path).read_text(encoding="utf-8"), heading)):
        for line in block.splitlines():
            if line.startswith("$ "):
                found.append((line[2:], []))
            elif found:
                found[-1][1].append(line.rstrip())
    return found


def matches(expected: list[str], actual: list[str]) -> bool:
    """``expected`` equals ``actual`` line for line, ``...`` matching any run of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and matches(expected[1:], actual[1:])


ALL = [
    (path, command, output)
    for path, heading in SECTIONS.items()
    for command, output in recipes(path, heading)
]


def test_the_sections_hold_the_promised_recipes() -> None:
    commands = " ".join(command for _, command, _ in ALL)
    for tool in ("csvlook", "csvstat", "csvgrep", "csvjoin", "csvsql", "--query"):
        assert tool in commands, tool
    assert all(output for _, _, output in ALL), "every recipe shows its output"


def test_matching_honours_ellipses() -> None:
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert not matches(["a", "...", "d"], ["a", "b", "c"])
    assert not matches(["a"], ["a", "b"])


@pytest.mark.parametrize(("path", "command", "expected"), ALL, ids=[f"{p}: {c[:60]}" for p, c, _ in ALL])
def test_recipe_prints_what_the_docs_show(path: str, command: str, expected: list[str]) -> None:
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=REPO_ROOT,
        env=environment(),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    actual = [line.rstrip() for line in done.stdout.rstrip("\n").splitlines()]
    assert matches(expected, actual), f"{path}: `{command}` printed:\n{done.stdout}"
