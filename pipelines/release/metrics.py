"""Counts that ``dvc metrics show`` and ``dvc metrics diff`` report for each version.

The file is committed and compared across commits, so it holds only what the data determines:
no timings, no dates, keys in a fixed order.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from pipelines.release.source import Package


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
    """The numbers and verdicts of the validation summary (nested objects kept, lists counted)."""

    def keep(value: Any) -> Any:
        if isinstance(value, dict):
            kept = {k: keep(v) for k, v in value.items()}
            return {k: v for k, v in kept.items() if v is not None}
        if isinstance(value, list):
            return len(value)
        if isinstance(value, bool | int | float):
            return value
        return None

    return keep(summary)


def metrics_json(package: Package, summary: dict[str, Any] | None) -> str:
    document = package_metrics(package)
    if summary is not None:
        document["validation"] = validation_metrics(summary)
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
