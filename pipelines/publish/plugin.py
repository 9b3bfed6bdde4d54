"""Datasette plugin copied into the site as ``plugins/chitieu_site.py``.

It gives the home and about templates what they show: the package facts stored under the
``chitieu`` key of metadata.json and the reports' facts read from the database. It imports
nothing from the project, so the site folder runs anywhere Datasette does.
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl

TEMPLATE_VIEWS = {"index", "page"}


@hookimpl
def extra_template_vars(datasette: Any, view_name: str) -> Any:
    if view_name not in TEMPLATE_VIEWS:
        return {}

    async def site_vars() -> dict[str, Any]:
        info = datasette.metadata("chitieu") or {}
        database = datasette.get_database(info.get("database"))
        reports = await database.execute("SELECT * FROM reports ORDER BY province, reporting_year, report_id")
        counts = {}
        for table in info.get("counted_tables", []):
            counts[table] = (await database.execute(f"SELECT COUNT(*) FROM [{table}]")).first()[0]
        database_meta = (datasette.metadata("databases") or {}).get(info.get("database"), {})
        inconsistent = None
        if "ratios" in counts:
            inconsistent = (
                await database.execute("SELECT COUNT(*) FROM ratios WHERE consistent = 0")
            ).first()[0]
        return {
            "chitieu": info,
            "chitieu_reports": [dict(row) for row in reports.rows],
            "chitieu_counts": counts,
            "chitieu_tables": database_meta.get("tables", {}),
            "chitieu_queries": database_meta.get("queries", {}),
            "chitieu_inconsistent_ratios": inconsistent,
        }

    return site_vars
