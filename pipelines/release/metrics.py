"""Counts that ``dvc metrics show`` and ``dvc metrics diff`` report for each version.

The file is committed and compared across commits, so it holds only what the data determines:
no timings, no dates, keys in a fixed order.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pipelines.common.jsonio import json_text
from pipelines.package.reader import Package


def package_metrics(package: Package) -> dict[str, Any]:
    """Rows of every resource, plus the headline counts of the appendix and its ratios."""
    tables = package.tables
    rows = {name: len(table.rows) for name, table in tables.items()}
    metrics: dict[str, Any] = {
        "reports": rows.get("reports", 0),
        "indicators": rows.get("indicators", 0),
        "observations": rows.get("observations", 0),
    }
    if "indicators" in tables:
        kinds = Counter(row.get("kind", "") for row in tables["indicators"].rows)
        metrics["indicator_kinds"] = dict(sorted(kinds.items()))
    if "ratios" in tables:
        judged = Counter(row.get("consistent", "") for row in tables["ratios"].rows)
        metrics["ratios"] = {
            "published": rows["ratios"],
            "consistent": judged["true"],
            "inconsistent": judged["false"],
            "not_judged": judged[""],
        }
    metrics["rows"] = rows
    return metrics


def validation_metrics(summary: dict[str, Any]) -> dict[str, Any]:
    """The verdicts and totals of the validation summary: its top-level numbers and flags, and
    its groups of them (integrity, source quality, ...); per-suite detail stays in the summary."""

    def scalar(value: Any) -> bool:
        return isinstance(value, bool | int | float)

    def group(value: Any) -> bool:
        return isinstance(value, dict) and bool(value) and all(scalar(v) for v in value.values())

    return {key: value for key, value in summary.items() if scalar(value) or group(value)}


def metrics_json(package: Package, summary: dict[str, Any] | None) -> str:
    document = package_metrics(package)
    if summary is not None:
        document["validation"] = validation_metrics(summary)
    return json_text(document)
