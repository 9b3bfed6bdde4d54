"""The project's single metadata source (``metadata/``), loaded strictly.

A typo in a YAML key fails at load time rather than producing a package, a site or docs that
silently disagree: every model forbids unknown keys.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

ROOT = Path(__file__).resolve().parents[2]
METADATA_DIR = ROOT / "metadata"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Constraints(Strict):
    required: bool | None = None
    unique: bool | None = None
    enum: list[Any] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None


class FieldMeta(Strict):
    name: str
    type: Literal["string", "integer", "number", "boolean", "date", "year"]
    title: str
    title_vi: str
    description: str = Field(min_length=1)
    unit: str | None = None
    constraints: Constraints = Constraints()
    enum_from: str | None = None

    def resolved_enum(self) -> list[Any] | None:
        """The enum constraint, read from a reference list when ``enum_from`` names one."""
        if self.enum_from is None:
            return self.constraints.enum
        path, column = self.enum_from.split("#")
        with (ROOT / path).open(encoding="utf-8", newline="") as handle:
            return sorted({row[column] for row in csv.DictReader(handle)})


class Reference(Strict):
    resource: str
    fields: list[str]


class ForeignKey(Strict):
    fields: list[str]
    reference: Reference


class SiteMeta(Strict):
    label_column: str | None = None
    facets: list[str] = []
    sort: str | None = None
    sort_desc: str | None = None
    search: list[str] = []


class ResourceMeta(Strict):
    name: str
    title: str
    title_vi: str
    description: str
    description_vi: str
    primary_key: list[str]
    foreign_keys: list[ForeignKey] = []
    site: SiteMeta = SiteMeta()
    fields: list[FieldMeta]

    @model_validator(mode="after")
    def _keys_name_fields(self) -> ResourceMeta:
        names = {f.name for f in self.fields}
        used = set(self.primary_key) | {n for fk in self.foreign_keys for n in fk.fields}
        used |= set(self.site.facets) | set(self.site.search)
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


class PackageMeta(Strict):
    name: str
    title: str
    title_vi: str
    description: str
    description_vi: str
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    keywords: list[str]
    licenses: list[License]
    contributors: list[Contributor]
    resources: list[str]


class Metadata(Strict):
    package: PackageMeta
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


def _read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@cache
def load_metadata(directory: Path = METADATA_DIR) -> Metadata:
    """Load and check ``metadata/package.yaml`` and every ``metadata/resources/*.yaml``."""
    package = PackageMeta(**_read_yaml(directory / "package.yaml"))
    resources = {}
    for name in package.resources:
        path = directory / "resources" / f"{name}.yaml"
        if not path.exists():
            raise ValueError(f"{path}: metadata for resource {name!r} is missing")
        resources[name] = ResourceMeta(**_read_yaml(path))
    return Metadata(package=package, resources=resources)
