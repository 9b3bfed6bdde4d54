"""Derived check tables: recomputations that the suites then judge row by row.

Each builder takes the package's tables as read (text, ``None`` for empty cells) and returns a
small table naming each row by its key, or ``None`` when the package lacks what it needs (a
resource of a later release, say), in which case the suite is skipped and reported as such.
The recomputations are written here independently of the extraction code on purpose: a check
that reused the code it checks would agree with it by construction. They read printed literals
with the shared number parser (``pipelines.common.numbers``: reading ``1.949,545`` is not
extraction logic) but never use extraction's table, hierarchy or ratio code; the layering test
(tests/test_layers.py) keeps it that way.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd

from pipelines.common.decimals import decimal_text
from pipelines.common.enums import NOT_SPLIT, Measure
from pipelines.common.numbers import NumberFormatError, parse_number
from pipelines.package.metadata import load_metadata

Frames = dict[str, pd.DataFrame]
HUNDRED = Decimal(100)
# The key of the % of plan table, whose rows come from two resources (crops and livestock, whose
# item columns differ): which resource, then the parts both keys share.
PCT_OF_PLAN_KEY = ["resource", "report_id", "item", "metric"]
TRUE_TEXT = {"true", "1"}


def key_without(resource: str, column: str) -> list[str]:
    """A resource's primary key without ``column``: the key of a check table that lays the rows
    differing only in that column side by side."""
    return [k for k in load_metadata().resource(resource).primary_key if k != column]


def estimate_vs_plan_key() -> list[str]:
    """One row per indicator and period: its plan and estimate side by side."""
    return key_without("observations", "measure")


def crop_balance_key() -> list[str]:
    """One row per crop and measure: its area, yield and output side by side."""
    return key_without("crops", "metric")


FALSE_TEXT = {"false", "0"}


def to_decimal(text: Any) -> Decimal | None:
    """A dot-decimal cell as a Decimal; None when empty or not a number."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def to_int(text: Any) -> int | None:
    value = to_decimal(text)
    return int(value) if value is not None and value == value.to_integral_value() else None


def canonical(value: Decimal | None) -> str:
    """One spelling per number, so that 97.970 and 97.97 compare equal as text."""
    if value is None:
        return "missing"
    return decimal_text(value)


def flag_text(text: Any) -> str:
    """A published boolean as ``true``, ``false`` or ``unknown`` (empty: could not be judged)."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return "unknown"
    lowered = str(text).strip().lower()
    if lowered in TRUE_TEXT:
        return "true"
    if lowered in FALSE_TEXT:
        return "false"
    return f"invalid:{text}"


def half_unit(decimals: int) -> Decimal:
    """Half of the last printed digit: the true value lies within this of the print."""
    return Decimal(5).scaleb(-(decimals + 1))


def interval(value: Decimal, decimals: int) -> tuple[Decimal, Decimal]:
    half = half_unit(decimals)
    return value - half, value + half


def quotient_range(
    numerator: tuple[Decimal, Decimal], denominator: tuple[Decimal, Decimal]
) -> tuple[Decimal, Decimal] | None:
    """Every value of n / d * 100 over the two intervals; None when d may be zero."""
    if denominator[0] <= 0 <= denominator[1]:
        return None
    corners = [n / d * HUNDRED for n in numerator for d in denominator]
    return min(corners), max(corners)


def overlaps(a: tuple[Decimal, Decimal], b: tuple[Decimal, Decimal]) -> bool:
    """Open intervals share a point (a print stands for [v - h, v + h), so touching is not enough)."""
    return a[0] < b[1] and b[0] < a[1]


def ratio_verdict(
    numerator: tuple[Decimal, int] | None,
    denominator: tuple[Decimal, int] | None,
    published: tuple[Decimal, int] | None,
    tolerance_pct: Decimal,
) -> str:
    """``true`` when the printed figures can produce the published ratio, ``false`` when not,
    ``unknown`` when a figure is missing or the denominator may be zero."""
    if numerator is None or denominator is None or published is None:
        return "unknown"
    achievable = quotient_range(interval(*numerator), interval(*denominator))
    if achievable is None:
        return "unknown"
    low, high = interval(*published)
    return "true" if overlaps(achievable, (low - tolerance_pct, high + tolerance_pct)) else "false"


def _printed_pct(text: Any, published: Decimal | None) -> tuple[Decimal, int] | None:
    """The printed literal read as a number: in the Vietnamese convention, or in the English one
    (``109.1``) where that is the reading the published value claims."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    readings = []
    for literal in (str(text), str(text).translate(_SWAP_SEPARATORS)):
        try:
            number = parse_number(literal)
        except NumberFormatError:
            continue
        readings.append((number.value, number.decimals))
    return next((r for r in readings if r[0] == published), readings[0] if readings else None)


_SWAP_SEPARATORS = str.maketrans({".": ",", ",": "."})


def _observation_index(observations: pd.DataFrame) -> dict[tuple, tuple[Decimal, int]]:
    """Plain printed numbers (no bound, range or review flag) by report, row, measure, year, breakdown."""
    index = {}
    for row in observations.itertuples(index=False):
        value, decimals = to_decimal(row.value), to_int(row.decimals)
        period = to_int(row.period)
        plain = not _present(getattr(row, "qualifier", None)) and not _present(
            getattr(row, "review_reason", None)
        )
        if value is not None and decimals is not None and period is not None and plain:
            breakdown = getattr(row, "breakdown", NOT_SPLIT)
            index[(row.report_id, row.indicator_id, row.measure, period, breakdown)] = (value, decimals)
    return index


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and value != ""


def ratio_recomputation(frames: Frames, tolerance_pct: Decimal) -> pd.DataFrame | None:
    """Each published ratio next to its recomputation from the observations."""
    if "ratios" not in frames or "observations" not in frames:
        return None
    figures = _observation_index(frames["observations"])
    key = load_metadata().resource("ratios").primary_key
    rows = []
    for row in frames["ratios"].to_dict("records"):
        numerator, denominator = (
            figures.get(
                (
                    row["report_id"],
                    row["indicator_id"],
                    row[f"{side}_measure"],
                    to_int(row[f"{side}_period"]),
                    row.get("breakdown", NOT_SPLIT),
                )
            )
            for side in ("numerator", "denominator")
        )
        published = _printed_pct(row["published_printed"], to_decimal(row["published_pct"]))
        computed = None
        if numerator and denominator and denominator[0] != 0:
            computed = round(numerator[0] / denominator[0] * HUNDRED, 6)
        stated = to_decimal(row["computed_pct"])
        if computed is None and stated is None:
            error = 0.0
        elif computed is None or stated is None:
            error = float("inf")
        else:
            error = float(abs(computed - stated))
        rows.append(
            {
                **{k: row[k] for k in key},
                "consistent": flag_text(row["consistent"]),
                "recomputed_consistent": ratio_verdict(numerator, denominator, published, tolerance_pct),
                "published_pct": canonical(to_decimal(row["published_pct"])),
                "published_printed_value": canonical(published[0] if published else None),
                "computed_pct_error": error,
            }
        )
    columns = [*key, "consistent", "recomputed_consistent", "published_pct", "published_printed_value"]
    return pd.DataFrame(rows, columns=[*columns, "computed_pct_error"])


def is_share(unit: Any, name_vi: Any) -> bool:
    """The share rule: unit ``pct`` and a name beginning "Tỷ lệ"/"Tỉ lệ" (a proportion of a whole).

    Growth rates ("Tốc độ tăng trưởng …", their sector rows), increases ("… tăng thêm") and
    reductions ("Giảm tỷ lệ …", in percentage points) are percentages but not shares: they may
    be negative or exceed 100.
    """
    if unit != "pct" or not isinstance(name_vi, str):
        return False
    name = unicodedata.normalize("NFC", name_vi).strip().lower()
    return name.startswith(("tỷ lệ", "tỉ lệ"))


def pct_shares(frames: Frames) -> pd.DataFrame | None:
    """Figures of share indicators, with their numeric value."""
    if "observations" not in frames or "indicators" not in frames:
        return None
    indicators = frames["indicators"]
    shares = {
        (r.report_id, r.indicator_id): r.name_vi
        for r in indicators.itertuples(index=False)
        if is_share(r.unit, r.name_vi)
    }
    rows = [
        {
            "report_id": r.report_id,
            "indicator_id": r.indicator_id,
            "measure": r.measure,
            "period": r.period,
            "breakdown": getattr(r, "breakdown", NOT_SPLIT),
            "name_vi": shares[(r.report_id, r.indicator_id)],
            "value": float(to_decimal(r.value)),
        }
        for r in frames["observations"].itertuples(index=False)
        if (r.report_id, r.indicator_id) in shares and to_decimal(r.value) is not None
    ]
    columns = ["report_id", "indicator_id", "measure", "period", "breakdown", "name_vi", "value"]
    return pd.DataFrame(rows, columns=columns)


def estimate_vs_plan(frames: Frames) -> pd.DataFrame | None:
    """The reporting year's estimate beside that year's plan, with the gap in percent of the plan."""
    if "observations" not in frames:
        return None
    names = {}
    if "indicators" in frames:
        names = {
            (r.report_id, r.indicator_id): r.name_vi for r in frames["indicators"].itertuples(index=False)
        }
    figures = _observation_index(frames["observations"])
    rows = []
    for (report_id, indicator_id, measure, period, breakdown), (estimate, _) in sorted(figures.items()):
        plan = figures.get((report_id, indicator_id, Measure.plan, period, breakdown))
        if measure != Measure.estimate or plan is None or plan[0] == 0:
            continue
        gap = abs(estimate - plan[0]) / abs(plan[0]) * HUNDRED
        rows.append(
            {
                "report_id": report_id,
                "indicator_id": indicator_id,
                "period": period,
                "breakdown": breakdown,
                "name_vi": names.get((report_id, indicator_id)),
                "plan": float(plan[0]),
                "estimate": float(estimate),
                "gap_pct": round(float(gap), 2),
            }
        )
    columns = [
        *estimate_vs_plan_key(),
        "name_vi",
        Measure.plan.value,
        Measure.estimate.value,
        "gap_pct",
    ]
    return pd.DataFrame(rows, columns=columns)


def printed_decimals(text: Any) -> int:
    """Decimals of a Vietnamese literal (``1.259,8`` -> 1)."""
    text = str(text).strip()
    return len(text.split(",", 1)[1]) if "," in text else 0


def _figure_decimals(row: dict[str, Any]) -> int:
    """Printed decimals: the ``decimals`` column when the resource has one, else read off the literal."""
    stated = to_int(row.get("decimals"))
    return stated if stated is not None else printed_decimals(row.get("value_printed") or "")


def _printed_or_number(printed: Any, number: Any) -> tuple[Decimal, int] | None:
    """A percentage at its printed precision: from the Vietnamese literal when kept, else the number."""
    from_print = _printed_pct(printed, to_decimal(number))
    if from_print is not None:
        return from_print
    value = to_decimal(number)
    return None if value is None else (value, _dot_decimals(number))


def _crop_figures(crops: pd.DataFrame) -> dict[tuple, dict[str, tuple[Decimal, int, str]]]:
    grouped: dict[tuple, dict[str, tuple[Decimal, int, str]]] = {}
    for row in crops.to_dict("records"):
        value = to_decimal(row.get("value"))
        if value is None:
            continue
        decimals = _figure_decimals(row)
        grouped.setdefault((row["report_id"], row["crop_vi"], row["measure"]), {})[row["metric"]] = (
            value,
            decimals,
            row.get("unit") or "",
        )
    return grouped


CROP_COLUMNS = {"report_id", "crop_vi", "metric", "measure", "value", "unit", "value_printed"}


def crop_balance(frames: Frames) -> pd.DataFrame | None:
    """Area x yield against output for each crop and measure, at printed precision (1 tạ = 0.1 tấn)."""
    crops = frames.get("crops")
    if crops is None or not set(crops.columns) >= CROP_COLUMNS:
        return None
    rows = []
    for (report_id, crop, measure), metrics in sorted(_crop_figures(crops).items()):
        area = next(
            (metrics[m] for m in ("planted_area", "harvest_area", "existing_area") if m in metrics), None
        )
        yield_, output = metrics.get("yield"), metrics.get("output")
        if area is None or yield_ is None or output is None:
            continue
        if (area[2], yield_[2], output[2]) != ("ha", "quintal_per_ha", "tonnes"):
            continue
        a, y, o = interval(*area[:2]), interval(*yield_[:2]), interval(*output[:2])
        implied = (a[0] * y[0] / 10, a[1] * y[1] / 10)
        rows.append(
            {
                "report_id": report_id,
                "crop_vi": crop,
                "measure": measure,
                "area_ha": float(area[0]),
                "yield_quintal_per_ha": float(yield_[0]),
                "output_tonnes": float(output[0]),
                "implied_output_tonnes": round(float(area[0] * yield_[0] / 10), 3),
                "balanced": "true" if implied[0] <= o[1] and o[0] <= implied[1] else "false",
            }
        )
    columns = [*crop_balance_key(), "area_ha", "yield_quintal_per_ha", "output_tonnes"]
    return pd.DataFrame(rows, columns=[*columns, "implied_output_tonnes", "balanced"])


def _dot_decimals(text: Any) -> int:
    text = str(text).strip()
    return len(text.split(".", 1)[1]) if "." in text else 0


def pct_of_plan(frames: Frames) -> pd.DataFrame | None:
    """A crop's printed "% of plan" beside actual / plan recomputed at printed precision."""
    crops = frames.get("crops")
    if crops is None or not (CROP_COLUMNS | {"pct_of_plan"}) <= set(crops.columns):
        return None
    figures: dict[tuple, tuple[Decimal, int]] = {}
    printed: dict[tuple, tuple[Decimal, int]] = {}
    for row in crops.to_dict("records"):
        value = to_decimal(row["value"])
        if value is not None:
            figures[(row["report_id"], row["crop_vi"], row["metric"], row["measure"])] = (
                value,
                _figure_decimals(row),
            )
        pct = _printed_or_number(row.get("pct_of_plan_printed"), row["pct_of_plan"])
        if row["measure"] == Measure.actual and pct is not None:
            printed[(row["report_id"], row["crop_vi"], row["metric"])] = pct
    rows = []
    for (report_id, crop, metric), pct in sorted(printed.items()):
        actual = figures.get((report_id, crop, metric, Measure.actual))
        plan = figures.get((report_id, crop, metric, Measure.plan))
        if actual is None or plan is None:
            continue
        achievable = quotient_range(interval(*actual), interval(*plan))
        agrees = "unknown" if achievable is None else str(overlaps(achievable, interval(*pct))).lower()
        rows.append(
            {
                "resource": "crops",
                "report_id": report_id,
                "item": crop,
                "metric": metric,
                "actual": float(actual[0]),
                "plan": float(plan[0]),
                "pct_of_plan": float(pct[0]),
                "computed_pct": round(float(actual[0] / plan[0] * HUNDRED), 2) if plan[0] else None,
                "agrees": agrees,
            }
        )
    columns = [
        *PCT_OF_PLAN_KEY,
        Measure.actual.value,
        Measure.plan.value,
        "pct_of_plan",
        "computed_pct",
    ]
    return pd.DataFrame(rows, columns=[*columns, "agrees"])
