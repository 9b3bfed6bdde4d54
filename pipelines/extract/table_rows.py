"""Tables read by their header meaning, as rows of the package's resources.

Each data row is an indicator; each printed figure an observation keyed by measure, period and
breakdown (empty for none), carrying its qualifier, range ends, words and review reason; a ratio
column whose numerator and denominator the header names gives ratio rows; a verdict column gives
verdict rows compared with the figures (``pipelines.common.assessment``). Every flagged cell, and
every column whose role could not be read, is listed as a warning with its resource, key,
``source_ref`` and reason. An empty cell has no row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from pipelines.common.assessment import NOT_ASSESSABLE, assess
from pipelines.common.enums import Assessment, Measure, ReviewReason
from pipelines.common.text import slugify
from pipelines.extract.header_roles import MEASURES, RATIO, UNKNOWN, VERDICT, ColumnRole
from pipelines.extract.shapes import ReadRow, ReadTable
from pipelines.extract.values import CellValue

UNKNOWN_COLUMN_ROLE = ReviewReason.unknown_column_role
# Which printed result a verdict judges, best first: the closed figure before the estimate.
RESULT_MEASURES = (Measure.actual, Measure.preliminary, Measure.estimate)
GOAL_MEASURES = (Measure.target, Measure.plan)
REACHED = {Assessment.met, Assessment.exceeded}
# Words before a second value in parentheses that say it is the level left after a change.
REMAINING = {"còn", "con", "còn lại"}
REMAINING_ID = "remaining"


@dataclass
class TableRows:
    """Rows of each resource built from a document's tables."""

    indicators: list[dict[str, object]] = field(default_factory=list)
    observations: list[dict[str, object]] = field(default_factory=list)
    ratios: list[dict[str, object]] = field(default_factory=list)
    verdicts: list[dict[str, object]] = field(default_factory=list)
    warnings: list[dict[str, object]] = field(default_factory=list)


Direction = Callable[[str], str | None]


def table_rows(
    report_id: str, tables: Sequence[ReadTable], direction: Direction = lambda _: None
) -> TableRows:
    """The resources' rows; ``direction`` gives an indicator's direction from its name (None: unknown)."""
    out = TableRows()
    for number, table in enumerate(tables, start=1):
        prefix = f"{report_id}/{slugify(table.label) or f't{number}'}"
        for column in table.unknown_columns:
            out.warnings.append(
                _warning(
                    report_id,
                    "observations",
                    f"{table.label} / {column.label}",
                    table.source_ref,
                    UNKNOWN_COLUMN_ROLE,
                    f"column {column.label!r} of {table.label}: role not read from "
                    "its header; its cells are not published",
                )
            )
        for index, row in enumerate(table.rows, start=1):
            indicator_id = f"{prefix}/{index}"
            out.indicators.append(_indicator(report_id, indicator_id, row, len(out.indicators) + 1))
            _figures(out, report_id, indicator_id, row)
            _verdicts(out, report_id, indicator_id, row, direction(row.name_vi))
    return out


def _indicator(report_id: str, indicator_id: str, row: ReadRow, number: int) -> dict[str, object]:
    return {
        "report_id": report_id,
        "indicator_id": indicator_id,
        "parent_id": None,
        "row_number": number,
        "tt": row.row_label or None,
        "kind": "indicator",
        "name_vi": row.name_vi,
        "name_printed": row.name,
        "unit_vi": row.unit or None,
        "group": row.group or None,
        "source_ref": row.source_ref,
    }


def _figures(out: TableRows, report_id: str, indicator_id: str, row: ReadRow) -> None:
    for cell in row.cells:
        value, column = cell.value, cell.column
        if value.is_empty or column.role == UNKNOWN:
            continue
        if column.role in MEASURES and column.period is not None:
            key = (indicator_id, column.role, column.period, column.breakdown)
            out.observations.append(_observation(report_id, key, value, cell.source_ref))
            if value.review_reason:
                out.warnings.append(
                    _warning(
                        report_id,
                        "observations",
                        " | ".join(map(str, key)),
                        cell.source_ref,
                        value.review_reason,
                        f"{value.printed!r} kept as printed, not read as a number",
                    )
                )
            if value.secondary is not None:
                _secondary(out, report_id, key, value, cell.source_ref)
        elif column.role == RATIO:
            _ratio(out, report_id, indicator_id, column, value, cell.source_ref)


def _secondary(
    out: TableRows, report_id: str, key: tuple[str, str, int, str], value: CellValue, ref: str
) -> None:
    """``0,7% (còn 4,33%)``: the level left (``còn``) is an observation of its own indicator, the
    row's remaining level; a second value the text does not explain stays in the note."""
    assert value.secondary is not None
    if value.secondary_label not in REMAINING:
        out.observations[-1]["note"] = (
            f"({' '.join(filter(None, [value.secondary_label, value.secondary.printed]))})"
        )
        return
    indicator_id, measure, period, breakdown = key
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
        "source_ref": ref,
    }


def _ratio(
    out: TableRows, report_id: str, indicator_id: str, column: ColumnRole, value: CellValue, ref: str
) -> None:
    top, bottom = column.numerator, column.denominator
    if (
        value.value is None
        or top is None
        or bottom is None
        or None in (top.measure, top.period, bottom.measure, bottom.period)
    ):
        return
    out.ratios.append(
        {
            "report_id": report_id,
            "indicator_id": indicator_id,
            "breakdown": column.breakdown,
            "formula": column.label,
            "numerator_measure": top.measure,
            "numerator_period": top.period,
            "denominator_measure": bottom.measure,
            "denominator_period": bottom.period,
            "published_printed": value.printed,
            "published_pct": value.value,
            "source_ref": ref,
        }
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
                "assessed": assessed,
                "agrees": None
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


def _warning(
    report_id: str, resource: str, key: str, ref: str, reason: str, message: str
) -> dict[str, object]:
    return {
        "report_id": report_id,
        "resource": resource,
        "row_key": key,
        "source_ref": ref,
        "code": reason,
        "message": message,
    }
