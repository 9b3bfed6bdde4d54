"""Release bookkeeping: the semantic version in the metadata source and the changelog.

``metadata/package.yaml`` is edited as text, one line, so its comments and layout survive;
``datapackage.json`` takes the new version at the next ``dvc repro``.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipelines.common.atomic import write_file_atomically
from pipelines.common.errors import PipelineError
from pipelines.release.diff import BUMP_ORDER, Bump

_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
_UNRELEASED = re.compile(
    r"^(?P<heading>## \[Unreleased\])[^\n]*\n(?P<notes>.*?)(?=^## |\Z)", re.MULTILINE | re.DOTALL
)
_VERSION_LINE = re.compile(r"^version:\s*[\"']?(?P<version>[^\"'\s#]+)[\"']?[ \t]*$", re.MULTILINE)
CHANGELOG_HEADER = (
    "# Changelog\n\n"
    "Versions of the data package follow the Frictionless Data Package Version recipe: new data is\n"
    "a minor version, corrections are a patch, incompatible schema changes are a major version.\n"
    "Each version is a git tag `vX.Y.Z`.\n\n"
    "## [Unreleased]\n"
)


def bump_version(version: str, part: Bump) -> str:
    match = _SEMVER.match(version)
    if match is None:
        raise PipelineError(f"version {version!r} is not MAJOR.MINOR.PATCH")
    major, minor, patch = (int(n) for n in match.groups())
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def is_lower(chosen: Bump, suggested: Bump | None) -> bool:
    return suggested is not None and BUMP_ORDER.index(chosen) < BUMP_ORDER.index(suggested)


def write_atomic(path: Path, text: str) -> None:
    write_file_atomically(path, text.encode("utf-8"))


def read_metadata_version(path: Path) -> str:
    matches = list(_VERSION_LINE.finditer(path.read_text(encoding="utf-8")))
    if len(matches) != 1:
        raise PipelineError(f"{path}: expected exactly one top-level 'version:' line, found {len(matches)}")
    return matches[0]["version"]


def set_metadata_version(path: Path, version: str) -> None:
    text = path.read_text(encoding="utf-8")
    read_metadata_version(path)
    write_atomic(path, _VERSION_LINE.sub(f'version: "{version}"', text, count=1))


def changelog_entry(version: str, date: str, tag: str, previous: str | None, notes: str) -> str:
    since = f"Compared with `{previous}`." if previous else "First release."
    return f"## [{version}] - {date}\n\nGit tag `{tag}`. {since}\n\n{notes.rstrip()}\n"


def add_changelog_entry(path: Path, version: str, entry: str) -> None:
    """Newest release first, below ``## [Unreleased]``, whose hand-written notes move into it.

    Refuses to describe a version twice (``## 1.2.0`` or ``## [1.2.0]``).
    """
    text = path.read_text(encoding="utf-8") if path.exists() else CHANGELOG_HEADER
    if re.search(rf"^## \[?{re.escape(version)}\]?(\s|$)", text, re.MULTILINE):
        raise PipelineError(
            f"{path}: already has an entry for version {version} (if it is released, tag it: git tag -a v{version})"
        )
    unreleased = _UNRELEASED.search(text)
    if unreleased:
        notes = unreleased["notes"].strip()
        head = text[: unreleased.end("heading")] + "\n\n"
        rest = text[unreleased.end() :]
        if notes:
            title, _, body = entry.partition("\n\n")
            entry = f"{title}\n\n{notes}\n\n{body}"
    else:
        first = re.search(r"^## ", text, re.MULTILINE)
        cut = first.start() if first else len(text)
        head, rest = text[:cut].rstrip("\n") + "\n\n", text[cut:]
    write_atomic(path, head + entry + ("\n" + rest if rest else ""))
