"""Figures printed in prose lists: ``<metric cue> … <actual>[ unit]/<plan>[ unit], đạt N% KH,
bằng M% so với năm Y``, read into rows of a footnote resource (crops, livestock)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.common.decimals import plain
from pipelines.common.enums import Measure
from pipelines.common.numbers import PrintedNumber, parse_number
from pipelines.extract.units import match_unit, normalise_unit_text, resolve_unit
from pipelines.extract.warning import ExtractionWarning

# A number literal inside prose (Vietnamese notation), and the token that finds one.
NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
NUMBER_TOKEN = re.compile(rf"(?<![\w.,])(?:{NUMBER})(?!\d)")

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
