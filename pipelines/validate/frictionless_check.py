"""Frictionless validation of the package: descriptor, hashes, types, constraints, keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

MAX_LISTED = 20


def validate_package(descriptor_path: Path) -> dict[str, Any]:
    """Frictionless' verdict with the first errors, each naming resource, row and field."""
    from frictionless import validate

    report = validate(str(descriptor_path))
    errors = []
    for task in report.tasks:
        for error in task.errors:
            errors.append(
                {
                    "resource": task.name,
                    "type": error.type,
                    "row": getattr(error, "row_number", None),
                    "field": getattr(error, "field_name", None),
                    "message": error.message,
                }
            )
    for error in report.errors:
        errors.append(
            {"resource": None, "type": error.type, "row": None, "field": None, "message": error.message}
        )
    return {"valid": bool(report.valid), "error_count": len(errors), "errors": errors[:MAX_LISTED]}
