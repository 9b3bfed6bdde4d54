"""Indicator tables in the shapes other publishers print, each with the rows a reader must find.

Drawn per table: a layout (a table of plans and targets, a report table of actuals, estimates, plans,
ratios and verdicts, a time series of years, a table split by region), the header wording of each
role, one or two header rows (merged cells written as a converter writes them: ``Col3``
placeholders and repeated labels), the number convention (Vietnamese or English, grouped
thousands, ``.00`` on whole numbers), where the unit stands (a column, inside the name, a line
over the table), whether there is an STT column, group headings and ``Trong đó`` components,
values printed as ranges, bounds, approximations, words, verdicts, a stray ``%``, empty cells,
thousands grouped by spaces, figures in bold or italics, a second value in parentheses, two
rows now and then stacked in one (each cell printing both values, a line each), the title repeated
as the table's first row, and a page break that repeats the headers or leaves an empty header row.
The truth is written from what was drawn, never by reading the rendered text.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pipelines.common.decimals import decimal_text
from pipelines.common.enums import Measure, ReviewReason

ACTUAL = ("TH năm {y}", "Thực hiện {y}", "Thực hiện năm {y}", "Chính thức {y}", "Năm {y}")
PLAN = ("KH năm {y}", "Kế hoạch {y}", "Kế hoạch năm {y} HĐND tỉnh giao", "Kế hoạch năm {y} Quốc hội giao")
ESTIMATE = ("Ước TH năm {y}", "Ước thực hiện {y}", "Ước tính năm {y}", "Ước thực hiện 12 tháng năm {y}")
PRELIMINARY = ("Sơ bộ {y}", "Số liệu sơ bộ năm {y}")
TARGET = ("Mục tiêu phấn đấu năm {y}", "Mục tiêu phấn đấu năm {y} của Chính phủ")
RATIO = ("So sánh (%)", "Năm {y} so với năm {p} (%)", "Ước TH {y} so với TH {p} (%)")
VERDICT = ("Đánh giá", "Kết quả đánh giá")
NAMES = (
    ("Tốc độ tăng trưởng kinh tế", "%"),
    ("Thu ngân sách Nhà nước trên địa bàn", "Tỷ đồng"),
    ("Tổng vốn đầu tư phát triển toàn xã hội", "Tỷ đồng"),
    ("Kim ngạch xuất khẩu", "Triệu USD"),
    ("Tỷ lệ hộ nghèo", "%"),
    ("Số lao động được tạo việc làm", "nghìn người"),
    ("Tỷ suất chết trẻ em dưới 1 tuổi", "‰"),
    ("GRDP bình quân đầu người", "USD"),
    ("Diện tích rừng trồng mới", "1000 ha"),
    ("Sản lượng lương thực", "1000 tấn"),
    ("Số xã đạt chuẩn nông thôn mới", "xã"),
    ("Tỷ lệ che phủ rừng", "%"),
)
PARTS = ("Thành thị", "Nông thôn", "Miền Bắc", "Miền Nam", "Khu vực I", "Khu vực II")
VERDICTS = {"Đạt": "met", "Không đạt": "not_met", "Vượt": "exceeded", "Chưa đạt": "not_met"}
RESULTS = (Measure.actual, Measure.preliminary, Measure.estimate)
# Words a result column prints instead of a figure.
WORDS = ("Xuất siêu", "Nhập siêu", "Không phát sinh")
EMPHASIS = ("**{}**", "*{}*", "_{}_", "**_{}_**")
AMBIGUOUS = ReviewReason.ambiguous_number_format
# A plain figure whose decimals a converter may cut off by a space (``106, 6``).
_PLAIN = re.compile(r"^(?P<whole>-?\d[\d.,]*?)(?P<mark>[.,])(?P<fraction>\d{1,2})$")


@dataclass(frozen=True)
class Column:
    """A drawn value column: its role, year, breakdown, and the header path it is printed with."""

    role: str
    period: int | None
    path: tuple[str, ...]
    breakdown: str = ""

    @property
    def label(self) -> str:
        return " / ".join(dict.fromkeys(level for level in self.path if level))


@dataclass(frozen=True)
class GeneratedTable:
    stem: str
    data: bytes
    truth: dict[str, Any]


def _number(rng: random.Random, english: bool, unit: str) -> tuple[str, Decimal]:
    """A figure printed in the table's convention, with at least one decimal (so it proves it)."""
    decimals = rng.choice([1, 2])
    whole = rng.choice([rng.randint(1, 99), rng.randint(100, 999), rng.randint(1000, 999999)])
    if unit in ("%", "‰"):
        whole = rng.randint(0, 99)
    fraction = rng.randint(0, 10**decimals - 1)
    value = Decimal(f"{whole}.{fraction:0{decimals}d}")
    return _print(value, decimals, english, rng.random() < 0.7), value


def _print(value: Decimal, decimals: int, english: bool, grouped: bool) -> str:
    text = f"{abs(value):,.{decimals}f}" if grouped else f"{abs(value):.{decimals}f}"
    if not english:
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return ("-" if value < 0 else "") + text


def _target_cell(rng: random.Random, english: bool, unit: str) -> tuple[str, dict[str, str]]:
    """A plan or target as printed (number, bound, approximation, range) and its truth."""
    kind = rng.choice(["number", "khoảng", "trên", "dưới", "≥", "<", "tối thiểu", "range", "about_range"])
    low_text, low = _number(rng, english, unit)
    if kind in ("range", "about_range"):
        low = Decimal(rng.randint(10, 990)) / 10
        high = low + Decimal(rng.choice(["0.5", "1", "2"]))
        low_text, high_text = _print(low, 1, english, False), _print(high, 1, english, False)
        sep = rng.choice(["-", " - ", "–"])
        printed = f"{'Khoảng ' if kind == 'about_range' else ''}{low_text}{sep}{high_text}"
        return printed, _truth(printed, "", low, high, "khoảng" if kind == "about_range" else "")
    if kind == "number":
        return low_text, _truth(low_text, low, low, low, "")
    word = {"khoảng": "Khoảng", "trên": "Trên", "dưới": "Dưới", "tối thiểu": "Tối thiểu"}.get(kind, kind)
    space = " " if kind not in ("≥", "<") or rng.random() < 0.5 else ""
    printed = f"{word}{space}{low_text}"
    return printed, _truth(printed, low, low, low, kind)


def _truth(
    printed: str, value: Decimal | str, low: Decimal | str, high: Decimal | str, qualifier: str
) -> dict[str, str]:
    def text(number: Decimal | str) -> str:
        return "" if number == "" else decimal_text(Decimal(number))

    return {
        "printed": printed,
        "value": text(value),
        "value_low": text(low),
        "value_high": text(high),
        "qualifier": qualifier,
        "value_text": "",
        "verdict": "",
        "second": "",
        "second_label": "",
        "second_value": "",
        "review_reason": "",
    }


def _columns(rng: random.Random, layout: str, year: int) -> list[Column]:
    def pick(options: tuple[str, ...], y: int) -> str:
        return rng.choice(options).format(y=y, p=y - 1)

    if layout == "targets":
        return [
            Column(Measure.plan, year, (pick(PLAN, year),)),
            Column(Measure.target, year, (pick(TARGET, year),)),
        ]
    if layout == "series":
        first = year - rng.randint(3, 8)
        return [Column(Measure.actual, y, (str(y),)) for y in range(first, year + 1)]
    if layout == "breakdown":
        a, b = rng.sample(PARTS, 2)
        out = []
        for role, y, options in ((Measure.actual, year - 1, ACTUAL), (Measure.estimate, year, ESTIMATE)):
            head = pick(options, y)
            out.append(Column(role, y, (head, "Tổng số"), "Tổng số"))
            out.append(Column(role, y, (head, "Chia ra", a), a))
            out.append(Column(role, y, (head, "Chia ra", b), b))
        return out
    columns = [
        Column(Measure.actual, year - 1, (pick(ACTUAL, year - 1),)),
        Column(Measure.plan, year, (pick(PLAN, year),)),
        Column(Measure.estimate, year, (pick(ESTIMATE, year),)),
    ]
    if rng.random() < 0.4:
        columns.append(Column(Measure.preliminary, year - 1, (pick(PRELIMINARY, year - 1),)))
        columns.pop(0)
        columns.insert(0, columns.pop())
    columns.append(Column("ratio", None, (rng.choice(RATIO).format(y=year, p=year - 1),)))
    if rng.random() < 0.6:
        columns.append(Column("verdict", None, (rng.choice(VERDICT),)))
    return columns


def generate_table(seed: int) -> GeneratedTable:
    """A Markdown page with one indicator table drawn from ``seed``, and its truth."""
    rng = random.Random(seed)
    # The shapes added later are drawn from a second generator, so each seed keeps its figures.
    extra = random.Random(f"shapes-dress-{seed}")
    spaced = extra.random() < 0.2
    # A mixed table: one figure printed in the other convention, then one that fits both.
    mixed = [] if spaced or extra.random() < 0.85 else ["other", "ambiguous"]
    layout = rng.choice(["targets", "report", "series", "breakdown"])
    year = rng.randint(2012, 2030)
    english = rng.random() < 0.4
    unit_at = rng.choice(["column", "name", "line"])
    has_stt = rng.random() < 0.6
    columns = _columns(rng, layout, year)
    names = rng.sample(NAMES, rng.randint(3, 7))
    if unit_at == "line":
        names = [(name, names[0][1]) for name, _ in names]
    two_rows = layout == "breakdown" or rng.random() < 0.3

    head = ["STT"] if has_stt else []
    head += ["Chỉ tiêu"] + (["ĐVT"] if unit_at == "column" else [])
    fixed = len(head)
    lines = [f"Bảng {rng.randint(1, 9)}", "", f"**CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM {year}**", ""]
    if unit_at == "line":
        lines += [f"_Đơn vị tính: {names[0][1]}_", ""]
    header = _header_lines(rng, head, columns, two_rows)
    lines += header
    body_start = len(lines)
    rows: list[dict[str, Any]] = []
    label = lines[0]
    stackable: list[str] | None = None  # the cells of the row just written, while it may take a second
    number = 0
    for index, (name, unit) in enumerate(names):
        if rng.random() < 0.2:
            heading = [""] * (fixed + len(columns))
            heading[1 if has_stt else 0] = f"**{_heading(rng)}**"
            lines.append(_row(heading))
            stackable = None
        component = index > 0 and rng.random() < 0.2
        number += 0 if component else 1
        stt = "" if component or not has_stt else str(number)
        printed_name = f"- {name}" if component else name
        shown = f"{printed_name} ({unit})" if unit_at == "name" else printed_name
        cells, truths = [], []
        for column in columns:
            printed, truth = _cell(rng, column, english, unit)
            cells.append(printed)
            truths.append(truth)
        if not any(cell for cell, column in zip(cells, columns, strict=True) if column.role in set(Measure)):
            first = next(k for k, column in enumerate(columns) if column.role in set(Measure))
            printed, value = _number(rng, english, unit)
            cells[first], truths[first] = printed, _truth(printed, value, value, value, "")
        _dress(extra, columns, cells, truths, english, unit, spaced, mixed)
        prefix = ([stt] if has_stt else []) + [f"**{shown}**" if rng.random() < 0.2 else shown]
        prefix += [unit] if unit_at == "column" else []
        if stackable and rng.random() < 0.15:  # two sub-rows printed in one row, a line each
            lines[-1] = _row([f"{a}<br>{b}" for a, b in zip(stackable, prefix + cells, strict=True)])
            stackable = None
        else:
            lines.append(_row(prefix + cells))
            stackable = prefix + cells
        for column, truth in zip(columns, truths, strict=True):
            rows.append(
                {
                    "table": label,
                    "row_label": stt,
                    "name": shown,
                    "name_vi": printed_name,
                    "unit": unit,
                    "column": column.label,
                    "role": column.role,
                    "period": column.period,
                    "breakdown": column.breakdown,
                    **truth,
                }
            )
    lines = _paged(extra, lines, body_start, header, title=lines[2])
    text = "\n".join(lines) + "\n"
    truth = {"seed": seed, "layout": layout, "english": english, "unit_at": unit_at, "rows": rows}
    return GeneratedTable(f"shape-{seed:05d}-{layout}", text.encode("utf-8"), truth)


def _dress(
    extra: random.Random,
    columns: list[Column],
    cells: list[str],
    truths: list[dict[str, str]],
    english: bool,
    unit: str,
    spaced: bool,
    mixed: list[str],
) -> None:
    """Drawn cells as other publishers print them: thousands grouped by spaces (``1 033,6``, the
    whole table), a mixed table (a figure in the other convention, ``6,202.7`` among ``12,5``, read
    by its own marks; then ``1.234``, which fits both, kept as ambiguous), words in a result column (``Xuất siêu``), a second value in parentheses (the
    level left, ``0,7% (còn 4,33%)``, or one the table does not explain, ``12,5 (13,0)``), a figure
    broken by a space after its decimal mark (``106, 6``: kept for review, not guessed), a figure
    in bold or italics (the figure is read without the markup)."""
    for k, column in enumerate(columns):
        printed, truth = cells[k], truths[k]
        if not printed or column.role == "verdict":
            continue
        if spaced:
            printed = printed.replace("," if english else ".", " ")
            truth = {**truth, "printed": printed}
        if mixed and column.role in set(Measure) and _PLAIN.match(printed) and extra.random() < 0.3:
            if mixed.pop(0) == "other":
                value = Decimal(f"{extra.randint(1000, 999999)}.{extra.randint(0, 9)}")
                printed = _print(value, 1, not english, True)
                truth = _truth(printed, value, value, value, "")
            else:
                printed = f"{extra.randint(1, 999)}{extra.choice('.,')}{extra.randint(0, 999):03d}"
                truth = {**_truth(printed, "", "", "", ""), "review_reason": AMBIGUOUS}
        elif column.role in RESULTS and extra.random() < 0.04:
            printed = extra.choice(WORDS)
            truth = {**_truth(printed, "", "", "", ""), "value_text": printed}
        elif column.role in RESULTS and unit == "%" and extra.random() < 0.2:
            second, value = _number(extra, english, unit)
            label = extra.choice(["còn", ""])
            inner = f"{label} {second}%" if label else second
            printed = f"{printed} ({inner})"
            truth = {**truth, "printed": printed, "second": inner, "second_label": label}
            truth["second_value"] = decimal_text(value)
        elif column.role in set(Measure) and _PLAIN.match(printed) and extra.random() < 0.03:
            printed = _PLAIN.sub(r"\g<whole>\g<mark> \g<fraction>", printed)  # ``106, 6``: kept for review
            truth = {**_truth(printed, "", "", "", ""), "review_reason": ReviewReason.malformed_number}
        elif column.role in set(Measure) and extra.random() < 0.08:
            printed = extra.choice(EMPHASIS).format(printed)
        cells[k], truths[k] = printed, truth


def _paged(
    extra: random.Random, lines: list[str], body_start: int, header: list[str], title: str
) -> list[str]:
    """The table as a converter of a printed page may leave it: its title repeated as its first
    row, and cut by a page break into two tables, the second under the headers printed again or
    under an empty header row. No cell changes, so the truth is the same."""
    width = header[0].count("|") - 1
    separator = header[1]
    head_start = body_start - len(header)
    if extra.random() < 0.15:
        titled = [_row([title] + [""] * (width - 1)), separator, header[0], *header[2:]]
        lines = lines[:head_start] + titled + lines[body_start:]
        body_start = head_start + len(titled)
    if len(lines) - body_start >= 2 and extra.random() < 0.2:
        cut = extra.randint(body_start + 1, len(lines) - 1)
        again = header if extra.random() < 0.5 else [_row([""] * width), separator]
        lines = [*lines[:cut], "", *again, *lines[cut:]]
    return lines


def _heading(rng: random.Random) -> str:
    return rng.choice(["Chỉ tiêu kinh tế", "Chỉ tiêu xã hội", "Môi trường", "I. KINH TẾ"])


def _cell(rng: random.Random, column: Column, english: bool, unit: str) -> tuple[str, dict[str, str]]:
    if rng.random() < 0.1:
        return "", _truth("", "", "", "", "")
    if column.role in (Measure.plan, Measure.target):
        return _target_cell(rng, english, unit)
    if column.role == "verdict":
        word = rng.choice(list(VERDICTS))
        return word, {**_truth(word, "", "", "", ""), "value_text": word, "verdict": VERDICTS[word]}
    printed, value = _number(rng, english, unit)
    if column.role == "ratio":
        printed, value = _number(rng, english, "%")
    elif unit == "%" and rng.random() < 0.3:
        value = -value
        printed = f"-{printed}%"
        return printed, _truth(printed, value, value, value, "")
    return printed, _truth(printed, value, value, value, "")


def _row(cells: list[str]) -> str:
    return "|" + "|".join(cells) + "|"


def _header_lines(rng: random.Random, head: list[str], columns: list[Column], two_rows: bool) -> list[str]:
    """One header row, or two or three as a converter writes merged cells: ``ColN`` placeholders
    right of a label merged across columns, a label merged down repeated in the rows under it,
    line breaks (``<br>``) inside labels."""
    depth = max(2 if two_rows else 1, *(len(c.path) for c in columns))
    separator = _row(["---"] * (len(head) + len(columns)))
    if depth == 1:
        return [_row(head + [_broken(rng, c.label) for c in columns]), separator]
    levels = []
    for level in range(depth):
        cells = list(head) if level == 0 else [""] * len(head)
        previous = None
        for k, column in enumerate(columns):
            text = column.path[min(level, len(column.path) - 1)]
            if level == 0 and text == previous:
                cells.append(f"Col{len(head) + k + 1}")
            else:
                cells.append(_broken(rng, text))
            previous = text
        levels.append(_row(cells))
    return [levels[0], separator, *levels[1:]]


def _broken(rng: random.Random, label: str) -> str:
    return label.replace(" ", "<br>", 1) if rng.random() < 0.2 else label


def sidecar(table: GeneratedTable) -> bytes:
    """The ``<stem>.source.yaml`` a generated table needs to be a source of the pipeline: it prints
    no report caption, so its kind, title and publisher are said here (synthetic, no real figures)."""
    layout = table.truth["layout"]
    lines = [
        "# A table written by the project's generator (python -m pipelines generate --shapes).",
        f'title: "Generated indicator table (seed {table.truth["seed"]}, layout {layout})"',
        'publisher: "chitieu generator (synthetic data)"',
        'license_note: "Synthetic figures drawn by the project\'s generator; not published by any body."',
        'date_added: "2026-01-01"',
        "kind: report_appendix",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")
