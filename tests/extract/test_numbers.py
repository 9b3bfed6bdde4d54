"""Vietnamese number literals: parsing, precision intervals, and rejection of non-numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.common.numbers import NumberFormatError, parse_number, parse_optional


def vietnamese(value: Decimal, decimals: int) -> str:
    """Print a number the way the reports do (written independently of the parser)."""
    sign = "-" if value < 0 else ""
    text = f"{abs(value):.{decimals}f}"
    whole, _, frac = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + frac if frac else "")


@pytest.mark.parametrize(
    ("printed", "value", "decimals"),
    [
        ("1.949,545", Decimal("1949.545"), 3),
        ("2.018", Decimal("2018"), 0),
        ("-3,21", Decimal("-3.21"), 2),
        ("15,00", Decimal("15.00"), 2),
        ("0", Decimal("0"), 0),
        ("4.180.000", Decimal("4180000"), 0),
        ("1130", Decimal("1130"), 0),
        (" 103,8 ", Decimal("103.8"), 1),
    ],
)
def test_known_literals(printed: str, value: Decimal, decimals: int) -> None:
    number = parse_number(printed)
    assert number.value == value
    assert number.decimals == decimals


@pytest.mark.parametrize("text", ["abc", "1,2,3", "1.23", "12.34,5", ",5", "1.", "--1", "1 000", "5%", "n/a"])
def test_rejects_what_is_not_a_vietnamese_number(text: str) -> None:
    with pytest.raises(NumberFormatError):
        parse_number(text)


def test_empty_cell_is_not_reported_not_zero() -> None:
    assert parse_optional("") is None
    assert parse_optional("   ") is None


def test_interval_is_half_a_printed_unit() -> None:
    assert (parse_number("14").low, parse_number("14").high) == (Decimal("13.5"), Decimal("14.5"))
    assert (parse_number("103,8").low, parse_number("103,8").high) == (Decimal("103.75"), Decimal("103.85"))


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=3, allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=3),
)
def test_round_trip_of_printed_numbers(value: Decimal, decimals: int) -> None:
    rounded = value.quantize(Decimal(1).scaleb(-decimals))
    printed = vietnamese(rounded, decimals)
    number = parse_number(printed)
    assert number.value == rounded
    assert number.decimals == decimals
    assert number.low <= number.value < number.high


@given(st.text(alphabet="0123456789.,-abc %", max_size=12))
def test_any_text_parses_or_raises_cleanly(text: str) -> None:
    try:
        number = parse_number(text)
    except NumberFormatError:
        return
    assert number.printed == text.strip()


def test_a_number_longer_than_any_statistic_is_refused() -> None:
    assert parse_number("123.456.789.012.345.678").value == Decimal("123456789012345678")
    with pytest.raises(NumberFormatError, match="more than 18 digits"):
        parse_number("9" * 400)
    with pytest.raises(NumberFormatError, match="more than 18 digits"):
        parse_number("1," + "5" * 18)
