"""The marks of a figure seen as shapes (a minus, separators, a comma joined to a digit), on cells
drawn by the test in 8-point print at 200 dpi, as dense whole reports are scanned; and a figure
cell's preparation keeps a minus too small to count as a glyph whole."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipelines.ocr.cells import is_lone_dash, prepare
from pipelines.ocr.deskew import ink_mask
from pipelines.ocr.marks import Marks, agrees, marks
from tests.ocr.drawn import FONT

DPI = 200
SIZE_PX = round(8 * DPI / 72)


def cell(*pieces: tuple[str, int]) -> np.ndarray:
    """A white cell with each piece of text drawn at its x offset (pixels) on one baseline."""
    image = Image.new("L", (160, 50), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, SIZE_PX)
    for text, x in pieces:
        draw.text((x, 38), text, font=font, fill=0, anchor="ls")
    return np.array(image)


def printed(text: str) -> np.ndarray:
    return cell((text, 20))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-12,1", Marks(minus=True, separators=1)),
        ("12,1", Marks(minus=False, separators=1)),
        ("42", Marks(minus=False, separators=0)),
        ("1.949,545", Marks(minus=False, separators=2)),
        ("-4.243", Marks(minus=True, separators=1)),
        ("2018", Marks(minus=False, separators=0)),
    ],
)
def test_marks_of_printed_figures(text: str, expected: Marks) -> None:
    assert marks(printed(text), DPI) == expected


def test_a_comma_joined_to_its_digit_is_seen() -> None:
    font = ImageFont.truetype(FONT, SIZE_PX)
    four = font.getlength("4")
    joined = cell(("4", 20), (",", 20 + round(four) - 2), ("2", 20 + round(four + font.getlength(","))))
    seen = marks(joined, DPI)
    assert seen == Marks(minus=False, separators=1)
    assert not agrees("42", seen)
    assert agrees("4,2", seen)


@pytest.mark.parametrize(
    ("reading", "text", "expected"),
    [
        ("-12,1", "-12,1", True),
        ("12,1", "-12,1", False),  # the engine dropped the minus
        ("-12,1", "12,1", False),  # a speck read as a minus
        ("42", "4,2", False),  # the engine dropped the comma
        ("1,949,545", "1.949,545", True),  # a separator misread is the number check's job
        ("-", "-", True),  # a dash for "not reported" has no digits to measure against
    ],
)
def test_a_reading_agrees_with_the_ink_or_not(reading: str, text: str, expected: bool) -> None:
    assert agrees(reading, marks(printed(text), DPI)) is expected


def test_preparing_a_cell_keeps_a_small_minus_whole() -> None:
    """A minus thinner than a glyph but beside the digits is kept, and the crop does not cut it."""
    gray = printed("12,1")
    bar_y = np.flatnonzero((gray < 128).any(axis=1))
    middle = (bar_y[0] + bar_y[-1]) // 2
    gray[middle : middle + 1, 13:18] = 0  # 5 x 1 px: too small for a glyph, a minus by its place
    ink = ink_mask(gray)
    cleaned = prepare(gray, ink, np.zeros_like(ink), (0, 0, gray.shape[1], gray.shape[0]), DPI)
    assert cleaned is not None
    seen = marks(cleaned, DPI)
    assert seen is not None and seen.minus


@pytest.mark.parametrize("digit", "0123456789")
def test_no_leading_digit_looks_like_a_minus(digit: str) -> None:
    seen = marks(printed(f"{digit}5,2"), DPI)
    assert seen is not None and not seen.minus


def test_a_blurred_dash_alone_in_its_cell_is_kept_a_speck_is_not() -> None:
    """A row marker '-' that the scan blurred into a fat bar (5 x 3 px at 200 dpi) is no stroke by
    its shape, yet it is the cell's text; a speck of noise (3 x 2 px) is not."""
    gray = np.full((40, 60), 255, dtype=np.uint8)
    gray[20:23, 20:25] = 0
    ink = ink_mask(gray)
    box = (0, 0, gray.shape[1], gray.shape[0])
    cleaned = prepare(gray, ink, np.zeros_like(ink), box, DPI)
    assert cleaned is not None and is_lone_dash(cleaned)
    speck = np.full((40, 60), 255, dtype=np.uint8)
    speck[20:22, 20:23] = 0
    assert prepare(speck, ink_mask(speck), np.zeros_like(ink), box, DPI) is None
