"""Table stitching, header meanings and hierarchy on small reports written for each rule."""

from __future__ import annotations

from pathlib import Path

from pipelines.document.read import parse_document
from pipelines.extract.report import extract_document

HEADER = """Phụ lục

BÁO CÁO TÌNH HÌNH THỰC HIỆN CHỈ TIÊU NĂM {year}

(Biểu kèm theo Báo cáo số 15/BC-UBND ngày 3 tháng 12 năm {year} của UBND tỉnh Lạng Sơn)

| TT | Chỉ tiêu | Đơn vị tính | Thực hiện {prev} | Năm {year} | | | | KH {next} | KH {next} so với ước TH {year} (%) | Ghi chú |
|---|---|---|---|---|---|---|---|---|---|---|
| | | | | KH {year} | Ước TH năm {year} | Ước TH năm {year} so với TH {prev} (%) | Ước TH năm {year} so với KH {year} (%) | | | |
| 1 | 2 | 3 | 4 | 5 | 6 | 7=6/4 | 8=6/5 | 9 | 10=9/6 | 11 |
"""
CONTINUATION = "| | | | | | | | | | | |\n|---|---|---|---|---|---|---|---|---|---|---|\n"


def build(body: str, year: int = 2030) -> str:
    return HEADER.format(year=year, prev=year - 1, next=year + 1) + body


def extract(text: str):
    return extract_document(parse_document(Path("synthetic.md"), text.encode()), "synthetic.md")


def paths(extracted) -> dict[str, tuple[str | None, str]]:
    def tail(value: object) -> str | None:
        return str(value).split("/", 1)[1] if value else None

    return {
        tail(row["indicator_id"]): (tail(row["parent_id"]), row["kind"])
        for row in extracted.tables["indicators"]
    }


def test_years_and_facts_come_from_the_document() -> None:
    extracted = extract(
        build("| I | Kinh tế | | | | | | | | | |\n| 1 | GRDP | % | 1 | 2 | 3 | | | 4 | | |\n", 2031)
    )
    report = extracted.tables["reports"][0]
    assert (report["reporting_year"], report["plan_year"]) == (2031, 2032)
    assert report["province"] == "Lạng Sơn" and report["province_code"] == "20"
    assert report["document_number"] == "15/BC-UBND"
    assert str(report["issued_date"]) == "2031-12-03"
    assert report["report_id"] == "lang-son-2031-15-bc-ubnd"
    measures = {(o["measure"], o["period"]) for o in extracted.tables["observations"]}
    assert measures == {("actual", 2030), ("plan", 2031), ("estimate", 2031), ("plan", 2032)}


def test_fragments_are_stitched_across_page_text() -> None:
    body = (
        "| I | Kinh tế | | | | | | | | | |\n| 1 | GRDP | % | 1 | 2 | 3 | | | 4 | | |\n\n"
        "12\n\n¹ Một chú thích rơi vào giữa trang.\n\n"
        + CONTINUATION
        + "| 2 | Thu ngân sách | Tỷ đồng | 10 | 20 | 30 | 300,0 | 150,0 | 40 | 133,3 | |\n"
    )
    extracted = extract(build(body))
    assert [p for p in paths(extracted)] == ["I", "1", "2"]
    assert (
        extracted.tables["indicators"][-1]["source_line"]
        == build(body)
        .split("\n")
        .index("| 2 | Thu ngân sách | Tỷ đồng | 10 | 20 | 30 | 300,0 | 150,0 | 40 | 133,3 | |")
        + 1
    )


def test_a_table_after_the_appendix_that_is_not_a_continuation_is_ignored() -> None:
    body = "| 1 | GRDP | % | 1 | 2 | 3 | | | 4 | | |\n\n| Tên | Giá trị |\n|---|---|\n| a | 1 |\n"
    assert list(paths(extract(build(body)))) == ["1"]


def test_of_which_rows_and_markers_in_the_name_cell() -> None:
    body = (
        "| I | Kinh tế | | | | | | | | | |\n"
        "| 5 | Thu ngân sách | Tỷ đồng | 10 | 20 | 30 | | | 40 | | |\n"
        "| | <i>Trong đó:</i> | | | | | | | | | |\n"
        "| - | Thu nội địa | Tỷ đồng | 5 | 6 | 7 | | | 8 | | |\n"
        "| | Trong đó: | | | | | | | | | |\n"
        "| | + Thu tiền đất | Tỷ đồng | 1 | 2 | 3 | | | 4 | | |\n"
        "| | Thu xổ số | Tỷ đồng | 1 | 2 | 3 | | | 4 | | |\n"
        "| - | Thu hải quan | Tỷ đồng | 5 | 6 | 7 | | | 8 | | |\n"
        "| | Trong đó: Thu thuế nhập khẩu | Tỷ đồng | 1 | 2 | 3 | | | 4 | | |\n"
        "| 6 | Y tế | | | | | | | | | |\n"
        "| | Số bác sỹ | Bác sỹ | 1 | 1 | 1 | | | 1 | | |\n"
        "| 6.1 | Giường bệnh | giường bệnh | 1 | 1 | 1 | | | 1 | | |\n"
        "| II | Xã hội | | | | | | | | | |\n"
        "| 7 | Hộ nghèo | % | 1 | 1 | 1 | | | 1 | | |\n"
    )
    extracted = extract(build(body))
    assert paths(extracted) == {
        "I": (None, "section"),
        "5": ("I", "indicator"),
        "5.1": ("5", "indicator"),
        "5.1.1": ("5.1", "indicator"),
        "5.1.2": ("5.1", "indicator"),
        "5.2": ("5", "indicator"),
        "5.2.1": ("5.2", "indicator"),
        "6": ("I", "group"),
        "6.1": ("6", "indicator"),
        "6.1-2": ("6", "indicator"),
        "II": (None, "section"),
        "7": ("II", "indicator"),
    }
    by_path = {row["indicator_id"].split("/")[1]: row for row in extracted.tables["indicators"]}
    assert by_path["5.1.1"]["tt"] == "+" and by_path["5.1.1"]["name_vi"] == "Thu tiền đất"
    assert by_path["5.2.1"]["name_vi"] == "Thu thuế nhập khẩu"
    assert {w.code for w in extracted.warnings} >= {"duplicate_code", "unknown_indicator"}


def test_unknown_unit_is_kept_and_warned() -> None:
    extracted = extract(build("| 1 | Số con voi | con voi | 1 | 2 | 3 | | | 4 | | |\n"))
    row = extracted.tables["indicators"][0]
    assert (row["unit_vi"], row["unit"]) == ("con voi", None)
    assert [w.code for w in extracted.warnings if w.code == "unknown_unit"] == ["unknown_unit"]


def test_ratio_consistency_uses_printed_precision() -> None:
    body = (
        "| 1 | A | % | 14 | 10 | 14,5 | 103,8 | 145,0 | 15 | 120,0 | |\n"
        "| 2 | B | % | 0 | 5 | 0 | | 0,0 | 3 | | |\n"
        "| 3 | C | % | | 5 | 6 | 110,0 | 120,0 | | | |\n"
    )
    ratios = {
        (r["indicator_id"].split("/")[1], r["column_number"]): r
        for r in extract(build(body)).tables["ratios"]
    }
    assert ratios[("1", 7)]["consistent"] is True  # 14,5 / [13.5, 14.5) reaches 103.8
    assert ratios[("1", 8)]["consistent"] is True
    assert (
        ratios[("1", 10)]["consistent"] is False
    )  # [14.5, 15.5) / [14.45, 14.55) stays within [99.6, 107.3]
    assert ratios[("2", 8)]["consistent"] is True
    assert ratios[("3", 7)]["consistent"] is None and ratios[("3", 7)]["computed_pct"] is None


def test_a_report_without_a_column_number_row_is_read_by_its_headers() -> None:
    numbered = build("| 1 | GRDP | % | 1 | 2 | 3 | | | 4 | | |\n")
    unnumbered = numbered.replace(
        "| 1 | 2 | 3 | 4 | 5 | 6 | 7=6/4 | 8=6/5 | 9 | 10=9/6 | 11 |", "| | | | | | | | | | | |"
    )

    def figures(text: str) -> list[tuple[str, int, str]]:
        rows = extract(text).tables["observations"]
        return [(o["measure"], o["period"], o["value_printed"]) for o in rows]

    assert (
        figures(unnumbered)
        == figures(numbered)
        == [
            ("actual", 2029, "1"),
            ("plan", 2030, "2"),
            ("estimate", 2030, "3"),
            ("plan", 2031, "4"),
        ]
    )
    (report,) = extract(unnumbered).tables["reports"]
    assert (
        report["source_kind"],
        report["document_number"],
        report["reporting_year"],
        report["plan_year"],
    ) == (
        "report",
        "15/BC-UBND",
        2030,
        2031,
    )
