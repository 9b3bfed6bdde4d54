"""Every printed cell of the Cao Bằng 2022 appendix against values typed by hand from the report.

The expected table below was written by reading the appendix of
``data/raw/cao-bang-2022-kt-xh-report.md`` (lines 778-837), never by running the extractor and
copying its output. Each ratio's ``consistent`` flag was worked out by hand with interval
arithmetic: a figure printed with d decimals stands for anything within half a unit of its last
digit, and the published ratio likewise.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import NamedTuple

import pytest

from tests.paths import SEED

REPORT_ID = "cao-bang-2022-2960-bc-ubnd"

# Column number -> (measure, period), from the two-row header and the column-number row.
VALUE_COLUMNS = {4: ("actual", 2021), 5: ("plan", 2022), 6: ("estimate", 2022), 9: ("plan", 2023)}
# Ratio column number -> (formula, numerator column, denominator column).
RATIO_COLUMNS = {7: ("7=6/4", 6, 4), 8: ("8=6/5", 6, 5), 10: ("10=9/6", 9, 6)}

# Printed unit -> unit code of reference/units.csv.
UNIT_CODES = {
    "%": "pct",
    "Triệu đồng": "million_vnd",
    "Tỷ đồng": "billion_vnd",
    "Triệu USD": "million_usd",
    "Trường": "schools",
    "Bác sỹ": "doctors",
    "giường bệnh": "hospital_beds",
    "xã": "communes",
    "hộ": "households",
}

OF_WHICH = "of_which"  # a "Trong đó:" row: not an indicator, no figures


class Row(NamedTuple):
    line: int
    tt: str
    name_vi: str
    unit_vi: str | None
    path: str | None
    parent: str | None
    kind: str
    figures: dict[int, str]
    ratios: dict[int, tuple[str, bool | None]]


T, F = True, False

# fmt: off
ROWS: list[Row] = [
    Row(778, "I", "Chỉ tiêu kinh tế", None, "I", None, "section", {}, {}),
    Row(779, "1", "Tốc độ tăng trưởng GRDP", "%", "1", "I", "indicator",
        {4: "3,34", 5: "8,00", 6: "5,55", 9: "8,00"}, {}),
    Row(780, "-", "Nông, lâm nghiệp, thủy sản", "%", "1.1", "1", "indicator",
        {4: "3,97", 5: "3,07", 6: "2,74", 9: "3,10"}, {}),
    Row(781, "-", "Công nghiệp-xây dựng", "%", "1.2", "1", "indicator",
        {4: "0,17", 5: "11,43", 6: "9,17", 9: "11,71"}, {}),
    Row(782, "+", "Công nghiệp", "%", "1.2.1", "1.2", "indicator",
        {4: "-3,21", 5: "13,22", 6: "19,85", 9: "14,25"}, {}),
    Row(783, "+", "Xây dựng", "%", "1.2.2", "1.2", "indicator",
        {4: "2,14", 5: "10,40", 6: "3,25", 9: "10,08"}, {}),
    Row(784, "-", "Dịch vụ", "%", "1.3", "1", "indicator",
        {4: "4,16", 5: "8,50", 6: "5,04", 9: "8,35"}, {}),
    Row(785, "-", "Thuế sản phẩm trừ trợ cấp sản phẩm", "%", "1.4", "1", "indicator",
        {4: "7,19", 5: "8,70", 6: "8,32", 9: "8,40"}, {}),
    # 39,48/37,18 = 106,19; 39,48/40,30 = 97,965; 43,97/39,48 = 111,37 (range 111,346-111,400)
    Row(786, "2", "GRDP bình quân đầu người", "Triệu đồng", "2", "I", "indicator",
        {4: "37,18", 5: "40,30", 6: "39,48", 9: "43,97"},
        {7: ("106,2", T), 8: ("97,97", T), 10: ("111,4", T)}),
    Row(787, "3",
        "Giá trị sản phẩm trồng trọt, nuôi trồng thủy sản trên 1 đơn vị diện tích (ha)",
        "Triệu đồng", "3", "I", "indicator",
        {4: "42,0", 5: "44,0", 6: "44,0", 9: "46,0"},
        {7: ("104,8", T), 8: ("100,0", T), 10: ("104,5", T)}),
    # 820/800,5 = 102,44; 820/631 = 129,95; 638/820 = 77,80
    Row(788, "4",
        "Tổng kim ngạch xuất nhập khẩu qua địa bàn (bao gồm cả giá trị hàng hóa giám sát)",
        "Triệu USD", "4", "I", "indicator",
        {4: "800,5", 5: "631", 6: "820,0", 9: "638,0"},
        {7: ("102,4", T), 8: ("130,0", T), 10: ("77,8", T)}),
    Row(789, "", "Trong đó:", None, None, None, OF_WHICH, {}, {}),
    # 600/178,6 = 335,95 (range 335,82-336,07)
    Row(790, "4.1", "Kim ngạch nhập khẩu hàng hóa trên địa bàn", "Triệu USD", "4.1", "4", "indicator",
        {4: "178,6", 5: "125", 6: "600,0", 9: "396,0"},
        {7: ("335,9", T), 8: ("480,0", T), 10: ("66,0", T)}),
    # 120/336,2 = 35,69; 120/301 = 39,87
    Row(791, "4.2", "Kim ngạch xuất khẩu hàng hóa trên địa bàn", "Triệu USD", "4.2", "4", "indicator",
        {4: "336,2", 5: "301", 6: "120,0", 9: "132,0"},
        {7: ("35,7", T), 8: ("39,9", T), 10: ("110,0", T)}),
    Row(792, "4.3", "Giá trị hàng hóa Giám sát", "Triệu USD", "4.3", "4", "indicator",
        {4: "285,7", 5: "205", 6: "100,0", 9: "110,0"},
        {7: ("35,0", T), 8: ("48,8", T), 10: ("110,0", T)}),
    # 4180/1949,545 = 214,41; 4180/2018 = 207,14; 2838/4180 = 67,89
    Row(793, "5", "Thu Ngân sách Nhà nước trên địa bàn (không bao gồm số bổ sung từ NSTW)",
        "Tỷ đồng", "5", "I", "indicator",
        {4: "1.949,545", 5: "2.018", 6: "4.180", 9: "2.838"},
        {7: ("214,4", T), 8: ("207,1", T), 10: ("67,9", T)}),
    # second fragment (after a page break)
    Row(797, "", "Trong đó:", None, None, None, OF_WHICH, {}, {}),
    # 2600/436 = 596,33 (range 595,53-597,13); 2600/230 = 1130,43; 1200/2600 = 46,15 (to 46,18)
    Row(798, "-", "Thu thuế xuất, nhập khẩu", "Tỷ đồng", "5.1", "5", "indicator",
        {4: "436", 5: "230", 6: "2.600", 9: "1.200"},
        {7: ("596,8", T), 8: ("1.130,4", T), 10: ("46,2", T)}),
    # 1575,205/1494,686 = 105,39; 1575,205/1788 = 88,10; 1638/1575,205 = 103,99
    Row(799, "-", "Thu nội địa", "Tỷ đồng", "5.2", "5", "indicator",
        {4: "1.494,686", 5: "1.788", 6: "1.575,205", 9: "1.638"},
        {7: ("105,4", T), 8: ("88,1", T), 10: ("104,0", T)}),
    Row(800, "", "Trong đó:", None, None, None, OF_WHICH, {}, {}),
    # 350/181 = 193,37 (range 192,56-194,18); 500/350 = 142,86
    Row(801, "+", "Thu từ tiền sử dụng đất", "Tỷ đồng", "5.2.1", "5.2", "indicator",
        {4: "181", 5: "500", 6: "350", 9: "500"},
        {7: ("193,8", T), 8: ("70,0", T), 10: ("142,9", T)}),
    # 15/14 at integer precision spans 100,0-114,8
    Row(802, "+", "Thu từ xổ số kiến thiết", "Tỷ đồng", "5.2.2", "5.2", "indicator",
        {4: "14", 5: "15", 6: "15", 9: "15"},
        {7: ("103,8", T), 8: ("100,0", T), 10: ("100,0", T)}),
    # 23,3 / -18,0 = -129,4 (printed 123,3); 23,3 / 11,0 = 211,8 (printed 111,1)
    Row(803, "6", "Tổng vốn đầu tư toàn xã hội tăng thêm", "%", "6", "I", "indicator",
        {4: "-18,0", 5: "11,0", 6: "23,3", 9: "11,0"},
        {7: ("123,3", F), 8: ("111,1", F)}),
    Row(804, "7", "Giao thông", None, "7", "I", "group", {}, {}),
    Row(805, "",
        "Tỷ lệ chiều dài các tuyến đường huyện, đường xã được nhựa hóa/ bê tông hóa mặt đường",
        "%", "7.1", "7", "indicator",
        {4: "75,0", 5: "77,5", 6: "77,5", 9: "82,5"},
        {7: ("103,3", T), 8: ("100,0", T)}),
    # 98,8/96,9 = 101,96; 98,8/98,0 = 100,82 (range 100,71-100,92, printed 100,0)
    Row(806, "", "Tỷ lệ xã có đường đến trung tâm xã được nhựa hóa/ bê tông hóa", "%", "7.2", "7",
        "indicator",
        {4: "96,9", 5: "98,0", 6: "98,8", 9: "99,38"},
        {7: ("102,0", T), 8: ("100,0", F)}),
    Row(807, "II", "Chỉ tiêu văn hóa - xã hội", None, "II", None, "section", {}, {}),
    Row(808, "8", "Xây dựng trường chuẩn quốc gia tăng thêm", "Trường", "8", "II", "indicator",
        {4: "9", 5: "6", 6: "10", 9: "6"},
        {7: ("111,1", T), 8: ("166,7", T), 10: ("60,0", T)}),
    Row(809, "9", "Y tế", None, "9", "II", "group", {}, {}),
    Row(810, "-", "Số bác sỹ/1 vạn dân", "Bác sỹ", "9.1", "9", "indicator",
        {4: "15,00", 5: "15,00", 6: "15,0", 9: "15,0"},
        {7: ("100,0", T), 8: ("100,0", T), 10: ("100,0", T)}),
    # 80,1/69,6 = 115,09 (printed 113,4); 82,0/80,1 = 102,37 (printed 103,9)
    Row(811, "-", "Tỷ lệ số xã đạt chuẩn quốc gia về y tế xã", "%", "9.2", "9", "indicator",
        {4: "80,1", 5: "69,6", 6: "80,1", 9: "82,0"},
        {8: ("113,4", F), 10: ("103,9", F)}),
    # 35,0/34,9 = 100,29
    Row(812, "-", "Số giường bệnh/1 vạn dân (không tính giường trạm y tế xã)", "giường bệnh", "9.3", "9",
        "indicator",
        {4: "34,9", 5: "35,0", 6: "35,0", 9: "35,0"},
        {7: ("100,3", T), 8: ("100,0", T), 10: ("100,0", T)}),
    Row(813, "-", "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", "9.4", "9", "indicator",
        {4: "94,5", 5: "95,4", 6: "95,4", 9: "97,0"},
        {8: ("100", T)}),
    Row(814, "10", "Văn hóa", None, "10", "II", "group", {}, {}),
    # 85,0/85,5 = 99,42 (range 99,30-99,53, printed 99,0)
    Row(815, "-", "Tỷ lệ gia đình văn hóa", "%", "10.1", "10", "indicator",
        {4: "85,5", 5: "85,0", 6: "85,0", 9: "85,0"},
        {7: ("99,0", F), 8: ("100", T)}),
    # 95,0/95 at integer precision spans 99,42-100,58
    Row(816, "-", "Tỷ lệ cơ quan, đơn vị, doanh nghiệp đạt chuẩn VH", "%", "10.2", "10", "indicator",
        {4: "95", 5: "95,0", 6: "95,0", 9: "95,0"},
        {7: ("100,0", T), 8: ("100", T)}),
    # 57,0/81,4 = 70,02
    Row(817, "-", "Tỷ lệ khu dân cư văn hóa", "%", "10.3", "10", "indicator",
        {4: "81,4", 5: "57,0", 6: "57,0", 9: "58,0"},
        {7: ("70,0", T), 8: ("100", T)}),
    # 4,0/4,03 = 99,26
    Row(818, "11", "Giảm tỷ lệ hộ nghèo", "%", "11", "II", "indicator",
        {4: "4,03", 5: "4,0", 6: "4,0", 9: "4,0"},
        {7: ("99,3", T), 8: ("100", T), 10: ("100,0", T)}),
    Row(819, "12", "Lao động việc làm", None, "12", "II", "group", {}, {}),
    # 48,2/46,6 = 103,43 (printed 100,0); 50,0/48,2 = 103,73
    Row(820, "-", "Tỷ lệ lao động qua đào tạo", "%", "12.1", "12", "indicator",
        {4: "46,6", 5: "48,2", 6: "48,2", 9: "50,0"},
        {7: ("100,0", F), 8: ("100,0", T), 10: ("103,7", T)}),
    # inline "Trong đó: X": X is a component of the row above.
    # 35,8/34,4 = 104,07 (printed 100,0); 37,4/35,8 = 104,47
    Row(821, "", "Tỷ lệ qua đào tạo nghề", "%", "12.1.1", "12.1", "indicator",
        {4: "34,4", 5: "35,8", 6: "35,8", 9: "37,4"},
        {7: ("100,0", F), 8: ("100,0", T), 10: ("104,5", T)}),
    # 3,35/3,45 = 97,10
    Row(822, "-", "Tỷ lệ thất nghiệp ở thành thị", "%", "12.2", "12", "indicator",
        {4: "3,45", 5: "3,35", 6: "3,35", 9: "3,25"},
        {7: ("97,1", T), 8: ("100,0", T)}),
    # third fragment (after a page break)
    Row(826, "13", "Xây dựng nông thôn mới", None, "13", "II", "group", {}, {}),
    Row(827, "-", "Số xã điểm đạt từ 17-18 tiêu chí nông thôn mới tăng thêm", "xã", "13.1", "13",
        "indicator",
        {4: "6", 5: "5", 6: "5", 9: "5"},
        {7: ("83,3", T), 8: ("100,0", T), 10: ("100,0", T)}),
    # 0/5 = 0; the numerator's interval contains 0, the denominator's does not
    Row(828, "-", "Số xã được công nhận đạt chuẩn nông thôn mới", "xã", "13.2", "13", "indicator",
        {4: "0", 5: "5", 6: "0", 9: "3"},
        {8: ("0,0", T)}),
    Row(829, "III", "Các chỉ tiêu về môi trường", None, "III", None, "section", {}, {}),
    # 57,19/55,88 = 102,34 (range 102,326-102,362)
    Row(830, "14", "Tỷ lệ che phủ rừng", "%", "14", "III", "indicator",
        {4: "55,88", 5: "57,19", 6: "57,19", 9: "57,83"},
        {7: ("102,3", T), 8: ("100,0", T)}),
    Row(831, "15", "Sử dụng nước sạch, nước hợp vệ sinh", None, "15", "III", "group", {}, {}),
    Row(832, "-", "Tỷ lệ dân cư thành thị được dùng nước sạch", "%", "15.1", "15", "indicator",
        {4: "85,0", 5: "86,0", 6: "86,0", 9: "86,5"},
        {8: ("100,0", T)}),
    # 92,0/91,0 = 101,10
    Row(833, "-", "Tỷ lệ dân cư nông thôn được dùng nước hợp vệ sinh", "%", "15.2", "15", "indicator",
        {4: "91,0", 5: "92,0", 6: "92,0", 9: "93,0"},
        {7: ("101,1", T), 8: ("100,0", T)}),
    # 2215/2600 = 85,19; 1909/2215 = 86,19
    Row(834, "16", "Số hộ chăn nuôi đưa gia súc ra khỏi gầm sàn tăng thêm", "hộ", "16", "III", "indicator",
        {4: "2.600", 5: "2.215", 6: "2.215", 9: "1.909"},
        {7: ("85,2", T), 8: ("100,0", T), 10: ("86,2", T)}),
    Row(835, "17", "Xử lý chất thải, ô nhiễm môi trường", None, "17", "III", "group", {}, {}),
    Row(836, "",
        "Tỷ lệ chất thải rắn sinh hoạt khu vực đô thị được xử lý đáp ứng yêu cầu về bảo vệ môi trường",
        "%", "17.1", "17", "indicator",
        {4: "83,0", 5: "85,0", 6: "85,0", 9: "87,0"},
        {8: ("100,0", T)}),
    Row(837, "", "Tỷ lệ cơ sở gây ô nhiễm môi trường nghiêm trọng được xử lý", "%", "17.2", "17",
        "indicator",
        {4: "87,5", 5: "87,5", 6: "87,5", 9: "87,5"},
        {7: ("100,0", T), 8: ("100,0", T)}),
]
# fmt: on

KEPT = [row for row in ROWS if row.kind != OF_WHICH]
OF_WHICH_ROWS = [row for row in ROWS if row.kind == OF_WHICH]
ROW_NUMBER = {row.line: number for number, row in enumerate(KEPT, start=1)}


def vn_decimal(printed: str) -> Decimal:
    """Vietnamese notation by hand: drop the thousands dots, the comma becomes the decimal point."""
    return Decimal(printed.replace(".", "").replace(",", "."))


def indicator_id(path: str) -> str:
    return f"{REPORT_ID}/{path}"


def row_id(row: Row) -> str:
    return f"L{row.line}-{row.path or 'trong-do'}"


OBSERVATION_CASES = [
    pytest.param(row, column, printed, id=f"{row_id(row)}-c{column}")
    for row in KEPT
    for column, printed in row.figures.items()
]
RATIO_CASES = [
    pytest.param(row, column, printed, consistent, id=f"{row_id(row)}-c{column}")
    for row in KEPT
    for column, (printed, consistent) in row.ratios.items()
]


@pytest.fixture(scope="module")
def extracted(seed_extracted):
    return seed_extracted


@pytest.fixture(scope="module")
def indicators_by_line(extracted):
    return {ind["source_line"]: ind for ind in extracted.tables["indicators"]}


@pytest.fixture(scope="module")
def observations_by_key(extracted):
    return {(o["indicator_id"], o["measure"], o["period"]): o for o in extracted.tables["observations"]}


@pytest.fixture(scope="module")
def ratios_by_key(extracted):
    return {(r["indicator_id"], r["column_number"]): r for r in extracted.tables["ratios"]}


# -- the hand table itself ----------------------------------------------------------------------


def test_hand_table_covers_every_printed_data_row():
    assert len(ROWS) == 54
    assert len(KEPT) == 51
    assert len(OF_WHICH_ROWS) == 3
    assert [row.line for row in OF_WHICH_ROWS] == [789, 797, 800]
    assert len({row.line for row in ROWS}) == 54
    assert len({row.path for row in KEPT}) == 51
    assert sum(row.kind == "section" for row in KEPT) == 3
    assert sum(row.kind == "group" for row in KEPT) == 7
    assert sum(row.kind == "indicator" for row in KEPT) == 41
    # the parent of every row is a row printed above it
    seen: set[str] = set()
    for row in KEPT:
        assert row.parent is None or row.parent in seen, row.line
        seen.add(row.path)


# -- counts -------------------------------------------------------------------------------------


def test_counts(extracted):
    assert extracted.report_id == REPORT_ID
    assert len(extracted.tables["reports"]) == 1
    assert len(extracted.tables["indicators"]) == 51
    assert len(extracted.tables["observations"]) == len(OBSERVATION_CASES) == 164
    assert len(extracted.tables["ratios"]) == len(RATIO_CASES) == 83


def test_no_unexpected_keys(extracted, indicators_by_line, observations_by_key, ratios_by_key):
    assert set(indicators_by_line) == {row.line for row in KEPT}
    assert [ind["indicator_id"] for ind in extracted.tables["indicators"]] == [
        indicator_id(row.path) for row in KEPT
    ]
    assert set(observations_by_key) == {
        (indicator_id(row.path), *VALUE_COLUMNS[column]) for row in KEPT for column in row.figures
    }
    assert set(ratios_by_key) == {(indicator_id(row.path), column) for row in KEPT for column in row.ratios}


@pytest.mark.parametrize("row", OF_WHICH_ROWS, ids=row_id)
def test_of_which_rows_are_not_indicators(row, indicators_by_line, extracted):
    assert row.line not in indicators_by_line
    assert all(o["source_line"] != row.line for o in extracted.tables["observations"])
    assert all(r["source_line"] != row.line for r in extracted.tables["ratios"])


# -- indicators ---------------------------------------------------------------------------------


@pytest.mark.parametrize("row", KEPT, ids=row_id)
def test_indicator(row, indicators_by_line):
    assert row.line in indicators_by_line, f"no indicator read from line {row.line}"
    got = indicators_by_line[row.line]
    assert got["report_id"] == REPORT_ID
    assert got["indicator_id"] == indicator_id(row.path)
    assert got["parent_id"] == (indicator_id(row.parent) if row.parent else None)
    assert got["kind"] == row.kind
    assert got["tt"] == row.tt
    assert got["name_vi"] == row.name_vi
    assert got["unit_vi"] == row.unit_vi
    assert got["unit"] == (UNIT_CODES[row.unit_vi] if row.unit_vi else None)
    assert got["source_line"] == row.line
    assert got["row_number"] == ROW_NUMBER[row.line]


# -- observations -------------------------------------------------------------------------------


@pytest.mark.parametrize(("row", "column", "printed"), OBSERVATION_CASES)
def test_observation(row, column, printed, observations_by_key):
    measure, period = VALUE_COLUMNS[column]
    key = (indicator_id(row.path), measure, period)
    assert key in observations_by_key, f"missing {key}"
    got = observations_by_key[key]
    assert got["report_id"] == REPORT_ID
    assert got["value_printed"] == printed
    assert isinstance(got["value"], Decimal)
    assert got["value"] == vn_decimal(printed)
    assert got["source_line"] == row.line
    assert got["column_number"] == column


def test_number_notation_examples(observations_by_key):
    five = indicator_id("5")
    assert observations_by_key[(five, "actual", 2021)]["value"] == Decimal("1949.545")
    assert observations_by_key[(five, "plan", 2022)]["value"] == Decimal("2018")
    assert observations_by_key[(indicator_id("6"), "actual", 2021)]["value"] == Decimal("-18.0")
    assert observations_by_key[(indicator_id("1.2.1"), "actual", 2021)]["value"] == Decimal("-3.21")


# -- ratios -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("row", "column", "printed", "consistent"), RATIO_CASES)
def test_ratio(row, column, printed, consistent, ratios_by_key):
    key = (indicator_id(row.path), column)
    assert key in ratios_by_key, f"missing ratio {key}"
    got = ratios_by_key[key]
    formula, top, bottom = RATIO_COLUMNS[column]
    assert got["report_id"] == REPORT_ID
    assert got["formula"] == formula
    assert (got["numerator_measure"], got["numerator_period"]) == VALUE_COLUMNS[top]
    assert (got["denominator_measure"], got["denominator_period"]) == VALUE_COLUMNS[bottom]
    assert got["published_printed"] == printed
    assert got["published_pct"] == vn_decimal(printed)
    assert got["consistent"] is consistent
    assert got["source_line"] == row.line
    numerator, denominator = row.figures.get(top), row.figures.get(bottom)
    if numerator is None or denominator is None or vn_decimal(denominator) == 0:
        assert got["computed_pct"] is None
    else:
        expected = vn_decimal(numerator) / vn_decimal(denominator) * 100
        assert abs(Decimal(got["computed_pct"]) - expected) <= Decimal("0.000001")


def test_inconsistent_ratios_found():
    """The published ratios the printed figures cannot produce, as worked out by hand."""
    inconsistent = {
        (row.line, column) for row in KEPT for column, (_, ok) in row.ratios.items() if ok is False
    }
    assert inconsistent == {(803, 7), (803, 8), (806, 8), (811, 8), (811, 10), (815, 7), (820, 7), (821, 7)}


# -- report facts -------------------------------------------------------------------------------


def test_report_facts(extracted):
    (report,) = extracted.tables["reports"]
    assert report["report_id"] == REPORT_ID
    assert report["province"] == "Cao Bằng"
    assert report["province_code"] == "04"
    assert report["document_number"] == "2960/BC-UBND"
    assert str(report["issued_date"]) == "2022-11-14"
    assert report["reporting_year"] == 2022
    assert report["plan_year"] == 2023
    assert (
        report["title"]
        == "BÁO CÁO TÌNH HÌNH THỰC HIỆN CHỈ TIÊU KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2022"
    )
    assert report["source_sha256"] == hashlib.sha256(SEED.read_bytes()).hexdigest()
