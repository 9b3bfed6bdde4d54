"""English names and stable codes for printed indicator names, from the catalogue ``reference/indicators.csv``."""

from __future__ import annotations

from functools import cache

from pipelines.common.indicator_codes import CatalogueEntry, load_catalogue, name_key


@cache
def known_indicators() -> dict[str, CatalogueEntry]:
    """Normalised catalogue name -> entry."""
    return {name_key(entry.name_vi): entry for entry in load_catalogue().values()}


def lookup_indicator(name_vi: str) -> CatalogueEntry | None:
    return known_indicators().get(name_key(name_vi))
