"""Reading the package under validation: descriptor, CSV text, and a SQLite copy for SQL checks."""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.common.errors import PipelineError

SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "year": "INTEGER"}
BOOLEANS = {"true": 1, "false": 0, "True": 1, "False": 0, "TRUE": 1, "FALSE": 0, "1": 1, "0": 0}


@dataclass(frozen=True)
class Package:
    descriptor_path: Path
    descriptor: dict[str, Any]

    @property
    def root(self) -> Path:
        return self.descriptor_path.parent

    @property
    def schemas(self) -> dict[str, dict[str, Any]]:
        return {r["name"]: r.get("schema") or {"fields": []} for r in self.descriptor.get("resources", [])}

    def resource_path(self, name: str) -> Path:
        resource = next(r for r in self.descriptor["resources"] if r["name"] == name)
        path = resource.get("path")
        if not isinstance(path, str):
            raise PipelineError(f"{self.descriptor_path}: resource {name!r} has no single relative path")
        return self.root / path


def read_package(path: Path) -> Package:
    """The descriptor at ``path`` (a datapackage.json or the folder holding it)."""
    descriptor_path = path / "datapackage.json" if path.is_dir() else path
    if not descriptor_path.exists():
        raise PipelineError(
            f"{descriptor_path}: no package descriptor (run `python -m pipelines package` first)"
        )
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PipelineError(f"{descriptor_path}: not a JSON descriptor ({exc})") from exc
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise PipelineError(f"{descriptor_path}: descriptor has no list of resources")
    return Package(descriptor_path, descriptor)


def read_frames(package: Package) -> dict[str, Any]:
    """Every resource's CSV as text columns; the schema's missing values (default "") become None.

    Reading text rather than letting pandas guess types keeps a wrong value visible as itself,
    so a type expectation can name it, and keeps codes such as ``04`` intact.
    """
    import pandas as pd

    frames = {}
    for name, schema in package.schemas.items():
        path = package.resource_path(name)
        if not path.exists():
            raise PipelineError(f"{path}: data of resource {name!r} is missing")
        missing = schema.get("missingValues", [""])
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=missing, encoding="utf-8")
        frames[name] = frame.astype(object).where(frame.notna(), None)
    return frames


def _cell(value: Any, field_type: str) -> Any:
    if value is None:
        return None
    if field_type == "boolean":
        return BOOLEANS.get(value, value)
    return value


def build_sqlite(package: Package, frames: dict[str, Any], path: Path) -> Path:
    """Load the package into a fresh SQLite file with the schema's column types and no constraints.

    No constraints on purpose: bad rows must load so that the SQL checks can name them. A value of
    the wrong type stays text (SQLite type affinity), which the column checks report.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)
    connection = sqlite3.connect(temp)
    try:
        for name, schema in package.schemas.items():
            fields = schema.get("fields", [])
            columns = ", ".join(f'"{f["name"]}" {SQL_TYPES.get(f["type"], "TEXT")}' for f in fields)
            connection.execute(f'CREATE TABLE "{name}" ({columns})')
            frame = frames[name]
            names = [f["name"] for f in fields if f["name"] in frame.columns]
            types = [next(f["type"] for f in fields if f["name"] == n) for n in names]
            rows = (
                tuple(_cell(v, t) for v, t in zip(record, types, strict=False))
                for record in frame[names].itertuples(index=False, name=None)
            )
            placeholders = ", ".join("?" for _ in names)
            quoted = ", ".join(f'"{n}"' for n in names)
            connection.executemany(f'INSERT INTO "{name}" ({quoted}) VALUES ({placeholders})', rows)
        connection.commit()
    finally:
        connection.close()
    os.replace(temp, path)
    return path
