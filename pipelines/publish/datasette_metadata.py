"""Datasette ``metadata.json`` generated from ``metadata/`` (the package's single metadata source).

The build refuses a database where a visible table, view or column has no description: a
public table nobody can interpret is worse than no table.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from pipelines.common.errors import PipelineError
from pipelines.package.metadata import FieldMeta, Metadata, ResourceMeta
from pipelines.publish.database import fts_table_name
from pipelines.publish.siteconfig import QueryConfig, SiteConfig, ViewConfig

# The name the response cache plugin reads its settings under (plugins/chitieu_cache.py).
CACHE_PLUGIN = "chitieu_cache"
# The facet type whose counts the site counts once per server (plugins/chitieu_facets.py).
COUNTED_FACET = "counted_column"


def bilingual(vi: str, en: str) -> str:
    """Vietnamese first, English alongside."""
    return f"{vi} / {en}" if vi != en else vi


def column_description(field: FieldMeta) -> str:
    unit = f" Unit: {field.unit}." if field.unit else ""
    return f"{bilingual(field.title_vi, field.title)}: {field.description}{unit}"


def _visible_objects(db_path: Path) -> dict[str, list[str]]:
    """Tables and views a visitor sees, with their columns (FTS tables are hidden by Datasette)."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        names = [
            name
            for name, sql in conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name"
            )
            if not name.startswith("sqlite_") and "VIRTUAL TABLE" not in (sql or "").upper()
        ]
        fts_shadows = {
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE sql LIKE '%VIRTUAL TABLE%USING FTS%'"
            )
        }
        shadows = {n for n in names for f in fts_shadows if n.startswith(f"{f}_")}
        return {
            n: [row[1] for row in conn.execute(f"PRAGMA table_info([{n}])")]
            for n in names
            if n not in shadows
        }


def informative_facets(conn: sqlite3.Connection, table: str, facets: list[str]) -> list[str]:
    """The facet columns holding more than one value (NULL counts as one) in the built database.

    A facet of a column with a single value (every figure's breakdown ``all``) can only repeat the
    row count, yet costs a count over every row the page selects on each uncached page; the
    published database never changes, so the build decides once. Facet columns are indexed
    (``database.build_database``), so this reads at most two index entries per column.
    """
    return [
        column
        for column in facets
        if conn.execute(
            f"SELECT COUNT(*) FROM (SELECT DISTINCT [{column}] FROM [{table}] LIMIT 2)"
        ).fetchone()[0]
        > 1
    ]


def counted_facets(facets: list[str]) -> list[dict[str, str]]:
    """Default facets as Datasette metadata, of the type whose counts are kept per server."""
    return [{COUNTED_FACET: column} for column in facets]


def _table_entry(
    resource: ResourceMeta, columns: list[str], units: dict[str, str], facets: list[str]
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "title": bilingual(resource.title_vi, resource.title),
        "description": bilingual(resource.description_vi, resource.description),
        "columns": {f.name: column_description(f) for f in resource.fields if f.name in columns},
    }
    site = resource.site
    if facets:
        entry["facets"] = counted_facets(facets)
    if site.sort:
        entry["sort"] = site.sort
    if site.sort_desc:
        entry["sort_desc"] = site.sort_desc
    if site.label_column:
        entry["label_column"] = site.label_column
    if site.search:
        entry["fts_table"] = fts_table_name(resource.name)
        entry["fts_pk"] = "rowid"
    shown_units = {f.name: units[f.unit] for f in resource.fields if f.unit in units and f.name in columns}
    if shown_units:
        entry["units"] = shown_units
    return entry


def _view_entry(
    view: ViewConfig, columns: list[str], metadata: Metadata, facets: list[str]
) -> dict[str, Any]:
    inherited: dict[str, str] = {}
    for name in view.requires:
        for field in metadata.resources[name].fields if name in metadata.resources else []:
            inherited.setdefault(field.name, column_description(field))
    described = {c: view.columns.get(c) or inherited.get(c, "") for c in columns}
    entry: dict[str, Any] = {
        "title": bilingual(view.title_vi, view.title),
        "description": bilingual(view.description_vi, view.description),
        "columns": {c: d for c, d in described.items() if d},
    }
    if facets:
        entry["facets"] = counted_facets(facets)
    if view.search:
        entry["fts_table"] = fts_table_name(view.name)
        entry["fts_pk"] = "rowid"
    if view.sort:
        entry["sort"] = view.sort
    if view.sort_desc:
        entry["sort_desc"] = view.sort_desc
    return entry


def _query_entry(query: QueryConfig) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "sql": query.sql,
        "title": bilingual(query.title_vi, query.title),
        "description": bilingual(query.description_vi, query.description),
    }
    if query.params:
        entry["params"] = query.params
    return entry


def missing_descriptions(tables: dict[str, dict[str, Any]], objects: dict[str, list[str]]) -> list[str]:
    """Every visible table or column without a description, as ``table`` or ``table.column``."""
    problems = []
    for name, columns in sorted(objects.items()):
        entry = tables.get(name)
        if not entry or not entry.get("description"):
            problems.append(name)
            continue
        problems += [f"{name}.{c}" for c in columns if not entry.get("columns", {}).get(c)]
    return problems


def build_metadata(
    db_path: Path,
    descriptor: dict[str, Any],
    metadata: Metadata,
    site: SiteConfig,
    site_info: dict[str, Any],
) -> dict[str, Any]:
    """The metadata.json document; raises PipelineError naming every undescribed table or column."""
    objects = _visible_objects(db_path)
    tables: dict[str, dict[str, Any]] = {}
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        for name, columns in objects.items():
            if name in metadata.resources:
                resource = metadata.resources[name]
                facets = informative_facets(conn, name, resource.site.facets)
                tables[name] = _table_entry(resource, columns, site.units, facets)
        for view in site.views_for(set(objects)):
            if view.name in objects:
                facets = informative_facets(conn, view.name, view.facets)
                tables[view.name] = _view_entry(view, objects[view.name], metadata, facets)
    problems = missing_descriptions(tables, objects)
    if problems:
        raise PipelineError(
            "no description in metadata/ for: "
            + ", ".join(problems)
            + " (add it to metadata/resources/ or site.yaml)"
        )
    package = metadata.package
    licence = (descriptor.get("licenses") or [{}])[0]
    source = (descriptor.get("sources") or [{}])[0]
    queries = {q.name: _query_entry(q) for q in site.queries_for(set(objects))}
    result: dict[str, Any] = {
        "title": bilingual(package.title_vi, package.title),
        "description": bilingual(package.description_vi, package.description),
        "license": licence.get("name") or licence.get("title"),
        "license_url": licence.get("path"),
        "about": "Giới thiệu dữ liệu / About the data",
        "about_url": "/about",
        "databases": {site.database: {"tables": tables, "queries": queries}},
        "plugins": {CACHE_PLUGIN: site.response_cache.model_dump()},
        "chitieu": site_info,
    }
    if source.get("title"):
        result["source"] = source["title"]
    if source.get("path"):
        result["source_url"] = source["path"]
    return {k: v for k, v in result.items() if v is not None}
