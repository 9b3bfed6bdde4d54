"""Latest vintages, best figures and revisions on hand-made rows: the rules, one at a time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pipelines.across.series import best_rows, revision_rows


def _row(
    report: str,
    date: str,
    measure: str,
    value: str,
    *,
    code: str = "urban_unemployment",
    flag: str = "",
    latest: bool = True,
    period: str = "2022",
) -> dict[str, object]:
    """A series row as ``series_rows`` builds it (typed): what the later builders read."""
    return {
        "indicator_code": code,
        "province": "Cao Bằng",
        "successor_2025": "Cao Bằng",
        "period": int(period),
        "measure": measure,
        "value": Decimal(value),
        "unit": "pct",
        "value_printed": value,
        "unit_vi": "%",
        "report_id": report,
        "indicator_id": f"{report}/1",
        "report_date": dt.date.fromisoformat(date),
        "source_ref": "L1",
        "review_reason": flag or None,
        "latest": latest,
    }


def test_best_prefers_the_most_final_confirmed_measure_and_assesses_by_direction() -> None:
    series = [
        _row("a", "2022-11-01", "plan", "4.0"),
        _row("a", "2022-11-01", "estimate", "3.5", latest=False),
        _row("b", "2023-11-01", "estimate", "3.9"),
        _row("b", "2023-11-01", "actual", "3.8"),
    ]
    (best,) = best_rows({"series": series})
    assert (best["measure"], str(best["value"]), best["report_id"]) == ("actual", "3.8", "b")
    assert best["assessment"] == "exceeded", "unemployment below its plan is better than planned"


def test_a_flagged_figure_is_not_best_while_a_confirmed_one_exists_and_is_not_assessed() -> None:
    series = [
        _row("a", "2022-11-01", "plan", "4.0"),
        _row("b", "2023-11-01", "actual", "4.5", flag="ocr_low_confidence"),
        _row("b", "2023-11-01", "estimate", "4.4"),
    ]
    (best,) = best_rows({"series": series})
    assert best["measure"] == "estimate" and best["assessment"] == "not_met"
    only_flagged = [
        _row("a", "2022-11-01", "plan", "4.0"),
        _row("b", "2023-11-01", "actual", "3", flag="ocr_low_confidence"),
    ]
    (best,) = best_rows({"series": only_flagged})
    assert best["review_reason"] == "ocr_low_confidence" and best["assessment"] == "not_assessable"


def test_revisions_compare_outcomes_with_outcomes_and_plans_with_plans() -> None:
    series = [
        _row("a", "2022-11-01", "estimate", "5.55", code="grdp_growth", latest=False),
        _row("a", "2022-11-01", "plan", "6", code="grdp_growth", period="2023", latest=False),
        _row("b", "2023-11-01", "actual", "5.1", code="grdp_growth"),
        _row("b", "2023-11-01", "plan", "6", code="grdp_growth", period="2023"),
        _row("b", "2023-11-01", "estimate", "5.8", code="grdp_growth", period="2023"),
        _row("c", "2024-11-01", "actual", "5.8", code="grdp_growth", period="2023"),
    ]
    revisions = revision_rows({"series": series})
    assert [
        (
            r["period"],
            r["earlier_measure"],
            str(r["earlier_value"]),
            r["later_measure"],
            str(r["later_value"]),
            str(r["change"]),
        )
        for r in revisions
    ] == [(2022, "estimate", "5.55", "actual", "5.1", "-0.45")], (
        "an unchanged plan and an estimate confirmed by the actual are not revisions; a plan is never compared with an outcome"
    )
