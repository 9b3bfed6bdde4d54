"""Straightening, rule masks, the grid with its merged cells, and the number-form checks, on
pages drawn by the test (no OCR engine involved)."""

from __future__ import annotations

import numpy as np
import pytest

from pipelines.ocr.cells import prepare
from pipelines.ocr.deskew import box_on_original, ink_mask, skew_angle, straighten
from pipelines.ocr.grid import find_tables, rule_masks
from pipelines.ocr.numbers import convention, well_formed
from tests.ocr.drawn import ROWS, ruled_page

DPI = 200


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    return np.array(ruled_page(DPI))


@pytest.mark.parametrize("angle", [-0.9, -0.3, 0.4, 1.0])
def test_skew_angle_undoes_the_scanners_rotation(page: np.ndarray, angle: float) -> None:
    tilted = straighten(page, angle)
    assert skew_angle(tilted) == pytest.approx(-angle, abs=0.08)


def test_box_on_original_inverts_the_straightening() -> None:
    shape = (2000, 1400)
    box = (600.0, 900.0, 700.0, 950.0)
    same = box_on_original(box, shape, 0.0)
    assert same == pytest.approx(box)
    moved = box_on_original(box, shape, 1.0)
    assert moved != pytest.approx(box)
    assert abs(moved[0] - box[0]) < 10 and abs(moved[1] - box[1]) < 10


def test_grid_rows_columns_and_merged_header(page: np.ndarray) -> None:
    horizontal, vertical = rule_masks(page, DPI)
    (table,) = find_tables(horizontal, vertical, DPI)
    assert (table.n_rows, table.n_cols) == (1 + len(ROWS), 5)
    spans = {(c.row, c.col): (c.row_span, c.col_span) for c in table.cells}
    assert spans[(0, 2)] == (1, 2), "'Năm 2022' spans the two figure columns"
    assert (0, 3) not in spans
    assert all(spans[(r, c)] == (1, 1) for r in range(1, table.n_rows) for c in range(5))


def test_no_table_on_a_page_of_prose() -> None:
    blank = np.full((2339, 1654), 255, dtype=np.uint8)
    blank[300:330, 200:1400] = 0  # a thick bar is not a table
    horizontal, vertical = rule_masks(blank, DPI)
    assert find_tables(horizontal, vertical, DPI) == []


def test_empty_cells_fail_the_ink_test_even_with_specks(page: np.ndarray) -> None:
    horizontal, vertical = rule_masks(page, DPI)
    (table,) = find_tables(horizontal, vertical, DPI)
    speckled = page.copy()
    note = next(c for c in table.cells if c.row == 1 and c.col == 4)
    x0, y0, _, _ = note.box
    speckled[y0 + 20 : y0 + 22, x0 + 30 : x0 + 32] = 0  # a 2-pixel speck in the empty note cell
    ink, rules = ink_mask(speckled), horizontal | vertical
    assert prepare(speckled, ink, rules, note.box, DPI) is None
    figure = next(c for c in table.cells if c.row == 1 and c.col == 2)
    assert prepare(speckled, ink, rules, figure.box, DPI) is not None
    dash = next(c for c in table.cells if c.row == 3 and c.col == 0)
    assert prepare(speckled, ink, rules, dash.box, DPI) is not None, "a lone dash is ink, not a speck"


def test_number_convention_from_unambiguous_cells() -> None:
    assert convention(["3,34", "1.949,545", "436", "2.018"]) == "vi"
    assert convention(["3.34", "1,949.545", "436"]) == "en"
    assert convention(["436", "15"]) is None


@pytest.mark.parametrize(
    ("text", "table_convention", "expected"),
    [
        ("1.949,545", "vi", True),
        ("1,949,545", "vi", False),  # the dot misread as a comma
        ("2333", "vi", False),  # four digits without a group separator
        (".75,0", "vi", False),
        ("-18,0", "vi", True),
        ("1,949.5", "en", True),
        ("2.018", None, True),
    ],
)
def test_well_formed(text: str, table_convention: str | None, expected: bool) -> None:
    assert well_formed(text, table_convention) is expected
