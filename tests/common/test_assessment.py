"""The one assessment rule: ranges, bounds, single numbers, directions, flags, printed verdicts."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from pipelines.common.assessment import (
    ASSESSMENTS,
    EXCEEDED,
    MET,
    NOT_ASSESSABLE,
    NOT_MET,
    assess,
    verdict_code,
)

UP, DOWN, FLAT = "higher_is_better", "lower_is_better", "neither"


@pytest.mark.parametrize(
    ("value", "low", "high", "direction", "expected"),
    [
        ("7.5", "7.5", "8.0", UP, MET),
        ("8.0", "7.5", "8.0", UP, MET),
        ("7.7", "7.5", "8.0", FLAT, MET),
        ("8.1", "7.5", "8.0", UP, EXCEEDED),
        ("7.4", "7.5", "8.0", UP, NOT_MET),
        ("0.9", "1", "1.5", DOWN, EXCEEDED),
        ("1.6", "1", "1.5", DOWN, NOT_MET),
        ("9", "7.5", "8.0", FLAT, NOT_MET),
        ("9", "7.5", "8.0", None, NOT_MET),
    ],
)
def test_a_range_is_met_inside_and_direction_decides_outside(value, low, high, direction, expected):
    assert assess(D(value), target_low=D(low), target_high=D(high), direction=direction) == expected


@pytest.mark.parametrize(
    ("qualifier", "value", "expected"),
    [
        ("trên", "90.1", MET),
        ("trên", "90", NOT_MET),
        ("trên", "89", NOT_MET),
        (">", "91", MET),
        ("≥", "90", MET),
        ("tối thiểu", "89.9", NOT_MET),
        ("dưới", "89", MET),
        ("dưới", "90", NOT_MET),
        ("<", "95", NOT_MET),
        ("≤", "90", MET),
        ("tối đa", "90.5", NOT_MET),
    ],
)
def test_a_bound_is_met_on_its_side_whatever_the_direction(qualifier, value, expected):
    for direction in (UP, DOWN, FLAT, None):
        got = assess(D(value), target_low=D(90), target_high=D(90), qualifier=qualifier, direction=direction)
        assert got == expected


@pytest.mark.parametrize(
    ("value", "direction", "expected"),
    [
        ("6.5", UP, MET),
        ("6.50", FLAT, MET),
        ("7", UP, EXCEEDED),
        ("6", UP, NOT_MET),
        ("6", DOWN, EXCEEDED),
        ("7", DOWN, NOT_MET),
        ("7", FLAT, NOT_ASSESSABLE),
        ("7", None, NOT_ASSESSABLE),
    ],
)
def test_a_single_number_or_about_uses_the_direction(value, direction, expected):
    for qualifier in (None, "", "khoảng"):
        got = assess(
            D(value), target_low=D("6.5"), target_high=D("6.5"), qualifier=qualifier, direction=direction
        )
        assert got == expected


def test_missing_or_flagged_figures_are_not_assessable():
    assert assess(None, target_low=D(1), target_high=D(1), direction=UP) == NOT_ASSESSABLE
    assert assess(D(1), target_low=None, target_high=None, direction=UP) == NOT_ASSESSABLE
    assert assess(D(2), target_low=D(1), target_high=D(1), direction=UP, flagged=True) == NOT_ASSESSABLE


def test_one_open_end_counts_as_a_single_number_and_ends_may_come_reversed():
    assert assess(D(5), target_low=D(5), target_high=None, direction=UP) == MET
    assert assess(D(8), target_low=D(9), target_high=D(7), direction=UP) == MET


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Đạt", MET),
        ("đạt", MET),
        ("Vượt", EXCEEDED),
        ("Vượt kế hoạch", EXCEEDED),
        ("Không đạt", NOT_MET),
        ("Chưa đạt.", NOT_MET),
        ("Xuất siêu", None),
        ("", None),
    ],
)
def test_printed_verdict_words_map_to_the_assessment_codes(printed, expected):
    code = verdict_code(printed)
    assert code == expected
    assert code is None or code in ASSESSMENTS
