"""The small marks of a printed figure, seen as shapes: a minus sign before the digits and the
separators between them.

The engine drops these more often than it misreads a digit (on noisy 8-point scans a ``-12,1``
came back ``12,1`` and a ``4,2`` came back ``42``, both with high confidence), and a lost sign or
separator changes the value silently. So what the engine read is compared with what the cell's
ink shows; where they disagree, the reading is not trusted.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# A digit's ink is at least this share of the tallest mark's height.
DIGIT_SHARE = 0.6
# A minus: a bar at least this much wider than tall, this wide (share of the digit height), its
# middle in this band of the digits' height (from their top).
MINUS_ELONGATION = 1.5
MINUS_MIN_WIDTH = 0.2
MINUS_BAND = (0.3, 0.8)
# A minus joined to the first digit: a bar this thin, sticking out this far left of the digit.
JOINED_MINUS_THICKNESS = 0.25
JOINED_MINUS_WIDTH = 0.3
# A separator: no wider or taller than this share of the digit height, its top in the lower part
# of the digits (below this share), at least this much ink (points squared), and no ink above it
# in the digits' upper half (so it is not the lower piece of a broken digit).
SEPARATOR_MAX = 0.5
SEPARATOR_TOP = 0.55
SEPARATOR_MIN_PT2 = 0.5
# A comma joined to a digit hangs at least this share of the digit height below the baseline.
TAIL_DEPTH = 0.12


@dataclass(frozen=True)
class Marks:
    """What the ink of a figure cell shows besides its digits."""

    minus: bool
    separators: int


Component = tuple[int, int, int, int, int]  # left, top, width, height, area (pixels)


def _components(ink: np.ndarray) -> list[Component]:
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    return [tuple(int(v) for v in stats[label]) for label in range(1, count)]  # type: ignore[misc]


def marks(text: np.ndarray, dpi: int) -> Marks | None:
    """The minus and separators seen in a cleaned figure cell (white paper, dark ink), or None
    when no digits stand out to measure them against."""
    _, binary = cv2.threshold(text, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    ink = binary > 0
    components = _components(ink)
    if not components:
        return None
    tallest = max(c[3] for c in components)
    digits = [c for c in components if c[3] >= DIGIT_SHARE * tallest]
    top = min(c[1] for c in digits)
    height = max(c[1] + c[3] for c in digits) - top
    if height < 4:
        return None
    others = [c for c in components if c not in digits]
    minus = _joined_minus(ink, min(digits), top, height) or _minus(others, min(digits)[0], top, height)
    return Marks(minus, _separators(ink, digits, others, top, height, dpi))


def _minus(others: list[Component], first: int, top: int, height: int) -> bool:
    """A bar of its own left of the first digit, in the minus's band."""
    return any(
        x + w <= first + 1
        and w >= MINUS_ELONGATION * h
        and w >= MINUS_MIN_WIDTH * height
        and MINUS_BAND[0] <= (y + h / 2 - top) / height <= MINUS_BAND[1]
        for x, y, w, h, _ in others
    )


def _separators(
    ink: np.ndarray, digits: list[Component], others: list[Component], top: int, height: int, dpi: int
) -> int:
    """Dots and commas standing between the digits, and commas joined to one."""
    first, last = min(c[0] for c in digits), max(c[0] + c[2] for c in digits)
    upper = ink[top : top + height // 2]
    min_area = SEPARATOR_MIN_PT2 * (dpi / 72) ** 2
    spans: list[tuple[int, int]] = []
    for x, y, w, h, area in others:
        if not (first < x and x + w < last and area >= min_area):
            continue
        if max(w, h) > SEPARATOR_MAX * height or y < top + SEPARATOR_TOP * height:
            continue
        if not upper[:, x : x + w].any():
            spans.append((x, x + w))
    for a, b in _tails(ink, digits, height):
        spans.append((a, b))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return len(merged)


def _joined_minus(ink: np.ndarray, digit: Component, top: int, height: int) -> bool:
    """A minus printed touching the first digit: the digit's ink begins with a thin bar in the
    minus's band, longer than any digit's own stroke sticks out there."""
    x, y, w, h, _ = digit
    low, high = top + MINUS_BAND[0] * height, top + MINUS_BAND[1] * height
    run = 0
    for column in range(x, x + w):
        rows = y + np.flatnonzero(ink[y : y + h, column])
        if not rows.size or rows[-1] - rows[0] + 1 > JOINED_MINUS_THICKNESS * height:
            break
        if rows[0] < low or rows[-1] > high:
            break
        run += 1
    return run >= JOINED_MINUS_WIDTH * height


def _tails(
    ink: np.ndarray, digits: list[tuple[int, int, int, int, int]], height: int
) -> list[tuple[int, int]]:
    """Commas joined to a digit: ink hanging below the digits' baseline, narrow as a comma's tail
    (no printed digit descends in the fonts reports use)."""
    baseline = int(np.percentile([y + h for _, y, _, h, _ in digits], 25))
    below = baseline + max(2, round(TAIL_DEPTH * height))
    out = []
    for x, y, w, h, _ in digits:
        if y + h < below:
            continue
        columns = np.flatnonzero(ink[below - 1 : y + h, x : x + w].any(axis=0))
        if columns.size and columns[-1] - columns[0] + 1 <= SEPARATOR_MAX * height:
            out.append((x + int(columns[0]), x + int(columns[-1]) + 1))
    return out


def agrees(reading: str, seen: Marks | None) -> bool:
    """The reading has the minus the ink shows (and none it does not), and at least as many
    separators as the ink shows between the digits."""
    if seen is None or not reading:
        return True
    signed = reading[0] in "-−–"
    separators = sum(reading.count(mark) for mark in ".,")
    return signed == seen.minus and separators >= seen.separators
