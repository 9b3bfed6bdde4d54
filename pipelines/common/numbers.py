"""Vietnamese number literals: ``.`` groups thousands, ``,`` marks decimals.

Reading a literal is not extraction logic: extraction reads the printed tables with it, and
validation re-reads printed percentages with it.

A printed number also carries its precision: ``14`` stands for anything in [13.5, 14.5),
``103,8`` for [103.75, 103.85). Ratio checks rely on that interval, so it is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# More significant digits than any printed statistic has; beyond this, arithmetic on the value
# (ratios quantized to six places) would leave Decimal's 28-digit precision.
MAX_DIGITS = 18
_NUMBER = re.compile(r"^(?P<sign>[-−–]?)(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<frac>\d+))?$")


class NumberFormatError(ValueError):
    """Text stands where a number belongs."""


@dataclass(frozen=True)
class PrintedNumber:
    """A number as printed: its exact value and how many decimals were shown."""

    printed: str
    value: Decimal
    decimals: int

    @property
    def half_unit(self) -> Decimal:
        """Half of the last printed digit: how far the true value may lie from the print."""
        return Decimal(5).scaleb(-(self.decimals + 1))

    @property
    def low(self) -> Decimal:
        return self.value - self.half_unit

    @property
    def high(self) -> Decimal:
        return self.value + self.half_unit


def parse_number(text: str) -> PrintedNumber:
    """Parse ``1.949,545`` as 1949.545; raise NumberFormatError on anything else."""
    printed = text.strip()
    match = _NUMBER.match(printed)
    if not match:
        raise NumberFormatError(f"not a number in Vietnamese notation: {printed!r}")
    digits = match["int"].replace(".", "")
    frac = match["frac"] or ""
    if len(digits.lstrip("0")) + len(frac) > MAX_DIGITS:
        raise NumberFormatError(f"more than {MAX_DIGITS} digits, not a printed statistic: {printed[:40]!r}")
    value = Decimal(f"{digits}.{frac}" if frac else digits)
    if match["sign"]:
        value = -value
    return PrintedNumber(printed=printed, value=value, decimals=len(frac))


def parse_optional(text: str) -> PrintedNumber | None:
    """Empty cell means "not reported": None, never zero."""
    return parse_number(text) if text.strip() else None
