"""Comparing an extraction with the generator's truth, and small process helpers for the slow tests."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent

REPORT_FIELDS = (
    "report_id",
    "province",
    "province_code",
    "document_number",
    "issued_date",
    "reporting_year",
    "plan_year",
    "title",
    "source_line",
)
INDICATOR_FIELDS = ("parent_id", "tt", "kind", "name_vi", "unit_vi", "note", "source_line")
OBSERVATION_FIELDS = ("value_printed", "decimals", "column_number", "source_line")
RATIO_FIELDS = (
    "formula",
    "numerator_measure",
    "numerator_period",
    "denominator_measure",
    "denominator_period",
    "published_printed",
    "source_line",
)


def _same(extracted: Any, expected: Any) -> bool:
    """Equal as published: None and "" are both an empty cell; numbers compare as numbers."""
    if extracted in (None, "") or expected in (None, ""):
        return extracted in (None, "") and expected in (None, "")
    if isinstance(expected, bool) or isinstance(extracted, bool):
        return str(extracted).lower() == str(expected).lower()
    if isinstance(expected, int) and not isinstance(expected, bool):
        return str(extracted) == str(expected)
    return str(extracted) == str(expected)


def _number(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _keyed(rows: list[dict[str, Any]], *key: str) -> dict[tuple, dict[str, Any]]:
    return {tuple(str(row[k]) for k in key): row for row in rows}


def compare(tables: dict[str, list[dict[str, Any]]], truth: dict[str, Any]) -> list[str]:
    """Every difference between extracted rows (dicts, typed or CSV text) and the truth, as readable lines."""
    problems: list[str] = []
    report = tables["reports"][0] if len(tables["reports"]) == 1 else {}
    problems += [
        f"report {name}: extracted {report.get(name)!r}, expected {truth['report'][name]!r}"
        for name in REPORT_FIELDS
        if not _same(report.get(name), truth["report"][name])
    ]
    got_ids = [row["indicator_id"] for row in tables["indicators"]]
    want_ids = [row["indicator_id"] for row in truth["indicators"]]
    if got_ids != want_ids:
        return [*problems, f"indicator ids differ:\n extracted {got_ids}\n expected  {want_ids}"]
    for got, want in zip(tables["indicators"], truth["indicators"], strict=True):
        problems += [
            f"{want['indicator_id']} {name}: extracted {got[name]!r}, expected {want[name]!r}"
            for name in INDICATOR_FIELDS
            if not _same(got[name], want[name])
        ]

    key = ("indicator_id", "measure", "period")
    got_obs, want_obs = _keyed(tables["observations"], *key), _keyed(truth["observations"], *key)
    if got_obs.keys() != want_obs.keys():
        problems.append(f"observation keys differ: {sorted(set(got_obs) ^ set(want_obs))}")
    for k in sorted(got_obs.keys() & want_obs.keys()):
        got, want = got_obs[k], want_obs[k]
        if _number(got["value"]) != _number(want["value"]):
            problems.append(f"observation {k} value: extracted {got['value']!r}, expected {want['value']!r}")
        problems += [
            f"observation {k} {name}: extracted {got[name]!r}, expected {want[name]!r}"
            for name in OBSERVATION_FIELDS
            if not _same(got[name], want[name])
        ]

    key = ("indicator_id", "column_number")
    got_ratios, want_ratios = _keyed(tables["ratios"], *key), _keyed(truth["ratios"], *key)
    if got_ratios.keys() != want_ratios.keys():
        problems.append(f"ratio keys differ: {sorted(set(got_ratios) ^ set(want_ratios))}")
    for k in sorted(got_ratios.keys() & want_ratios.keys()):
        got, want = got_ratios[k], want_ratios[k]
        problems += [
            f"ratio {k} {name}: extracted {got[name]!r}, expected {want[name]!r}"
            for name in (*RATIO_FIELDS, "consistent")
            if not _same(got[name], want[name])
        ]
        if _number(got["published_pct"]) != _number(want["published_pct"]):
            problems.append(f"ratio {k} published_pct: {got['published_pct']!r} != {want['published_pct']!r}")
        computed, expected = _number(got["computed_pct"]), _number(want["computed_pct"])
        if (computed is None) != (expected is None) or (
            computed is not None and expected is not None and abs(computed - expected) > Decimal("0.000001")
        ):
            problems.append(f"ratio {k} computed_pct: extracted {computed}, expected {expected}")
    return problems


def read_package_tables(directory: Path) -> dict[str, list[dict[str, str]]]:
    """Every resource of a written package as CSV text rows."""
    descriptor = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    return {
        resource["name"]: list(csv.DictReader(io.StringIO((directory / resource["path"]).read_text("utf-8"))))
        for resource in descriptor["resources"]
    }


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` (relative path -> bytes)."""
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def package_hashes_hold(directory: Path) -> bool:
    """The descriptor's sha256 and byte counts match the files beside it."""
    descriptor = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        data = (directory / resource["path"]).read_bytes()
        if resource["hash"] != f"sha256:{hashlib.sha256(data).hexdigest()}" or resource["bytes"] != len(data):
            return False
    return True


def frictionless_errors(descriptor: Path) -> list[str]:
    """Frictionless validation of a package: the list of error messages (empty when valid)."""
    from frictionless import Package, system

    with system.use_context(trusted=True):
        report = Package(str(descriptor)).validate()
    return [error.message for task in report.tasks for error in task.errors] + [
        error.message for error in report.errors
    ]
