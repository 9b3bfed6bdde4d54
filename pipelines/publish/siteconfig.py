"""``metadata/site.yaml``: what the public site adds to the package metadata, loaded strictly.

Only site-level things live there (views, saved queries, serving settings, the report-a-problem address). Table and
column descriptions, facets, sort orders and label columns come from ``metadata/resources/``,
so the package, the docs and the site never disagree.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, model_validator

from pipelines.common.models import Strict
from pipelines.common.paths import METADATA_DIR

_NAME = r"^[a-z][a-z0-9_]*$"
_FRAGMENT = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


class Bilingual(Strict):
    title: str = Field(min_length=1)
    title_vi: str = Field(min_length=1)
    description: str = Field(min_length=1)
    description_vi: str = Field(min_length=1)


class ViewConfig(Bilingual):
    """A view of the resources, built as a derived table of that name with the view's rows.

    Columns named like a field of a required resource inherit its description. ``indexes`` lists
    extra (possibly compound) indexes for the saved queries that read it; facet and sort columns,
    ``report_id`` and ``indicator_id`` are indexed anyway. ``search`` names the columns of a
    full-text index over the view (with an accent-free copy, like the resources' ``site.search``).
    """

    name: str = Field(pattern=_NAME)
    requires: list[str] = Field(min_length=1)
    sql: str
    columns: dict[str, str] = Field(default_factory=dict)
    indexes: list[list[str]] = Field(default_factory=list)
    search: list[str] = Field(default_factory=list)
    facets: list[str] = Field(default_factory=list)
    sort: str | None = None
    sort_desc: str | None = None


class QueryConfig(Bilingual):
    """A saved (canned) query: a journalist's question with its answer in SQL."""

    name: str = Field(pattern=_NAME)
    requires: list[str] = Field(min_length=1)
    sql: str
    params: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _params_match_sql(self) -> QueryConfig:
        named = set(re.findall(r"(?<!:):([a-z_][a-z0-9_]*)", self.sql))
        if named != set(self.params):
            raise ValueError(f"query {self.name}: params {self.params} but SQL uses {sorted(named)}")
        return self


class Settings(Strict):
    """Datasette settings for read-only public serving (written to settings.json)."""

    sql_time_limit_ms: int = Field(gt=0)
    max_returned_rows: int = Field(gt=0)
    default_page_size: int = Field(gt=0)
    facet_time_limit_ms: int = Field(gt=0)
    num_sql_threads: int = Field(gt=0)
    default_cache_ttl: int = Field(ge=0)
    allow_download: bool
    allow_csv_stream: bool
    suggest_facets: bool


class ResponseCache(Strict):
    """Bounds of the in-memory response cache of the immutable database (plugins/chitieu_cache.py)."""

    max_entries: int = Field(ge=0)
    max_bytes: int = Field(gt=0)
    max_entry_bytes: int = Field(gt=0)


def _expand(sql: str, fragments: dict[str, str], where: str) -> str:
    """``sql`` with every ``{name}`` replaced by the fragment of that name."""

    def fragment(match: re.Match[str]) -> str:
        if match[1] not in fragments:
            raise ValueError(
                f"{where}: unknown SQL fragment {{{match[1]}}} (sql_fragments: {sorted(fragments)})"
            )
        return fragments[match[1]]

    return _FRAGMENT.sub(fragment, sql)


class SiteConfig(Strict):
    """The site's metadata; ``sql_fragments`` are pieces of SQL written once and used by the views
    and queries as ``{name}`` (expanded when loaded, so the generated metadata holds plain SQL)."""

    database: str = Field(pattern=_NAME)
    report_problem: str = Field(pattern=r"^(mailto:[^\s@]+@[^\s@]+|https?://\S+)$")
    settings: Settings
    response_cache: ResponseCache
    units: dict[str, str] = Field(default_factory=dict)
    views: list[ViewConfig] = Field(default_factory=list)
    queries: list[QueryConfig] = Field(min_length=6)
    sql_fragments: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _expand_fragments(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        fragments = data.get("sql_fragments") or {}
        expanded = dict(data)
        for kind, label in (("views", "view"), ("queries", "query")):
            if isinstance(data.get(kind), list):
                expanded[kind] = [
                    {**item, "sql": _expand(item["sql"], fragments, f"{label} {item.get('name')}")}
                    if isinstance(item, dict) and isinstance(item.get("sql"), str)
                    else item
                    for item in data[kind]
                ]
        return expanded
        fragments = data.get("sql_fragments") or {}
        for kind in ("views", "queries"):
            for item in data.get(kind) or []:
                if isinstance(item, dict) and isinstance(item.get("sql"), str):
                    item["sql"] = _expand(
                        item["sql"], fragments, f"{'view' if kind == 'views' else 'query'} {item.get('name')}"
                    )
        return data

    @model_validator(mode="after")
    def _names_unique(self) -> SiteConfig:
        for kind, names in (
            ("view", [v.name for v in self.views]),
            ("query", [q.name for q in self.queries]),
        ):
            duplicates = {n for n in names if names.count(n) > 1}
            if duplicates:
                raise ValueError(f"duplicate {kind} names: {sorted(duplicates)}")
        return self

    def views_for(self, tables: set[str]) -> list[ViewConfig]:
        """Views whose required resources are all in the package (new resources switch theirs on)."""
        return [v for v in self.views if set(v.requires) <= tables]

    def queries_for(self, tables: set[str]) -> list[QueryConfig]:
        return [q for q in self.queries if set(q.requires) <= tables]


@cache
def load_site_config(path: Path = METADATA_DIR / "site.yaml") -> SiteConfig:
    with path.open(encoding="utf-8") as handle:
        return SiteConfig(**yaml.safe_load(handle))
