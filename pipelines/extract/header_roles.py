"""What each column of an indicator table holds, read from its header text alone.

A header is read top to bottom as a path of labels (``Chính thức 2016 / Chia ra / Miền Bắc``). The
words decide the role (``Ước`` an estimate, ``KH`` a plan, ``Mục tiêu phấn đấu`` a target, ``Sơ bộ``
preliminary, ``Chính thức`` and ``TH`` actuals, ``So sánh``/``%`` a ratio, ``Đánh giá`` a verdict,
``Ghi chú`` a note, ``Cơ quan chủ trì`` an agency); the years come from the same text (a bare year
is a column of a time series: an actual); labels under a ``Chia ra`` level are a breakdown. No
column order and no year is assumed. A header whose meaning cannot be decided is ``unknown``: kept
and reported by the caller, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from pipelines.common.enums import Measure
from pipelines.common.text import fold_diacritics

ROW_LABEL, NAME, UNIT, NOTE, AGENCY, VERDICT, RATIO, UNKNOWN = (
    "row_label",
    "name",
    "unit",
    "note",
    "agency",
    "verdict",
    "ratio",
    "unknown",
)
ACTUAL, PRELIMINARY, ESTIMATE, PLAN, TARGET = (
    Measure.actual,
    Measure.preliminary,
    Measure.estimate,
    Measure.plan,
    Measure.target,
)
MEASURES = tuple(Measure)

_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2[01]\d\d)(?!\d)")
_BARE_YEAR = re.compile(r"^(?:nam\s+|year\s+)?(1[89]\d\d|2[01]\d\d)$")
_PLACEHOLDER = re.compile(r"^col\d+$")
_SPLIT_LEVEL = {"chia ra", "trong do", "of which", "by region", "by sector", "breakdown", "in which"}
_TOTAL_LEVEL = {"tong so", "tong", "total", "ca nuoc", "whole country"}
_SAME_PERIOD = re.compile(r"\bcung ky\b|\bc\.? ?ky\b|same period")
_SET_BY = re.compile(r"\b(quoc hoi|hoi dong nhan dan|hdnd|chinh phu|ubnd|thu tuong)\b.*$")

# (role, pattern on the folded label); the first that matches wins, so the more specific come first.
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(pattern))
    for role, pattern in (
        (
            RATIO,
            r"so sanh|so voi|\(%\)|^%|%\s*$|\btyle %|ratio|compared|/\s*kh\b|\bth\s*/|percent of|\bvs\.?\s",
        ),
        (AGENCY, r"co quan|chu tri|don vi thuc hien|agency|responsible"),
        (VERDICT, r"danh gia|assessment|verdict|evaluation"),
        (NOTE, r"^ghi chu|^note|^remarks?\b|^comments?\b"),
        (UNIT, r"^(don vi|dvt|dv tinh|dv\b|unit)"),
        (ROW_LABEL, r"^(s?tt|so tt|stt|no\.?|ma so|#|code)$"),
        (NAME, r"^(chi tieu|noi dung|ten chi tieu|indicators?\b|danh muc|items?\b|description)"),
        (ESTIMATE, r"(^|\s)uoc\b|\bu\.?th\b|estimate|\best\.\s|expected"),
        (PRELIMINARY, r"so bo|preliminary|provisional|\bprel\.\s"),
        (TARGET, r"muc tieu|phan dau|target|goal"),
        (PLAN, r"ke hoach|\bkh\b|\bplan(ned)?\b|nghi quyet"),
        (
            ACTUAL,
            r"thuc hien|\bth\b|chinh thuc|official|actual|cung ky|same period|^nam \d{4}$|^\d{4}$|"
            r"^year \d{4}$|\bperformance\b|\bresults?\b|\boutturn\b",
        ),
    )
)


@dataclass(frozen=True)
class RatioParts:
    """One side of a ratio as its header names it: a measure and/or a year, or the same period."""

    measure: str | None = None
    period: int | None = None
    same_period: bool = False
    opaque: bool = False


@dataclass(frozen=True)
class ColumnRole:
    """A column's meaning. ``label`` is the header path joined by `` / `` as a reader would cite it."""

    index: int
    label: str
    role: str
    period: int | None = None
    same_period: bool = False
    set_by: str = ""
    breakdown: str = ""
    numerator: RatioParts | None = None
    denominator: RatioParts | None = None

    @property
    def is_value(self) -> bool:
        return self.role in MEASURES

    @property
    def holds_figures(self) -> bool:
        return self.role in MEASURES or self.role in (RATIO, VERDICT, UNKNOWN)


def header_paths(grid: Sequence[Sequence[str]]) -> list[list[str]]:
    """Each column's labels top to bottom, from header rows where a merged cell repeats its text.

    Converter placeholders (``Col3``) are empty cells; an empty cell takes the text on its left
    when a lower row labels its column (a cell merged across columns); a label repeated down a
    column (a cell merged across rows) is kept once; under a total (``Tổng số``) nothing further
    is read, since a total has no parts (a converter may repeat a neighbour's label there).
    """
    rows = [[_clean(text) for text in row] for row in grid]
    width = max((len(row) for row in rows), default=0)
    rows = [row + [""] * (width - len(row)) for row in rows]
    for r, row in enumerate(rows[:-1]):
        for c in range(1, width):
            if not row[c] and row[c - 1] and any(lower[c] for lower in rows[r + 1 :]):
                row[c] = row[c - 1]
    paths = []
    for c in range(width):
        path: list[str] = []
        for row in rows:
            text = row[c]
            if not text or (path and path[-1] == text):
                continue
            if path and fold_diacritics(path[-1]) in _TOTAL_LEVEL:
                break
            path.append(text)
        paths.append(path)
    return paths


def _clean(text: str) -> str:
    text = " ".join(text.split())
    return "" if _PLACEHOLDER.match(text.casefold()) else text


def _role_of(folded: str) -> str:
    if _BARE_YEAR.match(folded):
        return ACTUAL
    for role, pattern in _RULES:
        if pattern.search(folded):
            return role
    return UNKNOWN


def read_roles(paths: Sequence[Sequence[str]]) -> list[ColumnRole]:
    """The role of every column from its header path; the first unlabelled text column is the name."""
    roles = []
    for index, path in enumerate(paths):
        label = " / ".join(path)
        levels = [fold_diacritics(level) for level in path]
        role, at = UNKNOWN, None
        for depth, folded in enumerate(levels):
            found = _role_of(folded)
            if found == UNKNOWN:
                continue
            if at is None:
                role, at = found, depth
            if not _BARE_YEAR.match(folded):  # a bare year over labelled columns only lends its year
                role, at = found, depth
                break
        if not path:
            role = NAME if not any(r.role == NAME for r in roles) else UNKNOWN
        column = ColumnRole(index, label, role)
        if at is not None:
            column = _details(column, path, levels, at)
        roles.append(column)
    return _resolve(roles)


def _details(column: ColumnRole, path: Sequence[str], levels: Sequence[str], at: int) -> ColumnRole:
    folded = levels[at]
    years = [int(y) for y in _YEAR.findall(" ".join(levels[: at + 1]))]
    breakdown, own = "", []
    for depth in range(at + 1, len(path)):
        if levels[depth] in _TOTAL_LEVEL or (depth > 0 and levels[depth - 1] in _SPLIT_LEVEL):
            breakdown = path[depth]
        elif levels[depth] not in _SPLIT_LEVEL:
            own.append(levels[depth])
    if column.role == RATIO:
        numerator, denominator = _ratio_sides(" ".join([folded, *own]))
        return replace(column, breakdown=breakdown, numerator=numerator, denominator=denominator)
    if column.role not in MEASURES:
        return column
    set_by = _SET_BY.search(folded)
    return replace(
        column,
        period=years[-1] if years else None,
        same_period=bool(_SAME_PERIOD.search(folded)),
        set_by=path[at][set_by.start() :].strip() if set_by else "",
        breakdown=breakdown,
    )


def _ratio_sides(folded: str) -> tuple[RatioParts, RatioParts]:
    parts = re.split(
        r"\bso voi\b|\bso sanh\b|/|\bvs\b\.?|\bcompared (?:with|to)\b|\bagainst\b", folded, maxsplit=1
    )
    left, right = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
    return _side(left), _side(right)


_SIDE_WORDS = re.compile(
    r"\b(nam|thang|\d+|uoc|tinh|thuc hien|th|kh|ke hoach|chinh thuc|so bo|cung ky|c\.? ?ky|ky|"
    r"muc tieu|phan dau|so voi|so sanh|ty le|year|same period|plan|planned|estimate|estimated|expected|"
    r"actual|official|preliminary|target|vs|against|compared|with|to|of|the)\b|[%()/.,:\-]"
)


def _side(text: str) -> RatioParts:
    """A ratio side's measure and year; ``opaque`` when it names something else (``Gieo cấy``)."""
    measure = next(
        (role for role, pattern in _RULES if role in MEASURES and role != ACTUAL and pattern.search(text)),
        ACTUAL if re.search(r"thuc hien|\bth\b|chinh thuc", text) else None,
    )
    years = _YEAR.findall(text)
    opaque = bool(_SIDE_WORDS.sub(" ", text).strip())
    return RatioParts(measure, int(years[-1]) if years else None, bool(_SAME_PERIOD.search(text)), opaque)


def _resolve(roles: list[ColumnRole]) -> list[ColumnRole]:
    """Give a same-period column the year before the table's latest, and a ratio its columns' periods;
    a second column with the role, year and breakdown of an earlier one is ``unknown`` (reported).

    ``Thực hiện cùng kỳ`` beside ``Ước thực hiện 12 tháng năm 2017`` is the actual of 2016. A ratio
    whose sides name nothing (``So sánh (%)``) compares the latest figure of its breakdown with the
    earlier one when there are exactly two; a side naming something else (``Gieo cấy``) stays open.
    """
    years = [r.period for r in roles if r.is_value and r.period is not None]
    latest = max(years) if years else None
    resolved: list[ColumnRole] = []
    seen: set[tuple[str, int | None, str, str]] = set()
    for column in roles:
        if column.is_value and column.same_period and column.period is None and latest is not None:
            column = replace(column, period=latest - 1)
        if column.is_value:
            key = (column.role, column.period, column.breakdown, column.set_by)
            if key in seen:  # two columns claiming one figure: neither header can be trusted alone
                column = replace(column, role=UNKNOWN)
            seen.add(key)
        resolved.append(column)
    return [_fill_ratio(column, resolved) if column.role == RATIO else column for column in resolved]


def _fill_ratio(column: ColumnRole, roles: list[ColumnRole]) -> ColumnRole:
    values = sorted(
        (r for r in roles if r.is_value and r.breakdown == column.breakdown and r.period is not None),
        key=lambda r: (r.period or 0, r.index),
    )
    top = _match(column.numerator or RatioParts(), values, values[-1] if values else None)
    default_bottom = values[0] if len(values) == 2 else None
    bottom = _match(column.denominator or RatioParts(), values, default_bottom)
    return replace(column, numerator=top, denominator=bottom)


def _match(side: RatioParts, values: list[ColumnRole], default: ColumnRole | None) -> RatioParts:
    if side.opaque:
        return side
    named = side.measure is not None or side.period is not None or side.same_period
    chosen = default
    if named:
        fits = [
            r
            for r in values
            if (side.period is None or r.period == side.period)
            and (side.measure is None or r.role == side.measure)
            and (not side.same_period or r.same_period or r.period != values[-1].period)
        ]
        chosen = fits[-1] if fits else None
    if chosen is None:
        return side
    return RatioParts(chosen.role, chosen.period, chosen.same_period)
