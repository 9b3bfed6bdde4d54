"""Decimals as published text: plain digits, never exponent notation, no negative zero."""

from __future__ import annotations

from decimal import Decimal


def decimal_text(value: Decimal) -> str:
    """``4.18E+6`` -> ``4180000``, ``97.970`` -> ``97.97``, ``-0`` -> ``0``."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def plain(value: Decimal) -> Decimal:
    """A Decimal without exponent notation, so CSV cells read ``4180000``, not ``4.18E+6``."""
    return Decimal(decimal_text(value))
