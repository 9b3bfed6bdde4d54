"""Unit normalisation from the reference list ``reference/units.csv`` (data, not code)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pipelines.common.reference import Row, name_list


@dataclass(frozen=True)
class Unit:
    """A normalised unit: a stable code, labels, and a factor to convert within a dimension."""

    code: str
    label_en: str
    label_vi: str
    dimension: str
    factor: Decimal


def _unit(row: Row) -> Unit:
    return Unit(row["unit"], row["label_en"], row["label_vi"], row["dimension"], Decimal(row["factor"]))


def printed_units() -> tuple[str, ...]:
    """Every unit as the list prints it (``Tạ/ha``, ``%``)."""
    return name_list("units.csv", "unit_vi").names


def lookup_unit(unit_vi: str) -> Unit | None:
    """The normalised unit for a printed one, or None when the list does not know it."""
    row = name_list("units.csv", "unit_vi").lookup(unit_vi)
    return _unit(row) if row else None


def convert(value: Decimal, source: Unit, target: Unit) -> Decimal | None:
    """``value`` in ``source`` expressed in ``target``; None across dimensions."""
    if source.dimension != target.dimension:
        return None
    return value * source.factor / target.factor
