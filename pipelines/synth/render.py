"""Planned rows to report text: prose, caption, the appendix split across pages, line endings.

Everything a converted report varies in is drawn here: header wording, cell padding, where the
pages break and what stands between the fragments, tags and emphasis in cells, line endings and
the Unicode normalisation of the whole file.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from pipelines.synth.plan import VALUE_COLUMNS, Row

WIDTH = 11
CITIES = {"Hà Nội", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}
LINE_ENDINGS = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}
FOOTNOTES = (
    "¹ Số liệu ước thực hiện cả năm, tính đến hết tháng 10.",
    "² Theo báo cáo của các sở, ban, ngành.",
    "⁽³⁾ Không bao gồm số bổ sung từ ngân sách trung ương.",
)


@dataclass(frozen=True)
class Facts:
    """What the caption and headers say about the report."""

    province: str
    year: int
    number: str
    day: int
    month: int

    @property
    def level(self) -> str:
        return "thành phố" if self.province in CITIES else "tỉnh"

    @property
    def title(self) -> str:
        return f"BÁO CÁO TÌNH HÌNH THỰC HIỆN CHỈ TIÊU KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM {self.year}"


@dataclass
class Rendered:
    """The report as logical lines (before line endings), where each planned row was printed."""

    lines: list[str]
    row_lines: list[int]
    caption_line: int


def _cells(rng: random.Random, cells: list[str]) -> str:
    padded = [f"{' ' * rng.randint(0, 2)}{cell}{' ' * rng.randint(0, 2)}" if cell else " " for cell in cells]
    return "|" + "|".join(padded) + "|"


def _separator(rng: random.Random) -> str:
    return "|" + "|".join("-" * rng.randint(2, 12) for _ in range(WIDTH)) + "|"


def _header(rng: random.Random, year: int) -> list[list[str]]:
    actual = rng.choice((f"Thực hiện {year - 1}", f"TH năm {year - 1}", f"Thực hiện năm {year - 1}"))
    plan = rng.choice((f"KH {year}", f"Kế hoạch {year}", f"KH năm {year}"))
    estimate = rng.choice((f"Ước TH năm {year}", f"Ước thực hiện {year}", f"Ước TH {year}"))
    next_plan = rng.choice((f"KH {year + 1}", f"Kế hoạch năm {year + 1}"))
    return [
        ["TT", "Chỉ tiêu", "Đơn vị tính", actual, f"Năm {year}", "", "", "", next_plan,
         f"KH {year + 1} so với ước TH {year} (%)", "Ghi chú"],
        ["", "", "", "", plan, estimate, f"Ước TH năm {year} so với TH {year - 1} (%)",
         f"Ước TH năm {year} so với KH {year} (%)", "", "", ""],
        ["1", "2", "3", "4", "5", "6", "7=6/4", "8=6/5", "9", "10=9/6", "11"],
    ]  # fmt: skip


def _name_cell(rng: random.Random, row: Row) -> str:
    name = row.name_printed
    if rng.random() < 0.05 and "  " not in name:
        words = name.split(" ")
        at = rng.randrange(len(words))
        words[at] = f"{words[at]} "
        name = " ".join(words)
    if row.style == "plus_name":
        name = f"+ {name}"
    elif row.style == "inline":
        name = f"Trong đó: {name}"
    elif row.style == "of_which":
        name = rng.choice(("Trong đó:", "<i>Trong đó:</i>", "*Trong đó:*"))
    elif row.style == "section" and rng.random() < 0.3:
        name = f"**{name}**"
    if rng.random() < 0.04 and row.style not in ("of_which", "section") and "<" not in name:
        name = f"<i>{name}</i>"
    return name


def _tt_cell(rng: random.Random, row: Row) -> str:
    if row.style == "dash" and rng.random() < 0.1:
        return "–"
    if row.style in ("plus_name", "inline", "plain", "of_which"):
        return ""
    return row.tt


def _row_cells(rng: random.Random, row: Row) -> list[str]:
    cells = [_tt_cell(rng, row), _name_cell(rng, row), row.unit]
    for column in range(4, 11):
        printed = row.figures.get(column) if column in VALUE_COLUMNS else row.ratios.get(column)
        cells.append(printed.text if printed is not None else "")
    cells.append(row.note)
    return cells


def _page_break(rng: random.Random, page: int) -> list[str]:
    between = [""]
    for _ in range(rng.randint(0, 2)):
        between += [rng.choice((str(page), rng.choice(FOOTNOTES), f"Trang {page}")), ""]
    if rng.random() < 0.3:
        between.append("")
    return [*between, _cells(rng, [""] * WIDTH), _separator(rng)]


def _prose(rng: random.Random, facts: Facts) -> list[str]:
    place = f"{facts.level} {facts.province}"
    lines = [
        "ỦY BAN NHÂN DÂN",
        f"{facts.level.upper()} {facts.province.upper()}",
        "",
        f"Số: {facts.number}",
        "",
        "BÁO CÁO",
        "",
        f"Tình hình thực hiện kế hoạch phát triển kinh tế - xã hội năm {facts.year}, "
        f"phương hướng, nhiệm vụ năm {facts.year + 1}",
        "",
        "Phần thứ nhất",
        "",
        f"KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU KINH TẾ - XÃ HỘI {facts.year}",
        "",
        f"Năm {facts.year}, tình hình kinh tế - xã hội {place} tiếp tục phục hồi; các chỉ tiêu chủ yếu "
        "được trình bày tại Phụ lục kèm theo¹.",
        "",
        FOOTNOTES[0],
        "",
    ]
    if rng.random() < 0.3:
        lines += ["| Huyện | Dân số (người) |", "|---|---|", "| Thành phố | 12.345 |", ""]
    lines += [
        "Phần thứ hai",
        "",
        f"MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM {facts.year + 1}",
        "",
        f"Tiếp tục thực hiện hiệu quả các nhiệm vụ, giải pháp phát triển kinh tế - xã hội {place}.",
        "",
        "Phụ lục",
        "",
        facts.title,
        "",
        f"(Biểu kèm theo Báo cáo số {facts.number} ngày {facts.day} tháng {facts.month} năm {facts.year} "
        f"của UBND {place})",
        "",
    ]
    return lines


def render(rng: random.Random, facts: Facts, rows: list[Row]) -> Rendered:
    """The report's lines; page breaks fall before randomly chosen data rows."""
    lines = _prose(rng, facts)
    caption_line = len(lines) - 1
    header = _header(rng, facts.year)
    lines += [_cells(rng, header[0]), _separator(rng), _cells(rng, header[1]), _cells(rng, header[2])]
    breaks = set(rng.sample(range(len(rows)), k=min(len(rows), rng.choice((0, 1, 2, 2, 3)))))
    row_lines = []
    for index, row in enumerate(rows):
        if index in breaks:
            lines += _page_break(rng, 20 + index)
        lines.append(_cells(rng, _row_cells(rng, row)))
        row_lines.append(len(lines))
    if rng.random() < 0.3:
        lines += ["", "Nơi nhận:", "- Như trên;", "- Lưu: VT."]
    return Rendered(lines, row_lines, caption_line)


def encode(
    rng: random.Random, lines: list[str], ending: str | None, nfd: bool | None
) -> tuple[bytes, str, bool]:
    """File bytes with the chosen (or a random) line ending and normalisation; a BOM sometimes."""
    ending = ending or rng.choice(sorted(LINE_ENDINGS))
    nfd = rng.random() < 0.3 if nfd is None else nfd
    text = LINE_ENDINGS[ending].join(lines) + LINE_ENDINGS[ending]
    if nfd:
        text = unicodedata.normalize("NFD", text)
    bom = "\ufeff" if rng.random() < 0.05 else ""
    return (bom + text).encode("utf-8"), ending, nfd
