"""The fast row check accepts exactly the rows ``check_row`` accepts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pipelines.common.enums import Measure
from pipelines.package.metadata import load_metadata
from pipelines.package.rows import RowSchemaError, check_row, row_checker

# One value of each kind a builder may hand over, right or wrong for some field type.
VALUES = [None, "", "x", "actual", Measure.actual, 3, 2.5, Decimal("1.5"), True, dt.date(2022, 1, 1)]


def _verdict(check: object, resource: object, row: dict) -> str | None:
    try:
        check(resource, row) if check is check_row else check(row)  # type: ignore[operator]
    except RowSchemaError as exc:
        return str(exc)
    return None


@pytest.mark.parametrize("name", ["series", "observations", "reports"])
def test_the_fast_path_and_check_row_agree_on_every_kind_of_value(name: str) -> None:
    resource = load_metadata().resource(name)
    check = row_checker(resource)
    valid = {
        "string": "x",
        "integer": 1,
        "year": 2022,
        "number": 1.5,
        "boolean": False,
        "date": dt.date(2022, 1, 1),
    }
    base = {}
    for field in resource.fields:
        codes = field.resolved_enum()
        base[field.name] = str(codes[0]) if codes else valid[field.type]
    assert _verdict(check_row, resource, base) is None
    tried = 0
    for field in resource.fields:
        for value in VALUES:
            row = base | {field.name: value}
            assert _verdict(check, resource, row) == _verdict(check_row, resource, row), (field.name, value)
            tried += 1
    missing = dict(base)
    missing.pop(resource.fields[0].name)
    assert _verdict(check, resource, missing) == _verdict(check_row, resource, missing) is not None
    assert tried > 50
