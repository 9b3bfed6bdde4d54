"""Numbers as the reports print them, and what a printed ratio can honestly be.

Kept apart from the extraction code on purpose: tests compare the extractor with this
independent statement of the same rules (``.`` groups thousands, ``,`` marks decimals; a
printed figure stands for an interval half a unit of its last digit wide on each side).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


@dataclass(frozen=True)
class Printed:
    """A figure as it appears in a cell, with the exact value and decimals it carries."""

    text: str
    value: Decimal
    decimals: int

    def interval(self) -> tuple[Fraction, Fraction]:
        half = Fraction(1, 2 * 10**self.decimals)
        exact = Fraction(self.value)
        return exact - half, exact + half


def quantize(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def vietnamese(value: Decimal, decimals: int, group: bool = True) -> Printed:
    """``1949.545`` with 3 decimals -> ``1.949,545``; ``group=False`` leaves thousands ungrouped."""
    rounded = quantize(value, decimals)
    sign = "-" if rounded < 0 else ""
    whole, _, frac = f"{abs(rounded):.{decimals}f}".partition(".")
    if group:
        whole = f"{int(whole):,}".replace(",", ".")
    text = f"{sign}{whole},{frac}" if decimals else f"{sign}{whole}"
    if rounded == 0:
        text = text.lstrip("-")
        rounded = abs(rounded)
    return Printed(text, rounded, decimals)


def judgeable(denominator: Printed) -> bool:
    """False when the denominator's interval contains zero: no ratio can be judged against it."""
    low, high = denominator.interval()
    return not low <= 0 <= high


def ratio_verdict(published: Printed, numerator: Printed, denominator: Printed) -> bool | None:
    """True when values within the printed precision can give the published percentage at its precision.

    None when it cannot be judged: the denominator's interval contains zero.
    """
    if not judgeable(denominator):
        return None
    d_low, d_high = denominator.interval()
    n_low, n_high = numerator.interval()
    corners = [n / d * 100 for n in (n_low, n_high) for d in (d_low, d_high)]
    p_low, p_high = published.interval()
    return min(corners) < p_high and p_low < max(corners)


def exact_pct(numerator: Printed, denominator: Printed) -> Fraction:
    return Fraction(numerator.value) / Fraction(denominator.value) * 100
