"""One generated report: its bytes and the truth about it (the rows extraction must produce)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from functools import cache
from typing import Any

from pipelines.common.decimals import decimal_text
from pipelines.common.jsonio import json_bytes
from pipelines.common.reference import reference_rows
from pipelines.common.text import slugify
from pipelines.synth.plan import RATIO_COLUMNS, VALUE_COLUMNS, Options, Row, plan_rows, ratio_truth
from pipelines.synth.render import Facts, encode, render

SIX_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class GeneratedReport:
    stem: str
    data: bytes
    truth: dict[str, Any]


@cache
def provinces() -> tuple[tuple[str, str], ...]:
    """(code, Vietnamese name) of every province in the project's reference list."""
    return tuple((row["province_code"], row["name_vi"]) for row in reference_rows("provinces.csv"))


def _decimal_text(value: Decimal | Fraction) -> str:
    if isinstance(value, Fraction):
        value = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(SIX_PLACES, ROUND_HALF_EVEN)
    return decimal_text(value)


def _truth_rows(
    report_id: str, rows: list[Row], lines: list[int], year: int
) -> dict[str, list[dict[str, Any]]]:
    indicators, observations, ratios = [], [], []
    for row, line in zip(rows, lines, strict=True):
        if row.style == "of_which":
            continue
        indicator_id = f"{report_id}/{row.path}"
        indicators.append(
            {
                "indicator_id": indicator_id,
                "parent_id": f"{report_id}/{row.parent}" if row.parent else None,
                "tt": row.tt,
                "kind": row.kind,
                "name_vi": row.name,
                "unit_vi": row.unit or None,
                "note": row.note or None,
                "source_line": line,
            }
        )
        for column, (measure, offset) in VALUE_COLUMNS.items():
            printed = row.figures.get(column)
            if printed is not None:
                observations.append(
                    {
                        "indicator_id": indicator_id,
                        "measure": measure,
                        "period": year + offset,
                        "value": _decimal_text(printed.value),
                        "value_printed": printed.text,
                        "decimals": printed.decimals,
                        "column_number": column,
                        "source_line": line,
                    }
                )
        for column, (top, bottom) in RATIO_COLUMNS.items():
            truth = ratio_truth(row, column)
            if truth is None:
                continue
            ratios.append(
                {
                    "indicator_id": indicator_id,
                    "column_number": column,
                    "formula": f"{column}={top}/{bottom}",
                    "numerator_measure": VALUE_COLUMNS[top][0],
                    "numerator_period": year + VALUE_COLUMNS[top][1],
                    "denominator_measure": VALUE_COLUMNS[bottom][0],
                    "denominator_period": year + VALUE_COLUMNS[bottom][1],
                    "published_printed": truth.published.text,
                    "published_pct": _decimal_text(truth.published.value),
                    "computed_pct": _decimal_text(truth.computed) if truth.computed is not None else None,
                    "consistent": truth.consistent,
                    "deliberately_inconsistent": column in row.deliberate,
                    "source_line": line,
                }
            )
    return {"indicators": indicators, "observations": observations, "ratios": ratios}


DEFAULT_OPTIONS = Options()


def generate_report(
    seed: int, options: Options = DEFAULT_OPTIONS, line_ending: str | None = None, nfd: bool | None = None
) -> GeneratedReport:
    """A report drawn from ``seed`` (same seed, same bytes) and the rows it holds."""
    rng = random.Random(seed)
    code, province = rng.choice(provinces())
    year = rng.randint(2012, 2030)
    facts = Facts(province, year, f"{100 + seed}/BC-UBND", rng.randint(1, 28), rng.randint(10, 12))
    rows = plan_rows(rng, options)
    rendered = render(rng, facts, rows)
    data, ending, normalised = encode(rng, rendered.lines, line_ending, nfd)
    report_id = f"{slugify(province)}-{year}-{slugify(facts.number)}"
    truth: dict[str, Any] = {
        "generator": {"seed": seed, "line_ending": ending, "nfd": normalised, "options": vars(options)},
        "report": {
            "report_id": report_id,
            "province": province,
            "province_code": code,
            "document_number": facts.number,
            "issued_date": f"{year:04d}-{facts.month:02d}-{facts.day:02d}",
            "reporting_year": year,
            "plan_year": year + 1,
            "title": facts.title,
            "source_line": rendered.caption_line,
        },
        **_truth_rows(report_id, rows, rendered.row_lines, year),
    }
    return GeneratedReport(f"synth-{seed:05d}-{slugify(province)}-{year}", data, truth)


def truth_json(report: GeneratedReport) -> bytes:
    return json_bytes(report.truth, indent=1)
