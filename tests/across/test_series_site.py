"""The site's across-report pages on a database of generated consecutive years, served by Datasette."""

from __future__ import annotations

import asyncio
import csv
import json
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import pytest

from pipelines.common.enums import ReviewReason
from pipelines.package.metadata import load_metadata
from pipelines.publish.database import build_database
from pipelines.publish.site import build_site
from pipelines.publish.siteconfig import load_site_config
from tests.support import write_passing_summary


@pytest.fixture(scope="module")
def site(built: tuple[Path, dict], tmp_path_factory: pytest.TempPathFactory) -> Path:
    package, _ = built
    folder = tmp_path_factory.mktemp("series-site")
    candidate = tmp_path_factory.mktemp("candidate") / "chitieu.db"
    build_database(package / "datapackage.json", candidate, load_metadata(), load_site_config())
    _flag_one_figure(candidate)
    validation = tmp_path_factory.mktemp("validation")
    write_passing_summary(validation, package, candidate)
    build_site(
        package / "datapackage.json",
        candidate,
        folder,
        load_metadata(),
        load_site_config(),
        validation,
    )
    return folder


# The generated years carry no figure flagged for review: one is flagged in the database, so the
# series page's marking of flagged figures (and leaving them out of the chart) is seen.
FLAGGED = ("budget_revenue", "Cao Bằng")


def _flag_one_figure(db_path: Path) -> None:
    import sqlite3

    with sqlite3.connect(db_path) as db:
        changed = db.execute(
            "UPDATE series SET review_reason = ? WHERE rowid = (SELECT MIN(rowid) FROM series"
            " WHERE indicator_code = ? AND province = ? AND review_reason IS NULL)",
            [ReviewReason.malformed_number.value, *FLAGGED],
        ).rowcount
    assert changed == 1


def _query(site: Path, name: str, **params: str) -> list[dict[str, Any]]:
    from datasette.app import Datasette

    async def run() -> Any:
        datasette = Datasette(config_dir=site)
        await datasette.invoke_startup()
        return await datasette.client.get(f"/chitieu/{name}.json", params={**params, "_shape": "objects"})

    response = asyncio.run(run())
    assert response.status_code == 200, response.text
    return response.json()["rows"]


def _best(built: tuple[Path, dict]) -> list[dict[str, str]]:
    with (built[0] / "data" / "series_best.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(("code", "lower_first"), [("urban_unemployment", True), ("grdp_growth", False)])
def test_provinces_are_ranked_by_the_indicators_direction_with_the_unit(
    site: Path, code: str, lower_first: bool
) -> None:
    rows = _query(site, "province_comparison", code=code, period="2023")
    assert len(rows) >= 3 and {r["unit"] for r in rows} == {"pct"}
    values = [Decimal(str(r["value"])) for r in rows]
    assert values == sorted(values, reverse=not lower_first)
    assert rows[0]["rank"] == 1


def test_the_series_page_shows_every_vintage_of_a_province(site: Path, built: tuple[Path, dict]) -> None:
    rows = _query(site, "indicator_series", code="budget_revenue", province="Cao Bằng")
    with (built[0] / "data" / "series.csv").open(encoding="utf-8", newline="") as handle:
        expected = [
            r
            for r in csv.DictReader(handle)
            if r["indicator_code"] == "budget_revenue" and r["province"] == "Cao Bằng"
        ]
    assert len(rows) == len(expected) > 0
    vintages = {r["vintage"] for r in rows}
    assert {v.split(" ")[0] for v in vintages} == {"actual", "estimate", "plan"}
    merged = _query(site, "indicator_series", code="budget_revenue", province="Thái Nguyên")
    assert {r["province"] for r in merged} == {"Bắc Kạn", "Thái Nguyên"}, "a successor shows its predecessors"


def test_revision_pages_list_changed_figures_largest_first(site: Path, built: tuple[Path, dict]) -> None:
    largest = _query(site, "largest_revisions")
    changes = [abs(r["change_pct"]) for r in largest if r["change_pct"] is not None]
    assert changes and changes == sorted(changes, reverse=True)
    assert all(r["earlier_value"] != r["later_value"] for r in largest)
    revised = _query(site, "revised_figures", code="grdp_growth", province="Cao Bằng")
    expected = [
        t
        for t in built[1]["revisions"]
        if t["indicator_code"] == "grdp_growth" and t["province"] == "Cao Bằng"
    ]
    assert len(revised) == len(expected)


def test_targets_met_by_province_count_the_best_figures_assessments(
    site: Path, built: tuple[Path, dict]
) -> None:
    rows = _query(site, "targets_met_by_province", year="2023")
    best = [r for r in _best(built) if r["period"] == "2023"]
    for row in rows:
        mine = [b for b in best if b["province"] == row["province"]]
        for verdict in ("met", "exceeded", "not_met"):
            assert row[verdict] == sum(b["assessment"] == verdict for b in mine), (row["province"], verdict)
    assert sum(r["met"] + r["exceeded"] + r["not_met"] for r in rows) > 0


def test_the_crosswalk_page_shows_how_names_were_matched(site: Path) -> None:
    rows = _query(site, "crosswalk_matches")
    assert {r["method"] for r in rows} == {"name", "synonym"}
    synonym = next(r for r in rows if r["name_vi"] == "Tốc độ tăng tổng sản phẩm trong tỉnh (GRDP)")
    assert synonym["indicator_code"] == "grdp_growth" and synonym["reports"] >= 1


def test_the_series_page_reads_one_code_in_order_from_its_index(site: Path) -> None:
    """The index declared in metadata/resources/series.yaml serves the question without a sort and
    without reading the table (every column the question reads is in it)."""
    import sqlite3

    sql = next(q.sql for q in load_site_config().queries if q.name == "indicator_series")
    with sqlite3.connect(site / "chitieu.db") as db:
        plan = " | ".join(
            row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", {"code": "grdp_growth", "province": ""})
        )
    (columns,) = load_metadata().resources["series"].site.indexes
    assert f"USING COVERING INDEX ix_series_{'_'.join(columns)} " in plan and "TEMP B-TREE" not in plan, plan


def _page(site: Path, path: str) -> tuple[int, str]:
    from datasette.app import Datasette

    async def run() -> Any:
        datasette = Datasette(config_dir=site)
        await datasette.invoke_startup()
        return await datasette.client.get(path)

    response = asyncio.run(run())
    return response.status_code, response.text


def test_a_started_server_keeps_its_start_up_objects_out_of_the_garbage_collector(site: Path) -> None:
    """Full collections walked every object the server held since start-up, inside some request
    (the worst series pages): the site plugin freezes them once the server has started."""
    import subprocess
    import sys

    started = (
        "import asyncio, gc, pathlib, sys; from datasette.app import Datasette; "
        "d = Datasette(config_dir=pathlib.Path(sys.argv[1])); asyncio.run(d.invoke_startup()); print(gc.get_freeze_count())"
    )
    frozen = subprocess.run(
        [sys.executable, "-c", started, str(site)], capture_output=True, text=True, check=True
    )
    assert int(frozen.stdout) > 10_000, frozen.stderr


def _series_data(text: str) -> dict[str, Any]:
    """The figures the series page sends once, in its JSON data block."""
    import re

    found = re.findall(r'<script type="application/json" id="series-data">(.*?)</script>', text, re.DOTALL)
    assert len(found) == 1, "the figures are sent once"
    return json.loads(found[0])


def test_the_series_page_sends_every_figure_once_with_every_province_apart(site: Path) -> None:
    import re

    status, text = _page(site, "/series/budget_revenue")
    assert status == 200, text
    rows = _query(site, "indicator_series", code="budget_revenue", province="")
    data = _series_data(text)
    column = {name: i for i, name in enumerate(data["columns"])}
    provinces = [p["province"] for p in data["provinces"]]
    assert provinces == sorted({r["province"] for r in rows}) and len(provinces) >= 3
    # A chart and a table per province, each pointing at its province's figures.
    assert re.findall(r'<figure class="chitieu-series" data-province="(\d+)"', text) == [
        str(i) for i in range(len(provinces))
    ]
    assert len(
        re.findall(r'<table class="rows-and-columns" id="series-\d+" data-province="\d+"', text)
    ) == len(provinces)
    sent = [
        (
            p["province"],
            f[column["period"]],
            f[column["measure"]],
            f[column["value"]],
            bool(f[column["latest"]]),
        )
        for p in data["provinces"]
        for f in p["rows"]
    ]
    assert sent == [(r["province"], r["period"], r["measure"], r["value"], bool(r["latest"])) for r in rows]
    assert {latest for *_, latest in sent} == {True, False}, "older vintages are told apart from the newest"
    flagged = [f for p in data["provinces"] for f in p["rows"] if f[column["review"]]]
    assert len(flagged) == 1 and flagged[0][column["review"]] == ReviewReason.malformed_number.value
    assert set(data["measures"]) >= {"actual", "estimate", "plan"}
    reports = data["reports"]
    listed = [reports[str(f[column["report"]])] for p in data["provinces"] for f in p["rows"]]
    assert [(report, date) for _, report, date, _ in listed] == [
        (r["report_id"], r["report_date"]) for r in rows
    ]
    for address, report, _, source_view in listed:
        assert address == f"/chitieu/reports/{report}"
        published = (site / "static" / "sources" / report).is_dir()
        assert source_view == (f"/source/{report}" if published else None)
    # Without JavaScript, each province's section links to its figures in the saved question.
    linked = re.findall(
        r'<noscript><p><a href="/chitieu/indicator_series\?code=budget_revenue&amp;province=([^"]+)"', text
    )
    assert [unquote_plus(p) for p in linked] == provinces
    assert re.search(r'<script src="/static/assets/series-chart\.[0-9a-f]{12}\.js" defer>', text)
    assert "data-chart" not in text and "<tr" not in text.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert _page(site, "/series/no_such_code")[0] == 404


@pytest.mark.slow
def test_the_series_chart_and_tables_are_drawn_in_a_browser(site: Path) -> None:
    from playwright.sync_api import sync_playwright

    from tests.publish.test_publish_browser import CHROMIUM, CHROMIUM_FLAGS
    from tests.support import serving

    rows = _query(site, "indicator_series", code="budget_revenue", province="")
    drawn = [r for r in rows if r["value"] is not None and not r["review_reason"]]
    with serving(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}/series/budget_revenue")
        page.wait_for_selector("figure.chitieu-series svg circle", timeout=15000)
        assert page.locator("figure.chitieu-series svg circle").count() == len(drawn) > 0
        per_province = page.evaluate(
            "[...document.querySelectorAll('section.block')].map(s => [s.querySelector('h2').firstChild"
            ".textContent.trim(), s.querySelectorAll('svg circle').length, s.querySelectorAll('tbody tr').length])"
        )
        for province, circles, table_rows in per_province:
            mine = [r for r in rows if r["province"] == province]
            assert table_rows == len(mine) > 0, province
            assert circles == sum(1 for r in drawn if r["province"] == province), province
        flagged = [r for r in rows if r["review_reason"]]
        assert page.locator("tbody tr.flagged .flag-mark").count() == len(flagged) == 1
        assert page.locator("tbody tr a[href^='/chitieu/reports/']").count() == len(rows)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert not errors, errors
        browser.close()
