"""Datasette plugin copied into the site as ``plugins/chitieu_facets.py``: default facets counted once.

A table page with default facets counts every row it selects once per facet (the observations of
1,000 reports: three scans of 162,000 index entries, most of an uncached page's time). The
published database is opened immutable and never changes while the server runs, so the counts of
one facet of one table under one set of filters are the same for every visitor: this facet type
keeps them per server in a bounded least-recently-used store. Counts of a database that can change
(a mutable one) are never kept.

The site's metadata.json declares its default facets as ``{"counted_column": "<column>"}``
(``pipelines/publish/datasette_metadata.py``); the facet behaves and is shown exactly as
Datasette's column facet (type ``column``, same links, same limits and time limit). Facets a
visitor asks for (``?_facet=``) stay Datasette's own.
It imports nothing from the project, so the site folder runs anywhere Datasette does.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from datasette import hookimpl
from datasette.facets import ColumnFacet

TYPE = "counted_column"
# Distinct (table, facet, filters) whose counts a server keeps: each is at most a facet's size of
# (value, count) rows, so the store stays well under a few megabytes.
MAX_COUNTS = 2048


class _CountsOnce:
    """The Datasette object as a facet sees it, answering a repeated count of an immutable
    database from the server's store instead of asking SQLite again."""

    def __init__(self, datasette: Any) -> None:
        self._datasette = datasette
        store = datasette.__dict__.get("_chitieu_facet_counts")
        if store is None:
            store = datasette.__dict__["_chitieu_facet_counts"] = OrderedDict()
        self._store: OrderedDict[tuple[Any, ...], Any] = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._datasette, name)

    async def execute(self, database: str, sql: str, params: Any = None, **options: Any) -> Any:
        if self._datasette.get_database(database).is_mutable:
            return await self._datasette.execute(database, sql, params, **options)
        bound = sorted(params.items()) if isinstance(params, dict) else list(params or [])
        key = (database, sql, tuple(bound))
        if key in self._store:
            self._store.move_to_end(key)
            return self._store[key]
        # A count that runs out of time raises here and is not kept.
        results = await self._datasette.execute(database, sql, params, **options)
        self._store[key] = results
        if len(self._store) > MAX_COUNTS:
            self._store.popitem(last=False)
        return results


class CountedColumnFacet(ColumnFacet):
    """Datasette's column facet, counted once per server for the metadata's default facets."""

    type = TYPE

    def get_configs(self) -> list[dict[str, Any]]:
        # Only the site's own defaults: a visitor's ?_facet_counted_column= is not a second door.
        return [c for c in super().get_configs() if c["source"] == "metadata"]

    async def suggest(self) -> list[dict[str, Any]]:
        return []

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        datasette = self.ds
        self.ds = _CountsOnce(datasette)
        try:
            results, timed_out = await super().facet_results()
        finally:
            self.ds = datasette
        for result in results:
            result["type"] = ColumnFacet.type
        return results, timed_out


@hookimpl
def register_facet_classes() -> list[type]:
    return [CountedColumnFacet]
