"""Unit normalisation from the reference list ``reference/units.csv`` (data, not code)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from pipelines.common.paths import REFERENCE_DIR
from pipelines.common.text import clean_cell

REFERENCE = REFERENCE_DIR / "units.csv"


@dataclass(frozen=True)
class Unit:
    """A normalised unit: a stable code, labels, and a factor to convert within a dimension."""

    code: str
    label_en: str
    label_vi: str
    dimension: str
    factor: Decimal


def _key(unit_vi: str) -> str:
    return clean_cell(unit_vi).replace(" /", "/").replace("/ ", "/").casefold()


@cache
def unit_table(path: Path = REFERENCE) -> dict[str, Unit]:
    """Printed unit (case-folded) -> Unit."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            _key(row["unit_vi"]): Unit(
                code=row["unit"],
                label_en=row["label_en"],
                label_vi=row["label_vi"],
                dimension=row["dimension"],
                factor=Decimal(row["factor"]),
            )
            for row in csv.DictReader(handle)
        }


def lookup_unit(unit_vi: str) -> Unit | None:
    """The normalised unit for a printed one, or None when the list does not know it."""
    return unit_table().get(_key(unit_vi))


def convert(value: Decimal, source: Unit, target: Unit) -> Decimal | None:
    """``value`` in ``source`` expressed in ``target``; None across dimensions."""
    if source.dimension != target.dimension:
        return None
    return value * source.factor / target.factor
