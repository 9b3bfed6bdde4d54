"""From the stitched appendix rows to the indicators, observations and ratios tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from pipelines.common.enums import NOT_SPLIT, ReviewReason
from pipelines.common.errors import ExtractionError
from pipelines.common.numbers import NumberFormatError, PrintedNumber, parse_optional
from pipelines.extract.columns import Layout, RatioColumn, ValueColumn
from pipelines.extract.hierarchy import Marker, RowMarker, TreeBuilder, read_marker
from pipelines.extract.names import lookup_indicator
from pipelines.extract.ratios import SIX_PLACES, computed_pct, is_consistent
from pipelines.extract.scan_rows import ScanCertainty
from pipelines.extract.table import TableRow
from pipelines.extract.units import lookup_unit
from pipelines.extract.warning import ExtractionWarning
from pipelines.package.metadata import load_metadata
from pipelines.package.rows import Row, row_type


@dataclass(frozen=True)
class Unread:
    """A printed figure of a scan that is no number as read (``2/74``) or could not be read at
    all (empty): its row is kept, its value left empty, with the reason (none when a maintainer
    confirmed the text as printed: then it is the row's words)."""

    printed: str
    reason: str | None


UNREADABLE = Unread("", ReviewReason.ocr_unreadable)


def _figures(
    path: str,
    row: TableRow,
    columns: tuple[ValueColumn, ...] | tuple[RatioColumn, ...],
    certainty: ScanCertainty,
) -> dict[int, PrintedNumber | Unread | None]:
    """Column number -> the figure printed there, None when the cell is empty (not reported).
    Text where a number belongs stops a typed report; in a scan it is a reading to review."""
    figures: dict[int, PrintedNumber | Unread | None] = {}
    for column in columns:
        text, ref = row.cells[column.index], row.refs[column.index]
        try:
            figures[column.number] = parse_optional(text)
        except NumberFormatError:
            if not certainty.scanned:
                raise ExtractionError(
                    path, row.line, f"text where a number belongs in column {column.label!r}: {text!r}"
                ) from None
            # Words a maintainer confirmed as printed are words, not a doubtful number.
            reason = None if certainty.decided(ref) else ReviewReason.ocr_low_confidence
            figures[column.number] = Unread(text, reason)
        if not text and certainty.reason(ref) == ReviewReason.ocr_unreadable:
            figures[column.number] = UNREADABLE
    return figures


def _indicator_row(
    report_id: str,
    indicator_id: str,
    parent_id: str | None,
    row_number: int,
    kind: str,
    row: TableRow,
    layout: Layout,
    warnings: list[ExtractionWarning],
) -> dict[str, object]:
    """The ``indicators`` row of a table row: code, name, unit and note as printed, with the
    curated English name and unit code (a warning when a list does not know them)."""
    marker = read_marker(row.cells[layout.tt], row.cells[layout.name])
    unit_vi = row.cells[layout.unit]
    unit = lookup_unit(unit_vi) if unit_vi else None
    if unit_vi and unit is None:
        warnings.append(
            ExtractionWarning(
                row.line,
                "unknown_unit",
                f"unit {unit_vi!r} is not in reference/units.csv; kept as printed",
                source_ref=row.refs[layout.name],
            )
        )
    known = lookup_indicator(marker.name) if marker.name else None
    if known is None and marker.name:
        warnings.append(
            ExtractionWarning(
                row.line,
                "unknown_indicator",
                f"indicator {marker.name!r} is not in reference/indicators.csv; no English name",
                source_ref=row.refs[layout.name],
            )
        )
    return {
        "report_id": report_id,
        "indicator_id": indicator_id,
        "parent_id": parent_id,
        "row_number": row_number,
        "tt": marker.tt,
        "kind": kind,
        "indicator_code": known.code if known else None,
        "name_vi": marker.name or None,
        "name_printed": row.cells[layout.name] or None,
        "name_en": known.name_en if known else None,
        "unit_vi": unit_vi or None,
        "unit": unit.code if unit else None,
        "unit_en": unit.label_en if unit else None,
        "note": (row.cells[layout.note] or None) if layout.note is not None else None,
        "source_line": row.line,
        "source_ref": row.refs[layout.name],
    }


def _observation_rows(
    report_id: str,
    indicator_id: str,
    row: TableRow,
    layout: Layout,
    figures: dict[int, PrintedNumber | Unread | None],
    certainty: ScanCertainty,
) -> list[dict[str, object]]:
    """One ``observations`` row per printed figure; an empty cell (not reported) has none. A
    figure of a scan carries its certainty; one that is no number as read keeps its row, empty."""
    rows = []
    for column in layout.values:
        number = figures[column.number]
        if number is None:
            continue
        ref = row.refs[column.index]
        value = number.value if isinstance(number, PrintedNumber) else None
        rows.append(
            {
                "report_id": report_id,
                "indicator_id": indicator_id,
                "measure": column.measure,
                "period": column.period,
                "breakdown": NOT_SPLIT,
                "value": value,
                "value_low": value,
                "value_high": value,
                "qualifier": None,
                "value_text": number.printed
                if isinstance(number, Unread) and number.reason is None
                else None,
                "value_printed": number.printed or None,
                "decimals": number.decimals if isinstance(number, PrintedNumber) else None,
                **certainty.columns(ref, number.reason if isinstance(number, Unread) else None),
                "column_number": column.number,
                "source_line": row.line,
                "source_ref": ref,
            }
        )
    return rows


def _ratio_rows(
    path: str,
    report_id: str,
    indicator_id: str,
    row: TableRow,
    layout: Layout,
    figures: dict[int, PrintedNumber | Unread | None],
    printed_ratios: dict[int, PrintedNumber | Unread | None],
    tolerance_pct: Decimal,
    certainty: ScanCertainty,
) -> list[dict[str, object]]:
    """One ``ratios`` row per printed ratio, recomputed from the figures of its formula. From a
    scan, a ratio whose cell or figures are up for review carries the first of their reasons, and
    is not recomputed from a figure up for review (validation recomputes from plain figures only)."""
    rows = []
    for ratio in layout.ratios:
        published = printed_ratios[ratio.number]
        if not isinstance(published, PrintedNumber):
            continue
        top, bottom = (  # a figure up for review is not one to compute with (as in table_rows._number)
            n
            if isinstance(n := figures[column.number], PrintedNumber)
            and not certainty.reason(row.refs[column.index])
            else None
            for column in (ratio.numerator, ratio.denominator)
        )
        involved = (ratio.index, ratio.numerator.index, ratio.denominator.index)
        reason = next(filter(None, (certainty.reason(row.refs[i]) for i in involved)), None)
        try:
            computed = computed_pct(top, bottom) if top and bottom else None
            computed = computed.quantize(SIX_PLACES) if computed is not None else None
            consistent = is_consistent(published, top, bottom, tolerance_pct)
        except InvalidOperation:
            raise ExtractionError(
                path, row.line, f"column {ratio.number}: figures too large to compute the ratio with"
            ) from None
        rows.append(
            {
                "report_id": report_id,
                "indicator_id": indicator_id,
                "breakdown": NOT_SPLIT,
                "formula": ratio.formula,
                "column_number": ratio.number,
                "numerator_measure": ratio.numerator.measure,
                "numerator_period": ratio.numerator.period,
                "denominator_measure": ratio.denominator.measure,
                "denominator_period": ratio.denominator.period,
                "published_printed": published.printed,
                "published_pct": published.value,
                "computed_pct": computed,
                "consistent": consistent,
                **certainty.columns(row.refs[ratio.index]),
                "review_reason": reason,
                "source_line": row.line,
                "source_ref": row.refs[ratio.index],
            }
        )
    return rows


def _flag_unnamed(
    row: TableRow, indicator_id: str, published: list[dict[str, object]]
) -> list[ExtractionWarning]:
    """The figures of a scanned row whose name could not be read, flagged ``ocr_unreadable_name``
    (unless already up for review): published, but not as belonging to a known indicator."""
    out = []
    for item in published:
        if item["review_reason"]:
            continue
        item["review_reason"] = ReviewReason.ocr_unreadable_name
        out.append(
            ExtractionWarning(
                row.line,
                ReviewReason.ocr_unreadable_name,
                f"figure {item.get('value_printed') or item.get('published_printed')!r} of {indicator_id}: the "
                "row's name could not be read in the scan; check it on the page",
                str(item["source_ref"]),
            )
        )
    return out


def read_appendix(
    path: str,
    report_id: str,
    layout: Layout,
    rows: list[TableRow],
    tolerance_pct: Decimal,
    certainty: ScanCertainty,
    add: Callable[[str, Row], None],
) -> list[ExtractionWarning]:
    """Build the three appendix tables, handing each row to ``add(resource, row)`` as it is made
    (a large table has hundreds of thousands: they are written, not held); returns the warnings.
    Every row keeps the raw file line it came from (and, from a scan, the certainty of each
    figure)."""
    resources = load_metadata().resources
    indicator, observation, ratio = (row_type(resources[n]) for n in ("indicators", "observations", "ratios"))
    warnings: list[ExtractionWarning] = []
    count = 0
    tree = TreeBuilder()
    for row in rows[layout.header_rows :]:
        if row.is_empty:
            continue
        marker = read_marker(row.cells[layout.tt], row.cells[layout.name])
        figures = _figures(path, row, layout.values, certainty)
        printed_ratios = _figures(path, row, layout.ratios, certainty)
        printed = [v for v in (*figures.values(), *printed_ratios.values()) if v is not None]
        has_values = bool(printed)
        # Ink nothing could be read from (a speck, a smudge) does not give "Trong đó:" figures.
        of_which_figures = marker.marker is None and any(v != UNREADABLE for v in printed)
        if marker.marker is None and not of_which_figures:
            if not tree.of_which():
                raise ExtractionError(path, row.line, "a 'Trong đó:' row with no indicator above it")
            continue
        if of_which_figures or not marker.name:
            if not certainty.scanned:
                raise ExtractionError(
                    path,
                    row.line,
                    "a 'Trong đó:' row carries figures; it should only introduce components"
                    if of_which_figures
                    else "a table row has figures or a code but no indicator name",
                )
            # In a scan the name is what was lost (an inline "Trong đó: …" whose words were not
            # read, or a name nothing could be read from): the row is kept, its figures flagged.
            if of_which_figures:
                marker = RowMarker(Marker.OF_WHICH_INLINE, "", "")
        node, repeated = tree.place(row.index, marker)
        indicator_id = f"{report_id}/{node.path}"
        if repeated:
            warnings.append(
                ExtractionWarning(
                    row.line,
                    "duplicate_code",
                    f"row code {marker.tt!r} repeats an earlier row; identified as {node.path}",
                    source_ref=row.refs[layout.name],
                )
            )
        kind = "section" if marker.marker is Marker.SECTION else ("indicator" if has_values else "group")
        parent_id = f"{report_id}/{node.parent.path}" if node.parent else None
        count += 1
        add(
            "indicators",
            indicator(
                **_indicator_row(report_id, indicator_id, parent_id, count, kind, row, layout, warnings)
            ),
        )
        observations = _observation_rows(report_id, indicator_id, row, layout, figures, certainty)
        ratios = _ratio_rows(
            path, report_id, indicator_id, row, layout, figures, printed_ratios, tolerance_pct, certainty
        )
        if not marker.name:
            warnings.extend(_flag_unnamed(row, indicator_id, [*observations, *ratios]))
        for fields in observations:
            add("observations", observation(**fields))
        for fields in ratios:
            add("ratios", ratio(**fields))
    if not count:
        raise ExtractionError(path, rows[-1].line, "the appendix table has no data rows")
    return warnings
