"""Frictionless validation of the package: descriptor, hashes, types, constraints, keys.

Every resource is read row by row by frictionless except those whose rows the suites check in
full (``suites_check_rows``): resources the package derives from the others (a crosswalk, series,
revisions as large as the tables they come from), each field of a type whose written form the
column suite checks and with only constraints it checks, keys checked by the SQL suite. For
those, frictionless still validates the descriptor and this module checks their bytes and hash,
so nothing it would have caught goes unchecked while the rows are not read a second time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

MAX_LISTED = 20
# What the generated suites check of a field (validate/suites.py column_suite and sql_suite):
# the written form of these types, and these constraints.
SUITE_TYPES = frozenset({"string", "integer", "number", "boolean", "date", "year"})
SUITE_CONSTRAINTS = frozenset({"required", "enum", "pattern", "unique", "minimum", "maximum"})


def suites_check_rows(schema: dict[str, Any]) -> bool:
    """True when the generated suites check everything frictionless checks of the rows."""
    for field in schema["fields"]:
        constraints = {k for k, v in (field.get("constraints") or {}).items() if v is not None}
        if field.get("type", "string") not in SUITE_TYPES or not constraints <= SUITE_CONSTRAINTS:
            return False
    return True


def _error(resource: str | None, kind: str, message: str, row: int | None = None, field: str | None = None):
    return {"resource": resource, "type": kind, "row": row, "field": field, "message": message}


def _size_and_hash(root: Path, resource: Any) -> list[dict[str, Any]]:
    """The resource file's byte count and checksum against the descriptor (frictionless' own error
    types), for a resource whose rows frictionless does not read."""
    path = root / resource.path
    if not path.is_file():
        return [_error(resource.name, "scheme-error", f'the file "{resource.path}" does not exist')]
    data = path.read_bytes()
    errors = []
    if resource.bytes is not None and resource.bytes != len(data):
        errors.append(
            _error(resource.name, "byte-count", f'expected is "{resource.bytes}" and actual is "{len(data)}"')
        )
    if resource.hash:
        algorithm, _, expected = resource.hash.rpartition(":")
        actual = hashlib.new(algorithm or "md5", data).hexdigest()
        if actual != expected:
            errors.append(
                _error(resource.name, "hash-count", f'expected is "{expected}" and actual is "{actual}"')
            )
    return errors


def validate_package(descriptor_path: Path, rows_checked_by_suites: Iterable[str] = ()) -> dict[str, Any]:
    """Frictionless' verdict with the first errors, each naming resource, row and field.

    ``rows_checked_by_suites``: resources whose rows frictionless leaves to the suites (their
    descriptor, size and hash are still checked here).
    """
    from frictionless import FrictionlessException, Resource

    skipped = set(rows_checked_by_suites)
    try:
        package = Resource(str(descriptor_path)).read_metadata()
        package.to_descriptor(validate=True)
    except FrictionlessException as exception:
        return _verdict([_error(None, e.type, e.message) for e in exception.to_errors()])
    errors = []
    for report in (r.validate() for r in package.resources if r.name not in skipped):
        for task in report.tasks:
            for error in task.errors:
                errors.append(
                    _error(
                        task.name,
                        error.type,
                        error.message,
                        getattr(error, "row_number", None),
                        getattr(error, "field_name", None),
                    )
                )
        errors += [_error(None, error.type, error.message) for error in report.errors]
    for resource in package.resources:
        if resource.name in skipped:
            errors += _size_and_hash(descriptor_path.parent, resource)
    return _verdict(errors)


def _verdict(errors: list[dict[str, Any]]) -> dict[str, Any]:
    return {"valid": not errors, "error_count": len(errors), "errors": errors[:MAX_LISTED]}
