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

from pipelines.common.reference import reference_rows


@dataclass(frozen=True)
class Fit:
    """Whether a printed unit can be compared in the catalogue's unit, and by which factor."""

    matches: bool
    factor: Decimal | None = None
    reason: str | None = None


@cache
def dimensions() -> dict[str, tuple[str, Decimal]]:
    """Unit code -> (dimension, factor within it), from the reference list."""
    return {row["unit"]: (row["dimension"], Decimal(row["factor"])) for row in reference_rows("units.csv")}


@cache
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
    (source, source_factor), (target, target_factor) = dimensions()[printed_code], dimensions()[canonical]
    if source != target:
        return Fit(False, reason=f"unit {printed!r} ({printed_code}) cannot be converted to {canonical}")
    return Fit(True, source_factor / target_factor)


def harmonise(value: Decimal, factor: Decimal) -> Decimal:
    """The value in the catalogue's unit (exact: factors are decimals, never floats)."""
    return value * factor
