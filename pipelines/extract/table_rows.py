"""Tables read by their header meaning, as rows of the package's resources.

Each data row is an indicator; each printed figure an observation keyed by measure, period and
breakdown (``all`` for a figure the table does not split), carrying its qualifier, range ends,
words and review reason; a ratio column whose numerator and denominator the header names gives
ratio rows, checked against the row's figures at their printed precision; a verdict column gives
verdict rows compared with the figures (``pipelines.common.assessment``, with the direction the
catalogue gives the indicator). Every flagged cell, and every column whose role could not be read,
is listed as a warning with its resource, key, ``source_ref`` and reason. An empty cell has no row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from pipelines.common.assessment import NOT_ASSESSABLE, assess
from pipelines.common.enums import NOT_SPLIT, Assessment, Measure, ReviewReason
from pipelines.common.numbers import PrintedNumber
from pipelines.common.text import slugify
from pipelines.extract.header_roles import MEASURES, RATIO, UNKNOWN, VERDICT, ColumnRole
from pipelines.extract.names import lookup_indicator
from pipelines.extract.ratios import SIX_PLACES, computed_pct, is_consistent
from pipelines.extract.shapes import ReadRow, ReadTable
from pipelines.extract.units import lookup_unit
from pipelines.extract.values import CellValue
from pipelines.extract.warning import ExtractionWarning

UNKNOWN_COLUMN_ROLE = ReviewReason.unknown_column_role
# Which printed result a verdict judges, best first: the closed figure before the estimate.
RESULT_MEASURES = (Measure.actual, Measure.preliminary, Measure.estimate)
GOAL_MEASURES = (Measure.target, Measure.plan)
REACHED = {Assessment.met, Assessment.exceeded}
# Words before a second value in parentheses that say it is the level left after a change.
REMAINING = {"còn", "con", "còn lại"}
REMAINING_ID = "remaining"
_LINE_REF = re.compile(r"^L(\d+)$")


@dataclass
class TableRows:
    """Rows of each resource built from a document's tables."""

    indicators: list[dict[str, object]] = field(default_factory=list)
    observations: list[dict[str, object]] = field(default_factory=list)
    ratios: list[dict[str, object]] = field(default_factory=list)
    verdicts: list[dict[str, object]] = field(default_factory=list)
    warnings: list[ExtractionWarning] = field(default_factory=list)


def table_rows(report_id: str, tables: Sequence[ReadTable], tolerance_pct: Decimal = Decimal(0)) -> TableRows:
    """The resources' rows of every table, numbered ``<report>/<table label>/<row>``."""
    out = TableRows()
    for number, table in enumerate(tables, start=1):
        prefix = f"{report_id}/{slugify(table.label) or f't{number}'}"
        for column, ref in table.unknown_columns:
            _warn(
                out,
                _warning(
                    None,
                    None,
                    ref,
                    UNKNOWN_COLUMN_ROLE,
                    f"column {column.label!r} of {table.label}: role not read from "
                    "its header; its cells are not published",
                ),
            )
        for index, row in enumerate(table.rows, start=1):
            indicator_id = f"{prefix}/{index}"
            known = lookup_indicator(row.name_vi)
            out.indicators.append(_indicator(report_id, indicator_id, row, len(out.indicators) + 1))
            _figures(out, report_id, indicator_id, row, tolerance_pct)
            _verdicts(out, report_id, indicator_id, row, known.direction if known else None)
    return out


def _line(ref: str) -> int | None:
    """The raw line of a text source's reference (``L12``); None for other formats."""
    match = _LINE_REF.match(ref)
    return int(match[1]) if match else None


def _indicator(report_id: str, indicator_id: str, row: ReadRow, number: int) -> dict[str, object]:
    known = lookup_indicator(row.name_vi)
    unit = lookup_unit(row.unit) if row.unit else None
    return {
        "report_id": report_id,
        "indicator_id": indicator_id,
        "parent_id": None,
        "row_number": number,
        "tt": row.row_label or None,
        "kind": "indicator",
        "indicator_code": known.code if known else None,
        "name_vi": row.name_vi,
        "name_printed": row.name,
        "name_en": known.name_en if known else None,
        "unit_vi": row.unit or None,
        "unit": unit.code if unit else None,
        "unit_en": unit.label_en if unit else None,
        "note": f"under: {row.group}" if row.group else None,
        "source_line": _line(row.source_ref),
        "source_ref": row.source_ref,
    }


def _figures(out: TableRows, report_id: str, indicator_id: str, row: ReadRow, tolerance_pct: Decimal) -> None:
    for cell in row.cells:
        value, column = cell.value, cell.column
        if value.is_empty or column.role == UNKNOWN:
            continue
        if column.role in MEASURES and column.period is not None:
            key = (indicator_id, column.role, column.period, column.breakdown or NOT_SPLIT)
            out.observations.append(_observation(report_id, key, value, cell.source_ref))
            if value.review_reason:
                _warn(
                    out,
                    _warning(
                        "observations",
                        " | ".join(map(str, key)),
                        cell.source_ref,
                        value.review_reason,
                        f"{value.printed!r} kept as printed, not read as a number",
                    ),
                )
            if value.secondary is not None:
                _secondary(out, report_id, key, value, cell.source_ref)
        elif column.role == RATIO:
            _ratio(out, report_id, indicator_id, row, column, value, cell.source_ref, tolerance_pct)


def _secondary(
    out: TableRows, report_id: str, key: tuple[str, str, int, str], value: CellValue, ref: str
) -> None:
    """``0,7% (còn 4,33%)``: the level left (``còn``) is an observation of its own indicator, the
    row's remaining level; a second value the text does not explain stays in the indicator's note
    (observations have no note; the figure's ``value_printed`` keeps the whole cell too)."""
    assert value.secondary is not None
    indicator_id, measure, period, breakdown = key
    if value.secondary_label not in REMAINING:
        indicator = next(row for row in out.indicators if row["indicator_id"] == indicator_id)
        split = "" if breakdown == NOT_SPLIT else f" {breakdown}"
        second = " ".join(filter(None, [value.secondary_label, value.secondary.printed]))
        said = f"{measure} {period}{split} printed with a second value ({second})"
        indicator["note"] = "; ".join(filter(None, [indicator["note"], said]))
        return
    remaining_id = f"{indicator_id}/{REMAINING_ID}"
    if not any(row["indicator_id"] == remaining_id for row in out.indicators):
        parent = next(row for row in out.indicators if row["indicator_id"] == indicator_id)
        out.indicators.append(
            {
                **parent,
                "indicator_id": remaining_id,
                "parent_id": indicator_id,
                "row_number": len(out.indicators) + 1,
                "tt": None,
                "name_vi": f"{parent['name_vi']}: mức còn lại",
                "name_printed": parent["name_printed"],
            }
        )
    out.observations.append(
        _observation(report_id, (remaining_id, measure, period, breakdown), value.secondary, ref)
    )


def _observation(
    report_id: str, key: tuple[str, str, int, str], value: CellValue, ref: str
) -> dict[str, object]:
    indicator_id, measure, period, breakdown = key
    return {
        "report_id": report_id,
        "indicator_id": indicator_id,
        "measure": measure,
        "period": period,
        "breakdown": breakdown,
        "value": value.value,
        "value_low": value.value_low,
        "value_high": value.value_high,
        "qualifier": value.qualifier or None,
        "value_text": value.value_text or None,
        "value_printed": value.printed,
        "decimals": value.decimals,
        "review_reason": value.review_reason or None,
        "review_status": None,
        "reviewed_by": None,
        "reviewed_on": None,
        "ocr_confidence": None,
        "column_number": None,
        "source_line": _line(ref),
        "source_ref": ref,
    }


def _ratio(
    out: TableRows,
    report_id: str,
    indicator_id: str,
    row: ReadRow,
    column: ColumnRole,
    value: CellValue,
    ref: str,
    tolerance_pct: Decimal,
) -> None:
    top, bottom = column.numerator, column.denominator
    published = _number(value)
    if value.review_reason:
        _warn(
            out,
            _warning(
                None,
                None,
                ref,
                value.review_reason,
                f"ratio {value.printed!r} ({column.label}) of {indicator_id} kept for review, not published",
            ),
        )
    if (
        published is None
        or top is None
        or bottom is None
        or None in (top.measure, top.period, bottom.measure, bottom.period)
    ):
        return
    numerator = _figure(row, top.measure, top.period, column.breakdown)
    denominator = _figure(row, bottom.measure, bottom.period, column.breakdown)
    try:
        computed = computed_pct(numerator, denominator) if numerator and denominator else None
        consistent = is_consistent(published, numerator, denominator, tolerance_pct)
    except InvalidOperation:  # figures beyond decimal arithmetic: the ratio cannot be judged
        computed, consistent = None, None
    out.ratios.append(
        {
            "report_id": report_id,
            "indicator_id": indicator_id,
            "breakdown": column.breakdown or NOT_SPLIT,
            "formula": column.label,
            "column_number": None,
            "numerator_measure": top.measure,
            "numerator_period": top.period,
            "denominator_measure": bottom.measure,
            "denominator_period": bottom.period,
            "published_printed": value.printed,
            "published_pct": value.value,
            "computed_pct": computed.quantize(SIX_PLACES) if computed is not None else None,
            "consistent": consistent,
            "review_reason": None,
            "review_status": None,
            "reviewed_by": None,
            "reviewed_on": None,
            "ocr_confidence": None,
            "source_line": _line(ref),
            "source_ref": ref,
        }
    )


def _number(value: CellValue) -> PrintedNumber | None:
    """A cell that is one plain number (no range, bound or flag), with its printed precision."""
    if value.value is None or value.qualifier or value.review_reason or value.decimals is None:
        return None
    return PrintedNumber(value.printed, value.value, value.decimals)


def _figure(row: ReadRow, measure: str | None, period: int | None, breakdown: str) -> PrintedNumber | None:
    return next(
        (
            _number(cell.value)
            for cell in row.cells
            if (cell.column.role, cell.column.period, cell.column.breakdown) == (measure, period, breakdown)
        ),
        None,
    )


def _verdicts(out: TableRows, report_id: str, indicator_id: str, row: ReadRow, direction: str | None) -> None:
    figures = {(c.column.role, c.column.period): c.value for c in row.cells if c.column.role in MEASURES}
    periods = [p for (_, p) in figures if p is not None]
    for cell in row.cells:
        if cell.column.role != VERDICT or cell.value.is_empty:
            continue
        period = max(periods) if periods else None
        result = next(
            (figures[m, period] for m in RESULT_MEASURES if not _blank(figures.get((m, period)))), None
        )
        goal = next((figures[m, period] for m in GOAL_MEASURES if not _blank(figures.get((m, period)))), None)
        assessed = _assess(result, goal, direction)
        printed = cell.value.verdict
        out.verdicts.append(
            {
                "report_id": report_id,
                "indicator_id": indicator_id,
                "period": period,
                "verdict_printed": cell.value.printed,
                "verdict": printed,
                "assessment": assessed,
                "figures_agree": None
                if printed is None or assessed == NOT_ASSESSABLE
                else _agrees(printed, assessed),
                "source_ref": cell.source_ref,
            }
        )


def _blank(value: CellValue | None) -> bool:
    return value is None or value.value_low is None


def _assess(result: CellValue | None, goal: CellValue | None, direction: str | None) -> str:
    if result is None or goal is None:
        return NOT_ASSESSABLE
    return assess(
        _single(result),
        target_low=goal.value_low,
        target_high=goal.value_high,
        qualifier=goal.qualifier,
        direction=direction,
        flagged=bool(result.review_reason or goal.review_reason),
    )


def _single(value: CellValue) -> Decimal | None:
    return value.value if value.value is not None else None


def _agrees(printed: str, assessed: str) -> bool:
    """Printed and assessed agree when both say the target was reached (met or exceeded: ``Vượt``
    beside a bound the figure satisfies, ``Đạt`` beside a figure above a single-number plan) or
    both say it was not."""
    return (printed in REACHED) == (assessed in REACHED)


def _warn(out: TableRows, warning: ExtractionWarning) -> None:
    """List ``warning``; two items flagged in one cell (stacked sub-rows) are one warning, since
    warnings are keyed by where they were printed and why."""
    for k, seen in enumerate(out.warnings):
        if (seen.source_ref, seen.code) == (warning.source_ref, warning.code):
            out.warnings[k] = replace(seen, row_key=None, message=f"{seen.message}; {warning.message}")
            return
    out.warnings.append(warning)


def _warning(resource: str | None, key: str | None, ref: str, reason: str, message: str) -> ExtractionWarning:
    return ExtractionWarning(_line(ref), reason, message, ref, resource, key)
