"""Can the printed figures produce the printed ratio? Interval arithmetic at printed precision."""

from __future__ import annotations

from decimal import Decimal

from pipelines.common.numbers import PrintedNumber

HUNDRED = Decimal(100)
# Computed percentages are published to six decimals.
SIX_PLACES = Decimal("0.000001")


def computed_pct(numerator: PrintedNumber, denominator: PrintedNumber) -> Decimal | None:
    """The ratio of the printed values in percent; None when the denominator is zero."""
    if denominator.value == 0:
        return None
    return numerator.value / denominator.value * HUNDRED


def ratio_range(numerator: PrintedNumber, denominator: PrintedNumber) -> tuple[Decimal, Decimal] | None:
    """Every percentage the true values behind the prints can give; None if the denominator may be zero."""
    if denominator.low <= 0 <= denominator.high:
        return None
    corners = [
        n / d * HUNDRED for n in (numerator.low, numerator.high) for d in (denominator.low, denominator.high)
    ]
    return min(corners), max(corners)


def is_consistent(
    published: PrintedNumber,
    numerator: PrintedNumber | None,
    denominator: PrintedNumber | None,
    tolerance_pct: Decimal = Decimal(0),
) -> bool | None:
    """True when some values within the printed precision give the published ratio at its precision.

    None when it cannot be judged: a figure is missing, or the denominator's interval contains zero.
    """
    if numerator is None or denominator is None:
        return None
    achievable = ratio_range(numerator, denominator)
    if achievable is None:
        return None
    low, high = achievable
    return low < published.high + tolerance_pct and published.low - tolerance_pct < high
