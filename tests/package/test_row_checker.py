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


def _written(resource: object, rows: object) -> bytes | str:
    """The CSV bytes of ``rows``, or the error that refused them."""
    import io

    from pipelines.package.csvio import write_csv

    buffer = io.BytesIO()
    try:
        write_csv(resource, rows, buffer)  # type: ignore[arg-type]
    except RowSchemaError as exc:
        return str(exc)
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["revisions", "series", "crosswalk"])
def test_a_list_written_column_by_column_gives_the_bytes_or_the_error_row_by_row_does(name: str) -> None:
    """Derived resources come as lists, checked and formatted a column at a time: for any rows
    (good, or with a wrong value, class, code, empty or missing field anywhere), the same bytes
    as the row-by-row writing of the same rows, or the same error naming the same row."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from pipelines.package.rows import checked_columns

    resource = load_metadata().resource(name)
    good = {
        "string": st.text(max_size=6) | st.sampled_from(["a,b", 'q"q', "x\ny", "04"]),
        "integer": st.integers(-5, 3000),
        "year": st.integers(1990, 2030),
        "number": st.decimals(allow_nan=False, allow_infinity=False, places=3) | st.integers(-9, 9),
        "boolean": st.booleans(),
        "date": st.dates(),
    }

    def field_value(field: object) -> st.SearchStrategy:
        codes = field.resolved_enum()  # type: ignore[attr-defined]
        return st.sampled_from([str(c) for c in codes]) if codes else good[field.type]  # type: ignore[attr-defined]

    row = st.fixed_dictionaries({f.name: field_value(f) for f in resource.fields})
    names = [f.name for f in resource.fields]
    shapes = {"kept": 0, "columns": 0}

    @settings(max_examples=200, deadline=None, derandomize=True)
    @given(
        st.lists(row, min_size=2, max_size=6),
        st.sampled_from(["as is", "as is", "a value", "missing", "extra"]),
        st.sampled_from(names),
        st.sampled_from(VALUES),
    )
    def agree(rows: list[dict], change: str, field: str, value: object) -> None:
        if change == "a value":
            rows[-1][field] = value
        elif change == "missing":
            rows[-1].pop(field)
        elif change == "extra":
            rows[0]["colour"] = "red"
        shapes["columns" if checked_columns(resource, rows) is not None else "kept"] += 1
        assert _written(resource, rows) == _written(resource, iter(rows))

    agree()
    assert shapes["columns"] > 0 and shapes["kept"] > 0  # both ways were exercised
