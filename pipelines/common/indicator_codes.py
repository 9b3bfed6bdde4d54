"""The indicator catalogue ``reference/indicators.csv``: one stable code per indicator, read strictly.

Every stage that speaks in codes (extraction's names, the crosswalk, series, the site's rankings)
reads the catalogue through here, so a typo in a direction or a duplicated code stops the build
with the file and line instead of quietly ranking provinces the wrong way round.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipelines.common.errors import PipelineError
from pipelines.common.paths import REFERENCE_DIR
from pipelines.common.reference import match_key, read_rows

CATALOGUE = REFERENCE_DIR / "indicators.csv"
UNITS = REFERENCE_DIR / "units.csv"
SYNONYMS = REFERENCE_DIR / "indicator_synonyms.csv"

COLUMNS = (
    "indicator_code",
    "name_vi",
    "name_en",
    "unit",
    "quantity",
    "direction",
    "headline",
    "national_code",
)
DIRECTIONS = ("higher_is_better", "lower_is_better", "neither")
QUANTITIES = ("level", "change", "rate", "share")
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class CatalogueEntry:
    """One indicator of the catalogue. Sections and groups have no unit, quantity or direction."""

    code: str
    name_vi: str
    name_en: str
    unit: str
    quantity: str
    direction: str
    headline: bool
    national_code: str

    @property
    def is_heading(self) -> bool:
        return not self.quantity


def _unit_codes(path: Path) -> set[str]:
    return {row["unit"] for _, row in read_rows(path)}


def _entry(row: dict[str, str], where: str, units: set[str]) -> CatalogueEntry:
    def fail(problem: str) -> PipelineError:
        return PipelineError(f"{where}: {problem}")

    code = row["indicator_code"]
    if not _CODE.match(code):
        raise fail(f"indicator_code {code!r} must be lower-case letters, digits and underscores")
    if not row["name_vi"] or not row["name_en"]:
        raise fail(f"{code}: name_vi and name_en are required")
    if row["headline"] not in ("true", "false"):
        raise fail(f"{code}: headline must be true or false, not {row['headline']!r}")
    if row["quantity"] and row["quantity"] not in QUANTITIES:
        raise fail(f"{code}: quantity {row['quantity']!r} is not one of {', '.join(QUANTITIES)}")
    if row["direction"] and row["direction"] not in DIRECTIONS:
        raise fail(f"{code}: direction {row['direction']!r} is not one of {', '.join(DIRECTIONS)}")
    if bool(row["quantity"]) != bool(row["direction"]):
        raise fail(f"{code}: quantity and direction are given together (both empty for a heading)")
    if row["unit"] and row["unit"] not in units:
        raise fail(f"{code}: unit {row['unit']!r} is not a unit code of reference/units.csv")
    return CatalogueEntry(
        code=code,
        name_vi=row["name_vi"],
        name_en=row["name_en"],
        unit=row["unit"],
        quantity=row["quantity"],
        direction=row["direction"],
        headline=row["headline"] == "true",
        national_code=row["national_code"],
    )


@cache
def load_catalogue(path: Path = CATALOGUE, units_path: Path = UNITS) -> dict[str, CatalogueEntry]:
    """Code -> entry, in file order; refuses unknown columns, bad enums, repeated codes or names."""
    units = _unit_codes(units_path)
    entries: dict[str, CatalogueEntry] = {}
    names: dict[str, str] = {}
    for where, row in read_rows(path, COLUMNS):
        entry = _entry(row, where, units)
        if entry.code in entries:
            raise PipelineError(f"{where}: indicator_code {entry.code!r} is listed twice")
        key = match_key(entry.name_vi)
        if key in names:
            raise PipelineError(f"{where}: name {entry.name_vi!r} is already the name of {names[key]}")
        names[key] = entry.code
        entries[entry.code] = entry
    return entries


@cache
def synonym_table(path: Path = SYNONYMS) -> dict[str, str]:
    """Normalised synonym -> code (``reference/indicator_synonyms.csv``: other names reports print).

    A synonym that normalises to a catalogue name or to another synonym is refused: it would be
    redundant at best and make a name mean two indicators at worst.
    """
    catalogue = load_catalogue()
    names = {match_key(e.name_vi): e.code for e in catalogue.values()}
    table: dict[str, str] = {}
    for where, row in read_rows(path):
        code, key = row["indicator_code"], match_key(row["name_vi"])
        if code not in catalogue:
            raise PipelineError(f"{where}: {code!r} is not a code of reference/indicators.csv")
        other = table.get(key) or names.get(key)
        if other:
            raise PipelineError(f"{where}: {row['name_vi']!r} already names {other}")
        table[key] = code
    return table


def catalogue_rows(path: Path = CATALOGUE) -> list[dict[str, object]]:
    """The catalogue as package rows (the ``indicator_catalogue`` resource)."""
    return [
        {
            "indicator_code": e.code,
            "name_vi": e.name_vi,
            "name_en": e.name_en,
            "unit": e.unit or None,
            "quantity": e.quantity or None,
            "direction": e.direction or None,
            "headline": e.headline,
            "national_code": e.national_code or None,
        }
        for e in load_catalogue(path).values()
    ]
