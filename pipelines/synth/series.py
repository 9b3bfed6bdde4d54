"""Consecutive years of reports for several provinces, with series that hang together.

Each province gets one report a year in the seed's layout (actual of last year, plan and
estimate of this year, plan of next year). The figures come from one world per province, so
that next year's report prints as last year's actual this year's estimate changed by a known
amount (sometimes zero), and restates this year's plan by a known amount now and then. Reports
vary what the crosswalk must undo: some print a synonym for an indicator's name, some print
budget figures in triệu đồng instead of tỷ đồng. A province merged in the 2025 reorganisation
reports under its successor's name from the second half of 2025.

The truth written beside the reports is computed here from the world, independently of the
pipeline: every printed row's code and match method, every revision, and the latest figures.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pipelines.common.decimals import decimal_text
from pipelines.common.enums import Measure
from pipelines.common.errors import PipelineError
from pipelines.common.indicator_codes import load_catalogue
from pipelines.common.paths import REFERENCE_DIR
from pipelines.common.reference import match_key, read_rows
from pipelines.common.text import slugify
from pipelines.synth.generator import provinces
from pipelines.synth.plan import RATIO_COLUMNS, VALUE_COLUMNS, Options, Row, plan_rows
from pipelines.synth.printing import Printed, vietnamese
from pipelines.synth.render import Facts, encode, render

SYNONYMS = REFERENCE_DIR / "indicator_synonyms.csv"
LINEAGE = REFERENCE_DIR / "provinces-2025-reorganisation.csv"
# A unit a report may print instead of the catalogue's: (printed unit, decimal places it shifts by).
UNIT_VARIANTS = {"Tỷ đồng": ("Triệu đồng", 3)}
OUTCOME = "outcome"
FAMILY = {Measure.actual: OUTCOME, Measure.estimate: OUTCOME, Measure.plan: Measure.plan.value}
ACTUAL, PLAN_THIS, ESTIMATE, PLAN_NEXT = 4, 5, 6, 9


@dataclass
class _World:
    """One province's true figures in the catalogue's unit: (measure, period) -> (value, decimals)."""

    figures: dict[tuple[str, str, int], tuple[Decimal, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class SeriesReport:
    stem: str
    data: bytes


def _synonyms() -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for _, row in read_rows(SYNONYMS):
        table.setdefault(row["indicator_code"], []).append(row["name_vi"])
    return table


def _successors() -> dict[str, str]:
    return {r["name_before"]: r["successor_2025"] for _, r in read_rows(LINEAGE) if r["merged"] == "yes"}


def _delta(rng: random.Random, value: Decimal, decimals: int) -> Decimal:
    """A known revision: zero now and then, else a few units of the last printed digit."""
    if rng.random() < 0.3:
        return Decimal(0)
    step = Decimal(1).scaleb(-decimals) * rng.randint(1, 9)
    return -step if value > 50 or rng.random() < 0.5 else step


class SeriesGenerator:
    """Writes the reports of ``provinces`` for ``years`` consecutive years and their joint truth."""

    def __init__(
        self, seed: int, province_count: int, years: int, first_year: int, include: list[str] | None = None
    ) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.years = range(first_year, first_year + years)
        names = [name for _, name in provinces()]
        chosen = list(dict.fromkeys(include or []))
        unknown = [p for p in chosen if p not in names]
        if unknown:
            raise PipelineError(f"provinces {unknown} are not in reference/provinces.csv")
        others = [n for n in names if n not in chosen]
        self.provinces = chosen + self.rng.sample(others, max(province_count - len(chosen), 0))
        self.codes = {match_key(e.name_vi): e.code for e in load_catalogue().values()}
        self.synonyms = _synonyms()
        self.successors = _successors()
        self.worlds: dict[str, _World] = {}
        self.crosswalk: list[dict[str, Any]] = []
        self.printed: list[dict[str, Any]] = []
        self.number = 0

    def reports(self) -> list[SeriesReport]:
        out = []
        for province in self.provinces:
            for year in self.years:
                out.append(self._report(province, year))
        return out

    def _report(self, home: str, year: int) -> SeriesReport:
        rng = self.rng
        month, day = rng.randint(11, 12), rng.randint(1, 28)
        province = self.successors.get(home, home) if (year, month) >= (2025, 7) else home
        self.number += 1
        facts = Facts(province, year, f"{self.seed * 1000 + self.number}/BC-UBND", day, month)
        world = self.worlds.setdefault(province, _World())
        rows = plan_rows(rng, Options(mutate=False))
        for row in rows:
            if row.kind == "indicator":
                self._fill(rng, row, world, province, year, facts.number)
        rendered = render(rng, facts, rows)
        data, _, _ = encode(rng, rendered.lines, "lf", False)
        return SeriesReport(f"series-{self.seed:03d}-{slugify(province)}-{year}", data)

    def _fill(
        self, rng: random.Random, row: Row, world: _World, province: str, year: int, document: str
    ) -> None:
        """Print the world's figures in this row, varying name and unit, and record the truth."""
        code = self.codes[match_key(row.name)]
        method = "name"
        if code in self.synonyms and rng.random() < 0.4:
            row.name = row.name_printed = rng.choice(self.synonyms[code])
            method = "synonym"
        shift = 0
        if row.unit in UNIT_VARIANTS and rng.random() < 0.5:
            row.unit, shift = UNIT_VARIANTS[row.unit]
        drawn = dict(row.figures)
        figures: dict[int, Printed | None] = {}
        for column, (measure, offset) in VALUE_COLUMNS.items():
            period = year + offset
            figure = self._truth_figure(rng, world, code, column, measure, period, drawn.get(column))
            if figure is None or drawn.get(column) is None:
                figures[column] = None
                continue
            value, decimals = figure
            figures[column] = vietnamese(value.scaleb(shift), max(decimals - shift, 0))
            self.printed.append(
                {
                    "indicator_code": code,
                    "province": province,
                    "period": period,
                    "measure": measure,
                    "value": decimal_text(value),
                    "document": document,
                    "year": year,
                }
            )
        row.figures = figures
        row.ratios = {column: None for column in RATIO_COLUMNS}
        row.deliberate = set()
        self.crosswalk.append(
            {
                "province": province,
                "document": document,
                "name": row.name,
                "unit": row.unit,
                "indicator_code": code,
                "method": method,
            }
        )

    def _truth_figure(
        self,
        rng: random.Random,
        world: _World,
        code: str,
        column: int,
        measure: str,
        period: int,
        drawn: Printed | None,
    ) -> tuple[Decimal, int] | None:
        """The world's figure for a column: last year's estimate revised, a plan restated, or new."""
        figures = world.figures
        if column == ACTUAL and (code, Measure.estimate, period) in figures:
            value, decimals = figures[(code, Measure.estimate, period)]
            figures[(code, Measure.actual, period)] = (value + _delta(rng, value, decimals), decimals)
            return figures[(code, Measure.actual, period)]
        if column == PLAN_THIS and (code, Measure.plan, period) in figures:
            value, decimals = figures[(code, Measure.plan, period)]
            if rng.random() < 0.2:
                figures[(code, Measure.plan, period)] = (value + _delta(rng, value, decimals), decimals)
            return figures[(code, Measure.plan, period)]
        if drawn is None:
            return None
        figures[(code, measure, period)] = (drawn.value, drawn.decimals)
        return figures[(code, measure, period)]

    def truth(self) -> dict[str, Any]:
        """What the crosswalk, the revisions and the latest vintages must be, from what was printed."""
        by_key: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
        for figure in self.printed:
            by_key.setdefault((figure["indicator_code"], figure["province"], figure["period"]), []).append(
                figure
            )
        revisions, latest = [], []
        for (code, province, period), figures in sorted(by_key.items()):
            for family in (OUTCOME, Measure.plan.value):
                vintages = sorted(
                    (f for f in figures if FAMILY[f["measure"]] == family), key=lambda f: f["year"]
                )
                for earlier, later in itertools.pairwise(vintages):
                    if Decimal(earlier["value"]) != Decimal(later["value"]):
                        revisions.append(
                            {
                                "indicator_code": code,
                                "province": province,
                                "period": period,
                                "earlier_measure": earlier["measure"],
                                "earlier_value": earlier["value"],
                                "later_measure": later["measure"],
                                "later_value": later["value"],
                            }
                        )
            for measure in (Measure.actual, Measure.estimate, Measure.plan):
                newest = max(
                    (f for f in figures if f["measure"] == measure), key=lambda f: f["year"], default=None
                )
                if newest is not None:
                    latest.append(
                        {
                            k: newest[k]
                            for k in ("indicator_code", "province", "period", "measure", "value", "document")
                        }
                    )
        return {
            "successors": {p: self.successors[p] for p in self.provinces if p in self.successors},
            "crosswalk": self.crosswalk,
            "revisions": revisions,
            "latest": latest,
        }
