"""Series, best figures and revisions: one indicator code across reports, provinces and years.

Pure functions over the package's extracted rows as published (text) and the rows built here
before (typed, as returned: the crosswalk for the series, the series for best figures and
revisions, never parsed again from their CSV). A report's figures enter a series
only through the crosswalk (a code, a unit that converts exactly); each series row keeps its
report, the report's date and the source locator. Among the vintages of one code, province,
period and measure, the newest is ``latest``, except that a flagged value (``review_reason``)
is never latest while a confirmed one exists.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from operator import itemgetter
from typing import Any, Protocol

from pipelines.across.crosswalk import SUGGESTED, PrintedRow, match
from pipelines.across.lineage import successor
from pipelines.across.units import harmonise, unit_fit
from pipelines.common.assessment import NOT_ASSESSABLE, assess
from pipelines.common.decimals import decimal_text
from pipelines.common.enums import NOT_SPLIT, Measure, ReviewReason
from pipelines.common.indicator_codes import load_catalogue

Row = dict[str, str]


class TextTable(Protocol):
    """An extracted resource as published: its rows as text, or a few columns of each row."""

    def __iter__(self) -> Iterator[Row]: ...

    def select(self, *names: str) -> Iterator[tuple[str, ...]]: ...


# What a builder receives: each extracted resource as a TextTable, and the rows of the builders
# before it (e.g. the crosswalk) as they built them.
Tables = Mapping[str, Any]
# Most final first: an actual replaces a preliminary figure, which replaces an estimate.
MEASURE_RANK = {
    Measure.actual: 0,
    Measure.preliminary: 1,
    Measure.estimate: 2,
    Measure.plan: 3,
    Measure.target: 4,
}
OUTCOME = "outcome"
# Revisions compare like with like: outcomes with outcomes, plans with plans.
FAMILY = {
    Measure.actual: OUTCOME,
    Measure.preliminary: OUTCOME,
    Measure.estimate: OUTCOME,
    Measure.plan: Measure.plan.value,
    Measure.target: Measure.target.value,
}


def locator(source_ref: str, source_line: str) -> str:
    """A row's place in its document: ``source_ref`` where extraction gives one, else its line."""
    return source_ref or f"L{source_line}"


def crosswalk_rows(tables: Tables) -> list[dict[str, object]]:
    """One row per printed indicator with figures: its code, how it was matched, and any exclusion."""
    catalogue = load_catalogue()
    reports = {r["report_id"]: r for r in tables["reports"]}
    with_figures = set(tables["observations"].select("report_id", "indicator_id"))
    out: list[dict[str, object]] = []
    for report_id, indicator_id, name_vi, unit_vi, unit, ref, line in tables["indicators"].select(
        "report_id", "indicator_id", "name_vi", "unit_vi", "unit", "source_ref", "source_line"
    ):
        if (report_id, indicator_id) not in with_figures:
            continue
        report = reports[report_id]
        printed = PrintedRow(report["province"], report["document_number"], name_vi, unit_vi)
        found = match(printed, unit or None)
        exclusion = found.note
        if found.code is not None:
            fit = unit_fit(unit_vi, unit or None, catalogue[found.code].unit)
            exclusion = fit.reason
        out.append(
            {
                "report_id": report_id,
                "indicator_id": indicator_id,
                "province": printed.province,
                "document_number": printed.document,
                "name_vi": printed.name,
                "unit_vi": printed.unit or None,
                "indicator_code": found.code,
                "method": found.method,
                "suggested_code": found.suggestion,
                "score": found.score,
                "review_reason": ReviewReason.fuzzy_match if found.method == SUGGESTED else None,
                "series_exclusion": exclusion,
                "source_ref": locator(ref, line),
            }
        )
    return out


def suggestion_warnings(crosswalk: Iterable[Mapping[str, object]]) -> list[dict[str, object]]:
    """A ``warnings`` row per printed row the crosswalk only suggested a code for (fuzzy_match):
    listed for review with the decision's place, never used in a series. Two rows printed in one
    cell (stacked sub-rows) share where they were printed, so they share one warning."""
    out: dict[tuple[object, object], dict[str, object]] = {}
    for row in crosswalk:
        if row["review_reason"] != ReviewReason.fuzzy_match:
            continue
        message = (
            f"{row['name_vi']!r} ({row['unit_vi'] or 'no unit'}) is not matched: closest code "
            f"{row['suggested_code']} (score {decimal_text(Decimal(str(row['score'])))}); "
            "decide in reference/crosswalk.csv"
        )
        key = (row["report_id"], row["source_ref"])
        if key in out:
            out[key] = {**out[key], "row_key": None, "message": f"{out[key]['message']}; {message}"}
            continue
        out[key] = {
            "report_id": row["report_id"],
            "source_line": None,
            "resource": "crosswalk",
            "row_key": f"{row['report_id']} | {row['indicator_id']}",
            "source_ref": row["source_ref"],
            "code": str(ReviewReason.fuzzy_match),
            "message": message,
        }
    return list(out.values())


# What a series row takes from an observation, in the order ``series_rows`` reads it.
_FIGURE = (
    "report_id",
    "indicator_id",
    "value",
    "measure",
    "period",
    "breakdown",
    "value_printed",
    "source_ref",
    "source_line",
    "review_reason",
)


def series_rows(tables: Tables) -> list[dict[str, object]]:
    """Every figure of a matched, convertible row, in the catalogue's unit, with ``latest`` set.

    What a figure shares with its report (province, date, successor) and with its printed row
    (code, conversion, units) is worked out once for each, not again for every figure.
    """
    catalogue = load_catalogue()
    # A province's whole figure, dated: a national or undated report's figures are no vintage.
    dated = {
        r["report_id"]: (
            r["province"],
            dt.date.fromisoformat(r["issued_date"]),
            successor(r["province"], r["issued_date"]),
        )
        for r in tables["reports"]
        if r["province"] and r["issued_date"]
    }
    usable = {
        (c["report_id"], c["indicator_id"]): str(c["indicator_code"])
        for c in tables["crosswalk"]
        if c["indicator_code"] and not c["series_exclusion"]
    }
    # Only the rows a series can use: a large report's other rows are not held.
    printed: dict[tuple[str, str], tuple[str, Decimal, str | None, str | None]] = {}
    for report_id, indicator_id, unit_vi, unit in tables["indicators"].select(
        "report_id", "indicator_id", "unit_vi", "unit"
    ):
        key = (report_id, indicator_id)
        if key not in usable:
            continue
        entry = catalogue[usable[key]]
        fit = unit_fit(unit_vi, unit or None, entry.unit)
        if fit.factor is not None:  # else the crosswalk already records why
            printed[key] = (entry.code, fit.factor, entry.unit or unit or None, unit_vi or None)
    out: list[dict[str, object]] = []
    for report_id, indicator_id, value, measure, period, breakdown, *rest in tables["observations"].select(
        *_FIGURE
    ):
        kind = printed.get((report_id, indicator_id))
        report = dated.get(report_id)
        if (
            kind is None
            or report is None
            or not value
            or measure not in MEASURE_RANK
            or breakdown != NOT_SPLIT
        ):
            continue
        code, factor, unit, unit_vi = kind
        province, report_date, successor_2025 = report
        value_printed, ref, line, reason = rest
        out.append(
            {
                "indicator_code": code,
                "province": province,
                "successor_2025": successor_2025,
                "period": int(period),
                "measure": measure,
                "value": harmonise(Decimal(value), factor),
                "unit": unit,
                "value_printed": value_printed,
                "unit_vi": unit_vi,
                "report_id": report_id,
                "indicator_id": indicator_id,
                "report_date": report_date,
                "source_ref": locator(ref, line),
                "review_reason": reason or None,
                "latest": False,
            }
        )
    _flag_latest(out)
    return out


def _vintage_order(row: Mapping[str, object]) -> tuple[bool, object, object, object]:
    """Larger is preferred: a confirmed value, then the newest report (its date, then its id)."""
    return (row["review_reason"] is None, row["report_date"], row["report_id"], row["indicator_id"])


def _group(
    rows: Iterable[dict[str, object]], *fields: str
) -> dict[tuple[object, ...], list[dict[str, object]]]:
    groups: dict[tuple[object, ...], list[dict[str, object]]] = defaultdict(list)
    key = itemgetter(*fields)
    for row in rows:
        groups[key(row)].append(row)
    return groups


def _flag_latest(rows: list[dict[str, object]]) -> None:
    for group in _group(rows, "indicator_code", "province", "period", "measure").values():
        (group[0] if len(group) == 1 else max(group, key=_vintage_order))["latest"] = True


def best_rows(tables: Mapping[str, Iterable[dict[str, object]]]) -> list[dict[str, object]]:
    """Per code, province and period: the most final measure among the latest vintages, and
    whether it met the plan for that year (the one direction-aware assessment)."""
    catalogue = load_catalogue()
    latest = (r for r in tables["series"] if r["latest"])
    out = []
    for group in _group(latest, "indicator_code", "province", "period").values():
        chosen = min(group, key=_finality)
        plans = [r for r in group if r["measure"] == Measure.plan]
        plan = min(plans, key=_finality) if plans else None
        row = dict(chosen)
        del row["latest"]
        row["plan_value"] = plan["value"] if plan else None
        row["plan_report_id"] = plan["report_id"] if plan else None
        row["assessment"] = _assessment(chosen, plan, catalogue[str(chosen["indicator_code"])].direction)
        out.append(row)
    return sorted(out, key=lambda r: (str(r["indicator_code"]), str(r["province"]), str(r["period"])))


def _finality(row: Mapping[str, object]) -> tuple[bool, bool, int]:
    """Smaller is preferred: an outcome over a plan or target (even a flagged one, shown marked),
    then a confirmed figure, then the most final measure."""
    measure = str(row["measure"])
    return (FAMILY[measure] != OUTCOME, row["review_reason"] is not None, MEASURE_RANK[measure])


def _assessment(outcome: Mapping[str, object], plan: Mapping[str, object] | None, direction: str) -> str:
    if plan is None or FAMILY[str(outcome["measure"])] != OUTCOME:
        return NOT_ASSESSABLE
    target = Decimal(str(plan["value"]))
    return assess(
        Decimal(str(outcome["value"])),
        target_low=target,
        target_high=target,
        direction=direction,
        flagged=outcome["review_reason"] is not None or plan["review_reason"] is not None,
    )


def revision_rows(tables: Mapping[str, Iterable[dict[str, object]]]) -> list[dict[str, object]]:
    """A later report printing another value for the same code, province, period and kind of figure."""
    out = []
    keyed = _group(tables["series"], "indicator_code", "province", "period")
    for (code, province, period), group in keyed.items():
        for vintages in _by_family(group).values():
            for earlier, later in itertools.pairwise(vintages):
                if earlier["value"] == later["value"]:
                    continue
                out.append(
                    {
                        "indicator_code": code,
                        "province": province,
                        "period": period,
                        "unit": later["unit"],
                        **dict(zip(_EARLIER, map(earlier.__getitem__, _SIDE), strict=True)),
                        **dict(zip(_LATER, map(later.__getitem__, _SIDE), strict=True)),
                        "change": Decimal(str(later["value"])) - Decimal(str(earlier["value"])),
                        "review_reason": earlier["review_reason"] or later["review_reason"],
                    }
                )
    return out


_SIDE = ("measure", "value", "report_id", "indicator_id", "report_date", "source_ref")
_EARLIER = tuple(f"earlier_{k}" for k in _SIDE)
_LATER = tuple(f"later_{k}" for k in _SIDE)


def _by_family(group: list[dict[str, object]]) -> dict[str, list[dict[str, object]]]:
    """Per kind of figure, one figure per report (its most final), oldest report first."""
    per_report: dict[tuple[str, str], dict[str, object]] = {}
    for row in group:
        key = (FAMILY[str(row["measure"])], str(row["report_id"]))
        held = per_report.get(key)
        if held is None or MEASURE_RANK[str(row["measure"])] < MEASURE_RANK[str(held["measure"])]:
            per_report[key] = row
    families: dict[str, list[dict[str, object]]] = defaultdict(list)
    for (family, _), row in per_report.items():
        families[family].append(row)
    for rows in families.values():
        rows.sort(key=itemgetter("report_date", "report_id"))  # dates and ids: in their order as text
    return families
