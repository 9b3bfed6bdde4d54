"""Finding ruled tables on a straightened page: rule lines from morphological masks, the grid
they draw, and merged cells where a rule between two grid positions is missing."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# A rule is at least this long (inches): longer than any stroke of a letter, shorter than a row.
MIN_HORIZONTAL_RULE_IN = 0.35
MIN_VERTICAL_RULE_IN = 0.16
# The rule above footnotes is at least this long (inches): Word draws 2 in, LibreOffice a quarter
# of the text's width.
FOOTNOTE_RULE_IN = 1.2
# A border exists between two grid positions when this share of it is inked.
BORDER_COVERAGE = 0.6
# A vertical rule is a thin line: along this share of its length it is darker, by LINE_CONTRAST
# grey levels, than the paper a little way to both sides. Glyphs stacked in a column ("1" over
# "1" in a short row, the left edge of wrapped text) merge into thin vertical segments too, but
# letters are wide where a rule is not: on the seed's scans they scored at most 0.56, rules at
# least 0.92. (A line of text smeared sideways is as thick as the text, which the thickness test
# rejects; horizontal rules, which text approaches closely, are not put to this test.)
LINE_SHARE = 0.75
LINE_CONTRAST = 40


@dataclass(frozen=True)
class GridCell:
    """A printed cell: grid position and span, and its rectangle between rule centres (pixels)."""

    row: int
    col: int
    row_span: int
    col_span: int
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class TableGrid:
    """One ruled table: rule centres (pixels) and its cells, top-left first."""

    xs: tuple[int, ...]
    ys: tuple[int, ...]
    cells: tuple[GridCell, ...]

    @property
    def box(self) -> tuple[int, int, int, int]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1


def _dark_along(gray: np.ndarray, kernel: tuple[int, int]) -> np.ndarray:
    """Pixels darker than their surroundings after averaging along one direction: a thin, faint
    rule broken by noise and JPEG stays dark when averaged along itself, while noise does not."""
    smoothed = cv2.blur(gray, kernel)
    return cv2.adaptiveThreshold(smoothed, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 8)


def _line_share(smooth: np.ndarray, x: int, y: int, w: int, h: int, dpi: int) -> float:
    """The share of an upright segment's length along which its centre line is darker than the
    paper on both sides of it (a thin line, not the edge of a glyph)."""
    centre, side = x + w // 2, w // 2 + max(3, dpi // 40)
    width = smooth.shape[1]
    line = smooth[y : y + h, max(0, centre - 1) : centre + 2].min(axis=1).astype(np.int16)
    left = smooth[y : y + h, max(0, centre - side)].astype(np.int16)
    right = smooth[y : y + h, min(width - 1, centre + side)].astype(np.int16)
    return float(((line <= left - LINE_CONTRAST) & (line <= right - LINE_CONTRAST)).mean())


def _anchored(
    mask: np.ndarray, other: np.ndarray, smooth: np.ndarray, horizontal: bool, dpi: int
) -> np.ndarray:
    """The thin segments of ``mask`` whose two ends meet a rule of ``other``: a table rule runs
    from rule to rule, a smear of text in a cell does not, or it is thick, or (upright) it is not a
    line."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    tol, thick = max(3, dpi // 30), max(4, dpi // 25)
    keep = np.zeros(count, dtype=bool)
    for label in range(1, count):
        x, y, w, h, _ = stats[label]
        if (h if horizontal else w) > thick:
            continue
        if not horizontal and _line_share(smooth, x, y, w, h, dpi) < LINE_SHARE:
            continue
        if horizontal:
            ends = (
                other[max(0, y - tol) : y + h + tol, max(0, x - tol) : x + tol + 1],
                other[max(0, y - tol) : y + h + tol, max(0, x + w - tol - 1) : x + w + tol],
            )
        else:
            ends = (
                other[max(0, y - tol) : y + tol + 1, max(0, x - tol) : x + w + tol],
                other[max(0, y + h - tol - 1) : y + h + tol, max(0, x - tol) : x + w + tol],
            )
        keep[label] = all(end.any() for end in ends)
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def rule_masks(gray: np.ndarray, dpi: int) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical rules: the dark pixels that survive opening with a long thin kernel,
    kept where they run between rules of the other direction."""
    h_len, v_len = max(15, round(dpi * MIN_HORIZONTAL_RULE_IN)), max(10, round(dpi * MIN_VERTICAL_RULE_IN))
    step = max(3, dpi // 20)
    h_dark, v_dark = _dark_along(gray, (step, 1)), _dark_along(gray, (1, step))
    horizontal = cv2.morphologyEx(
        h_dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (h_len, 1))
    )
    vertical = cv2.morphologyEx(v_dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, v_len)))
    smooth = cv2.GaussianBlur(gray, (3, 3), 0)
    return (
        _anchored(horizontal, vertical, smooth, True, dpi),
        _anchored(vertical, horizontal, smooth, False, dpi),
    )


def footnote_rule(gray: np.ndarray, dpi: int, tables: list[TableGrid]) -> int | None:
    """The row (pixels) of the rule Word and LibreOffice draw above a page's footnotes: the
    lowest thin horizontal line in the page's lower two thirds that is no table's rule, at least
    FOOTNOTE_RULE_IN long and starting at the text's left margin side of the page."""
    height, width = gray.shape
    length = round(dpi * FOOTNOTE_RULE_IN)
    dark = _dark_along(gray, (max(3, dpi // 20), 1))
    lines = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(lines)
    thick, margin = max(4, dpi // 25), dpi // 10
    found = None
    for label in range(1, count):
        x, y, _, h, _ = stats[label]
        if h > thick or y < height / 3 or x > width / 2:
            continue
        if any(t.ys[0] - margin <= y <= t.ys[-1] + margin for t in tables):
            continue
        found = max(found or 0, int(y + h // 2))
    return found


def _centres(profile: np.ndarray, threshold: float, offset: int) -> list[int]:
    """Centres of the runs of a projection profile above ``threshold``."""
    above = np.flatnonzero(profile >= threshold)
    if above.size == 0:
        return []
    runs = np.split(above, np.flatnonzero(np.diff(above) > 2) + 1)
    return [offset + round(float(run.mean())) for run in runs]


def _coverage(mask: np.ndarray, y0: int, y1: int, x0: int, x1: int) -> float:
    window = mask[max(0, y0) : max(y0 + 1, y1), max(0, x0) : max(x0 + 1, x1)]
    if window.size == 0:
        return 0.0
    return float((window.max(axis=0 if y1 - y0 < x1 - x0 else 1) > 0).mean())


def _cells(xs: list[int], ys: list[int], horizontal: np.ndarray, vertical: np.ndarray, band: int):
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            inset_y, inset_x = (ys[r + 1] - ys[r]) // 6, (xs[c + 1] - xs[c]) // 6
            if c + 1 < n_cols:
                x = xs[c + 1]
                right = _coverage(vertical, ys[r] + inset_y, ys[r + 1] - inset_y, x - band, x + band + 1)
                if right < BORDER_COVERAGE:
                    parent[find(r * n_cols + c + 1)] = find(r * n_cols + c)
            if r + 1 < n_rows:
                y = ys[r + 1]
                below = _coverage(horizontal, y - band, y + band + 1, xs[c] + inset_x, xs[c + 1] - inset_x)
                if below < BORDER_COVERAGE:
                    parent[find((r + 1) * n_cols + c)] = find(r * n_cols + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            groups.setdefault(find(r * n_cols + c), []).append((r, c))
    cells = []
    for members in groups.values():
        r0, r1 = min(m[0] for m in members), max(m[0] for m in members)
        c0, c1 = min(m[1] for m in members), max(m[1] for m in members)
        cells.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])))
    return tuple(sorted(cells, key=lambda cell: (cell.row, cell.col)))


def find_tables(horizontal: np.ndarray, vertical: np.ndarray, dpi: int) -> list[TableGrid]:
    """Every ruled table of a page, top to bottom: at least one row (the last row of a table may
    stand alone at the top of a page) and two columns."""
    rules = cv2.dilate(horizontal | vertical, np.ones((5, 5), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(rules)
    band = max(2, dpi // 60)
    tables = []
    for label in range(1, count):
        x, y, w, h, _ = stats[label]
        if w < dpi or h < dpi // 3:
            continue
        h_part, v_part = horizontal[y : y + h, x : x + w], vertical[y : y + h, x : x + w]
        ys = _centres((h_part > 0).sum(axis=1), dpi * MIN_HORIZONTAL_RULE_IN * 0.8, y)
        xs = _centres((v_part > 0).sum(axis=0), dpi * MIN_VERTICAL_RULE_IN * 0.8, x)
        if len(ys) < 2 or len(xs) < 3:
            continue
        tables.append(TableGrid(tuple(xs), tuple(ys), _cells(xs, ys, horizontal, vertical, band)))
    return sorted(tables, key=lambda table: table.ys[0])
