"""The one reader of a published package: its descriptor and its tables as text.

A package is read from a folder (``datapackage.json`` or the folder holding it) or, for
releases, from any source of bytes such as ``git show REV:path``. The database build, the
validation gate, the release diff and the merge of per-report packages all read through here.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from pipelines.common.errors import PipelineError

DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class Table:
    """One CSV resource: its header and its rows as text, exactly as stored."""

    header: list[str]
    rows: list[dict[str, str]]


def parse_csv(text: str) -> Table:
    """Parse CSV text (a byte-order mark, as Excel writes it, is ignored)."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    rows = [dict(row) for row in reader]
    return Table(header=list(reader.fieldnames or []), rows=rows)


@dataclass(frozen=True)
class Package:
    """A descriptor and a way to read the files it names (paths relative to the descriptor)."""

    label: str
    descriptor: dict[str, Any]
    read_text: Callable[[str], str]
    descriptor_path: Path | None = None

    @property
    def root(self) -> Path:
        if self.descriptor_path is None:
            raise PipelineError(f"{self.label}: the package is not a folder on disk")
        return self.descriptor_path.parent

    @property
    def version(self) -> str | None:
        return self.descriptor.get("version")

    @property
    def resources(self) -> list[dict[str, Any]]:
        return self.descriptor["resources"]

    @property
    def schemas(self) -> dict[str, dict[str, Any]]:
        return {r["name"]: r.get("schema") or {"fields": []} for r in self.resources}

    def resource(self, name: str) -> dict[str, Any]:
        found = next((r for r in self.resources if r.get("name") == name), None)
        if found is None:
            raise PipelineError(f"{self.label}: the package has no resource {name!r}")
        return found

    def relative_path(self, name: str) -> str:
        """The resource's data file, refused unless it is one local path inside the package."""
        path = self.resource(name).get("path")
        if not isinstance(path, str):
            raise PipelineError(f"{self.label}: resource {name!r} has no single local path")
        if "://" in path or path.startswith("/") or ".." in path.split("/"):
            raise PipelineError(f"{self.label}: resource {name!r} has an unsafe path {path!r}")
        return path

    def resource_path(self, name: str) -> Path:
        return self.root / self.relative_path(name)

    def table(self, name: str) -> Table:
        return parse_csv(self.read_text(self.relative_path(name)))

    @cached_property
    def tables(self) -> dict[str, Table]:
        return {r["name"]: self.table(r["name"]) for r in self.resources}

    def text_rows(self, name: str) -> Iterator[tuple[int, dict[str, str]]]:
        """(line number, row) of a resource's CSV on disk, streamed; for large tables."""
        path = self.resource_path(name)
        if not path.exists():
            raise PipelineError(f"{path}: data of resource {name!r} is missing")
        with path.open(encoding="utf-8", newline="") as handle:
            yield from enumerate(csv.DictReader(handle), start=2)


def parse_descriptor(label: str, text: str | bytes) -> dict[str, Any]:
    try:
        descriptor = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PipelineError(f"{label}: {DESCRIPTOR} is not valid JSON ({exc})") from None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise PipelineError(f"{label}: the descriptor has no list of resources")
    return descriptor


def package_from(label: str, descriptor_text: str, read_text: Callable[[str], str]) -> Package:
    """A package from its descriptor text and a reader of paths relative to it."""
    return Package(label, parse_descriptor(label, descriptor_text), read_text)


def read_package(path: Path) -> Package:
    """The package at ``path``: a descriptor file, or a folder holding ``datapackage.json``."""
    descriptor_path = path / DESCRIPTOR if path.is_dir() else path
    if not descriptor_path.is_file():
        raise PipelineError(
            f"{descriptor_path}: no package descriptor (run `python -m pipelines package` first)"
        )
    base = descriptor_path.parent

    def read_text(relative: str) -> str:
        target = base / relative
        if not target.is_file():
            raise PipelineError(f"{descriptor_path}: resource file {relative} is missing")
        return target.read_text(encoding="utf-8")

    try:
        text = descriptor_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PipelineError(f"{descriptor_path}: cannot read the descriptor ({exc})") from None
    return Package(
        str(descriptor_path), parse_descriptor(str(descriptor_path), text), read_text, descriptor_path
    )
