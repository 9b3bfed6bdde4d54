"""English names and stable codes for indicators, from the curated list ``reference/indicators.csv``."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipelines.common.paths import REFERENCE_DIR
from pipelines.common.text import fold_diacritics

REFERENCE = REFERENCE_DIR / "indicators.csv"


@dataclass(frozen=True)
class KnownIndicator:
    code: str
    name_en: str


def name_key(name_vi: str) -> str:
    """Compare names without diacritics, case, punctuation or spacing, which vary between reports."""
    return re.sub(r"[^a-z0-9]+", " ", fold_diacritics(name_vi)).strip()


@cache
def known_indicators(path: Path = REFERENCE) -> dict[str, KnownIndicator]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            name_key(row["name_vi"]): KnownIndicator(row["indicator_code"], row["name_en"])
            for row in csv.DictReader(handle)
        }


def lookup_indicator(name_vi: str) -> KnownIndicator | None:
    return known_indicators().get(name_key(name_vi))
