"""The front page's findings against the package itself: its headline table and its counts of
targets met, exceeded, not met and not assessable are worked out here again from the CSVs, the
reference catalogue and the one assessment rule, and must be what the page shows."""

from __future__ import annotations

import csv
import html
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

from pipelines.common.assessment import assess
from pipelines.publish.plugin import ASSESSMENTS, en_number, vi_number
from tests.paths import ROOT_PACKAGE

from .conftest import fetch


def _csv(name: str) -> list[dict[str, str]]:
    with (ROOT_PACKAGE.parent / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _number(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def expected_findings() -> dict[str, dict[str, object]]:
    """Per report: the headline rows (name, estimate, plan, assessment) and the counts by
    assessment of the targets with a plan, flagged figures left out and counted apart."""
    # A source that gives no results (a table of targets only) has no reporting year, nor findings.
    years = {r["report_id"]: int(r["reporting_year"]) for r in _csv("reports") if r["reporting_year"]}
    catalogue = {c["indicator_code"]: c for c in _csv("indicator_catalogue")}
    figures = {
        (o["indicator_id"], o["measure"], int(o["period"])): o
        for o in _csv("observations")
        if o["breakdown"] == "all"  # a figure split by region is not the indicator's
    }
    found: dict[str, dict[str, object]] = {
        r["report_id"]: {"headline": [], "counts": Counter(), "flagged": 0} for r in _csv("reports")
    }
    for indicator in _csv("indicators"):
        if indicator["kind"] != "indicator" or indicator["report_id"] not in years:
            continue
        report, year = indicator["report_id"], years[indicator["report_id"]]
        plan = figures.get((indicator["indicator_id"], "plan", year), {})
        estimate = figures.get((indicator["indicator_id"], "estimate", year), {})
        if not plan.get("value") and not estimate.get("value"):
            continue
        entry = catalogue.get(indicator["indicator_code"], {})
        flagged = bool(plan.get("review_reason") or estimate.get("review_reason"))
        verdict = assess(
            _number(estimate.get("value", "")),
            target_low=_number(plan.get("value_low", "")),
            target_high=_number(plan.get("value_high", "")),
            qualifier=plan.get("qualifier") or None,
            direction=entry.get("direction") or None,
            flagged=flagged,
        )
        findings = found[report]
        if flagged:
            findings["flagged"] += 1  # type: ignore[operator]
        elif plan.get("value"):
            findings["counts"][verdict] += 1  # type: ignore[index]
        if entry.get("headline") == "true":
            findings["headline"].append(  # type: ignore[attr-defined]
                (
                    indicator["name_vi"],
                    _number(estimate.get("value", "")),
                    _number(plan.get("value", "")),
                    verdict,
                )
            )
    return found


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_home_page_headline_table_and_target_counts_are_the_data(site_dir: Path) -> None:
    home = fetch(site_dir, "/")["/"].text
    expected = expected_findings()
    assert any(f["headline"] for f in expected.values()), "the package has no headline figures to test"
    for article in home.split('<article class="report-findings">')[1:]:
        report = re.search(r"report_id=([^&\"]+)", article)[1]  # type: ignore[index]
        want = expected.pop(report)
        table = article.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if want["headline"] else ""
        rows = [
            [_text(td) for td in re.findall(r"<td>(.*?)</td>", row, re.S)] for row in table.split("<tr>")[1:]
        ]
        assert len(rows) == len(want["headline"])  # type: ignore[arg-type]
        for cells, (name, estimate, plan, verdict) in zip(rows, want["headline"], strict=True):  # type: ignore[call-overload]
            assert cells[0].startswith(name)
            shown = vi_number(float(estimate)) if estimate is not None else ""
            assert cells[1].startswith(shown)
            if estimate is not None and en_number(float(estimate)) != shown:
                assert f"({en_number(float(estimate))})" in cells[1]
            assert cells[2].startswith(vi_number(float(plan)) if plan is not None else "")
            assert cells[3] == ASSESSMENTS[verdict]
        for code, label in ASSESSMENTS.items() if want["counts"] else ():  # a source without plans has none
            count = want["counts"].get(code, 0)  # type: ignore[attr-defined]
            assert re.search(rf"assessment={code}\">{count} {re.escape(label)}</a>", article), (report, code)
        if want["flagged"]:
            assert f"{want['flagged']} số cần xem lại không được tính" in article
    assert not expected, f"reports missing from the home page: {sorted(expected)}"
