"""Provinces through the 2025 reorganisation (Nghị quyết 202/2025/QH15, in force 1 July 2025).

``reference/provinces-2025-reorganisation.csv`` is a copy of the legal list and
``reference/provinces.csv`` the project's provinces; this module joins them and refuses a lineage
that names a province the reference does not know. Series stay keyed by the province as printed;
the successor is recorded beside it so that Bắc Kạn's figures can be found under Thái Nguyên
without being added to Thái Nguyên's own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipelines.common.errors import PipelineError
from pipelines.common.paths import REFERENCE_DIR
from pipelines.common.reference import read_rows

LINEAGE = REFERENCE_DIR / "provinces-2025-reorganisation.csv"
PROVINCES = REFERENCE_DIR / "provinces.csv"
IN_FORCE = dt.date(2025, 7, 1)
BEFORE, AFTER = "before_2025", "from_2025"


@dataclass(frozen=True)
class Lineage:
    """Where a province printed in a report stands in the reorganisation."""

    successor: str
    merged: bool


@cache
def lineage_table(lineage: Path = LINEAGE, provinces: Path = PROVINCES) -> dict[str, Lineage]:
    """Name printed before 1 July 2025 -> its successor; every name is checked against the provinces."""
    known = {row["name_vi"]: row["province_code"] for _, row in read_rows(provinces)}
    table: dict[str, Lineage] = {}
    for where, row in read_rows(lineage):
        name = row["name_before"]
        if known.get(name) != row["province_code_before"]:
            raise PipelineError(
                f"{where}: {name} ({row['province_code_before']}) is not a province of {provinces.name}"
            )
        if row["merged"] not in ("yes", "no"):
            raise PipelineError(f"{where}: merged must be yes or no, not {row['merged']!r}")
        table[name] = Lineage(successor=row["successor_2025"], merged=row["merged"] == "yes")
    return table


def era(report_date: str) -> str:
    """Which set of provinces a report's province name belongs to, by the report's date."""
    return AFTER if dt.date.fromisoformat(report_date) >= IN_FORCE else BEFORE


def successor(province: str, report_date: str) -> str:
    """The 2025 unit a province printed in a report belongs to (itself in later reports)."""
    if era(report_date) == AFTER:
        return province
    known = lineage_table().get(province)
    return known.successor if known else province
