"""Unit normalisation from the reference list ``reference/units.csv`` (data, not code)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from pipelines.common.reference import Row, name_list
from pipelines.common.text import clean_cell
from pipelines.extract.warning import ExtractionWarning


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


@cache
def _unit_pattern() -> re.Pattern[str]:
    """Printed units of ``reference/units.csv``, longest first, spaces around "/" allowed."""
    keys = sorted(printed_units(), key=len, reverse=True)
    alternatives = [r"\s*/\s*".join(re.escape(part) for part in key.split("/")) for key in keys]
    return re.compile(rf"(?:{'|'.join(alternatives)})(?!\w)", re.IGNORECASE)


def match_unit(text: str) -> str | None:
    """The known unit ``text`` starts with (as printed), or None."""
    match = _unit_pattern().match(text)
    return match[0] if match else None


def normalise_unit_text(unit_vi: str) -> str:
    """``tạ /ha`` -> ``tạ/ha``: one spelling per printed unit."""
    return re.sub(r"\s*/\s*", "/", clean_cell(unit_vi))


def resolve_unit(unit_vi: str, line: int, warnings: list[ExtractionWarning]) -> Unit | None:
    """The normalised unit, or None plus an ``unknown_unit`` warning."""
    unit = lookup_unit(unit_vi)
    if unit is None and unit_vi:
        warnings.append(
            ExtractionWarning(line, "unknown_unit", f"unit {unit_vi!r} is not in reference/units.csv")
        )
    return unit
