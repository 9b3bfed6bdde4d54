"""Tables read by header meaning become observations, ratios, verdicts and warnings."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from pipelines.document.read import parse_document, read_document
from pipelines.extract.shapes import read_tables
from pipelines.extract.table_rows import UNKNOWN_COLUMN_ROLE, table_rows
from tests.paths import RAW_DIR


def _rows(page: str):
    return table_rows("r", read_tables(parse_document(Path("page.md"), page.encode()).blocks))


def test_the_ministry_appendix_gives_one_observation_per_printed_figure_keyed_by_breakdown() -> None:
    rows = table_rows("mard", read_tables(read_document(RAW_DIR / "mard-2017-12-appendix.md").blocks))
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
    assert [(w.code, w.message) for w in rows.warnings] == [
        (
            "malformed_number",
            "ratio '106, 6' (Năm 2017 so với năm 2016 (%)) of mard/phu-luc-9/4 kept for review, not published",
        )
    ]
    assert {r["breakdown"] for r in rows.ratios} >= {"all", "Tổng số", "Miền Bắc", "Miền Nam"}


def test_flagged_cells_are_rows_with_a_review_reason_and_a_warning_each() -> None:
    rows = _rows("|Chỉ tiêu|ĐVT|KH 2024|TH 2024|\n|---|---|---|---|\n|Thu ngân sách|Tỷ đồng|3.700|12|\n")
    flagged = [o for o in rows.observations if o["review_reason"]]
    assert [(o["measure"], o["value"], o["value_printed"]) for o in flagged] == [("plan", None, "3.700")]
    assert [(w.resource, w.row_key, w.source_ref, w.code) for w in rows.warnings] == [
        ("observations", "r/1/1 | plan | 2024 | all", "L3", "ambiguous_number_format")
    ]


def test_stacked_values_are_each_evidence_of_the_tables_number_convention() -> None:
    """``675,854.6<br>184.765,21`` is an English and a Vietnamese figure (a mixed table, so
    ``192,627`` fits both and is kept for review), not one literal ``675,854.6 184``."""
    page = (
        "|Chỉ tiêu|ĐVT|TH 2023|TH 2024|\n|---|---|---|---|\n"
        "|Thu<br>Chi|Tỷ đồng<br>Tỷ đồng|675,854.6<br>184.765,21|192,627<br>68,6|\n"
    )
    rows = _rows(page)
    assert [(o["value_printed"], o["value"], o["review_reason"]) for o in rows.observations] == [
        ("675,854.6", D("675854.6"), None),
        ("192,627", None, "ambiguous_number_format"),
        ("184.765,21", D("184765.21"), None),
        ("68,6", D("68.6"), None),
    ]


def test_a_column_of_unknown_meaning_is_reported_not_published() -> None:
    rows = _rows("|Chỉ tiêu|Xyz|KH 2024|\n|---|---|---|\n|Thu ngân sách|5,5|6,5|\n")
    assert [o["measure"] for o in rows.observations] == ["plan"]
    assert [(w.code, w.source_ref, w.resource) for w in rows.warnings] == [(UNKNOWN_COLUMN_ROLE, "L1", None)]


def test_printed_verdicts_are_compared_with_the_figures_direction_aware() -> None:
    """Directions come from the catalogue (reference/indicators.csv): the poverty rate and urban
    unemployment are lower-is-better, GRDP growth higher-is-better; an uncatalogued row has none."""
    page = (
        "|Chỉ tiêu|ĐVT|KH năm 2024|TH năm 2024|Đánh giá|\n|---|---|---|---|---|\n"
        "|Tỷ lệ hộ nghèo|%|Dưới 3|2,5|Đạt|\n"
        "|Tăng trưởng GRDP|%|7,5-8,0|8,4|Không đạt|\n"
        "|Tỷ lệ thất nghiệp ở thành thị|%|2,5|2,1|Vượt|\n"
        "|Số xã nông thôn mới|xã|40|38|Đạt|\n"
        "|Tỷ lệ hộ nghèo|%|3,0|3,4|Đạt|\n"
    )
    rows = _rows(page)
    got = [
        (v["verdict_printed"], v["verdict"], v["assessment"], v["figures_agree"], v["period"])
        for v in rows.verdicts
    ]
    assert got == [
        ("Đạt", "met", "met", True, 2024),
        ("Không đạt", "not_met", "exceeded", False, 2024),
        ("Vượt", "exceeded", "exceeded", True, 2024),
        ("Đạt", "met", "not_assessable", None, 2024),
        ("Đạt", "met", "not_met", False, 2024),
    ]


def test_a_remaining_level_in_parentheses_is_an_observation_of_its_own() -> None:
    rows = _rows("|Chỉ tiêu|ĐVT|KH 2024|\n|---|---|---|\n|Giảm tỷ lệ hộ nghèo|%|0,7% (còn 4,33%)|\n")
    assert [(o["indicator_id"], o["value"]) for o in rows.observations] == [
        ("r/1/1", D("0.7")),
        ("r/1/1/remaining", D("4.33")),
    ]
    assert rows.indicators[1]["parent_id"] == "r/1/1"


def test_a_second_value_the_text_does_not_explain_is_kept_in_the_indicators_note() -> None:
    page = (
        "|Chỉ tiêu|ĐVT|KH 2024|TH 2024|\n|---|---|---|---|\n|Kim ngạch xuất khẩu|Triệu USD|12,5 (13,0)|14|\n"
    )
    rows = _rows(page)
    assert [(o["measure"], o["value"], o["value_printed"]) for o in rows.observations] == [
        ("plan", D("12.5"), "12,5 (13,0)"),
        ("actual", D("14"), "14"),
    ]
    assert rows.indicators[0]["note"] == "plan 2024 printed with a second value (13,0)"
    assert all("note" not in o for o in rows.observations)


def test_a_title_printed_as_the_tables_first_row_is_read_as_its_caption() -> None:
    page = "|Biểu 4. Chỉ tiêu chủ yếu (Đơn vị tính: %)|||\n|---|---|---|\n|Chỉ tiêu|KH 2024|TH 2024|\n|GRDP|8,0|7,5|\n"
    (table,) = read_tables(parse_document(Path("page.md"), page.encode()).blocks)
    assert [(c.column.role, c.column.period, c.value.value) for c in table.rows[0].cells] == [
        ("plan", 2024, D("8.0")),
        ("actual", 2024, D("7.5")),
    ]
    assert (table.label, table.rows[0].name_vi) == ("Biểu 4", "GRDP")


def test_two_rows_stacked_in_one_are_read_as_two() -> None:
    page = (
        "|Chỉ tiêu|ĐVT|KH 2024|TH 2024|\n|---|---|---|---|\n"
        "|Kim ngạch xuất khẩu<br>Kim ngạch nhập khẩu|Triệu USD|120<br>600|118,5<br>|\n"
    )
    rows = _rows(page)
    assert [(i["name_vi"], i["unit_vi"]) for i in rows.indicators] == [
        ("Kim ngạch xuất khẩu", "Triệu USD"),
        ("Kim ngạch nhập khẩu", "Triệu USD"),
    ]
    assert [(o["indicator_id"], o["measure"], o["value_printed"]) for o in rows.observations] == [
        ("r/1/1", "plan", "120"),
        ("r/1/1", "actual", "118,5"),
        ("r/1/2", "plan", "600"),
    ]


def test_a_line_break_in_a_name_alone_does_not_split_the_row() -> None:
    rows = _rows("|Chỉ tiêu|KH 2024|\n|---|---|\n|Thu ngân sách<br>trên địa bàn|3,5|\n")
    assert [i["name_vi"] for i in rows.indicators] == ["Thu ngân sách trên địa bàn"]


def test_english_headers_are_read_like_vietnamese_ones() -> None:
    page = (
        "|No.|Indicator|Unit|Actual 2018|Plan 2019|Estimated 2019|Estimated 2019 vs plan (%)|Assessment|Remarks|\n"
        "|---|---|---|---|---|---|---|---|---|\n"
        "|1|GRDP growth|%|7.10|7.50|7.80|104.0|Exceeded||\n"
    )
    rows = _rows(page)
    assert [(o["measure"], o["period"], o["value"]) for o in rows.observations] == [
        ("actual", 2018, D("7.1")),
        ("plan", 2019, D("7.5")),
        ("estimate", 2019, D("7.8")),
    ]
    (ratio,) = rows.ratios
    assert (ratio["numerator_measure"], ratio["denominator_measure"], ratio["consistent"]) == (
        "estimate",
        "plan",
        True,
    )
    (verdict,) = rows.verdicts
    assert (verdict["verdict"], verdict["assessment"]) == ("exceeded", "not_assessable")
    assert rows.warnings == []
