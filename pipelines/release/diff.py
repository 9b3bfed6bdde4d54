"""Compare two versions of a package, resource by resource, row by primary key, value by field.

Values are compared by their meaning under the field's type (``1.50`` equals ``1.5`` in a
number field), so a change of formatting alone is not reported as a correction of the data.
The suggested version bump follows the Frictionless "Data Package Version" recipe.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pipelines.common.errors import PipelineError
from pipelines.package.reader import Package, Table
from pipelines.release.codes import code_changes

Bump = Literal["major", "minor", "patch"]
BUMP_ORDER: tuple[Bump, ...] = ("patch", "minor", "major")

# Descriptor properties that change with every build or every release, not with the data.
_VOLATILE = {"version", "created", "hash", "bytes", "resources", "schema"}
_FIELD_SHAPE = {"name", "type", "format", "constraints"}
# Schema changes the recipe calls incompatible; the others are backwards compatible.
_MAJOR_SCHEMA = {"resource removed", "field added", "field removed", "type changed", "primary key changed"}

Key = tuple[str, ...]


@dataclass(frozen=True)
class SchemaChange:
    resource: str
    kind: str
    detail: str


@dataclass(frozen=True)
class ValueChange:
    key: Key
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class ResourceDiff:
    name: str
    primary_key: list[str]
    old_rows: int
    new_rows: int
    added: list[dict[str, str]] = field(default_factory=list)
    removed: list[dict[str, str]] = field(default_factory=list)
    changed: list[ValueChange] = field(default_factory=list)

    @property
    def changed_rows(self) -> int:
        return len({change.key for change in self.changed})

    def key_of(self, row: dict[str, str]) -> Key:
        return tuple(row.get(name, "") for name in self.primary_key)


@dataclass(frozen=True)
class PackageDiff:
    old_label: str
    new_label: str
    old_version: str | None
    new_version: str | None
    resources: list[ResourceDiff]
    schema_changes: list[SchemaChange]
    metadata_changes: list[str]
    code_changes: list[str] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.schema_changes or self.metadata_changes or any(_touched(r) for r in self.resources))

    def suggested_bump(self) -> tuple[Bump | None, str]:
        """The smallest version bump the recipe allows for these changes, and why."""
        if any(change.kind in _MAJOR_SCHEMA for change in self.schema_changes):
            return "major", "the schema changed incompatibly"
        if any(r.removed for r in self.resources):
            return "major", "rows were removed"
        if self.schema_changes:
            return "minor", "the schema changed compatibly"
        if any(r.added for r in self.resources):
            return "minor", "rows were added"
        if any(r.changed for r in self.resources):
            return "patch", "values were corrected"
        if self.metadata_changes:
            return "patch", "descriptive metadata changed"
        return None, "nothing changed"


def _touched(resource: ResourceDiff) -> bool:
    return bool(resource.added or resource.removed or resource.changed)


def _fields(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in resource.get("schema", {}).get("fields", [])}


def _primary_key(resource: dict[str, Any]) -> list[str]:
    key = resource.get("schema", {}).get("primaryKey", [])
    return [key] if isinstance(key, str) else list(key)


def normalise(value: str, field_type: str) -> object:
    """The value's meaning under its Table Schema type; empty cells are missing values."""
    if value == "":
        return None
    if field_type in {"number", "integer"}:
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    if field_type == "boolean":
        return {"true": True, "false": False}.get(value.lower(), value)
    return value


def _index(name: str, label: str, table: Table, key: list[str]) -> dict[Key, dict[str, str]]:
    index: dict[Key, dict[str, str]] = {}
    for row in table.rows:
        row_key = tuple(row.get(k, "") for k in key) if key else tuple(row.values())
        if row_key in index and key:
            raise PipelineError(f"{label}: resource {name} has a duplicate primary key {row_key}")
        index[row_key] = row
    return index


def _schema_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[SchemaChange]:
    old_fields, new_fields = _fields(old), _fields(new)
    changes = [SchemaChange(name, "field added", f) for f in new_fields if f not in old_fields]
    changes += [SchemaChange(name, "field removed", f) for f in old_fields if f not in new_fields]
    for field_name in old_fields.keys() & new_fields.keys():
        before, after = old_fields[field_name], new_fields[field_name]
        if before.get("type") != after.get("type"):
            detail = f"{field_name}: {before.get('type')} -> {after.get('type')}"
            changes.append(SchemaChange(name, "type changed", detail))
        elif any(before.get(p) != after.get(p) for p in _FIELD_SHAPE - {"name", "type"}):
            changes.append(SchemaChange(name, "constraints changed", field_name))
    if _primary_key(old) != _primary_key(new):
        detail = f"{_primary_key(old)} -> {_primary_key(new)}"
        changes.append(SchemaChange(name, "primary key changed", detail))
    return sorted(changes, key=lambda c: (c.kind, c.detail))


def _metadata_changes(prefix: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    keys = (old.keys() | new.keys()) - _VOLATILE
    return [f"{prefix}{key}" for key in sorted(keys) if old.get(key) != new.get(key)]


def _field_metadata_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    old_fields, new_fields = _fields(old), _fields(new)
    changes = []
    for field_name in sorted(old_fields.keys() & new_fields.keys()):
        before, after = old_fields[field_name], new_fields[field_name]
        described = (before.keys() | after.keys()) - _FIELD_SHAPE
        changes += [f"{name}.{field_name}.{p}" for p in sorted(described) if before.get(p) != after.get(p)]
    return changes


def compare_tables(
    name: str, old: Table, new: Table, key: list[str], types: dict[str, str], labels: tuple[str, str]
) -> ResourceDiff:
    """Rows added, removed and changed (field by field), matched on ``key``."""
    old_index = _index(name, labels[0], old, key)
    new_index = _index(name, labels[1], new, key)
    common_fields = [f for f in new.header if f in old.header and f not in key]
    changed = []
    for row_key in (k for k in new_index if k in old_index):
        before, after = old_index[row_key], new_index[row_key]
        for field_name in common_fields:
            field_type = types.get(field_name, "string")
            if normalise(before[field_name], field_type) != normalise(after[field_name], field_type):
                changed.append(ValueChange(row_key, field_name, before[field_name], after[field_name]))
    return ResourceDiff(
        name=name,
        primary_key=key if key else list(new.header),
        old_rows=len(old.rows),
        new_rows=len(new.rows),
        added=[row for k, row in new_index.items() if k not in old_index],
        removed=[row for k, row in old_index.items() if k not in new_index],
        changed=changed,
    )


def _resources(package: Package) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in package.descriptor.get("resources", [])}


def _empty_like(table: Table) -> Table:
    return Table(header=table.header, rows=[])


def diff_packages(old: Package, new: Package) -> PackageDiff:
    """Everything that differs between two versions of a package."""
    old_resources, new_resources = _resources(old), _resources(new)
    schema_changes: list[SchemaChange] = []
    metadata_changes = _metadata_changes("", old.descriptor, new.descriptor)
    diffs = []
    for name in _ordered(new_resources, old_resources):
        if name not in old_resources:
            schema_changes.append(SchemaChange(name, "resource added", name))
        elif name not in new_resources:
            schema_changes.append(SchemaChange(name, "resource removed", name))
        else:
            schema_changes += _schema_changes(name, old_resources[name], new_resources[name])
            metadata_changes += _metadata_changes(f"{name}.", old_resources[name], new_resources[name])
            metadata_changes += _field_metadata_changes(name, old_resources[name], new_resources[name])
        descriptor = new_resources.get(name) or old_resources[name]
        key = _key_for(descriptor, old_resources.get(name), new_resources.get(name))
        types = {n: f.get("type", "string") for n, f in _fields(descriptor).items()}
        old_table = old.tables.get(name) or _empty_like(new.tables[name])
        new_table = new.tables.get(name) or _empty_like(old.tables[name])
        diffs.append(compare_tables(name, old_table, new_table, key, types, (old.label, new.label)))
    return PackageDiff(
        old_label=old.label,
        new_label=new.label,
        old_version=old.version,
        new_version=new.version,
        resources=diffs,
        schema_changes=schema_changes,
        metadata_changes=metadata_changes,
        code_changes=code_changes(old, new),
    )


def _ordered(first: Iterable[str], second: Iterable[str]) -> list[str]:
    names = list(first)
    return names + [n for n in second if n not in names]


def _key_for(descriptor: dict[str, Any], old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[str]:
    """The new primary key when both versions have its fields; otherwise whole rows are compared."""
    key = _primary_key(descriptor)
    present = [set(_fields(r)) for r in (old, new) if r is not None]
    return key if all(set(key) <= names for names in present) else []
