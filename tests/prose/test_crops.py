"""Crop list of footnote 4: every row against values written by hand, plus phrasing variants."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.document.read import parse_document
from pipelines.extract.crops import extract_crops, split_item
from pipelines.extract.document import prose_view

REPORT_ID = "cao-bang-2022-2960-bc-ubnd"

# (line, crop_vi, code, [(metric, actual, plan, unit_vi, % of plan, % of previous year, estimated)])
P, Y, OUT = "planted_area", "yield", "output"
E, H, N = "existing_area", "harvest_area", "new_planting"
EXPECTED = [
    (
        92,
        "Lúa",
        "rice",
        [
            (P, "30.168,2", "29.633,0", "ha", "101,8", "104,0", False),
            (Y, "46,8", "45,0", "tạ/ha", "103,9", None, False),
            (OUT, "141.082,1", "134.069,0", "tấn", "105,2", "105,55", False),
        ],
    ),
    (
        94,
        "Ngô",
        "maize",
        [
            (P, "41.440,01", "39.340,0", "ha", "105,3", "100,34", False),
            (Y, "37,67", "36,8", "tạ/ha", "102,4", None, False),
            (OUT, "156.095,91", "144.709,0", "tấn", "107,9", "99,62", False),
        ],
    ),
    (
        96,
        "Sắn",
        "cassava",
        [
            (P, "3.023,94", "2.026,0", "ha", "157,13", "156,8", False),
            (Y, "138,65", "152,0", "tạ/ha", "91,2", None, True),
            (OUT, "41.925,84", "30.865", "tấn", "135,8", "143,89", False),
        ],
    ),
    (
        98,
        "Dong riềng",
        "edible_canna",
        [
            (P, "474,9", "371,0", "ha", "128,0", "116,95", False),
            (Y, "536,2", "566,0", "tạ/ha", "94,7", None, True),
            (OUT, "25.467,9", "21.006,0", "tấn", "121,2", "125,54", False),
        ],
    ),
    (
        100,
        "Khoai tây",
        "potato",
        [
            (P, "94,5", "83,0", "ha", "113,8", "74,6", False),
            (Y, "162,7", "149,0", "tạ/ha", "109,2", None, False),
            (OUT, "1.536,7", "1.238,0", "tấn", "124,1", "80,9", False),
        ],
    ),
    (
        102,
        "Thuốc lá",
        "tobacco",
        [
            (P, "3.289,0", "3.056,0", "ha", "107,6", "107,7", False),
            (Y, "24,7", "25,0", "tạ/ha", "98,8", None, False),
            (OUT, "8.127,4", "7.678,0", "tấn", "105,9", "104,57", False),
        ],
    ),
    (
        104,
        "Đỗ tương",
        "soybean",
        [
            (P, "2.113,94", "2.664,0", "ha", "79,4", "87,8", False),
            (Y, "9,7", "10,0", "tạ/ha", "97,1", None, False),
            (OUT, "2.062,54", "2.543,0", "tấn", "81,1", "83,5", False),
        ],
    ),
    (
        106,
        "Lạc",
        "peanut",
        [
            (P, "1.783,64", "1.908,0", "ha", "93,5", "93,3", False),
            (Y, "14,9", "15,0", "tạ/ha", "99,4", None, False),
            (OUT, "2.659,01", "2.858,0", "tấn", "93", "93,3", False),
        ],
    ),
    (
        108,
        "Mía",
        "sugarcane",
        [
            (P, "2.761,1", "2.948,0", "ha", "93,7", "97,2", False),
            (Y, "673,7", "678,0", "tạ/ha", "99,4", None, True),
            (OUT, "186.010,2", "199.990,0", "tấn", "93,0", "107,06", True),
        ],
    ),
    (
        110,
        "Thạch đen",
        "grass_jelly",
        [
            (P, "563,7", "415", "ha", "135,8", "109,48", False),
            (Y, "54,6", "55,0", "tạ/ha", "99,3", None, True),
            (OUT, "3.077,9", "2.268,0", "tấn", "135,7", "105,7", True),
        ],
    ),
    (
        112,
        "Cỏ chăn nuôi",
        "forage_grass",
        [
            (P, "1.774,5", "960", "ha", "184,8", None, False),
            (Y, "311,51", "435,0", "tạ/ha", "71,6", None, True),
            (OUT, "55.279,2", "41.800", "tấn", "132,2", None, True),
        ],
    ),
    (
        114,
        "Gừng trâu",
        "ginger",
        [
            (P, "179,5", "120", "ha", "149,6", "126,0", False),
            (Y, "170,0", "170,0", "tạ/ha", "100", None, True),
            (OUT, "2.997,8", "2.040,0", "tấn", "147", "116,9", True),
        ],
    ),
    (
        116,
        "Dứa",
        "pineapple",
        [
            (P, "95,0", "98,5", "ha", "96,4", None, False),
            (Y, "180,0", "180,0", "tạ/ha", "100,0", None, False),
            (OUT, "1.710,0", "1.773,0", "tấn", "96,4", None, False),
        ],
    ),
    (
        118,
        "Rau",
        "vegetables",
        [
            (P, "4.242,2", None, "ha", None, None, False),
            (Y, "52,79", None, "tạ/ha", None, None, True),
            (OUT, "23.393,8", None, "tấn", None, None, True),
        ],
    ),
    (
        120,
        "Khoai lang",
        "sweet_potato",
        [
            (P, "639,6", None, "ha", None, None, False),
            (Y, "77,8", None, "tạ/ha", None, None, True),
            (OUT, "4.976,0", None, "tấn", None, None, True),
        ],
    ),
    (
        122,
        "Mạch hoa + mỳ",
        "buckwheat_wheat",
        [
            (P, "80,5", None, "ha", None, "252,2", False),
            (Y, "5,3", None, "tạ/ha", None, None, True),
            (OUT, "42,6", None, "tấn", None, "191,0", True),
        ],
    ),
    (
        124,
        "Chanh leo",
        "passion_fruit",
        [
            (P, "8,5", None, "ha", None, None, False),
            (Y, "200", None, "tạ/ha", None, None, True),
            (OUT, "170,0", None, "tấn", None, None, True),
        ],
    ),
    (
        126,
        "Cam",
        "orange",
        [
            (E, "139,4", None, "ha", None, None, False),
            (H, "73,4", None, "ha", None, None, False),
            (OUT, "1.259,8", None, "tấn", None, None, True),
        ],
    ),
    (
        128,
        "Quýt",
        "mandarin",
        [
            (E, "129,59", None, "ha", None, None, False),
            (H, "50,02", None, "ha", None, None, False),
            (OUT, "188,9", None, "tấn", None, None, True),
        ],
    ),
    (
        130,
        "Dẻ",
        "chestnut",
        [
            (E, "516", None, "ha", None, None, False),
            (H, "208,8", None, "ha", None, None, False),
            (Y, "14,1", None, "tạ/ha", None, None, False),
            (OUT, "294", None, "tấn", None, None, False),
        ],
    ),
    (
        132,
        "Lê",
        "pear",
        [
            (E, "449,5", None, "ha", None, None, False),
            (H, "84,41", None, "ha", None, None, False),
            (Y, "100", None, "tạ/ha", None, None, False),
            (OUT, "844,1", None, "tấn", None, None, False),
        ],
    ),
    (
        134,
        "Hòe",
        "pagoda_tree",
        [
            (E, "6.198", None, "ha", None, "117", False),
            (Y, "6", None, "tạ/ha", None, None, False),
            (OUT, "3.710", None, "tấn", None, "102,5", False),
        ],
    ),
    (
        136,
        "Quế",
        "cinnamon",
        [
            (E, "4.039", None, "ha", None, "100,9", False),
            (Y, "0,5", None, "tạ/ha", None, None, False),
            (OUT, "324", None, "tấn", None, None, False),
        ],
    ),
    (
        138,
        "Trúc sào",
        "truc_sao_bamboo",
        [
            (E, "4.358,32", None, "ha", None, "100,2", False),
            (N, "9,91", None, "ha", None, None, False),
            ("spread_area", "32,51", None, "ha", None, None, False),
            ("unexploited_area", "349,95", None, "ha", None, None, False),
            (OUT, "8.097", None, "nghìn cây", None, "103,7", False),
        ],
    ),
    (
        140,
        "Dâu tằm",
        "mulberry",
        [
            (E, "336,5", None, "ha", None, None, False),
            (N, "26,5", None, "ha", None, None, False),
        ],
    ),
]
UNIT_CODES = {"ha": "ha", "tạ/ha": "quintal_per_ha", "tấn": "tonnes", "nghìn cây": "thousand_trees"}


def _expected_rows() -> set[tuple]:
    rows = set()
    for line, crop, code, figures in EXPECTED:
        for metric, actual, plan, unit, of_plan, previous, estimated in figures:
            rows.add((line, crop, code, metric, "actual", actual, unit, of_plan, previous, estimated))
            if plan is not None:
                rows.add((line, crop, code, metric, "plan", plan, unit, None, None, False))
    return rows


@pytest.fixture(scope="module")
def seed_crops(seed_extracted) -> tuple[list[dict], list]:
    return extract_crops(seed_extracted.document, REPORT_ID, 2022)


def test_every_crop_row_of_the_seed(seed_crops: tuple[list[dict], list]) -> None:
    rows, warnings = seed_crops
    got = {
        (
            r["source_line"],
            r["crop_vi"],
            r["crop_code"],
            r["metric"],
            r["measure"],
            r["value_printed"],
            r["unit_vi"],
            r["pct_of_plan_printed"],
            r["pct_of_previous_year_printed"],
            r["estimated"],
        )
        for r in rows
    }
    assert got == _expected_rows()
    assert len(rows) == len(_expected_rows()) == 117
    assert warnings == []


def test_seed_rows_are_typed_and_keyed(seed_crops: tuple[list[dict], list]) -> None:
    rows, _ = seed_crops
    keys = [(r["crop_vi"], r["metric"], r["measure"]) for r in rows]
    assert len(keys) == len(set(keys))
    by_key = {(r["crop_vi"], r["metric"], r["measure"]): r for r in rows}
    rice = by_key[("Lúa", "output", "actual")]
    assert rice["value"] == Decimal("141082.1") and rice["decimals"] == 1
    assert rice["pct_of_plan"] == Decimal("105.2") and rice["pct_of_previous_year"] == Decimal("105.55")
    assert rice["period"] == 2022 and rice["report_id"] == REPORT_ID and rice["crop_en"] == "rice"
    for row in rows:
        assert row["unit"] == UNIT_CODES[row["unit_vi"]]


def test_seed_notes_record_loose_wording(seed_crops: tuple[list[dict], list]) -> None:
    rows, _ = seed_crops
    notes = {(r["crop_vi"], r["metric"], r["measure"]): r["note"] or "" for r in rows}
    assert '"%" not printed after 100,34' in notes[("Ngô", "planted_area", "actual")]
    assert "so với cùng kỳ" in notes[("Đỗ tương", "output", "actual")]
    assert "tăng 103,7% so với cùng kỳ" in notes[("Trúc sào", "output", "actual")]
    assert "unit not printed" in notes[("Thạch đen", "planted_area", "plan")]
    assert "unit not printed; ha implied" in notes[("Trúc sào", "spread_area", "actual")]
    assert "printed as 'Dè'" in notes[("Dẻ", "output", "actual")]
    assert "huyện Bảo Lạc" in notes[("Dâu tằm", "existing_area", "actual")]
    assert notes[("Lúa", "planted_area", "actual")] == ""


def _doc(text: str):
    return prose_view(parse_document(Path("synthetic.md"), text.encode("utf-8")))


def _report(items: list[str], heading: str = "a) Trồng trọt:") -> str:
    body = "\n\n".join(items)
    return (
        f"{heading}\n\nDiện tích các cây trồng chính đều đạt KH⁴.\n\n"
        "b) Chăn nuôi:\n\nĐàn vật nuôi ổn định.\n\n"
        f"⁴ Kết quả các cây trồng chính:\n\n{body}\n\nĐoạn văn tiếp theo của trang.\n"
    )


def _rows(items: list[str], year: int = 2030, heading: str = "a) Trồng trọt:"):
    rows, warnings = extract_crops(_doc(_report(items, heading)), "r", year)
    return {(r["crop_vi"], r["metric"], r["measure"]): r for r in rows}, warnings


def test_plan_after_slash_with_both_units_and_shared_yield_unit() -> None:
    rows, warnings = _rows(
        ["+ Cây ngô: Gieo trồng được 1.000,5 ha/900 ha, đạt 111,2% KH; năng suất đạt 40,1 tạ/38,0 tạ /ha"]
    )
    assert rows[("Ngô", "planted_area", "plan")]["value"] == Decimal("900")
    assert rows[("Ngô", "yield", "actual")]["unit_vi"] == "tạ/ha"
    assert rows[("Ngô", "yield", "plan")]["unit"] == "quintal_per_ha"
    assert rows[("Ngô", "planted_area", "actual")]["pct_of_plan"] == Decimal("111.2")
    assert warnings == []


def test_unit_printed_once_after_the_plan() -> None:
    rows, _ = _rows(["+ Cây sắn: năng suất ước đạt 138,65/152,0 tạ /ha đạt 91,2% KH"])
    assert rows[("Sắn", "yield", "actual")]["unit_vi"] == "tạ/ha"
    assert rows[("Sắn", "yield", "plan")]["value_printed"] == "152,0"
    assert rows[("Sắn", "yield", "actual")]["estimated"] is True
    assert rows[("Sắn", "yield", "plan")]["estimated"] is False


def test_number_glued_to_its_unit() -> None:
    rows, warnings = _rows(
        ["+ Cây lạc: Trồng được 2.113,94 ha/2.664,0ha; sản lượng đạt 2.659,01tấn/2.858,0 tấn"]
    )
    assert rows[("Lạc", "planted_area", "plan")]["value"] == Decimal("2664.0")
    assert rows[("Lạc", "output", "actual")]["unit"] == "tonnes"
    assert warnings == []


@pytest.mark.parametrize(
    ("phrase", "expected", "note"),
    [
        ("bằng 104,0% so với năm 2029", "104,0", ""),
        ("so với năm 2029 bằng 156,8%", "156,8", ""),
        ("bằng 100,34 so với năm 2029", "100,34", '"%" not printed'),
        ("so với cùng kỳ bằng 83,5%", "83,5", "cùng kỳ"),
        ("bằng 117% so với cùng kỳ năm trước", "117", ""),
        ("tăng 103,7% so với cùng kỳ", "103,7", "not as growth"),
    ],
)
def test_previous_year_phrasings(phrase: str, expected: str, note: str) -> None:
    rows, warnings = _rows([f"+ Cây lúa: trồng 10 ha, {phrase}."])
    row = rows[("Lúa", "planted_area", "actual")]
    assert row["pct_of_previous_year_printed"] == expected
    assert note in (row["note"] or "")
    assert warnings == []


def test_percentage_against_another_year_is_not_the_previous_year() -> None:
    rows, warnings = _rows(["+ Cây lúa: trồng 10 ha, bằng 90% so với năm 2020."])
    assert rows[("Lúa", "planted_area", "actual")]["pct_of_previous_year"] is None
    assert [w.code for w in warnings] == ["pct_year_mismatch"]


@pytest.mark.parametrize(
    ("phrase", "metric"),
    [
        ("Gieo trồng được 5 ha", "planted_area"),
        ("trồng 5 ha", "planted_area"),
        ("Diện tích trồng hiện có 5 ha", "existing_area"),
        ("Diện tích hiện có là 5 ha", "existing_area"),
        ("diện tích cho thu hoạch 5ha", "harvest_area"),
        ("Trồng mới từ đầu năm đến nay là 5 ha", "new_planting"),
        ("sản lượng ước 5 tấn", "output"),
        ("Sản lượng 5 nghìn cây", "output"),
        ("năng suất: 5 tạ/ha", "yield"),
    ],
)
def test_metric_phrasings(phrase: str, metric: str) -> None:
    rows, warnings = _rows([f"+ Cây cam: {phrase}."])
    assert list(rows) == [("Cam", metric, "actual")]
    assert rows[("Cam", metric, "actual")]["value"] == Decimal(5)
    assert warnings == []


def test_name_separated_by_comma_and_scope_in_brackets() -> None:
    assert split_item("+ Cây Dè, diện tích trồng hiện có 516ha")[:2] == ("Dè", "")
    assert split_item("+ Cây Dâu tằm (huyện Bảo Lạc): Diện tích hiện có là 336,5 ha.")[:2] == (
        "Dâu tằm",
        "huyện Bảo Lạc",
    )
    assert split_item("+ Cỏ chăn nuôi: trồng 1.774,5 ha")[0] == "Cỏ chăn nuôi"


def test_unknown_crop_and_unknown_unit_are_kept_with_warnings() -> None:
    rows, warnings = _rows(["+ Cây sâm: trồng 12 ha; sản lượng 3 bao."])
    assert rows[("Sâm", "planted_area", "actual")]["crop_code"] is None
    assert rows[("Sâm", "output", "actual")]["unit_vi"] == "bao"
    assert rows[("Sâm", "output", "actual")]["unit"] is None
    assert {w.code for w in warnings} == {"unknown_crop", "unknown_unit"}


def test_numbers_left_unread_are_reported() -> None:
    _, warnings = _rows(["+ Cây lúa: trồng 10 ha, trong đó 3 vụ đông."])
    assert [w.code for w in warnings] == ["crop_unread"]
    assert "3" in warnings[0].message


def test_list_found_without_its_heading_and_years_from_the_parameter() -> None:
    rows, _ = _rows(["+ Cây lúa: trồng 10 ha, bằng 101% so với năm 2040."], year=2041, heading="Nông nghiệp")
    assert rows[("Lúa", "planted_area", "actual")]["period"] == 2041
    assert rows[("Lúa", "planted_area", "actual")]["pct_of_previous_year"] == Decimal(101)


def test_report_without_a_crop_list_gives_a_warning_not_an_error() -> None:
    rows, warnings = extract_crops(_doc("a) Trồng trọt:\n\nKhông có số liệu.\n"), "r", 2022)
    assert rows == []
    assert [w.code for w in warnings] == ["crops_not_found"]
