"""Prepare a release: diff against the last tag, bump the version, write the changelog entry.

Nothing is committed or tagged here: the maintainer rebuilds with ``dvc repro`` (which writes
the new version into ``datapackage.json``), reviews, then commits and tags as printed.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

from pipelines.common.errors import PipelineError
from pipelines.package.reader import Package
from pipelines.release.diff import Bump, diff_packages
from pipelines.release.render import diff_markdown
from pipelines.release.source import read_directory_package, read_release_package
from pipelines.release.version import (
    add_changelog_entry,
    bump_version,
    changelog_entry,
    is_lower,
    read_metadata_version,
    set_metadata_version,
)

METADATA = Path("metadata/package.yaml")
CHANGELOG = Path("CHANGELOG.md")
_TAG = re.compile(r"^v\d+\.\d+\.\d+$")
NOTES_LIMIT = 50


@dataclass(frozen=True)
class PreparedRelease:
    old_version: str
    version: str
    tag: str
    warnings: list[str]
    next_steps: list[str]


def _git_lines(repo: Path, *args: str) -> list[str]:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PipelineError(f"git {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout.splitlines()


def latest_release_tag(repo: Path) -> str | None:
    """The highest ``vMAJOR.MINOR.PATCH`` tag, by version order rather than by date."""
    tags = [t for t in _git_lines(repo, "tag", "--list", "v*", "--sort=-v:refname") if _TAG.match(t)]
    return tags[0] if tags else None


def _nothing() -> Package:
    return Package("(nothing)", {"resources": []}, lambda _path: "")


def prepare_release(repo: Path, bump: Bump | None, since: str | None, date: dt.date) -> PreparedRelease:
    current = read_metadata_version(repo / METADATA)
    package = read_directory_package(repo)
    if package.version != current:
        raise PipelineError(
            f"datapackage.json has version {package.version} but {METADATA} says {current}: "
            "run `dvc repro` first so the package matches its metadata"
        )
    previous = since or latest_release_tag(repo)
    old = read_release_package(previous, repo) if previous else _nothing()
    if previous and old.version != current:
        raise PipelineError(
            f"the version is already {current} while {previous} has {old.version}: "
            "finish (tag) or revert that release first"
        )
    diff = diff_packages(old, package)
    suggested, reason = diff.suggested_bump()
    warnings = []
    if previous is None:
        version = current if bump is None else bump_version(current, bump)
    else:
        chosen = bump or suggested
        if chosen is None:
            raise PipelineError(f"nothing changed since {previous}: no release to make")
        if is_lower(chosen, suggested):
            warnings.append(f"{chosen} is smaller than the suggested {suggested} bump ({reason})")
        version = bump_version(current, chosen)
    tag = f"v{version}"
    if _git_lines(repo, "tag", "--list", tag):
        raise PipelineError(f"tag {tag} already exists")
    notes = diff_markdown(replace(diff, new_label=tag, new_version=version), limit=NOTES_LIMIT, added=False)
    add_changelog_entry(
        repo / CHANGELOG, version, changelog_entry(version, date.isoformat(), tag, previous, notes)
    )
    if version != current:
        set_metadata_version(repo / METADATA, version)
    review = f"python -m pipelines diff {previous} ." if previous else "python -m pipelines diff HEAD ."
    steps = [
        "dvc repro",
        f"{review}    # review; CHANGELOG.md holds the summary",
        "git add metadata/package.yaml CHANGELOG.md datapackage.json data dvc.lock metrics.json docs",
        f'git commit -m "Release {version}"',
        f'git tag -a {tag} -m "Release {version}"',
        "git push --follow-tags && dvc push",
    ]
    return PreparedRelease(current, version, tag, warnings, steps)
