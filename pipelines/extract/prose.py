"""What the prose parsers share: footnote bodies, sections under a heading, numbers with their units.

The report's prose tables are lists dropped into footnotes wherever a page ended, so they are found
by structure (a footnote marker referenced from a section, the body that starts with that marker and
the list that follows it), never by line numbers.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from pipelines.common.decimals import decimal_text
from pipelines.common.enums import Measure
from pipelines.common.numbers import PrintedNumber, parse_number
from pipelines.common.paths import REFERENCE_DIR
from pipelines.common.text import clean_cell, fold_diacritics
from pipelines.extract.document import Document, locate
from pipelines.extract.units import Unit, lookup_unit, unit_table
from pipelines.extract.warning import ExtractionWarning

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# A footnote body opens a line with its marker: "⁴ Kết quả …", "⁽²⁰⁾ …".
_BODY_START = re.compile(r"^\s*⁽?([⁰¹²³⁴⁵⁶⁷⁸⁹]+)⁾?\s*(\S.*)$")
# A reference inside the text; "m³" and "km²" are units, not references.
_REFERENCE = re.compile(r"(?<![mM])⁽?([⁰¹²³⁴⁵⁶⁷⁸⁹]+)⁾?")
_LIST_ITEM = re.compile(r"^\s*[+\-–]\s+\S")
# Headings: "a) Trồng trọt:", "1.2. Lĩnh vực …", "II. KẾT QUẢ …".
_HEADING = re.compile(r"^\s*(?:[a-zđ]\)|\d+(?:\.\d+)*\.|[IVXLC]+\.)\s+\S", re.IGNORECASE)
_ROMAN_HEADING = re.compile(r"^\s*[IVXLC]+\.\s+\S")
# Lines of prose an announcing footnote body (ending with ":") may skip before its list starts:
# the rest of the page the footnote interrupted.
MAX_INTERRUPTION = 5

NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
NUMBER_TOKEN = re.compile(rf"(?<![\w.,])(?:{NUMBER})(?!\d)")


@dataclass(frozen=True)
class Footnote:
    """A footnote's body: its opening line (marker removed) and the list items that belong to it."""

    number: int
    line: int
    items: tuple[tuple[int, str], ...]


def _marker_number(text: str) -> int:
    return int(text.translate(_SUPERSCRIPT))


def footnote_bodies(doc: Document) -> dict[int, Footnote]:
    """Every footnote body, with the list that follows its opening line.

    A body ending with ":" announces a list that may start after a few lines of the interrupted
    page; otherwise only list items directly after the opening line belong to it.
    """
    bodies: dict[int, Footnote] = {}
    lines = doc.lines
    for index, text in enumerate(lines):
        match = _BODY_START.match(text)
        if not match:
            continue
        number = _marker_number(match[1])
        opening = clean_cell(match[2])
        items: list[tuple[int, str]] = [(index + 1, opening)]
        may_skip = MAX_INTERRUPTION if opening.endswith(":") else 0
        listed = False
        for later in range(index + 1, len(lines)):
            following = lines[later]
            if not following.strip():
                continue
            if _BODY_START.match(following):
                break
            if _LIST_ITEM.match(following):
                items.append((later + 1, clean_cell(following)))
                listed = True
                continue
            if listed or may_skip == 0:
                break
            may_skip -= 1
        bodies.setdefault(number, Footnote(number, index + 1, tuple(items)))
    return bodies


def find_heading(doc: Document, pattern: re.Pattern[str], start: int = 1) -> int | None:
    """1-based line of the first heading (a short numbered line) whose folded text matches ``pattern``."""
    for number in range(start, len(doc.lines) + 1):
        text = clean_cell(doc.line(number))
        if _HEADING.match(text) and len(text) <= 120 and pattern.search(fold_diacritics(text)):
            return number
    return None


def section_end(doc: Document, heading: int, roman_only: bool = False) -> int:
    """Last line of the section opened at ``heading``: the line before the next heading of any kind
    (or, with ``roman_only``, the next Roman-numeral heading)."""
    boundary = _ROMAN_HEADING if roman_only else _HEADING
    for number in range(heading + 1, len(doc.lines) + 1):
        text = clean_cell(doc.line(number))
        if boundary.match(text) and len(text) <= 120:
            return number - 1
    return len(doc.lines)


def referenced_footnotes(doc: Document, first: int, last: int) -> list[int]:
    """Footnote numbers referenced in lines ``first..last``, skipping the bodies' own opening lines."""
    found: list[int] = []
    for number in range(first, last + 1):
        text = doc.line(number)
        if _BODY_START.match(text):
            continue
        for match in _REFERENCE.finditer(text):
            value = _marker_number(match[1])
            if value not in found:
                found.append(value)
    return found


def footnotes_under(doc: Document, heading_pattern: re.Pattern[str]) -> list[Footnote]:
    """Bodies of the footnotes referenced under a heading; every footnote when no heading matches.

    The caller scores the candidates (a list that parses best wins), so a section that also refers
    to an unrelated footnote, or a report without the heading, still finds its list.
    """
    bodies = footnote_bodies(doc)
    heading = find_heading(doc, heading_pattern)
    if heading is None:
        return list(bodies.values())
    numbers = referenced_footnotes(doc, heading, section_end(doc, heading))
    return [bodies[n] for n in numbers if n in bodies]


@cache
def _unit_pattern() -> re.Pattern[str]:
    """Printed units of ``reference/units.csv``, longest first, spaces around "/" allowed."""
    keys = sorted(unit_table(), key=len, reverse=True)
    alternatives = [r"\s*/\s*".join(re.escape(part) for part in key.split("/")) for key in keys]
    return re.compile(rf"(?:{'|'.join(alternatives)})(?!\w)", re.IGNORECASE)


def match_unit(text: str) -> str | None:
    """The known unit ``text`` starts with (as printed), or None."""
    match = _unit_pattern().match(text)
    return match[0] if match else None


def normalise_unit_text(unit_vi: str) -> str:
    """``tạ /ha`` -> ``tạ/ha``: one spelling per printed unit."""
    return re.sub(r"\s*/\s*", "/", clean_cell(unit_vi))


def resolve_unit(unit_vi: str, line: int, warnings: list[ExtractionWarning]) -> Unit | None:
    """The normalised unit, or None plus an ``unknown_unit`` warning."""
    unit = lookup_unit(unit_vi)
    if unit is None and unit_vi:
        warnings.append(
            ExtractionWarning(line, "unknown_unit", f"unit {unit_vi!r} is not in reference/units.csv")
        )
    return unit


def plain(value: Decimal) -> Decimal:
    """A Decimal without exponent notation, so CSV cells read ``4180000``, not ``4.18E+6``."""
    return Decimal(decimal_text(value))


def number(printed: str) -> PrintedNumber:
    """A prose number literal, parsed with the appendix's rules."""
    return parse_number(printed)


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def merge_warnings(warnings: list[ExtractionWarning]) -> list[ExtractionWarning]:
    """One warning per (line, code), messages joined: the warnings resource is keyed that way."""
    merged: dict[tuple[int, str], list[str]] = {}
    for warning in warnings:
        messages = merged.setdefault((warning.source_line, warning.code), [])
        if warning.message not in messages:
            messages.append(warning.message)
    return [ExtractionWarning(line, code, "; ".join(msgs)) for (line, code), msgs in merged.items()]


Rows = list[dict[str, object]]


def best_footnote(
    doc: Document,
    heading: re.Pattern[str],
    parse: Callable[[Footnote], tuple[Rows, list[ExtractionWarning]]],
    missing: ExtractionWarning,
) -> tuple[Rows, list[ExtractionWarning]]:
    """Rows of the footnote under ``heading`` that yields the most; ``missing`` alone when none does."""
    best: tuple[Rows, list[ExtractionWarning]] = ([], [])
    for footnote in footnotes_under(doc, heading):
        rows, warnings = parse(footnote)
        if len(rows) > len(best[0]):
            best = (rows, warnings)
    if not best[0]:
        return locate(doc, [], [missing])
    return locate(doc, best[0], merge_warnings(best[1]))


# --- Figures: "<metric cue> … <actual>[ unit]/<plan>[ unit], đạt N% KH, bằng M% so với năm Y" ---

_REFERENCE_PERIOD = (
    r"(?P<ref>năm\s+(?P<year>\d{4})|cùng kỳ(?:\s+năm\s+(?:trước|(?P<year2>\d{4})))?|năm trước)"
)
_PCT = rf"(?P<n>{NUMBER})\s*(?P<pct>%?)"
_PLAN_PCT = re.compile(rf"(?:đạt|bằng)\s+{_PCT}\s*(?:so với\s+)?(?:KH|kế hoạch)(?!\w)", re.IGNORECASE)
_PREVIOUS_AFTER = re.compile(
    rf"(?P<verb>bằng|tăng|đạt)\s+{_PCT}\s*so với\s+{_REFERENCE_PERIOD}", re.IGNORECASE
)
_PREVIOUS_BEFORE = re.compile(
    rf"so với\s+{_REFERENCE_PERIOD}\s+(?P<verb>bằng|tăng|đạt)\s+{_PCT}", re.IGNORECASE
)
_YEAR_TO_DATE = re.compile(r"từ đầu năm", re.IGNORECASE)
_ESTIMATED = re.compile(r"(?<!\w)ước(?!\w)", re.IGNORECASE)
_SLASH_NUMBER = re.compile(rf"\s*/\s*({NUMBER})")
_WORD_AFTER = re.compile(r"[^\W\d_]+")
# Words that may follow a number without being its unit.
_SENTENCE_WORDS = frozenset(
    ["đạt", "bằng", "so", "tăng", "giảm", "ước", "và", "là", "kh", "trong", "với", "vượt", "của", "được"]
)
_NUMBER_AT = re.compile(rf"\s*({NUMBER})")


@dataclass(frozen=True)
class Figure:
    """One metric of one list item: the actual (and plan, after a slash) with the printed percentages."""

    metric: str
    line: int
    label: str
    estimated: bool
    actual: PrintedNumber
    actual_unit: str
    plan: PrintedNumber | None
    plan_unit: str
    pct_of_plan: PrintedNumber | None
    pct_of_previous_year: PrintedNumber | None
    notes: tuple[str, ...]
    plan_notes: tuple[str, ...]


def _value_and_unit(text: str, start: int) -> tuple[PrintedNumber, str, int]:
    """The number at ``start`` and the known unit printed right after it; the end of what was read."""
    match = _NUMBER_AT.match(text, start)
    if match is None:
        raise ValueError(f"no number at offset {start}")
    gap = len(text[match.end() :]) - len(text[match.end() :].lstrip())
    unit = match_unit(text[match.end() + gap :]) or _unknown_unit(text[match.end() + gap :])
    end = match.end() + gap + len(unit) if unit else match.end()
    return parse_number(match[1]), normalise_unit_text(unit or ""), end


def _unknown_unit(text: str) -> str | None:
    """A word after a number that is no known unit yet no word of the sentence either: ``3 bao``."""
    word = _WORD_AFTER.match(text)
    return word[0] if word and word[0].casefold() not in _SENTENCE_WORDS else None


def _shared_units(actual_unit: str, plan_unit: str) -> tuple[str, str]:
    """``46,8 tạ/45,0 tạ /ha``: the unit printed after the plan completes the actual's."""
    if plan_unit and (not actual_unit or plan_unit.split("/")[0] == actual_unit):
        return plan_unit, plan_unit
    return actual_unit, plan_unit or actual_unit


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _percentages(
    text: str,
    start: int,
    taken: list[tuple[int, int]],
    reporting_year: int,
    line: int,
    warnings: list[ExtractionWarning],
) -> tuple[PrintedNumber | None, PrintedNumber | None, list[str]]:
    """The printed % of plan and % of the previous year in ``text[start:]``; notes on loose wording.

    Spans read are appended to ``taken`` (offsets in ``text``).
    """
    notes: list[str] = []
    of_plan = previous = None
    for match in _PLAN_PCT.finditer(text, start):
        if of_plan is None and not _overlaps(match.span(), taken):
            taken.append(match.span())
            of_plan = parse_number(match["n"])
            if not match["pct"]:
                notes.append(f'"%" not printed after {match["n"]} (of plan)')
    for pattern in (_PREVIOUS_BEFORE, _PREVIOUS_AFTER):
        for match in pattern.finditer(text, start):
            if previous is not None or _overlaps(match.span(), taken):
                continue
            taken.append(match.span())
            year = match["year"] or match["year2"]
            if year and int(year) != reporting_year - 1:
                warnings.append(
                    ExtractionWarning(
                        line,
                        "pct_year_mismatch",
                        f"percentage {match['n']} compares with {year}, not with {reporting_year - 1}",
                    )
                )
                notes.append(f"{match['n']}% compares with {year}; not recorded as % of the previous year")
                continue
            previous = parse_number(match["n"])
            if not match["pct"]:
                notes.append(f'"%" not printed after {match["n"]} (of the previous year)')
            if match["verb"].casefold() == "tăng":
                notes.append(
                    f'printed "tăng {match["n"]}% so với {match["ref"]}": read as {match["n"]} % '
                    "of the previous year, the report's loose wording, not as growth"
                )
            if match["ref"].casefold() == "cùng kỳ":
                notes.append('"so với cùng kỳ" (same period) read as the previous year')
    return of_plan, previous, notes


def figure_rows(
    report_id: str,
    subject: dict[str, object],
    figure: Figure,
    reporting_year: int,
    warnings: list[ExtractionWarning],
    extra_notes: tuple[str, ...] = (),
) -> list[dict[str, object]]:
    """The actual row (with its printed percentages) and, when printed, the plan row of a figure.

    ``subject`` holds the columns naming what the figure is about (a crop, a livestock item).
    """
    rows = []
    for measure, printed, unit_vi in (
        (Measure.actual, figure.actual, figure.actual_unit),
        (Measure.plan, figure.plan, figure.plan_unit),
    ):
        if printed is None:
            continue
        actual = measure == Measure.actual
        unit = resolve_unit(unit_vi, figure.line, warnings)
        of_plan = figure.pct_of_plan if actual else None
        previous = figure.pct_of_previous_year if actual else None
        notes = [*extra_notes, *(figure.notes if actual else figure.plan_notes)]
        rows.append(
            {
                "report_id": report_id,
                **subject,
                "metric": figure.metric,
                "measure": measure,
                "period": reporting_year,
                "value": plain(printed.value),
                "unit": unit.code if unit else None,
                "unit_vi": unit_vi or None,
                "value_printed": printed.printed,
                "decimals": printed.decimals,
                "pct_of_plan": plain(of_plan.value) if of_plan else None,
                "pct_of_plan_printed": of_plan.printed if of_plan else None,
                "pct_of_previous_year": plain(previous.value) if previous else None,
                "pct_of_previous_year_printed": previous.printed if previous else None,
                "estimated": figure.estimated and actual,
                "note": "; ".join(notes) or None,
                "source_line": figure.line,
            }
        )
    return rows


def read_figures(
    text: str,
    line: int,
    cues: re.Pattern[str],
    reporting_year: int,
    default_units: dict[str, str],
    warnings: list[ExtractionWarning],
    kind: str,
) -> list[Figure]:
    """Split ``text`` at the metric cues (named groups of ``cues``) and read each metric's figure.

    Every number of ``text`` must end up in a figure or a percentage; one that does not is reported
    as a ``<kind>_unread`` warning, so new phrasings surface instead of vanishing.
    """
    cue_spans = [(m.start(), m.end(), m.lastgroup or "") for m in cues.finditer(text)]
    taken: list[tuple[int, int]] = []
    figures: list[Figure] = []
    seen: set[str] = set()
    for index, (_, cue_end, metric) in enumerate(cue_spans):
        end = cue_spans[index + 1][0] if index + 1 < len(cue_spans) else len(text)
        segment = text[:end]
        first = NUMBER_TOKEN.search(segment, cue_end)
        if first is None:
            continue
        if metric in seen:
            warnings.append(
                ExtractionWarning(line, f"{kind}_unread", f"{metric} printed twice; kept the first")
            )
            continue
        seen.add(metric)
        actual, actual_unit, position = _value_and_unit(segment, first.start())
        plan, plan_unit = None, ""
        slash = _SLASH_NUMBER.match(segment, position)
        if slash:
            plan, plan_unit, position = _value_and_unit(segment, slash.start(1))
        taken.append((first.start(), position))
        label = text[cue_end : first.start()].strip(" :,")
        notes: list[str] = []
        if _YEAR_TO_DATE.search(label):
            notes.append("since the start of the year (từ đầu năm)")
        plan_notes: list[str] = []
        if plan is not None and not plan_unit and actual_unit:
            plan_notes.append("unit not printed; taken from the actual")
        actual_unit, plan_unit = _shared_units(actual_unit, plan_unit)
        if not actual_unit and metric in default_units:
            actual_unit = plan_unit = default_units[metric]
            notes.append(f"unit not printed; {actual_unit} implied by the metric")
            plan_notes.append(notes[-1])
        of_plan, previous, pct_notes = _percentages(segment, position, taken, reporting_year, line, warnings)
        figures.append(
            Figure(
                metric=metric,
                line=line,
                label=label,
                estimated=bool(_ESTIMATED.search(label)),
                actual=actual,
                actual_unit=actual_unit,
                plan=plan,
                plan_unit=plan_unit if plan is not None else "",
                pct_of_plan=of_plan,
                pct_of_previous_year=previous,
                notes=(*notes, *pct_notes),
                plan_notes=tuple(plan_notes),
            )
        )
    unread = [m[0] for m in NUMBER_TOKEN.finditer(text) if not _overlaps(m.span(), taken)]
    if unread:
        warnings.append(
            ExtractionWarning(line, f"{kind}_unread", f"numbers not understood: {', '.join(unread)}")
        )
    return figures


@cache
def name_list(filename: str, key: str) -> dict[str, dict[str, str]]:
    """A curated name list (``reference/<filename>``): case-folded name or alias -> its row."""
    with (REFERENCE_DIR / filename).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names: dict[str, dict[str, str]] = {}
    for row in rows:
        for name in [row[key], *filter(None, row.get("aliases", "").split("|"))]:
            names[unicodedata.normalize("NFC", name).casefold()] = row
    return names
