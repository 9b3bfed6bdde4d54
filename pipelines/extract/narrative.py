"""The numbered headline statements, number by number, checked against the appendix.

The results of the year (``I. KẾT QUẢ THỰC HIỆN MỘT SỐ CHỈ TIÊU …``) and the next year's targets
(``Mục tiêu chủ yếu``) restate the appendix in words: statement (N) is appendix row TT N. Each
number is matched to the row it restates by name similarity within that indicator's family, and
compared at the statement's printed precision after unit conversion.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pipelines.common.decimals import plain
from pipelines.common.enums import Measure
from pipelines.common.numbers import PrintedNumber, parse_number
from pipelines.common.reference import word_list
from pipelines.common.text import clean_cell, fold_diacritics
from pipelines.extract.document import Document, locate
from pipelines.extract.figures import NUMBER, NUMBER_TOKEN
from pipelines.extract.footnotes import find_heading, section_end
from pipelines.extract.ratios import ratio_range
from pipelines.extract.units import Unit, convert, lookup_unit, match_unit, normalise_unit_text
from pipelines.extract.warning import ExtractionWarning

RESULTS_HEADING = re.compile(r"^[ivxlc]+\.\s*ket qua thuc hien (?:mot so |cac )?(?:chi tieu|muc tieu)")
TARGETS_HEADING = re.compile(r"^\d+(?:\.\d+)*\.\s*(?:muc tieu|cac chi tieu) chu yeu")
_ITEM = re.compile(r"^\s*\((\d{1,2})\)\s*(\S.*)$")
_RANGE = re.compile(rf"(?<![\w.,])({NUMBER})\s*[-–]\s*({NUMBER})(?!\d)")
_BEFORE_DELIMITER = re.compile(r"[;:]|\.(?!\d)")
_AFTER_DELIMITER = re.compile(r"[,;:]|\.(?!\d)")
_OF_PLAN = re.compile(r"\s*%\s*(?:so với\s+)?(?:KH|kế hoạch)(?!\w)", re.IGNORECASE)
_PERCENT = re.compile(r"\s*%")
_QUALIFIER_BEFORE = re.compile(r"(?<!\w)(trên|dưới|khoảng)\s+$", re.IGNORECASE)
_QUALIFIER_AFTER = re.compile(r"\s*trở lên(?!\w)", re.IGNORECASE)
_YEAR_BEFORE = re.compile(r"(?<!\w)năm\s+$", re.IGNORECASE)
_BELOW = re.compile(r"(?<!\w)(?:thấp hơn|giảm|kém|chậm)(?!\w)", re.IGNORECASE)
_ABOVE = re.compile(r"(?<!\w)(?:vượt|cao hơn|tăng)(?!\w)", re.IGNORECASE)
_AGAINST_PLAN = re.compile(r"\s*so với\s+(?:KH|kế hoạch)(?!\w)", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")
# The first figure of a statement usually restates the statement's own indicator.
_HEAD_BONUS = 2
# What a statement restates: results the reporting year's estimate (else actual), targets a plan.
RESULTS = (Measure.estimate, Measure.actual)
TARGETS = (Measure.plan,)


@dataclass
class Token:
    """One printed number of a statement and what it is: a figure, a % of plan, a difference, …"""

    start: int
    end: int
    printed: str
    number: PrintedNumber | None
    unit_vi: str = ""
    qualifier: str = ""
    role: str = "value"
    before: str = ""
    after: str = ""
    direction: int = 0
    against_plan: bool = True


@dataclass(frozen=True)
class Statement:
    section: str
    item: int
    text: str
    line: int


def _words(text: str) -> set[str]:
    """Words of a name or a statement, without those of the sentence frame
    (``reference/narrative_stop_words.csv``): they must not make two names look alike."""
    return set(_WORD.findall(fold_diacritics(text))) - word_list("narrative_stop_words.csv")


def find_statements(
    doc: Document, pattern: re.Pattern[str], section: str
) -> tuple[list[Statement], list[ExtractionWarning]]:
    """The ``(N) …`` items under a heading, up to the next Roman-numeral heading."""
    heading = find_heading(doc, pattern)
    if heading is None:
        return [], [
            ExtractionWarning(1, f"{section}_not_found", f"no numbered {section} statements were found")
        ]
    statements: dict[int, Statement] = {}
    warnings: list[ExtractionWarning] = []
    last = section_end(doc, heading, roman_only=True)
    for number in range(heading + 1, last + 1):
        match = _ITEM.match(clean_cell(doc.line(number)))
        if not match:
            continue
        item = int(match[1])
        if item in statements:
            warnings.append(
                ExtractionWarning(number, "duplicate_statement", f"{section} item ({item}) printed twice")
            )
            continue
        statements[item] = Statement(section, item, match[2], number)
    return list(statements.values()), warnings


def read_tokens(text: str) -> list[Token]:
    """Every number of a statement with its unit, qualifier, role and the words around it."""
    tokens: list[Token] = []
    ranges = list(_RANGE.finditer(text))
    for match in ranges:
        tokens.append(Token(match.start(), match.end(), match[0], None, role="name_part"))
    for match in NUMBER_TOKEN.finditer(text):
        if any(r.start() <= match.start() < r.end() for r in ranges):
            continue
        tokens.append(Token(match.start(), match.end(), match[0], parse_number(match[0])))
    tokens.sort(key=lambda t: t.start)
    for token in tokens:
        if token.number is None:
            continue
        rest = text[token.end :]
        if _OF_PLAN.match(rest):
            token.role, token.unit_vi = "pct_of_plan", "%"
            continue
        if _PERCENT.match(rest):
            token.unit_vi = "%"
            unit_end = token.end + _PERCENT.match(rest).end()
        else:
            gap = len(rest) - len(rest.lstrip())
            unit = match_unit(rest[gap:])
            token.unit_vi = normalise_unit_text(unit) if unit else ""
            unit_end = token.end + gap + len(unit) if unit else token.end
        qualifier = _QUALIFIER_BEFORE.search(text[: token.start])
        if qualifier:
            token.qualifier = qualifier[1].casefold()
        elif _QUALIFIER_AFTER.match(text, unit_end):
            token.qualifier = "trở lên"
        if token.unit_vi == "điểm phần trăm":
            token.role = "difference"
            token.against_plan = bool(_AGAINST_PLAN.match(text, unit_end))
        elif _YEAR_BEFORE.search(text[: token.start]) and 1900 <= token.number.value <= 2200:
            token.role = "year"
    _set_windows(text, tokens)
    return tokens


def _set_windows(text: str, tokens: list[Token]) -> None:
    """The words before a number (back to the previous figure or a ";") and after it (to a ",")."""
    previous_end = 0
    for index, token in enumerate(tokens):
        window = text[previous_end : token.start]
        cut = [m.end() for m in _BEFORE_DELIMITER.finditer(window)]
        token.before = window[cut[-1] :] if cut else window
        if token.role == "difference":
            token.direction = -1 if _BELOW.search(window) else 1 if _ABOVE.search(window) else 0
        following = next((t.start for t in tokens[index + 1 :] if t.role != "name_part"), len(text))
        after = text[token.end : following]
        stop = _AFTER_DELIMITER.search(after)
        token.after = after[: stop.start()] if stop else after
        if token.role != "name_part":
            previous_end = token.end


# A figure of the appendix as the statements see it: as printed, else its value (exact).
Figure = str | Decimal | None


class Appendix:
    """The appendix rows of one report that its statements restate, gathered as the rows are
    made (``add``): every indicator row, but of the observations and ratios only the figures a
    statement can be compared with (the reporting year's estimate, actual and plan, the plan
    year's plan; ratios of a result to its plan), as printed. A large table's other figures are
    never held. Figures read from a scan are kept whole (``scanned``): a statement that
    disagrees with a doubtful reading flags it."""

    def __init__(self, report_id: str, reporting_year: int, plan_year: int) -> None:
        self.report_id, self.reporting_year, self.plan_year = report_id, reporting_year, plan_year
        self.indicators: list[Mapping[str, Any]] = []
        self.by_id: dict[str, Mapping[str, Any]] = {}
        self.children: dict[str, list[Mapping[str, Any]]] = {}
        compared = [(m, reporting_year) for m in (*RESULTS, Measure.plan)] + [(Measure.plan, plan_year)]
        self.values: dict[tuple[str, int], dict[str, Figure]] = {key: {} for key in compared}
        self.ratios: dict[tuple[str, int], dict[str, tuple[Figure, str | None]]] = {}
        self.scanned: dict[tuple[object, ...], MutableMapping[str, Any]] = {}

    def add(self, resource: str, row: MutableMapping[str, Any]) -> None:
        """One more appendix row (``indicators``, ``observations`` or ``ratios``)."""
        if row["report_id"] != self.report_id:
            return
        if resource == "indicators":
            self.indicators.append(row)
            self.by_id[row["indicator_id"]] = row
            if row.get("parent_id"):
                self.children.setdefault(row["parent_id"], []).append(row)
        elif resource == "observations":
            figures = self.values.get((row["measure"], int(row["period"])))
            if figures is not None:
                figures[row["indicator_id"]] = row["value_printed"] or row["value"]
            if row.get("ocr_confidence") is not None:
                self.scanned[(row["indicator_id"], row["measure"], row["period"])] = row
        elif (
            resource == "ratios"
            and row["denominator_measure"] == Measure.plan
            and row["denominator_period"] == row["numerator_period"]
            and row["published_pct"] is not None
        ):
            key = (row["numerator_measure"], int(row["numerator_period"]))
            printed = row.get("published_printed") or row["published_pct"]
            self.ratios.setdefault(key, {})[row["indicator_id"]] = (printed, row.get("formula"))

    def head(self, item: int) -> Mapping[str, Any] | None:
        """Appendix row TT ``item`` at the top of the hierarchy (its parent is a section or nothing)."""
        for row in self.indicators:
            parent = self.by_id.get(row.get("parent_id") or "")
            if row.get("tt") == str(item) and (parent is None or parent["kind"] == "section"):
                return row
        return None

    def family(self, head: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        """The head row and all its descendants, in printed order."""
        rows = [head]
        for child in self.children.get(head["indicator_id"], []):
            rows.extend(self.family(child))
        return rows

    def observation(
        self, indicator_id: str, measures: tuple[str, ...], period: int
    ) -> tuple[str, Figure] | None:
        """The first of ``measures`` the row has a figure of in ``period``, and that figure."""
        for measure in measures:
            figures = self.values.get((measure, period), {})
            if indicator_id in figures:
                return measure, figures[indicator_id]
        return None

    def published_ratio(
        self, indicator_id: str, measure: str, period: int
    ) -> tuple[Figure, str | None] | None:
        """The printed ratio of the row's ``measure`` to its plan of ``period``, with its formula."""
        return self.ratios.get((measure, period), {}).get(indicator_id)


def _printed(figure: Figure) -> PrintedNumber:
    """A figure of the appendix with its printed precision (exact when the print is unknown)."""
    if isinstance(figure, str):
        return parse_number(figure)
    exact = Decimal(str(figure))
    return PrintedNumber(str(exact), exact, max(0, -exact.as_tuple().exponent) + 6)


def _agrees(stated: PrintedNumber, low: Decimal, high: Decimal) -> str:
    """``yes`` when the statement's interval meets the appendix interval: 98 restates 97,97."""
    return "yes" if stated.low <= high and low <= stated.high else "no"


def _conversion(statement_unit: str, indicator_unit: str | None) -> tuple[Unit, Unit] | None:
    """The appendix unit and the statement's (``Tỷ đồng`` -> ``triệu đồng``) when they differ
    within one dimension; None when no conversion applies."""
    source = lookup_unit(indicator_unit or "")
    target = lookup_unit(statement_unit)
    if source is None or target is None or source.code == target.code or source.dimension != target.dimension:
        return None
    return source, target


def _compatible(token: Token, row: dict) -> bool:
    source = lookup_unit(row.get("unit_vi") or "")
    target = lookup_unit(token.unit_vi)
    return source is None or target is None or source.dimension == target.dimension


def assign(tokens: list[Token], candidates: list[dict], head: dict) -> dict[int, dict]:
    """Figure tokens -> appendix rows, one to one, best name overlap first.

    Overlap counts the words of the row's name found before or after the number; ties go to the
    row whose name is covered more fully, then to printed order.
    """
    pairs = []
    figures = [i for i, t in enumerate(tokens) if t.role == "value"]
    for rank, index in enumerate(figures):
        token = tokens[index]
        for order, row in enumerate(candidates):
            if not _compatible(token, row):
                continue
            name = _words(row["name_vi"] or "")
            overlap = max(len(name & _words(token.before)), len(name & _words(token.after)))
            if rank == 0 and row is head:
                overlap += _HEAD_BONUS
            if overlap == 0 and len(candidates) > 1:
                continue
            pairs.append((-overlap, -overlap / max(len(name), 1), order, index, row))
    pairs.sort(key=lambda p: p[:4])
    matched: dict[int, dict] = {}
    used: set[str] = set()
    for *_, index, row in pairs:
        if index in matched or row["indicator_id"] in used:
            continue
        matched[index] = row
        used.add(row["indicator_id"])
    return matched


def _name_parts(tokens: list[Token], text: str, family: list[dict]) -> None:
    """A number printed inside an indicator's name (``trên 1 đơn vị``) is part of the name."""
    names = " ".join(fold_diacritics(r["name_vi"] or "") for r in family)
    for token in tokens:
        if token.role not in ("value",):
            continue
        nxt = _WORD.search(fold_diacritics(text[token.end :]))
        if nxt and f"{token.printed} {nxt[0]}".casefold() in names:
            token.role = "name_part"
            token.qualifier = ""


def check_statement(
    statement: Statement,
    appendix: Appendix,
    report_id: str,
    period: int,
    measures: tuple[str, ...],
) -> list[dict[str, object]]:
    """One row per number of the statement, with its match and verdict."""
    text = statement.text
    head = appendix.head(statement.item)
    family = appendix.family(head) if head else []
    candidates = [r for r in family if appendix.observation(r["indicator_id"], measures, period)]
    tokens = read_tokens(text)
    _name_parts(tokens, text, family)
    matched = assign(tokens, candidates, head) if head else {}
    rows = []
    current = head if head in candidates else None
    for index, token in enumerate(tokens):
        row_match = matched.get(index)
        if token.role == "value" and row_match is not None:
            current = row_match
        target = row_match if token.role == "value" else current
        if token.role in ("pct_of_plan", "difference") and token.against_plan:
            verdict = _compare_derived(token, target, appendix, measures, period, statement.section)
        elif token.role == "value" and target is not None:
            verdict = _compare_value(token, target, appendix, measures, period)
        else:
            verdict = _unmatched(token, head)
        unit = lookup_unit(token.unit_vi)
        rows.append(
            {
                "report_id": report_id,
                "section": statement.section,
                "item": statement.item,
                "number_index": index + 1,
                "statement": text,
                "number_printed": token.printed,
                "value": plain(token.number.value) if token.number else None,
                "unit_vi": token.unit_vi or None,
                "unit": unit.code if unit else None,
                "qualifier": token.qualifier or None,
                "role": token.role,
                **verdict,
                "source_line": statement.line,
            }
        )
    return rows


def _unmatched(token: Token, head: dict | None) -> dict[str, object]:
    reasons = {
        "name_part": "part of an indicator's name, not a figure",
        "year": "a year, not a figure",
        "difference": "a difference not stated against the plan",
        "pct_of_plan": "no appendix row to compare with",
    }
    note = reasons.get(token.role, "no appendix row of this statement's indicator matches")
    if head is None:
        note = "the appendix has no row with this statement's number"
    return {
        "indicator_id": None,
        "measure": None,
        "period": None,
        "appendix_value": None,
        "appendix_printed": None,
        "agrees": "unmatched",
        "note": note,
    }


def _compare_value(
    token: Token, row: dict, appendix: Appendix, measures: tuple[str, ...], period: int
) -> dict[str, object]:
    measure, figure = appendix.observation(row["indicator_id"], measures, period)  # type: ignore[misc]
    printed = _printed(figure)
    units = _conversion(token.unit_vi, row.get("unit_vi"))

    def stated(value: Decimal) -> Decimal:
        return (convert(value, *units) or value) if units else value

    return {
        "indicator_id": row["indicator_id"],
        "measure": measure,
        "period": period,
        "appendix_value": plain(stated(printed.value)),
        "appendix_printed": " ".join(filter(None, [printed.printed, row.get("unit_vi")])),
        "agrees": _agrees(token.number, stated(printed.low), stated(printed.high)),
        "note": f"appendix {row.get('unit_vi')} converted to {token.unit_vi}" if units else None,
    }


def _compare_derived(
    token: Token,
    row: dict | None,
    appendix: Appendix,
    measures: tuple[str, ...],
    period: int,
    section: str,
) -> dict[str, object]:
    """A % of plan against the published ratio (else estimate/plan); a difference against estimate − plan."""
    if row is None or section != "results":
        return _unmatched(token, row)
    measure, result = appendix.observation(row["indicator_id"], measures, period)  # type: ignore[misc]
    plan = appendix.observation(row["indicator_id"], TARGETS, period)
    base = {"indicator_id": row["indicator_id"], "measure": measure, "period": period}
    published = appendix.published_ratio(row["indicator_id"], measure, period)
    if token.role == "pct_of_plan" and published:
        figure, formula = published
        ratio = _printed(figure)
        return {
            **base,
            "appendix_value": plain(ratio.value),
            "appendix_printed": ratio.printed,
            "agrees": _agrees(token.number, ratio.low, ratio.high),
            "note": f"against the published ratio {formula or ''}".strip(),
        }
    if plan is None:
        return _unmatched(token, row)
    done = _printed(result)
    target = _printed(plan[1])
    if token.role == "pct_of_plan":
        achievable = ratio_range(done, target)
        if achievable is None:
            return _unmatched(token, row)
        low, high = achievable
        value, note = done.value / target.value * 100, "computed as result / plan (no published ratio)"
    else:
        if token.direction == 0:
            return _unmatched(token, row)
        sign = Decimal(token.direction)
        low, high = sorted((sign * (done.low - target.high), sign * (done.high - target.low)))
        value = sign * (done.value - target.value)
        note = "computed as " + ("plan − result" if sign < 0 else "result − plan")
    return {
        **base,
        "appendix_value": plain(value.quantize(Decimal("0.000001"))),
        "appendix_printed": None,
        "agrees": _agrees(token.number, low, high),
        "note": note,
    }


def extract_narrative_checks(
    doc: Document, appendix: Appendix
) -> tuple[list[dict[str, object]], list[ExtractionWarning]]:
    """Every number of the results and targets statements, matched and judged.

    Results restate the reporting year's estimate (or actual); targets the plan of the plan year.
    A "% KH" is judged against the ratio the appendix printed, where it printed one.
    """
    rows: list[dict[str, object]] = []
    warnings: list[ExtractionWarning] = []
    sections = (
        ("results", RESULTS_HEADING, appendix.reporting_year, RESULTS),
        ("targets", TARGETS_HEADING, appendix.plan_year, TARGETS),
    )
    for section, pattern, period, measures in sections:
        statements, found = find_statements(doc, pattern, section)
        warnings.extend(found)
        for statement in statements:
            rows.extend(check_statement(statement, appendix, appendix.report_id, period, measures))
    return locate(doc, rows, warnings)
