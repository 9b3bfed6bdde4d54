"""The validation verdict: ``summary.json`` (counts, the gate), ``results.json`` (rows) and terminal text."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from pipelines.validate.gx_runner import SuiteOutcome


def _counts(outcomes: list[SuiteOutcome]) -> dict[str, int]:
    evaluated = sum(len(o.expectations) for o in outcomes)
    failed = sum(len(o.failed) for o in outcomes)
    return {"evaluated": evaluated, "passed": evaluated - failed, "failed": failed}


def suite_label(outcome: SuiteOutcome) -> str:
    return outcome.suite if outcome.data == "package" else f"{outcome.suite}@{outcome.data.split(':', 1)[1]}"


def summarise(
    package: str, frictionless: dict[str, Any], outcomes: list[SuiteOutcome], outdated: list[str]
) -> dict[str, Any]:
    """Counts only, stable from run to run (no timestamps), so DVC can track them as metrics."""
    integrity = [o for o in outcomes if o.kind == "integrity"]
    quality = [o for o in outcomes if o.kind == "source_quality"]
    blocking_failures = sum(len(o.failed) for o in outcomes if o.blocking)
    passed = frictionless["valid"] and blocking_failures == 0 and not outdated
    return {
        "passed": passed,
        "package": package,
        "frictionless": {"valid": frictionless["valid"], "errors": frictionless["error_count"]},
        "suites_outdated": len(outdated),
        "integrity": _counts(integrity),
        "source_quality": {
            **_counts(quality),
            "findings": sum(e.unexpected_count or 1 for o in quality for e in o.failed),
        },
        "suites": {
            suite_label(o): {
                "kind": o.kind,
                "blocking": o.blocking,
                "skipped": o.skipped is not None,
                **_counts([o]),
            }
            for o in outcomes
        },
    }


def detailed(
    frictionless: dict[str, Any], outcomes: list[SuiteOutcome], outdated: list[str]
) -> dict[str, Any]:
    """Everything a reader needs to find the offending rows, for the site and for maintainers."""
    return {
        "frictionless": frictionless,
        "suites_outdated": outdated,
        "suites": [
            {
                "suite": o.suite,
                "data": o.data,
                "kind": o.kind,
                "blocking": o.blocking,
                "target": o.target,
                "skipped": o.skipped,
                "failed": [asdict(e) for e in o.failed],
            }
            for o in outcomes
        ],
    }


def _row_text(row: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in row.items())


def terminal_text(summary: dict[str, Any], frictionless: dict[str, Any], outcomes: list[SuiteOutcome]) -> str:
    """What the maintainer reads: each failed expectation with its table and first offending rows."""
    lines = []
    status = "valid" if frictionless["valid"] else f"INVALID ({frictionless['error_count']} errors)"
    lines.append(f"frictionless: {status}")
    for error in frictionless["errors"]:
        where = ", ".join(
            f"{k} {error[k]}" for k in ("resource", "row", "field") if error.get(k) not in (None, "")
        )
        lines.append(f"  - {error['type']} ({where}): {error['message']}")
    for outcome in outcomes:
        label = suite_label(outcome)
        if outcome.skipped:
            lines.append(f"{label}: skipped ({outcome.skipped})")
            continue
        counts = _counts([outcome])
        verdict = "ok" if not outcome.failed else ("FAILED" if outcome.blocking else "findings")
        lines.append(
            f"{label} [{outcome.target}]: {counts['passed']}/{counts['evaluated']} passed — {verdict}"
        )
        for failure in outcome.failed:
            what = failure.id + (f" (column {failure.column})" if failure.column else "")
            count = f", {failure.unexpected_count} rows" if failure.unexpected_count else ""
            lines.append(f"  ✗ {what}: {failure.type}{count}")
            if failure.error:
                lines.append(f"      error: {failure.error.splitlines()[0]}")
            if failure.observed is not None:
                lines.append(f"      observed: {failure.observed}")
            lines.extend(f"      {_row_text(row)}" for row in failure.rows)
    integrity, quality = summary["integrity"], summary["source_quality"]
    lines.append(
        f"integrity: {integrity['passed']}/{integrity['evaluated']} expectations passed; "
        f"source quality: {quality['failed']} expectations with {quality['findings']} findings (not blocking)"
    )
    lines.append("PASSED" if summary["passed"] else "FAILED: publishing is blocked")
    return "\n".join(lines)
