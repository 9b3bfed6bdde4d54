"""Datasette plugin copied into the site as ``plugins/chitieu_site.py``.

It gives our templates what Datasette does not: the package facts stored under the ``chitieu``
key of metadata.json, the reports' facts for the home and about pages, and, on an indicator's
page, its name for the heading and its figures (Datasette shows no reverse links for a table
with a compound primary key).
It imports nothing from the project, so the site folder runs anywhere Datasette does.
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from datasette.utils import tilde_encode, urlsafe_components

PAGE_VIEWS = {"index", "page"}
# The home and about pages list the most recent reports; the reports table has them all.
LISTED_REPORTS = 20


async def _site_vars(datasette: Any) -> dict[str, Any]:
    info = datasette.metadata("chitieu") or {}
    database = datasette.get_database(info.get("database"))
    reports = await database.execute(
        "SELECT * FROM reports ORDER BY reporting_year DESC, province, report_id LIMIT ?", [LISTED_REPORTS]
    )
    # An immutable database's counts come from the inspect file: no COUNT(*) over big tables per page view.
    known = await database.table_counts(limit=1000)
    counts = {table: known.get(table) for table in info.get("counted_tables", [])}
    inconsistent = None
    if "ratios" in counts:
        inconsistent = (await database.execute("SELECT COUNT(*) FROM ratios WHERE consistent = 0")).first()[0]
    database_meta = (datasette.metadata("databases") or {}).get(info.get("database"), {})
    return {
        "chitieu": info,
        "chitieu_reports": [dict(row) for row in reports.rows],
        "chitieu_report_count": counts.get("reports") or len(reports.rows),
        "chitieu_counts": counts,
        "chitieu_tables": database_meta.get("tables", {}),
        "chitieu_queries": database_meta.get("queries", {}),
        "chitieu_inconsistent_ratios": inconsistent,
    }


async def _indicator_vars(datasette: Any, database_name: str, request: Any) -> dict[str, Any]:
    database = datasette.get_database(database_name)
    indicator_id = (urlsafe_components(request.url_vars["pks"]) or [""])[0]
    indicator = await database.execute(
        "SELECT i.tt, i.name_vi, i.name_en, i.kind, i.report_id, i.source_line, r.title AS report_title "
        "FROM indicators i "
        "JOIN reports r ON r.report_id = i.report_id WHERE i.indicator_id = ?",
        [indicator_id],
    )
    observations = await database.execute(
        "SELECT o.report_id, o.measure, o.period, o.value, o.value_printed, o.source_line, i.unit_vi, i.unit_en "
        "FROM observations o "
        "JOIN indicators i ON i.indicator_id = o.indicator_id WHERE o.indicator_id = ? ORDER BY o.period, o.measure",
        [indicator_id],
    )
    ratios = await database.execute(
        "SELECT report_id, formula, published_printed, computed_pct, consistent, source_line FROM ratios "
        "WHERE indicator_id = ? "
        "ORDER BY column_number",
        [indicator_id],
    )
    children = await database.execute(
        "SELECT report_id, indicator_id, tt, name_vi, name_en FROM indicators WHERE parent_id = ? ORDER BY row_number",
        [indicator_id],
    )
    found = dict(indicator.first() or {})
    return {
        "chitieu_indicator_id": indicator_id,
        "chitieu_indicator": found,
        "chitieu_report_path": tilde_encode(found.get("report_id") or ""),
        "chitieu_observations": [dict(r) for r in observations.rows],
        "chitieu_ratios": [dict(r) for r in ratios.rows],
        "chitieu_children": [{**dict(r), "row_path": tilde_encode(r["indicator_id"])} for r in children.rows],
    }


@hookimpl
def extra_template_vars(datasette: Any, database: str, table: str, view_name: str, request: Any) -> Any:
    if view_name in PAGE_VIEWS:
        return lambda: _site_vars(datasette)
    if view_name == "row" and table == "indicators" and request is not None:
        return lambda: _indicator_vars(datasette, database, request)
    return {}
