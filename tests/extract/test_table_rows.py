"""Tables read by header meaning become observations, ratios, verdicts and warnings."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from pipelines.document.read import parse_document, read_document
from pipelines.extract.shapes import read_tables
from pipelines.extract.table_rows import UNKNOWN_COLUMN_ROLE, table_rows
from tests.paths import OTHER_TABLES

DATA = OTHER_TABLES


def _rows(page: str, direction=lambda _: None):
    return table_rows("r", read_tables(parse_document(Path("page.md"), page.encode()).blocks), direction)


def test_the_ministry_appendix_gives_one_observation_per_printed_figure_keyed_by_breakdown() -> None:
    rows = table_rows("mard", read_tables(read_document(DATA / "mard-2017-12-appendix.md").blocks))
    keys = [(o["indicator_id"], o["measure"], o["period"], o["breakdown"]) for o in rows.observations]
    assert len(keys) == len(set(keys))
    totals = [o for o in rows.observations if o["indicator_id"] == "mard/phu-luc-6/1"]
    assert {(o["measure"], o["period"], o["breakdown"], o["value"]) for o in totals} == {
        ("actual", 2016, "Tổng số", D("48684.3")),
        ("actual", 2016, "Miền Bắc", D("16785.8")),
        ("actual", 2016, "Miền Nam", D("31898.5")),
        ("estimate", 2017, "Tổng số", D("47974.5")),
        ("estimate", 2017, "Miền Bắc", D("16052.4")),
        ("estimate", 2017, "Miền Nam", D("31922.1")),
    }
    ratio = next(r for r in rows.ratios if r["indicator_id"] == "mard/phu-luc-10/6")
    assert (ratio["numerator_measure"], ratio["numerator_period"]) == ("estimate", 2017)
    assert (ratio["denominator_measure"], ratio["denominator_period"], ratio["published_pct"]) == (
        "actual",
        2016,
        D("109.1"),
    )
    assert not [r for r in rows.ratios if r["formula"] == "% so với / Gieo cấy"]
    assert [(w["resource"], w["code"]) for w in rows.warnings] == []


def test_flagged_cells_are_rows_with_a_review_reason_and_a_warning_each() -> None:
    rows = _rows("|Chỉ tiêu|ĐVT|KH 2024|TH 2024|\n|---|---|---|---|\n|Thu ngân sách|Tỷ đồng|3.700|12|\n")
    flagged = [o for o in rows.observations if o["review_reason"]]
    assert [(o["measure"], o["value"], o["value_printed"]) for o in flagged] == [("plan", None, "3.700")]
    assert [(w["resource"], w["row_key"], w["source_ref"], w["code"]) for w in rows.warnings] == [
        ("observations", "r/1/1 | plan | 2024 | ", "L3", "ambiguous_number_format")
    ]


def test_a_column_of_unknown_meaning_is_reported_not_published() -> None:
    rows = _rows("|Chỉ tiêu|Xyz|KH 2024|\n|---|---|---|\n|Thu ngân sách|5,5|6,5|\n")
    assert [o["measure"] for o in rows.observations] == ["plan"]
    assert [w["code"] for w in rows.warnings] == [UNKNOWN_COLUMN_ROLE]


def test_printed_verdicts_are_compared_with_the_figures_direction_aware() -> None:
    page = (
        "|Chỉ tiêu|ĐVT|KH năm 2024|TH năm 2024|Đánh giá|\n|---|---|---|---|---|\n"
        "|Tỷ lệ hộ nghèo|%|Dưới 3|2,5|Đạt|\n"
        "|Tăng trưởng GRDP|%|7,5-8,0|8,4|Không đạt|\n"
        "|Tỷ lệ thất nghiệp|%|2,5|2,1|Vượt|\n"
        "|Số xã nông thôn mới|xã|40|38|Đạt|\n"
    )
    directions = {"Tỷ lệ thất nghiệp": "lower_is_better", "Tăng trưởng GRDP": "higher_is_better"}
    rows = _rows(page, directions.get)
    got = [
        (v["verdict_printed"], v["verdict"], v["assessed"], v["agrees"], v["period"]) for v in rows.verdicts
    ]
    assert got == [
        ("Đạt", "met", "met", True, 2024),
        ("Không đạt", "not_met", "exceeded", False, 2024),
        ("Vượt", "exceeded", "exceeded", True, 2024),
        ("Đạt", "met", "not_assessable", None, 2024),
    ]


def test_a_remaining_level_in_parentheses_is_an_observation_of_its_own() -> None:
    rows = _rows("|Chỉ tiêu|ĐVT|KH 2024|\n|---|---|---|\n|Giảm tỷ lệ hộ nghèo|%|0,7% (còn 4,33%)|\n")
    assert [(o["indicator_id"], o["value"]) for o in rows.observations] == [
        ("r/1/1", D("0.7")),
        ("r/1/1/remaining", D("4.33")),
    ]
    assert rows.indicators[1]["parent_id"] == "r/1/1"
