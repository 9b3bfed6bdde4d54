"""A table continued over pages, as the scan's page readings give it: the repeated header whose
top rule was lost read as prose above the table, and a row the page break cut in two."""

from __future__ import annotations

from pipelines.document.model import Paragraph, Table
from pipelines.ocr.page import CellReading, LineReading, PageReading, TableReading
from pipelines.ocr.reader import to_blocks

COLUMNS = (40.0, 80.0, 200.0, 260.0)


def _cells(rows: list[tuple[str, str, str]], top: float) -> tuple[CellReading, ...]:
    return tuple(
        CellReading(
            r,
            c,
            1,
            1,
            text,
            95.0 if text else None,
            (COLUMNS[c], top + 20 * r, COLUMNS[c + 1], top + 20 * (r + 1)),
            c == 2,
        )
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    )


def _table(rows: list[tuple[str, str, str]], top: float, header_rows: int) -> TableReading:
    bottom = top + 20 * len(rows)
    return TableReading(_cells(rows, top), header_rows, (COLUMNS[0], top, COLUMNS[-1], bottom), COLUMNS)


def test_a_lost_header_and_a_cut_row_do_not_break_the_table() -> None:
    first = PageReading(
        1,
        200,
        0.0,
        (
            _table(
                [
                    ("TT", "Chỉ tiêu", "KH 2023"),
                    ("1", "Thu ngân sách", "2.018"),
                    ("2", "Tổng vốn đầu tư", ""),
                ],
                100.0,
                1,
            ),
        ),
        (LineReading("PHỤ LỤC", (40.0, 60.0, 120.0, 75.0), 96.0, 1),),
    )
    second = PageReading(
        2,
        200,
        0.0,
        (_table([("1", "2", "3"), ("", "", "11,0"), ("3", "Thu nội địa", "1.638")], 50.0, 1),),
        # the repeated header row's words, read as prose because its top rule was lost
        (
            LineReading("Chỉ tiêu", (82.0, 34.0, 130.0, 46.0), 90.0, 1),
            LineReading("KH 2023", (202.0, 34.0, 250.0, 46.0), 90.0, 2),
        ),
    )
    blocks = to_blocks([first, second])
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == ["PHỤ LỤC"]
    (table,) = [b for b in blocks if isinstance(b, Table)]
    assert table.rows == (
        ("TT", "Chỉ tiêu", "KH 2023"),
        ("1", "Thu ngân sách", "2.018"),
        ("2", "Tổng vốn đầu tư", "11,0"),
        ("3", "Thu nội địa", "1.638"),
    )
    cut = table.covering(2, 2)
    assert cut is not None and cut.locator.page == 2  # the figure keeps the box it was printed in
