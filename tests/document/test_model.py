"""The document model: locators render to the conventions' source_ref; merged cells read once."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.document.model import (
    BoxRef,
    Cell,
    CellRef,
    Document,
    Footnote,
    LineRef,
    Paragraph,
    ParaRef,
    SheetRef,
    Table,
)


def test_locators_render_as_source_ref() -> None:
    assert str(LineRef(779)) == "L779"
    assert str(CellRef(1, 5, 3)) == "t1r5c3"
    assert str(SheetRef("Phụ lục", "D7")) == "Phụ lục!D7"
    assert str(BoxRef(2, 56.74, 80.0, 120.25, 92.449)) == "p2:56.7,80.0,120.2,92.4"
    assert str(ParaRef(12)) == "P12"
    assert str(ParaRef(2, footnote=4)) == "F4.2"


def test_box_union_spans_both_boxes() -> None:
    assert BoxRef(1, 10, 20, 30, 40).union(BoxRef(1, 5, 25, 35, 38)) == BoxRef(1, 5, 20, 35, 40)


def _header_table() -> Table:
    ref = CellRef
    return Table(
        (
            Cell(0, 0, "TT", ref(1, 1, 1), row_span=2),
            Cell(0, 1, "Năm 2022", ref(1, 1, 2), col_span=2),
            Cell(1, 1, "KH", ref(1, 2, 2)),
            Cell(1, 2, "Ước TH", ref(1, 2, 3)),
            Cell(2, 0, "1", ref(1, 3, 1)),
            Cell(2, 1, "8,00", ref(1, 3, 2), number=Decimal("8.00")),
            Cell(2, 2, "5,55", ref(1, 3, 3)),
        ),
        header_rows=2,
    )


def test_merged_cells_are_printed_once_at_their_top_left() -> None:
    table = _header_table()
    assert (table.n_rows, table.n_cols) == (3, 3)
    assert table.rows == (("TT", "Năm 2022", ""), ("", "KH", "Ước TH"), ("1", "8,00", "5,55"))
    assert table.covering(1, 0).text == "TT"
    assert table.covering(0, 2).text == "Năm 2022"
    assert str(table.locator) == "t1r1c1"


def test_document_sorts_blocks_by_kind_keeping_reading_order() -> None:
    note = Footnote(4, (Paragraph("Kết quả:", LineRef(86)), Paragraph("- Lúa: 1", LineRef(87))))
    doc = Document(
        Path("r.md"),
        "text",
        "0" * 64,
        (Paragraph("a", LineRef(1)), note, _header_table(), Paragraph("b", LineRef(90))),
    )
    assert [p.text for p in doc.body] == ["a", "b"]
    assert doc.footnotes == (note,)
    assert note.text == "Kết quả: - Lúa: 1" and str(note.locator) == "L86"
    assert len(doc.tables) == 1


def test_unknown_source_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown source format"):
        Document(Path("r"), "pages", "0" * 64, ())
