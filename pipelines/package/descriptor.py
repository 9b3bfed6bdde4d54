"""Frictionless (Data Package v2) descriptors generated from the metadata source."""

from __future__ import annotations

from typing import Any

from pipelines.common.atomic import Written
from pipelines.package.metadata import FieldMeta, Metadata, ResourceMeta

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
SCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"


def _field(meta: FieldMeta) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": meta.name,
        "type": meta.type,
        "title": meta.title,
        "title_vi": meta.title_vi,
        "description": meta.description,
    }
    if meta.unit:
        field["unit"] = meta.unit
    constraints = meta.schema_constraints()
    if constraints:
        field["constraints"] = constraints
    return field


def table_schema(resource: ResourceMeta) -> dict[str, Any]:
    foreign_keys = []
    for fk in resource.foreign_keys:
        reference: dict[str, Any] = {"fields": fk.reference.fields}
        if fk.reference.resource != resource.name:
            reference = {"resource": fk.reference.resource, **reference}
        foreign_keys.append({"fields": fk.fields, "reference": reference})
    schema: dict[str, Any] = {
        "$schema": SCHEMA_PROFILE,
        "fields": [_field(f) for f in resource.fields],
        "missingValues": [""],
        "primaryKey": resource.primary_key,
    }
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def resource_descriptor(resource: ResourceMeta, written: Written) -> dict[str, Any]:
    return {
        "name": resource.name,
        "type": "table",
        "path": f"data/{resource.name}.csv",
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": resource.title,
        "title_vi": resource.title_vi,
        "description": resource.description,
        "description_vi": resource.description_vi,
        "hash": f"sha256:{written.sha256}",
        "bytes": written.size,
        "schema": table_schema(resource),
    }


def package_descriptor(
    metadata: Metadata, resources: dict[str, Written], sources: list[dict[str, Any]], created: str
) -> dict[str, Any]:
    """The whole descriptor; ``resources`` maps resource name to its CSV file's hash and size."""
    package = metadata.package
    return {
        "$schema": PACKAGE_PROFILE,
        "name": package.name,
        "title": package.title,
        "title_vi": package.title_vi,
        "description": package.description,
        "description_vi": package.description_vi,
        "version": package.version,
        "created": created,
        "keywords": package.keywords,
        "licenses": [license.model_dump() for license in package.licenses],
        "contributors": [contributor.model_dump() for contributor in package.contributors],
        "sources": sources,
        "resources": [
            resource_descriptor(r, resources[r.name]) for r in metadata.ordered() if r.name in resources
        ],
    }
