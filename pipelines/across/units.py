"""Figures brought to the catalogue's unit, only where the conversion is exact.

``reference/units.csv`` gives each unit a dimension and a factor; two units of one dimension
convert by the ratio of their factors (triệu đồng -> tỷ đồng, ‰ -> %, nghìn người -> người),
computed in decimals so nothing is rounded. Anything else is kept as printed and left out of
the series, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from pipelines.extract.units import Unit, unit_table


@dataclass(frozen=True)
class Fit:
    """Whether a printed unit can be compared in the catalogue's unit, and by which factor."""

    matches: bool
    factor: Decimal | None = None
    reason: str | None = None


@cache
def units_by_code() -> dict[str, Unit]:
    return {unit.code: unit for unit in unit_table().values()}


def unit_fit(printed: str, printed_code: str | None, canonical: str) -> Fit:
    """How a figure printed in ``printed`` (code ``printed_code``) relates to the ``canonical`` unit.

    With no canonical unit in the catalogue the figure is compared as printed (factor 1).
    """
    if not canonical:
        return Fit(True, Decimal(1))
    if not printed:
        return Fit(False, reason=f"no unit printed; the catalogue's unit is {canonical}")
    if printed_code is None:
        return Fit(False, reason=f"unit {printed!r} is not in reference/units.csv")
    source, target = units_by_code()[printed_code], units_by_code()[canonical]
    if source.dimension != target.dimension:
        return Fit(False, reason=f"unit {printed!r} ({printed_code}) cannot be converted to {canonical}")
    return Fit(True, source.factor / target.factor)


def harmonise(value: Decimal, factor: Decimal) -> Decimal:
    """The value in the catalogue's unit (exact: factors are decimals, never floats)."""
    return value * factor
