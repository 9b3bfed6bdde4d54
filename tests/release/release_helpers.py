"""Small packages and git repositories that the release tests build for themselves."""

from __future__ import annotations

import copy
import csv
import io
import json
import subprocess
from pathlib import Path
from typing import Any

ITEMS_FIELDS = [
    {"name": "id", "type": "string", "description": "Key."},
    {"name": "label", "type": "string", "description": "Label."},
    {"name": "amount", "type": "number", "description": "Amount."},
]
OBS_FIELDS = [
    {"name": "id", "type": "string", "description": "Item."},
    {"name": "year", "type": "integer", "description": "Year."},
    {"name": "value", "type": "number", "description": "Value."},
]


def descriptor(version: str = "0.1.0", items_fields: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "name": "demo",
        "version": version,
        "resources": [
            {
                "name": "items",
                "path": "data/items.csv",
                "schema": {"fields": copy.deepcopy(items_fields or ITEMS_FIELDS), "primaryKey": ["id"]},
            },
            {
                "name": "obs",
                "path": "data/obs.csv",
                "schema": {"fields": copy.deepcopy(OBS_FIELDS), "primaryKey": ["id", "year"]},
            },
        ],
    }


def csv_text(rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def write_package(
    root: Path, items: list[list[object]], obs: list[list[object]], desc: dict[str, Any] | None = None
) -> Path:
    """``items`` and ``obs`` include their header row."""
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "datapackage.json").write_text(json.dumps(desc or descriptor(), indent=2), encoding="utf-8")
    (root / "data" / "items.csv").write_text(csv_text(items), encoding="utf-8")
    (root / "data" / "obs.csv").write_text(csv_text(obs), encoding="utf-8")
    return root


ITEMS = [["id", "label", "amount"], ["a", "Alpha", "1.50"], ["b", "Beta | pipe", "2"]]
OBS = [["id", "year", "value"], ["a", 2021, "10"], ["a", 2022, "11"], ["b", 2022, "20"]]


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        check=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.org",
            "PATH": "/usr/bin:/bin",
            "HOME": str(repo),
        },
    )
    return result.stdout


def init_repo(repo: Path) -> Path:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    return repo


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
