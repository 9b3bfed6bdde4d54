"""Numbered headline statements against the appendix: every number of the seed, plus variants."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.common.numbers import parse_number
from pipelines.document.read import parse_document
from pipelines.extract.document import prose_view
from pipelines.extract.narrative import Appendix, extract_narrative_checks, read_tokens
from pipelines.extract.ratios import ratio_range

# (item, number as printed, unit, qualifier, role, appendix path, agrees) in printed order;
# results are compared with the 2022 estimate, targets with the 2023 plan.
RESULTS = [
    (1, "5,55", "%", None, "value", "1", "yes"),
    (1, "2,45", "điểm phần trăm", None, "difference", "1", "yes"),
    (1, "2,74", "%", None, "value", "1.1", "yes"),
    (1, "9,17", "%", None, "value", "1.2", "yes"),
    (1, "5,04", "%", None, "value", "1.3", "yes"),
    (1, "8,32", "%", None, "value", "1.4", "yes"),
    (2, "39,48", "triệu đồng", None, "value", "2", "yes"),
    (2, "98", "%", None, "pct_of_plan", "2", "yes"),
    (3, "1", None, None, "name_part", None, "unmatched"),
    (3, "44", "triệu đồng", None, "value", "3", "yes"),
    (3, "100", "%", None, "pct_of_plan", "3", "yes"),
    (4, "820", "triệu USD", None, "value", "4", "yes"),
    (4, "130", "%", None, "pct_of_plan", "4", "yes"),
    (4, "600", "triệu USD", None, "value", "4.1", "yes"),
    (4, "480", "%", None, "pct_of_plan", "4.1", "yes"),
    (4, "120", "triệu USD", None, "value", "4.2", "yes"),
    (4, "40", "%", None, "pct_of_plan", "4.2", "yes"),
    (4, "100", "triệu USD", None, "value", "4.3", "yes"),
    (4, "48,8", "%", None, "pct_of_plan", "4.3", "yes"),
    (5, "4.180.000", "triệu đồng", None, "value", "5", "yes"),
    (5, "207,1", "%", None, "pct_of_plan", "5", "yes"),
    (5, "1.575.205", "triệu đồng", None, "value", "5.2", "yes"),
    (5, "88,1", "%", None, "pct_of_plan", "5.2", "yes"),
    (5, "2.600.000", "triệu đồng", None, "value", "5.1", "yes"),
    (5, "1.130", "%", None, "pct_of_plan", "5.1", "yes"),
    (6, "23,3", "%", None, "value", "6", "yes"),
    (6, "12,3", "điểm phần trăm", None, "difference", "6", "yes"),
    (7, "77,5", "%", None, "value", "7.1", "yes"),
    (7, "98,8", "%", None, "value", "7.2", "yes"),
    (8, "10", "trường", None, "value", "8", "yes"),
    (8, "166,7", "%", None, "pct_of_plan", "8", "yes"),
    (9, "15", "bác sỹ", None, "value", "9.1", "yes"),
    (9, "100", "%", None, "pct_of_plan", "9.1", "yes"),
    (9, "35", "giường", None, "value", "9.3", "yes"),
    (9, "100", "%", None, "pct_of_plan", "9.3", "yes"),
    (9, "80,1", "%", None, "value", "9.2", "yes"),
    (9, "10,5", "điểm phần trăm", None, "difference", "9.2", "yes"),
    (9, "95,4", "%", None, "value", "9.4", "yes"),
    (9, "100", "%", None, "pct_of_plan", "9.4", "yes"),
    (10, "85", "%", None, "value", "10.1", "yes"),
    (10, "95", "%", None, "value", "10.2", "yes"),
    (10, "57", "%", None, "value", "10.3", "yes"),
    (10, "100", "%", None, "pct_of_plan", "10.3", "yes"),
    (11, "4", "%", None, "value", "11", "yes"),
    (11, "100", "%", None, "pct_of_plan", "11", "yes"),
    (12, "48,2", "%", None, "value", "12.1", "yes"),
    (12, "35,8", "%", None, "value", "12.1.1", "yes"),
    (12, "3,35", "%", None, "value", "12.2", "yes"),
    (12, "100", "%", None, "pct_of_plan", "12.2", "yes"),
    (13, "17-18", None, None, "name_part", None, "unmatched"),
    (13, "5", "xã", None, "value", "13.1", "yes"),
    (13, "100", "%", None, "pct_of_plan", "13.1", "yes"),
    (14, "57,19", "%", None, "value", "14", "yes"),
    (14, "100", "%", None, "pct_of_plan", "14", "yes"),
    (15, "86", "%", None, "value", "15.1", "yes"),
    (15, "92", "%", None, "value", "15.2", "yes"),
    (16, "2.215", "hộ", None, "value", "16", "yes"),
    (16, "100", "%", None, "pct_of_plan", "16", "yes"),
    (17, "85", "%", None, "value", "17.1", "yes"),
    (17, "87,5", "%", None, "value", "17.2", "yes"),
]
TARGETS = [
    (1, "8", "%", None, "value", "1", "yes"),
    (1, "3,1", "%", None, "value", "1.1", "yes"),
    (1, "11,71", "%", None, "value", "1.2", "yes"),
    (1, "8,35", "%", None, "value", "1.3", "yes"),
    (1, "8,4", "%", None, "value", "1.4", "yes"),
    (2, "43,97", "triệu đồng", None, "value", "2", "yes"),
    (3, "1", None, None, "name_part", None, "unmatched"),
    (3, "46", "triệu đồng", "trên", "value", "3", "yes"),
    (4, "638", "triệu USD", None, "value", "4", "yes"),
    (4, "396", "triệu USD", None, "value", "4.1", "yes"),
    (4, "132", "triệu USD", None, "value", "4.2", "yes"),
    (4, "110", "triệu USD", None, "value", "4.3", "yes"),
    (5, "2.838", "tỷ đồng", None, "value", "5", "yes"),
    (5, "1.638", "tỷ đồng", None, "value", "5.2", "yes"),
    (5, "1.200", "tỷ đồng", None, "value", "5.1", "yes"),
    (6, "11", "%", "trên", "value", "6", "yes"),
    (7, "82,5", "%", None, "value", "7.1", "yes"),
    (7, "99,38", "%", None, "value", "7.2", "yes"),
    (8, "6", "trường", None, "value", "8", "yes"),
    (9, "15", "bác sỹ", None, "value", "9.1", "yes"),
    (9, "82", "%", None, "value", "9.2", "yes"),
    (9, "35", "giường bệnh", None, "value", "9.3", "yes"),
    (9, "97", "%", None, "value", "9.4", "yes"),
    (10, "85", "%", None, "value", "10.1", "yes"),
    (10, "95", "%", None, "value", "10.2", "yes"),
    (10, "58", "%", None, "value", "10.3", "yes"),
    (11, "4", "%", "trên", "value", "11", "yes"),
    (12, "50", "%", None, "value", "12.1", "yes"),
    (12, "37,4", "%", None, "value", "12.1.1", "yes"),
    (12, "3,25", "%", "dưới", "value", "12.2", "yes"),
    (13, "03", "xã", "trở lên", "value", "13.2", "yes"),
    (14, "57,83", "%", None, "value", "14", "yes"),
    (15, "86,5", "%", None, "value", "15.1", "yes"),
    (15, "93", "%", None, "value", "15.2", "yes"),
    (16, "1.909", "hộ", None, "value", "16", "yes"),
    (17, "87", "%", None, "value", "17.1", "yes"),
    (17, "87,5", "%", None, "value", "17.2", "yes"),
]
RESULT_LINES = {n: 20 + 2 * n + (2 if n > 7 else 0) + (2 if n > 13 else 0) for n in range(1, 18)}


def indexed(report_id: str, reporting_year: int, plan_year: int, *tables: list[dict]) -> Appendix:
    """The appendix index of the rows, handed over as extraction hands them: indicators, observations, ratios."""
    appendix = Appendix(report_id, reporting_year, plan_year)
    for resource, rows in zip(("indicators", "observations", "ratios"), tables, strict=False):
        for row in rows:
            appendix.add(resource, row)
    return appendix


@pytest.fixture(scope="module")
def seed_checks(seed_extracted) -> tuple[str, list[dict], list]:
    report = seed_extracted
    tables = report.tables
    appendix = indexed(
        report.report_id, 2022, 2023, tables["indicators"], tables["observations"], tables["ratios"]
    )
    rows, warnings = extract_narrative_checks(report.document, appendix)
    return report.report_id, rows, warnings


def _project(report_id: str, rows: list[dict], section: str) -> list[tuple]:
    return [
        (
            r["item"],
            r["number_printed"],
            r["unit_vi"],
            r["qualifier"],
            r["role"],
            r["indicator_id"].removeprefix(f"{report_id}/") if r["indicator_id"] else None,
            r["agrees"],
        )
        for r in rows
        if r["section"] == section
    ]


@pytest.mark.parametrize(("section", "expected"), [("results", RESULTS), ("targets", TARGETS)])
def test_every_number_of_the_seed_statements(seed_checks, section: str, expected: list[tuple]) -> None:
    report_id, rows, warnings = seed_checks
    assert _project(report_id, rows, section) == expected
    assert warnings == []


def test_seed_rows_carry_measure_period_line_and_conversion(seed_checks) -> None:
    report_id, rows, _ = seed_checks
    results = [r for r in rows if r["section"] == "results"]
    assert {r["source_line"] for r in results} == set(RESULT_LINES.values())
    assert all(r["source_line"] == RESULT_LINES[r["item"]] for r in results)
    matched = [r for r in rows if r["agrees"] != "unmatched"]
    assert {(r["section"], r["measure"], r["period"]) for r in matched} == {
        ("results", "estimate", 2022),
        ("targets", "plan", 2023),
    }
    budget = next(r for r in results if r["number_printed"] == "4.180.000")
    assert budget["value"] == Decimal(4180000) and budget["appendix_value"] == Decimal(4180000)
    assert budget["appendix_printed"] == "4.180 Tỷ đồng" and "converted" in budget["note"]
    per_capita = next(r for r in results if r["item"] == 2 and r["role"] == "pct_of_plan")
    assert per_capita["appendix_value"] == Decimal("97.97")
    keys = [(r["section"], r["item"], r["number_index"]) for r in rows]
    assert len(keys) == len(set(keys)) and all(r["report_id"] == report_id for r in rows)
    assert all(not r["statement"].startswith("(") and "*" not in r["statement"] for r in rows)


# A tiny hand-made appendix: indicator 2 (million VND), 5 (billion VND) with a component, 7 a group.
def _indicator(path: str, tt: str, name: str, unit: str | None, parent: str | None = "I") -> dict:
    return {
        "report_id": "r",
        "indicator_id": f"r/{path}",
        "parent_id": f"r/{parent}" if parent else None,
        "tt": tt,
        "kind": "section" if path == "I" else "indicator",
        "name_vi": name,
        "unit_vi": unit,
    }


INDICATORS = [
    _indicator("I", "I", "Chỉ tiêu kinh tế", None, None),
    _indicator("2", "2", "GRDP bình quân đầu người", "Triệu đồng"),
    _indicator("5", "5", "Thu ngân sách trên địa bàn", "Tỷ đồng"),
    _indicator("5.1", "-", "Thu nội địa", "Tỷ đồng", "5"),
    _indicator("7", "7", "Tỷ lệ che phủ rừng", "%"),
]


def _observation(path: str, measure: str, period: int, printed: str) -> dict:
    value = Decimal(printed.replace(".", "").replace(",", "."))
    return {"report_id": "r", "indicator_id": f"r/{path}", "measure": measure, "period": period,
            "value": value, "value_printed": printed}  # fmt: skip


OBSERVATIONS = [
    _observation("2", "plan", 2040, "40,30"),
    _observation("2", "estimate", 2040, "39,48"),
    _observation("2", "plan", 2041, "43,97"),
    _observation("5", "plan", 2040, "2.018"),
    _observation("5", "estimate", 2040, "4.180"),
    _observation("5.1", "estimate", 2040, "1.575,205"),
    _observation("7", "plan", 2040, "60,00"),
    _observation("7", "actual", 2040, "57,55"),
]


def _checks(results: list[str], targets: list[str] | None = None):
    text = "I. KẾT QUẢ THỰC HIỆN MỘT SỐ CHỈ TIÊU CHỦ YẾU NĂM 2040\n\n" + "\n\n".join(results)
    text += "\n\nII. KẾT QUẢ TRÊN TỪNG LĨNH VỰC\n\n2. Mục tiêu chủ yếu\n\n" + "\n\n".join(targets or [])
    text += "\n\nII. PHƯƠNG HƯỚNG\n"
    doc = prose_view(parse_document(Path("synthetic.md"), text.encode()))
    return extract_narrative_checks(doc, indexed("r", 2040, 2041, INDICATORS, OBSERVATIONS))


def _verdicts(rows: list[dict]) -> list[tuple]:
    return [(r["number_printed"], r["role"], r["indicator_id"], r["agrees"]) for r in rows]


def test_rounding_and_a_ratio_computed_when_none_is_published() -> None:
    rows, warnings = _checks(["(2) GRDP bình quân đầu người đạt 39,5 triệu đồng, đạt 98% KH."])
    assert _verdicts(rows) == [("39,5", "value", "r/2", "yes"), ("98", "pct_of_plan", "r/2", "yes")]
    assert "computed" in rows[1]["note"] and warnings == []


def test_disagreements_are_reported() -> None:
    rows, _ = _checks(["(2) GRDP bình quân đầu người đạt 40,1 triệu đồng, đạt 99% KH."])
    assert [r["agrees"] for r in rows] == ["no", "no"]


def test_unit_conversion_between_million_and_billion() -> None:
    rows, _ = _checks(
        ["(5) Thu ngân sách trên địa bàn đạt 4.180.000 triệu đồng. Trong đó: thu nội địa 1.600 tỷ đồng."]
    )
    assert _verdicts(rows) == [("4.180.000", "value", "r/5", "yes"), ("1.600", "value", "r/5.1", "no")]
    assert rows[0]["appendix_value"] == Decimal(4180000)


def test_difference_in_points_falls_back_to_actual_and_reads_direction() -> None:
    rows, _ = _checks(["(7) Tỷ lệ che phủ rừng 57,55%, thấp hơn 2,45 điểm phần trăm so với KH."])
    assert _verdicts(rows) == [("57,55", "value", "r/7", "yes"), ("2,45", "difference", "r/7", "yes")]
    assert rows[0]["measure"] == "actual"
    rows, _ = _checks(["(7) Tỷ lệ che phủ rừng 57,55%, vượt 2,45 điểm phần trăm so với KH."])
    assert rows[1]["agrees"] == "no"


def test_targets_compare_with_next_years_plan_and_keep_qualifiers() -> None:
    rows, _ = _checks([], ["(2) GRDP bình quân đầu người khoảng 44 triệu đồng."])
    assert _verdicts(rows) == [("44", "value", "r/2", "yes")]
    assert (rows[0]["qualifier"], rows[0]["measure"], rows[0]["period"]) == ("khoảng", "plan", 2041)


def test_statement_without_an_appendix_row_is_unmatched() -> None:
    rows, _ = _checks(["(9) Có 15 bác sỹ/vạn dân."])
    assert _verdicts(rows) == [("15", "value", None, "unmatched")]


def test_missing_sections_give_warnings() -> None:
    doc = prose_view(parse_document(Path("synthetic.md"), "Không có chỉ tiêu.\n".encode()))
    rows, warnings = extract_narrative_checks(doc, indexed("r", 2040, 2041, INDICATORS, OBSERVATIONS))
    assert rows == [] and {w.code for w in warnings} == {"results_not_found", "targets_not_found"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tăng 5,55% (thấp hơn 2,45 điểm phần trăm so với KH)", [("5,55", "%", "value"), ("2,45", "điểm phần trăm", "difference")]),
        ("đạt 166,7%KH", [("166,7", "%", "pct_of_plan")]),
        ("bằng 1.130% KH", [("1.130", "%", "pct_of_plan")]),
        ("đạt 100% kế hoạch", [("100", "%", "pct_of_plan")]),
        ("từ 17-18 tiêu chí", [("17-18", "", "name_part")]),
        ("so với năm 2021", [("2021", "", "year")]),
        ("tăng thêm đạt 03 xã trở lên", [("03", "xã", "value")]),
    ],
)  # fmt: skip
def test_number_roles_and_units(text: str, expected: list[tuple]) -> None:
    assert [(t.printed, t.unit_vi, t.role) for t in read_tokens(text)] == expected


def test_qualifiers() -> None:
    tokens = read_tokens("trên 46 triệu đồng; dưới 3,25%; khoảng 10 xã; 03 xã trở lên; 7 hộ")
    assert [t.qualifier for t in tokens] == ["trên", "dưới", "khoảng", "trở lên", ""]


def test_pct_of_plan_interval_takes_all_four_corners_when_the_result_is_negative() -> None:
    # -1,2 of a plan of 5,0: every true pair gives between -1.25/4.95 and -1.15/5.05 (in %);
    # the two corners low/high and high/low alone would stop at -24.75 and -23.23.
    low, high = ratio_range(parse_number("-1,2"), parse_number("5,0"))
    assert low == Decimal("-1.25") / Decimal("4.95") * 100
    assert high == Decimal("-1.15") / Decimal("5.05") * 100
    # Both negative (a shrinking export plan beaten): the narrative judges with the same interval.
    indicators = [
        _indicator("I", "I", "Chỉ tiêu kinh tế", None, None),
        _indicator("8", "8", "Tốc độ tăng trưởng xuất khẩu", "%"),
    ]
    observations = [_observation("8", "plan", 2040, "2,0"), _observation("8", "estimate", 2040, "1,0")]
    for observation, printed in zip(observations, ("-2,0", "-1,0"), strict=True):
        observation["value"], observation["value_printed"] = -observation["value"], printed
    text = "I. KẾT QUẢ THỰC HIỆN MỘT SỐ CHỈ TIÊU CHỦ YẾU NĂM 2040\n\n{}\n\nII. PHƯƠNG HƯỚNG\n"
    verdicts = {}
    for pct in ("50", "53,8", "56"):
        statement = f"(8) Tốc độ tăng trưởng xuất khẩu đạt {pct}% KH."
        doc = prose_view(parse_document(Path("negative.md"), text.format(statement).encode()))
        rows, _ = extract_narrative_checks(doc, indexed("r", 2040, 2041, indicators, observations))
        verdicts[pct] = [(r["role"], r["agrees"]) for r in rows]
    assert verdicts == {
        "50": [("pct_of_plan", "yes")],
        "53,8": [("pct_of_plan", "yes")],
        "56": [("pct_of_plan", "no")],
    }
