"""Read a published package, either from a directory or from a git revision, without a checkout.

Releases are compared against tags, so the old version must be readable straight from git
(``git show REV:path``) while the working tree holds the new one.
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.common.errors import PipelineError

DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class Table:
    """One CSV resource: its header and its rows as text, exactly as stored."""

    header: list[str]
    rows: list[dict[str, str]]


@dataclass(frozen=True)
class Package:
    """A descriptor and the tables of its tabular resources."""

    label: str
    descriptor: dict[str, Any]
    tables: dict[str, Table]

    @property
    def version(self) -> str | None:
        return self.descriptor.get("version")


def parse_csv(text: str) -> Table:
    """Parse CSV text (a byte-order mark, as Excel writes it, is ignored)."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    rows = [dict(row) for row in reader]
    return Table(header=list(reader.fieldnames or []), rows=rows)


def _resource_path(resource: dict[str, Any], label: str) -> str:
    path = resource.get("path")
    name = resource.get("name", "?")
    if not isinstance(path, str):
        raise PipelineError(f"{label}: resource {name!r} has no single local path")
    if "://" in path or path.startswith("/") or ".." in path.split("/"):
        raise PipelineError(f"{label}: resource {name!r} has an unsafe path {path!r}")
    return path


def build_package(label: str, descriptor_text: str, read: Callable[[str], str]) -> Package:
    """Assemble a package from its descriptor text and a reader of paths relative to it."""
    try:
        descriptor = json.loads(descriptor_text)
    except json.JSONDecodeError as exc:
        raise PipelineError(f"{label}: {DESCRIPTOR} is not valid JSON ({exc})") from exc
    tables = {}
    for resource in descriptor.get("resources", []):
        tables[resource["name"]] = parse_csv(read(_resource_path(resource, label)))
    return Package(label=label, descriptor=descriptor, tables=tables)


def read_directory_package(path: Path) -> Package:
    """A package on disk: a descriptor file, or a directory holding ``datapackage.json``."""
    descriptor = path / DESCRIPTOR if path.is_dir() else path
    if not descriptor.is_file():
        raise PipelineError(f"{path}: no {DESCRIPTOR} there")
    base = descriptor.parent

    def read(relative: str) -> str:
        target = base / relative
        if not target.is_file():
            raise PipelineError(f"{descriptor}: resource file {relative} is missing")
        return target.read_text(encoding="utf-8")

    return build_package(str(path), descriptor.read_text(encoding="utf-8"), read)


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, encoding="utf-8", check=False
    )


def is_revision(repo: Path, revision: str) -> bool:
    return _git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").returncode == 0


def read_git_package(repo: Path, revision: str, descriptor_path: str = DESCRIPTOR) -> Package:
    """The package as committed at ``revision`` (a tag, branch or commit), read with ``git show``."""
    base = posixpath.dirname(descriptor_path)

    def show(path: str) -> str:
        result = _git(repo, "show", f"{revision}:{path}")
        if result.returncode != 0:
            raise PipelineError(f"{revision}: cannot read {path} ({result.stderr.strip()})")
        return result.stdout

    return build_package(
        revision, show(descriptor_path), lambda relative: show(posixpath.join(base, relative))
    )


def read_package(spec: str, repo: Path) -> Package:
    """Resolve ``spec``: an existing path first, else ``REV`` or ``REV:path/to/datapackage.json``."""
    path = Path(spec)
    if path.exists():
        return read_directory_package(path)
    revision, _, descriptor_path = spec.partition(":")
    if revision and is_revision(repo, revision):
        return read_git_package(repo, revision, descriptor_path or DESCRIPTOR)
    raise PipelineError(f"{spec}: neither a package path nor a git revision of {repo}")
