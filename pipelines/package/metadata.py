"""The project's single metadata source (``metadata/``), loaded strictly.

``fields.yaml`` is the field catalogue: every field is defined there once (type, titles,
description, unit, constraints, named enum). A resource (``resources/<name>.yaml``) lists its
fields by name and overrides only what differs for it (a description, a constraint, a narrower
enum); the type of a field never changes between resources. Enums are named lists of
``enums.yaml`` (see ``pipelines.common.enums``). A typo in a YAML key fails at load time rather
than producing a package, a site or docs that silently disagree: every model forbids unknown keys.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, model_validator

from pipelines.common.enums import ENUMS_FILE, enum_codes, load_enums
from pipelines.common.models import Strict
from pipelines.common.paths import METADATA_DIR

FieldType = Literal["string", "integer", "number", "boolean", "date", "year"]
# The order constraints take in a Table Schema, whatever order the YAML gives them.
CONSTRAINT_ORDER = ("required", "unique", "enum", "pattern", "minimum", "maximum")


class Constraints(Strict):
    required: bool | None = None
    unique: bool | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None


class FieldDef(Strict):
    """A field as the catalogue defines it, before a resource's overrides."""

    type: FieldType
    title: str
    title_vi: str
    description: str = Field(min_length=1)
    unit: str | None = None
    constraints: Constraints = Constraints()
    enum: str | None = None


class FieldOverride(Strict):
    """What a resource may change of a catalogue field; ``constraints`` are merged key by key
    (``null`` removes one the catalogue sets)."""

    name: str
    title: str | None = None
    title_vi: str | None = None
    description: str | None = None
    unit: str | None = None
    constraints: dict[str, Any] | None = None
    enum: str | None = None


class FieldMeta(FieldDef):
    """A field of one resource: the catalogue's definition with that resource's overrides."""

    name: str

    def resolved_enum(self) -> list[Any] | None:
        """The codes of the field's named enum, or None when it has none."""
        return enum_codes(self.enum) if self.enum else None

    def schema_constraints(self) -> dict[str, Any]:
        """The Table Schema ``constraints``, enum resolved, in the schema's usual order."""
        constraints = self.constraints.model_dump(exclude_none=True)
        enum = self.resolved_enum()
        if enum is not None:
            constraints["enum"] = enum
        return {key: constraints[key] for key in CONSTRAINT_ORDER if key in constraints}


class Reference(Strict):
    resource: str
    fields: list[str]


class ForeignKey(Strict):
    fields: list[str]
    reference: Reference


class SiteMeta(Strict):
    label_column: str | None = None
    facets: list[str] = Field(default_factory=list)
    sort: str | None = None
    sort_desc: str | None = None
    search: list[str] = Field(default_factory=list)
    # Compound indexes of the served table, for the saved queries and pages that read it in order.
    indexes: list[list[str]] = Field(default_factory=list)


class Described(Strict):
    """What the package and each resource say of themselves, in English and Vietnamese."""

    name: str
    title: str
    title_vi: str
    description: str
    description_vi: str


class ResourceMeta(Described):
    primary_key: list[str]
    foreign_keys: list[ForeignKey] = Field(default_factory=list)
    site: SiteMeta = SiteMeta()
    fields: list[FieldMeta]

    @model_validator(mode="after")
    def _keys_name_fields(self) -> ResourceMeta:
        names = {f.name for f in self.fields}
        used = set(self.primary_key) | {n for fk in self.foreign_keys for n in fk.fields}
        used |= set(self.site.facets) | set(self.site.search) | {n for i in self.site.indexes for n in i}
        used |= {n for n in (self.site.label_column, self.site.sort, self.site.sort_desc) if n}
        missing = used - names
        if missing:
            raise ValueError(f"resource {self.name} refers to unknown fields {sorted(missing)}")
        return self

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> FieldMeta:
        return next(f for f in self.fields if f.name == name)


class License(Strict):
    name: str
    title: str
    path: str


class Contributor(Strict):
    title: str
    roles: list[str]


class PackageMeta(Described):
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    keywords: list[str]
    licenses: list[License]
    contributors: list[Contributor]
    resources: list[str]


class Metadata(Strict):
    package: PackageMeta
    fields: dict[str, FieldDef]
    resources: dict[str, ResourceMeta]

    @model_validator(mode="after")
    def _references_resolve(self) -> Metadata:
        for resource in self.resources.values():
            for fk in resource.foreign_keys:
                target = self.resources.get(fk.reference.resource)
                if target is None or not set(fk.reference.fields) <= set(target.field_names):
                    raise ValueError(f"resource {resource.name}: foreign key to unknown {fk.reference}")
        return self

    def ordered(self) -> list[ResourceMeta]:
        return [self.resources[name] for name in self.package.resources]

    def resource(self, name: str) -> ResourceMeta:
        return self.resources[name]


def _read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _check_enum(where: str, name: str | None, parent: str | None) -> None:
    """A named enum exists, and a resource narrows the catalogue's enum rather than replacing it."""
    if name is None:
        return
    enums = load_enums()
    if name not in enums:
        raise ValueError(f"{where}: enum {name!r} is not declared in {ENUMS_FILE.name}")
    if parent is not None and name != parent and enums[name].subset_of != parent:
        raise ValueError(f"{where}: enum {name!r} is not {parent!r} nor a subset of it")


def _resolve_field(item: str | dict[str, Any], catalogue: dict[str, FieldDef], where: str) -> FieldMeta:
    override = FieldOverride(name=item) if isinstance(item, str) else FieldOverride(**item)
    base = catalogue.get(override.name)
    if base is None:
        raise ValueError(f"{where}: field {override.name!r} is not defined in fields.yaml")
    _check_enum(f"{where}: field {override.name}", override.enum, base.enum)
    merged = base.model_dump(exclude_none=True)
    changes = override.model_dump(exclude_none=True, exclude={"name", "constraints"})
    merged.update(changes)
    if override.constraints:
        constraints = {**merged.get("constraints", {}), **override.constraints}
        merged["constraints"] = {k: v for k, v in constraints.items() if v is not None}
    return FieldMeta(name=override.name, **merged)


def _load_catalogue(path: Path) -> dict[str, FieldDef]:
    catalogue = {}
    for name, body in (_read_yaml(path) or {}).items():
        field = FieldDef(**body)
        _check_enum(f"{path}: field {name}", field.enum, None)
        catalogue[name] = field
    return catalogue


@cache
def load_metadata(directory: Path = METADATA_DIR) -> Metadata:
    """Load and check ``package.yaml``, the field catalogue and every ``resources/*.yaml``."""
    package = PackageMeta(**_read_yaml(directory / "package.yaml"))
    catalogue = _load_catalogue(directory / "fields.yaml")
    resources = {}
    for name in package.resources:
        path = directory / "resources" / f"{name}.yaml"
        if not path.exists():
            raise ValueError(f"{path}: metadata for resource {name!r} is missing")
        raw = _read_yaml(path)
        raw["fields"] = [_resolve_field(item, catalogue, str(path)) for item in raw.get("fields", [])]
        resources[name] = ResourceMeta(**raw)
    unused = set(catalogue) - {f.name for r in resources.values() for f in r.fields}
    if unused:
        raise ValueError(f"{directory / 'fields.yaml'}: fields no resource uses: {sorted(unused)}")
    return Metadata(package=package, fields=catalogue, resources=resources)
