"""Livestock figures of footnote 6: every row against values written by hand, plus variants."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pipelines.document.read import parse_document
from pipelines.extract.document import prose_view
from pipelines.extract.livestock import extract_livestock

# (line, item_vi, metric, value_printed, unit_vi, unit, % of previous year, % of plan, estimated)
EXPECTED = {
    (162, "Trâu", "head_count", "105.301", "con", "head", "104,5", None, False),
    (162, "Trâu", "meat_output", "1.538", "tấn", "tonnes", "103,44", None, False),
    (164, "Bò", "head_count", "107.105", "con", "head", "99,42", None, False),
    (164, "Bò", "meat_output", "1.720", "tấn", "tonnes", "101,3", None, False),
    (166, "Lợn", "head_count", "311.769", "con", "head", "105,58", None, False),
    (166, "Lợn", "meat_output", "21.197", "tấn", "tonnes", "103,02", None, False),
    (168, "Gia cầm", "head_count", "2.998", "nghìn con", "thousand_head", "100,39", None, False),
    (168, "Gia cầm", "meat_output", "5.447", "tấn", "tonnes", "100,73", None, False),
    (170, "Thủy sản", "output", "472", "tấn", "tonnes", "98,5", "100", True),
}


def test_every_livestock_row_of_the_seed(seed_extracted) -> None:
    rows, warnings = extract_livestock(seed_extracted.document, "cao-bang-2022-2960-bc-ubnd", 2022)
    got = {
        (
            r["source_line"],
            r["item_vi"],
            r["metric"],
            r["value_printed"],
            r["unit_vi"],
            r["unit"],
            r["pct_of_previous_year_printed"],
            r["pct_of_plan_printed"],
            r["estimated"],
        )
        for r in rows
    }
    assert got == EXPECTED and len(rows) == 9
    assert warnings == []
    assert {r["measure"] for r in rows} == {"actual"} and {r["period"] for r in rows} == {2022}
    pigs = next(r for r in rows if r["item_vi"] == "Lợn" and r["metric"] == "head_count")
    assert pigs["value"] == Decimal(311769) and pigs["item_en"] == "pigs" and pigs["item_code"] == "pigs"
    meat = next(r for r in rows if r["item_vi"] == "Trâu" and r["metric"] == "meat_output")
    assert "từ đầu năm" in meat["note"] and "cùng kỳ" in meat["note"]


def _extract(body: str, year: int = 2030):
    text = (
        "b) Chăn nuôi:\n\nDịch bệnh được kiểm soát⁵, đàn vật nuôi tăng⁶.\n\n"
        "c) Lâm nghiệp\n\n"
        "⁵ Bệnh Dịch tả lợn Châu Phi: dịch xảy ra tại 687 hộ, tiêu hủy 3.682 con lợn.\n\n"
        f"⁶ {body}\n"
    )
    return extract_livestock(prose_view(parse_document(Path("synthetic.md"), text.encode())), "r", year)


def test_best_footnote_of_the_section_wins_and_years_come_from_the_parameter() -> None:
    rows, warnings = _extract(
        "Tổng đàn trâu: 10 con, so với năm 2029 bằng 101%.\n\n- Tổng số dê: 2.000 con, bằng 99% so với năm trước."
    )
    assert [(r["item_vi"], r["item_code"], r["value"]) for r in rows] == [
        ("Trâu", "buffalo", Decimal(10)),
        ("Dê", "goats", Decimal(2000)),
    ]
    assert [r["pct_of_previous_year"] for r in rows] == [Decimal(101), Decimal(99)]
    assert warnings == []


def test_unknown_animal_is_kept_with_a_warning() -> None:
    rows, warnings = _extract("Tổng số lạc đà: 3 con, bằng 100% so với cùng kỳ.")
    assert [(r["item_vi"], r["item_code"]) for r in rows] == [("Lạc đà", None)]
    assert [w.code for w in warnings] == ["unknown_livestock"]


def test_plan_after_a_slash_gives_a_plan_row() -> None:
    rows, _ = _extract("- Tổng sản lượng thủy sản đạt 480/470 tấn, đạt 102,1% KH.")
    by_measure = {r["measure"]: r for r in rows}
    assert by_measure["plan"]["value"] == Decimal(470) and by_measure["plan"]["unit"] == "tonnes"
    assert by_measure["actual"]["pct_of_plan"] == Decimal("102.1")


def test_report_without_livestock_gives_a_warning() -> None:
    doc = prose_view(parse_document(Path("synthetic.md"), "b) Chăn nuôi:\n\nỔn định.\n".encode()))
    rows, warnings = extract_livestock(doc, "r", 2022)
    assert rows == [] and [w.code for w in warnings] == ["livestock_not_found"]
