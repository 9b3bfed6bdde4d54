"""Preparing one table cell for the engine: rules blanked (not cropped deep, which cuts a comma's
tail), specks away from the text erased, an ink test for empty cells, then a downscale.

Empty cells otherwise come back as ``,``, ``.`` or ``-``. Figures are resampled so that their
ink stands about as tall as 11-point print at 150 dpi, which read printed figures best: an
appendix in 11 points is downscaled, one in 8 points (dense whole reports) is read at a higher
resolution than 150 dpi, so that a comma stays a comma.
"""

from __future__ import annotations

import cv2
import numpy as np

from pipelines.ocr.engine import TEXT

TARGET_DPI = 150
# Figures read best when their ink (digit tops to comma tails) is about this tall in pixels.
FIGURE_INK_PX = 20
FIGURE_DPI_RANGE = (100, 300)
# Text cells are read at this resolution, upscaled if need be: the Vietnamese diacritics need it.
TEXT_TARGET_DPI = 300
PAD_PX = 12
# Ink smaller than this (in points squared) is a speck, unless it sits beside the text.
SPECK_PT2 = 2.2
# A cell holds text only if some ink is at least this large (points squared): a digit's stroke,
# or a thin stroke (a dash, an ``I``) of a third of that, which a round speck never is.
GLYPH_PT2 = 3.0
STROKE_ELONGATION = 2.5
# A dash blurred by a scan is a fat bar (5 x 3 pixels at 200 dpi): alone in a cell, a bar at least
# this much wider than tall and as large as a stroke is a dash; no speck of noise is at that size.
BAR_ELONGATION = 1.5


def _pt2_to_px(area_pt2: float, dpi: int) -> float:
    return area_pt2 * (dpi / 72) ** 2


def read_dpi(dpi: int, kind: str) -> int:
    """The resolution a cell is read at: figures and row codes downscaled to at most their
    target, text at its own."""
    return TEXT_TARGET_DPI if kind == TEXT else min(dpi, TARGET_DPI)


def ink_height(text: np.ndarray) -> int:
    """Pixels from the top of a cleaned cell's ink to its bottom."""
    rows = np.flatnonzero((text < 128).any(axis=1))
    return int(rows[-1] - rows[0] + 1) if rows.size else 0


def figure_dpi(dpi: int, heights: list[int]) -> int:
    """The resolution a table's figures are read at, from the height of their ink at ``dpi``."""
    if not heights:
        return min(dpi, TARGET_DPI)
    wanted = round(dpi * FIGURE_INK_PX / float(np.median(heights)))
    return max(FIGURE_DPI_RANGE[0], min(FIGURE_DPI_RANGE[1], wanted))


def prepare(
    gray: np.ndarray,
    ink: np.ndarray,
    rules: np.ndarray,
    box: tuple[int, int, int, int],
    dpi: int,
) -> np.ndarray | None:
    """The cell's text as a clean image at the scan's resolution, or None for an empty cell."""
    x0, y0, x1, y1 = box
    cell_ink = ink[y0:y1, x0:x1].copy()
    cell_ink[rules[y0:y1, x0:x1] > 0] = 0
    count, labels, stats, _ = cv2.connectedComponentsWithStats(cell_ink, connectivity=8)
    if count <= 1:
        return None
    areas = stats[1:, cv2.CC_STAT_AREA]
    widths, heights = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    elongated = np.maximum(widths, heights) >= STROKE_ELONGATION * np.minimum(widths, heights)
    stroke = elongated & (areas >= _pt2_to_px(GLYPH_PT2 / 3, dpi))
    glyphs = np.flatnonzero((areas >= _pt2_to_px(GLYPH_PT2, dpi)) | stroke) + 1
    if glyphs.size == 0:
        # No glyph: the cell may still hold a lone dash (a row marker) that the scan blurred.
        bars = (widths >= BAR_ELONGATION * heights) & (areas >= _pt2_to_px(GLYPH_PT2 / 3, dpi))
        glyphs = np.flatnonzero(bars) + 1
        if glyphs.size != 1:
            return None
    gx0 = int(stats[glyphs, cv2.CC_STAT_LEFT].min())
    gy0 = int(stats[glyphs, cv2.CC_STAT_TOP].min())
    gx1 = int((stats[glyphs, cv2.CC_STAT_LEFT] + stats[glyphs, cv2.CC_STAT_WIDTH]).max())
    gy1 = int((stats[glyphs, cv2.CC_STAT_TOP] + stats[glyphs, cv2.CC_STAT_HEIGHT]).max())
    margin = max(2, (gy1 - gy0) // 3)
    keep = np.zeros(count, dtype=bool)
    keep[glyphs] = True
    for label in range(1, count):
        if keep[label]:
            continue
        left, top, width, height, area = stats[label]
        near = left + width >= gx0 - margin and left <= gx1 + margin and top + height >= gy0 - margin
        near = near and top <= gy1 + margin
        keep[label] = near and area >= 1
    text_ink = cv2.dilate(keep[labels].astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    # Rebuild the cell: page grey where the text's ink is, white elsewhere.
    out = np.full(cell_ink.shape, 255, dtype=np.uint8)
    out[text_ink] = gray[y0:y1, x0:x1][text_ink]
    # Cropped around everything kept, not only the glyphs: a minus too small to count as a glyph
    # stands beside the digits and must not be cut in half by the crop.
    kept = np.flatnonzero(keep)
    left = int(stats[kept, cv2.CC_STAT_LEFT].min())
    right = int((stats[kept, cv2.CC_STAT_LEFT] + stats[kept, cv2.CC_STAT_WIDTH]).max())
    bx0 = max(0, min(gx0 - margin, left - 2))
    by0 = max(0, gy0 - margin)
    bx1 = min(out.shape[1], max(gx1 + margin, right + 2))
    by1 = min(out.shape[0], gy1 + margin)
    return out[by0:by1, bx0:bx1]


def at_resolution(text: np.ndarray, dpi: int, read_at: int) -> np.ndarray:
    """The cleaned cell resampled from ``dpi`` to ``read_at`` and padded with white."""
    if read_at != dpi:
        scale = read_at / dpi
        interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
        text = cv2.resize(text, None, fx=scale, fy=scale, interpolation=interpolation)
    return cv2.copyMakeBorder(text, PAD_PX, PAD_PX, PAD_PX, PAD_PX, cv2.BORDER_CONSTANT, value=255)


def is_lone_dash(text: np.ndarray) -> bool:
    """The cell's only mark is one short horizontal bar: a ``-`` row marker, which the engine
    reads unsurely on its own, without the words around it that it is trained on."""
    _, ink = cv2.threshold(text, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    marks = [stats[label] for label in range(1, count) if stats[label][cv2.CC_STAT_AREA] >= 4]
    if len(marks) != 1:
        return False
    _, _, width, height, area = marks[0]
    return width >= BAR_ELONGATION * height and area >= 0.6 * width * height
