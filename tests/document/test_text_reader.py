"""The text form read into the model: lines as locators, pipe tables, footnotes, split tables joined."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.common.errors import ExtractionError
from pipelines.document.model import Footnote, Paragraph, Table
from pipelines.document.read import parse_document, read_document

SAMPLE = """BÁO CÁO

Trồng trọt tăng⁴.
⁴ Kết quả như sau:
Trang 3
- Lúa: 100 ha
- Ngô: 50 ha

| TT | Chỉ tiêu | Năm 2022 | |
|----|---|---|---|
| | | KH | Ước TH |
| 1 | GRDP | 8,00 | <i>5,55</i> |
Trang 4
| | | | |
|--|--|--|--|
| 2 | Thu | 2.018 | 4.180 |
"""


def _doc(text: str = SAMPLE):
    return parse_document(Path("r.md"), text.encode())


def test_paragraphs_keep_their_line() -> None:
    body = _doc().body
    assert [(p.text, str(p.locator)) for p in body] == [
        ("BÁO CÁO", "L1"),
        ("Trồng trọt tăng⁴.", "L3"),
        ("Trang 3", "L5"),
        ("Trang 4", "L13"),
    ]
    assert all(isinstance(p, Paragraph) for p in body)


def test_footnote_gathers_its_list_past_the_interrupted_page() -> None:
    (note,) = _doc().footnotes
    assert isinstance(note, Footnote) and note.number == 4
    assert [(p.text, str(p.locator)) for p in note.paragraphs] == [
        ("Kết quả như sau:", "L4"),
        ("- Lúa: 100 ha", "L6"),
        ("- Ngô: 50 ha", "L7"),
    ]


def test_split_pipe_table_is_joined_with_line_locators() -> None:
    doc = _doc()
    (table,) = doc.tables
    assert isinstance(table, Table) and table.header_rows == 1
    assert table.rows == (
        ("TT", "Chỉ tiêu", "Năm 2022", ""),
        ("", "", "KH", "Ước TH"),
        ("1", "GRDP", "8,00", "5,55"),
        ("2", "Thu", "2.018", "4.180"),
    )
    assert str(table.covering(3, 3).locator) == "L16"
    assert doc.source_format == "text" and len(doc.sha256) == 64


def test_a_piece_that_repeats_the_header_under_a_title_row_continues_the_table() -> None:
    page = (
        "|Biểu 2: chỉ tiêu chủ yếu|||\n|---|---|---|\n|Chỉ tiêu|KH 2024|TH 2024|\n|GRDP|8,0|7,5|\n"
        "\nTrang 2\n\n|Chỉ tiêu|KH 2024|TH 2024|\n|---|---|---|\n|Thu|2,0|2,1|\n"
    )
    (table,) = parse_document(Path("r.md"), page.encode()).tables
    assert [row[0] for row in table.rows] == ["Biểu 2: chỉ tiêu chủ yếu", "Chỉ tiêu", "GRDP", "Thu"]
    assert str(table.covering(3, 2).locator) == "L10"


def test_cut_off_row_names_its_line() -> None:
    with pytest.raises(ExtractionError, match=r"r\.md:3: table row is cut off"):
        _doc("a\n\n| TT | Chỉ tiêu\n")


def test_not_utf8_names_the_line() -> None:
    with pytest.raises(ExtractionError, match=r"r\.md:2: not UTF-8"):
        parse_document(Path("r.md"), b"ok\n\xff\xfe\x00bad\n")


def test_seed_reads_into_one_appendix_table(seed_report: Path) -> None:
    doc = read_document(seed_report)
    appendix = [t for t in doc.tables if t.rows[0][:2] == ("TT", "Chỉ tiêu")]
    assert len(appendix) == 1
    assert appendix[0].n_cols == 11
    assert appendix[0].rows[2][:3] == ("1", "2", "3")
    assert {f.number for f in doc.footnotes} >= {4, 6, 20, 34}
