"""The site on many reports: derived tables instead of views, saved queries that stay small.

Built from generated reports (pipelines.synth), so the answers span several reports and the
rankings have more rows than they return.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from pipelines.cli import main as cli
from pipelines.package.metadata import load_metadata
from pipelines.publish.database import build_database, register_functions
from pipelines.publish.siteconfig import load_site_config

from .conftest import fetch

REPORTS = 12
RANKING_LIMIT = 100


@pytest.fixture(scope="module")
def scaled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pipelines.publish.site import build_site

    work = tmp_path_factory.mktemp("scaled")
    assert cli(["generate", "--out", str(work / "raw"), "--count", str(REPORTS), "--no-truth"]) == 0
    assert cli(["extract-all", str(work / "raw"), "--out", str(work / "extracted")]) == 0
    assert cli(["package", str(work / "extracted"), "--out", str(work / "package")]) == 0
    site = work / "site"
    descriptor = work / "package" / "datapackage.json"
    build_database(descriptor, site / "chitieu.db", load_metadata(), load_site_config())
    build_site(descriptor, site / "chitieu.db", site, load_metadata(), load_site_config(), None)
    return site


def _rows(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        register_functions(conn)
        return conn.execute(sql, params).fetchall()


def test_views_are_indexed_tables_with_the_rows_of_their_sql(scaled_site: Path) -> None:
    db = scaled_site / "chitieu.db"
    present = {name for (name,) in _rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    for view in load_site_config().views_for(present):
        kinds = _rows(db, "SELECT type FROM sqlite_master WHERE name = ?", (view.name,))
        assert kinds == [("table",)], view.name
        assert _rows(db, f"SELECT * FROM [{view.name}] ORDER BY rowid") == _rows(db, view.sql), view.name
        indexed = {
            row[0]
            for (index,) in _rows(
                db, "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name=?", (view.name,)
            )
            for row in _rows(db, f"SELECT name FROM pragma_index_info('{index}')")
        }
        assert {"report_id", *view.facets} <= indexed, view.name


_LOOKUP = re.compile(r"^SEARCH \S+ USING (?:COVERING )?INDEX (?P<index>\S+) \((?P<terms>[^)]*)\)")
LOOP_STEPS = ("SCAN ", "SEARCH ")


def _inner_loops(plan: list[tuple[int, int, str]]) -> list[str]:
    """The steps of a query plan run once per row of an outer loop: every loop of a join after its
    first, and every loop of a correlated subquery."""
    details = {node: detail for node, _, detail in plan}
    inner, seen_parents = [], set()
    for _, parent, detail in plan:
        if not detail.startswith(LOOP_STEPS):
            continue
        correlated = details.get(parent, "").startswith("CORRELATED")
        if parent in seen_parents or correlated:
            inner.append(detail)
        seen_parents.add(parent)
    return inner


def _reports_sharing_a_key(db: Path, index: str, terms: str) -> float:
    """How many reports' rows one key of this lookup reaches on average: 1 for a key of one
    report's rows, the number of reports for a column every report shares (period, measure)."""
    ((table,),) = _rows(db, "SELECT tbl_name FROM sqlite_master WHERE name = ?", (index,))
    columns = {row[1] for row in _rows(db, f"PRAGMA table_info([{table}])")}
    used = re.findall(r"(\w+)(?:=|>|<)", terms)
    if "report_id" not in columns or "report_id" in used:
        return 1.0
    keys = ", ".join(f"[{c}]" for c in used)
    ((pairs, keys),) = _rows(
        db,
        f"SELECT COUNT(*), COUNT(DISTINCT key) FROM (SELECT DISTINCT report_id, {keys}, "
        f"json_array({keys}) AS key FROM [{table}])",
    )
    return pairs / max(keys, 1)


def test_no_view_looks_rows_up_across_every_report_inside_a_loop(scaled_site: Path) -> None:
    """A view's join that scans a table, or looks rows up by a column all reports share, for each
    row of another grows with the square of the number of reports (the assessments view took
    257 s of a 290 s database build at 1,000 reports)."""
    db = scaled_site / "chitieu.db"
    present = {name for (name,) in _rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    views = load_site_config().views_for(present)
    assert {"assessments", "target_assessments"} <= {v.name for v in views}
    for view in views:
        plan = [(row[0], row[1], row[3]) for row in _rows(db, f"EXPLAIN QUERY PLAN {view.sql}")]
        for step in _inner_loops(plan):
            assert not step.startswith("SCAN "), (view.name, step)
            lookup = _LOOKUP.match(step)
            if lookup:
                shared = _reports_sharing_a_key(db, lookup["index"], lookup["terms"])
                assert shared < 1.5, (view.name, step, f"{shared:.1f} reports per key")


def test_rankings_return_at_most_their_limit_across_reports_and_all_of_one_report(scaled_site: Path) -> None:
    db = scaled_site / "chitieu.db"
    missed_everywhere = _rows(db, "SELECT report_id FROM plan_vs_estimate WHERE achieved = 0")
    assert len(missed_everywhere) > RANKING_LIMIT, (
        "the generated reports must miss more targets than the limit"
    )
    report = missed_everywhere[0][0]
    of_report = sum(1 for (r,) in missed_everywhere if r == report)
    responses = fetch(
        scaled_site,
        "/chitieu/missed_targets.json?_shape=array",
        f"/chitieu/missed_targets.json?_shape=array&report_id={report}",
    )
    top = responses["/chitieu/missed_targets.json?_shape=array"].json()
    assert len(top) == RANKING_LIMIT and len({r["report_id"] for r in top}) > 1
    gaps = [r["gap_pct"] for r in top]
    assert gaps == sorted(gaps)
    one = responses[f"/chitieu/missed_targets.json?_shape=array&report_id={report}"].json()
    assert len(one) == of_report and {r["report_id"] for r in one} == {report}


def test_per_report_queries_default_to_the_latest_report(scaled_site: Path) -> None:
    db = scaled_site / "chitieu.db"
    latest, oldest = (
        _rows(db, f"SELECT report_id FROM reports ORDER BY reporting_year {order}, report_id LIMIT 1")[0][0]
        for order in ("DESC", "ASC")
    )
    names = (
        "next_year_plan",
        "indicators_by_section",
        "headline_achievement",
        "headline_plan_vs_estimate_pct",
    )
    urls = [f"/chitieu/{n}.json?_shape=array" for n in names]
    urls += [f"/chitieu/{n}.json?_shape=array&report_id={oldest}" for n in names]
    responses = fetch(scaled_site, *urls)
    for name in names:
        default = responses[f"/chitieu/{name}.json?_shape=array"].json()
        chosen = responses[f"/chitieu/{name}.json?_shape=array&report_id={oldest}"].json()
        assert default and {r["report_id"] for r in default} == {latest}, name
        assert chosen and {r["report_id"] for r in chosen} == {oldest}, name


def test_chart_labels_sort_in_printed_order(scaled_site: Path) -> None:
    rows = fetch(scaled_site, "/chitieu/headline_achievement.json?_shape=array")[
        "/chitieu/headline_achievement.json?_shape=array"
    ].json()
    labels = [r["indicator"] for r in rows]
    assert len(labels) > 3 and labels == sorted(labels)
    db = scaled_site / "chitieu.db"
    printed = [
        name
        for (name,) in _rows(
            db,
            "SELECT i.name_vi FROM indicators i JOIN indicators up ON up.indicator_id = i.parent_id "
            "JOIN plan_vs_estimate v ON v.indicator_id = i.indicator_id "
            "WHERE i.report_id = ? AND up.kind IN ('section', 'group') AND v.plan_value <> 0 ORDER BY i.row_number",
            (rows[0]["report_id"],),
        )
    ]
    assert [label.endswith(name) for label, name in zip(labels, printed, strict=True)] == [True] * len(
        printed
    )
