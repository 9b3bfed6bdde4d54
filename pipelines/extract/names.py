"""English names and stable codes for printed indicator names, from the catalogue ``reference/indicators.csv``."""

from __future__ import annotations

from functools import cache

from pipelines.common.indicator_codes import CatalogueEntry, load_catalogue, synonym_table
from pipelines.common.reference import match_key


@cache
def known_indicators() -> dict[str, CatalogueEntry]:
    """Normalised catalogue name or synonym -> entry."""
    catalogue = load_catalogue()
    by_name = {match_key(entry.name_vi): entry for entry in catalogue.values()}
    return {**by_name, **{key: catalogue[code] for key, code in synonym_table().items()}}


def lookup_indicator(name_vi: str) -> CatalogueEntry | None:
    return known_indicators().get(match_key(name_vi))
