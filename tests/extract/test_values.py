"""Printed value cells as data: numbers in both conventions, ranges, bounds, words, verdicts."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from pipelines.extract.convention import Convention, decide, literal_evidence
from pipelines.extract.values import AMBIGUOUS_NUMBER_FORMAT, MALFORMED_NUMBER, parse_value, printed_text

VI, EN = Convention.VIETNAMESE, Convention.ENGLISH


@pytest.mark.parametrize(
    ("literal", "fits"),
    [
        ("4,8", {VI}),
        ("1.234,5", {VI}),
        ("12.345.678", {VI}),
        ("15.40", {EN}),
        ("412204.00", {EN}),
        ("6,202.7", {EN}),
        ("1 033.6", {EN}),
        ("1 033,6", {VI}),
        ("3.700", {VI, EN}),
        ("10,500", {VI, EN}),
        ("123", {VI, EN}),
        ("106, 6", set()),
        ("1.2.3", set()),
    ],
)
def test_each_literal_says_which_conventions_it_fits(literal, fits):
    assert literal_evidence(literal).fits == frozenset(fits)


def test_a_table_convention_is_what_its_decisive_cells_agree_on():
    assert decide(literal_evidence(t) for t in ["3.700", "4,8", "25,5", "6"]) is VI
    assert decide(literal_evidence(t) for t in ["10,500", "6,202.7", "231.7"]) is EN
    assert decide(literal_evidence(t) for t in ["3.700", "10"]) is None
    assert decide(literal_evidence(t) for t in ["4,8", "15.40"]) is None


@pytest.mark.parametrize(
    ("cell", "convention", "value", "low", "high", "qualifier"),
    [
        ("Khoảng 6,5", VI, "6.5", "6.5", "6.5", "khoảng"),
        ("Khoảng 3.700", VI, "3700", "3700", "3700", "khoảng"),
        ("Trên 90", VI, "90", "90", "90", "trên"),
        ("Dưới 3", VI, "3", "3", "3", "dưới"),
        ("< 7,6", VI, "7.6", "7.6", "7.6", "<"),
        (">=95", VI, "95", "95", "95", "≥"),
        ("≥ 95", VI, "95", "95", "95", "≥"),
        ("Tối thiểu 80", VI, "80", "80", "80", "tối thiểu"),
        ("tối đa 2", VI, "2", "2", "2", "tối đa"),
        ("7,5-8,0", VI, None, "7.5", "8.0", ""),
        ("1 - 1,5", VI, None, "1", "1.5", ""),
        ("Khoảng 45-47", VI, None, "45", "47", "khoảng"),
        ("-4,13%", VI, "-4.13", "-4.13", "-4.13", ""),
        ("412204.00", EN, "412204.00", "412204.00", "412204.00", ""),
        ("10,500", EN, "10500", "10500", "10500", ""),
        ("6,202.7", None, "6202.7", "6202.7", "6202.7", ""),
        ("1 033.6", None, "1033.6", "1033.6", "1033.6", ""),
        ("**_85.6_**", EN, "85.6", "85.6", "85.6", ""),
    ],
)
def test_numbers_ranges_and_bounds(cell, convention, value, low, high, qualifier):
    got = parse_value(cell, convention)
    assert got.value == (D(value) if value else None)
    assert (got.value_low, got.value_high) == (D(low), D(high))
    assert got.qualifier == qualifier
    assert got.review_reason == "" and got.value_text == ""


def test_a_second_value_in_parentheses_is_kept_with_its_label():
    got = parse_value("0,7% (còn 4,33%)", VI)
    assert got.value == D("0.7")
    assert got.secondary is not None and got.secondary.value == D("4.33")
    assert got.secondary_label == "còn"


def test_words_and_verdicts_are_text_not_numbers():
    words = parse_value("Xuất siêu", VI)
    assert (words.value, words.value_low, words.value_text, words.verdict) == (None, None, "Xuất siêu", None)
    assert parse_value("Không đạt", VI).verdict == "not_met"
    assert parse_value("Vượt", VI).verdict == "exceeded"
    assert parse_value("Tối thiểu", VI).value_text == "Tối thiểu"


def test_what_cannot_be_read_is_flagged_never_guessed():
    assert parse_value("3.700", None).review_reason == AMBIGUOUS_NUMBER_FORMAT
    assert parse_value("3.700", None).value is None
    broken = parse_value("106, 6", EN)
    assert broken.review_reason == MALFORMED_NUMBER and broken.value_low is None
    assert broken.printed == "106, 6"
    assert parse_value("", VI).is_empty


def test_printed_text_reads_line_breaks_as_spaces_and_drops_emphasis():
    assert printed_text("**Tổng sản lượng**<br>**lương thực có hạt**") == "Tổng sản lượng lương thực có hạt"
    assert printed_text("_ Trong đó:  + Lúa_") == "Trong đó: + Lúa"


def test_a_range_printed_high_to_low_keeps_its_ends_in_order():
    got = parse_value("8,0 - 7,5", VI)
    assert (got.value_low, got.value_high) == (D("7.5"), D("8.0"))
