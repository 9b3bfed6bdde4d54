"""Generated consecutive years through the real pipeline: crosswalk, series and revisions as written."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path


def _rows(package: Path, name: str) -> list[dict[str, str]]:
    with (package / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_printed_row_is_matched_as_the_generator_printed_it(built: tuple[Path, dict]) -> None:
    package, truth = built
    got = {
        (r["province"], r["document_number"], r["name_vi"], r["unit_vi"], r["indicator_code"], r["method"])
        for r in _rows(package, "crosswalk")
    }
    want = {
        (t["province"], t["document"], t["name"], t["unit"], t["indicator_code"], t["method"])
        for t in truth["crosswalk"]
    }
    assert got == want
    methods = {t["method"] for t in truth["crosswalk"]}
    assert methods == {"name", "synonym"}, "the generator varies names by synonyms"
    assert any(
        t["unit"] == "Triệu đồng" and t["indicator_code"].startswith("budget") for t in truth["crosswalk"]
    )


def test_revisions_are_exactly_the_changed_figures(built: tuple[Path, dict]) -> None:
    package, truth = built

    def key(r: dict) -> tuple:
        return (
            r["indicator_code"],
            r["province"],
            int(r["period"]),
            r["earlier_measure"],
            Decimal(r["earlier_value"]),
            r["later_measure"],
            Decimal(r["later_value"]),
        )

    got = [key(r) for r in _rows(package, "revisions")]
    assert len(got) == len(set(got))
    assert set(got) == {key(t) for t in truth["revisions"]}
    kinds = {(t["earlier_measure"], t["later_measure"]) for t in truth["revisions"]}
    assert {("estimate", "actual"), ("plan", "plan")} <= kinds


def test_latest_vintages_and_budget_units_harmonised(built: tuple[Path, dict]) -> None:
    package, truth = built
    documents = {r["report_id"]: r["document_number"] for r in _rows(package, "reports")}
    got = {
        (
            r["indicator_code"],
            r["province"],
            int(r["period"]),
            r["measure"],
            Decimal(r["value"]),
            documents[r["report_id"]],
        )
        for r in _rows(package, "series")
        if r["latest"] == "true"
    }
    want = {
        (t["indicator_code"], t["province"], t["period"], t["measure"], Decimal(t["value"]), t["document"])
        for t in truth["latest"]
    }
    assert got == want
    budget = [r for r in _rows(package, "series") if r["indicator_code"] == "budget_revenue"]
    assert {r["unit"] for r in budget} == {"billion_vnd"}
    assert {r["unit_vi"] for r in budget} == {"Tỷ đồng", "Triệu đồng"}


def test_a_merged_province_keeps_its_series_under_its_own_name(built: tuple[Path, dict]) -> None:
    package, truth = built
    assert truth["successors"]["Bắc Kạn"] == "Thái Nguyên"
    series = _rows(package, "series")
    bac_kan = [r for r in series if r["province"] == "Bắc Kạn"]
    assert bac_kan and {r["successor_2025"] for r in bac_kan} == {"Thái Nguyên"}
    assert all(r["report_date"] < "2025-07-01" for r in bac_kan)
    later = [r for r in series if r["province"] == "Thái Nguyên"]
    assert later and all(r["report_date"] >= "2025-07-01" for r in later)
    assert {r["successor_2025"] for r in series if r["province"] == "Cao Bằng"} == {"Cao Bằng"}
    mixed = [
        r
        for r in _rows(package, "revisions")
        if {r["earlier_report_id"][:6], r["later_report_id"][:6]} == {"bac-ka", "thai-n"}
    ]
    assert not mixed, "Bắc Kạn's figures are never compared with Thái Nguyên's"
