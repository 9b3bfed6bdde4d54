"""An indicator's page shows a target printed as a range, a bound or an approximation both as
printed ("Khoảng 45-47", "Trên 90") and as data (its ends, its qualifier), and how it was judged.

Checked on the published package (the national plan table prints targets and no results) and on
generated report tables whose plans are ranges and bounds beside estimates and printed verdicts.
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import lxml.html
import pytest
from datasette.utils import tilde_encode

from pipelines.cli import main
from pipelines.common.assessment import assess
from pipelines.common.enums import NOT_SPLIT, load_enums
from pipelines.package.metadata import load_metadata
from pipelines.publish import plugin
from pipelines.publish.database import build_database
from pipelines.publish.site import build_site
from pipelines.publish.siteconfig import load_site_config
from pipelines.synth.shapes import generate_table
from tests.support import write_passing_summary

from .conftest import fetch

QUALIFIER_NAMES = {c.code: c.title_vi for c in load_enums()["qualifier"].codes}


def _rows(db: Path, sql: str, *params: object) -> list[dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def _pages(site: Path, indicator_ids: list[str]) -> dict[str, lxml.html.HtmlElement]:
    urls = {i: f"/chitieu/indicators/{tilde_encode(i)}" for i in indicator_ids}
    responses = fetch(site, *urls.values())
    assert all(responses[u].status_code == 200 for u in urls.values())
    return {i: lxml.html.fromstring(responses[u].text) for i, u in urls.items()}


def _text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _figure_rows(page: lxml.html.HtmlElement) -> list[dict[str, str]]:
    """The figures table as {measure, period, value, kind, printed} per row, by its header."""
    table = page.get_element_by_id("figures-table")
    heads = [_text(th).split(" / ")[-1] for th in table.xpath("./thead/tr/th")]
    return [
        dict(zip(heads, (_text(td) for td in tr.xpath("./td")), strict=True))
        for tr in table.xpath("./tbody/tr")
    ]


def _vi(number: object) -> str:
    """A number as the Vietnamese page prints it (the format's own rule is tested elsewhere)."""
    return plugin.vi_number(float(number))


def _data_shown(figure: dict, shown: str) -> None:
    """The range ends or the single value and the qualifier's name are on the page."""
    if figure["value"] is None:
        assert f"{_vi(figure['value_low'])} – {_vi(figure['value_high'])}" in shown, (figure, shown)
    else:
        assert _vi(figure["value"]) in shown, (figure, shown)


def test_the_plan_tables_ranges_and_bounds_are_shown_as_printed_and_as_data(site_dir: Path) -> None:
    db = site_dir / "chitieu.db"
    shaped = _rows(
        db,
        "SELECT o.*, r.plan_year FROM observations o JOIN reports r ON r.report_id = o.report_id "
        "WHERE r.source_kind <> 'report' AND o.breakdown = ? "
        "AND (o.qualifier IS NOT NULL OR o.value_low <> o.value_high) ORDER BY o.indicator_id",
        NOT_SPLIT,
    )
    assert {f["qualifier"] for f in shaped} >= {"khoảng", "trên"}
    assert any(f["value"] is None for f in shaped), "no range among the published targets"
    pages = _pages(site_dir, sorted({f["indicator_id"] for f in shaped}))
    for figure in shaped:
        page = pages[figure["indicator_id"]]
        rows = [
            r
            for r in _figure_rows(page)
            if r["Year"] == str(figure["period"]) and r["As printed"] == figure["value_printed"]
        ]
        assert rows, figure
        _data_shown(figure, rows[0]["Value"])
        if figure["qualifier"]:
            assert QUALIFIER_NAMES[figure["qualifier"]] in rows[0]["Kind of value"], rows[0]
        if figure["value"] is None:
            assert "range" in rows[0]["Kind of value"]
        if figure["plan_year"] and not figure["report_id"].startswith("cao-bang"):
            # the plan table prints no result: its targets cannot be judged, and the page says why
            judged = page.xpath('//*[@id="target"]/following-sibling::p[@class="assessment"]')
            assert judged and judged[0].get("data-assessment") == "not_assessable", figure["indicator_id"]


def _judged_seeds(wanted: int) -> list[int]:
    """Seeds of the shape generator drawing report tables whose plans include a range and a
    bound, and printed verdicts: chosen by what the generator draws, not by rendered text."""
    seeds = []
    for seed in range(200, 400):
        truth = generate_table(seed).truth
        plans = [r for r in truth["rows"] if r["role"] == "plan" and r["printed"]]
        ranged = any(r["value_low"] != r["value_high"] for r in plans)
        bounded = any(r["qualifier"] not in ("", "khoảng") for r in plans)
        verdicts = any(r["role"] == "verdict" and r["printed"] for r in truth["rows"])
        if truth["layout"] == "report" and ranged and bounded and verdicts:
            seeds.append(seed)
        if len(seeds) == wanted:
            return seeds
    raise AssertionError("the generator draws too few report tables with ranges, bounds and verdicts")


@pytest.fixture(scope="module")
def generated_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("targets")
    raw, truth = root / "raw", root / "truth"
    for seed in _judged_seeds(3):
        args = ["--out", str(raw), "--truth-out", str(truth), "--count", "1", "--seed", str(seed)]
        assert main(["generate", "--shapes", *args]) == 0
    assert main(["extract-all", str(raw), "--out", str(root / "extracted")]) == 0
    assert main(["package", str(root / "extracted"), "--out", str(root / "package")]) == 0
    package = root / "package" / "datapackage.json"
    db = root / "chitieu.db"
    build_database(package, db, load_metadata(), load_site_config())
    validation = root / "validation"
    validation.mkdir()
    write_passing_summary(
        validation, package.parent, db, integrity={"evaluated": 1, "passed": 1, "failed": 0}
    )
    (validation / "data-docs").mkdir()
    (validation / "data-docs" / "index.html").write_text("<h1>Data Docs</h1>", encoding="utf-8")
    (validation / "results.json").write_text('{"suites": []}', encoding="utf-8")
    build_site(package, db, root / "site", load_metadata(), load_site_config(), validation)
    return root / "site"


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def test_a_judged_target_is_shown_as_printed_as_data_and_with_its_assessment(generated_site: Path) -> None:
    db = generated_site / "chitieu.db"
    judged = _rows(
        db,
        "SELECT t.indicator_id, t.goal_printed, t.result_printed, t.direction, t.verdict_printed, "
        "g.value, g.value_low, g.value_high, g.qualifier, g.review_reason AS goal_flag, "
        "x.value AS result, x.review_reason AS result_flag "
        "FROM target_assessments t "
        "JOIN observations g ON g.indicator_id = t.indicator_id AND g.measure = t.goal_measure "
        "AND g.period = t.reporting_year AND g.breakdown = ? "
        "JOIN observations x ON x.indicator_id = t.indicator_id AND x.measure = t.result_measure "
        "AND x.period = t.reporting_year AND x.breakdown = ?",
        NOT_SPLIT,
        NOT_SPLIT,
    )
    assert any(j["value"] is None for j in judged) and any(j["qualifier"] for j in judged)
    assert any(j["verdict_printed"] for j in judged)
    pages = _pages(generated_site, [j["indicator_id"] for j in judged])
    shown = set()
    for target in judged:
        table = pages[target["indicator_id"]].find_class("chitieu-targets")
        assert len(table) == 1, target["indicator_id"]
        (row,) = table[0].xpath("./tbody/tr")
        cells = {td.get("class"): td for td in row.xpath("./td")}
        assert _text(cells["goal-printed"]) == target["goal_printed"]
        assert _text(cells["result-printed"]) == target["result_printed"]
        _data_shown(target, _text(cells["goal-data"]))
        if target["qualifier"]:
            assert QUALIFIER_NAMES[target["qualifier"]] in _text(cells["goal-data"])
        expected = assess(
            _decimal(target["result"]),
            target_low=_decimal(target["value_low"]),
            target_high=_decimal(target["value_high"]),
            qualifier=target["qualifier"],
            direction=target["direction"],
            flagged=bool(target["goal_flag"] or target["result_flag"]),
        )
        assert cells["assessment"].get("data-assessment") == expected, target
        assert plugin.ASSESSMENTS[expected] in _text(cells["assessment"])
        if target["verdict_printed"]:
            assert target["verdict_printed"] in _text(row)
        shown.add(expected)
    assert len(shown) >= 2, shown


def test_the_site_names_the_breakdown_the_package_does_not_split_by() -> None:
    """The page's template plugin imports nothing from the project: its copy of the code agrees."""
    assert plugin.NOT_SPLIT == NOT_SPLIT
