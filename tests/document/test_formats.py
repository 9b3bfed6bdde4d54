"""The seed rendered by the project's own renderers into Word, web page and Excel, read back.

Every appendix cell must equal the value typed by hand in tests/extract/test_appendix_values.py,
cell by cell, and the crops and livestock read from the Word and web-page footnotes must equal
those of the text form. Each value's source_ref must point at the cell it was printed in.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from pipelines.document.read import parse_document, read_document
from pipelines.extract.report import ExtractedReport, extract_document
from pipelines.synth.formats.spreadsheet import SHEET, render_xlsx
from pipelines.synth.formats.web import render_html
from pipelines.synth.formats.word import render_docx
from tests.extract.test_appendix_values import KEPT, RATIO_COLUMNS, REPORT_ID, VALUE_COLUMNS, vn_decimal

RENDERERS = {"docx": render_docx, "html": render_html, "xlsx": render_xlsx}
PROSE_FORMATS = ("docx", "html")


def _without_provenance(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{k: v for k, v in row.items() if k not in ("source_line", "source_ref")} for row in rows]


@pytest.fixture(scope="module")
def text_form(seed_report: Path) -> ExtractedReport:
    return extract_document(read_document(seed_report), "seed.md")


@pytest.fixture(scope="module")
def rendered(seed_report: Path) -> dict[str, bytes]:
    model = read_document(seed_report)
    return {fmt: render(model) for fmt, render in RENDERERS.items()}


@pytest.fixture(scope="module")
def extracted(rendered: dict[str, bytes]) -> dict[str, ExtractedReport]:
    return {
        fmt: extract_document(parse_document(Path(f"seed.{fmt}"), data), f"seed.{fmt}")
        for fmt, data in rendered.items()
    }


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_format_is_recognised_from_content(fmt: str, rendered: dict[str, bytes]) -> None:
    doc = parse_document(Path("no-extension"), rendered[fmt])
    assert doc.source_format == fmt


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_every_appendix_cell_equals_the_hand_typed_value(fmt: str, extracted) -> None:
    report = extracted[fmt]
    observations = {(o["indicator_id"], o["measure"], o["period"]): o for o in report.tables["observations"]}
    ratios = {(r["indicator_id"], r["column_number"]): r for r in report.tables["ratios"]}
    expected_cells = 0
    for row in KEPT:
        for column, printed in row.figures.items():
            measure, period = VALUE_COLUMNS[column]
            got = observations[(f"{REPORT_ID}/{row.path}", measure, period)]
            assert (got["value_printed"], got["value"]) == (printed, vn_decimal(printed)), (row.line, column)
            expected_cells += 1
        for column, (printed, consistent) in row.ratios.items():
            got = ratios[(f"{REPORT_ID}/{row.path}", column)]
            assert got["formula"] == RATIO_COLUMNS[column][0]
            assert (got["published_printed"], got["consistent"]) == (printed, consistent), (row.line, column)
            expected_cells += 1
    assert len(report.tables["observations"]) + len(report.tables["ratios"]) == expected_cells
    assert len(report.tables["indicators"]) == len(KEPT)


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_whole_appendix_equals_the_text_form(fmt: str, extracted, text_form: ExtractedReport) -> None:
    for resource in ("indicators", "observations", "ratios"):
        got = _without_provenance(extracted[fmt].tables[resource])
        assert got == _without_provenance(text_form.tables[resource]), resource
    reports = extracted[fmt].tables["reports"][0]
    assert reports["source_format"] == fmt and reports["source_line"] is None
    assert reports["document_number"] == "2960/BC-UBND" and reports["reporting_year"] == 2022


@pytest.mark.parametrize("fmt", PROSE_FORMATS)
@pytest.mark.parametrize("resource", ["crops", "livestock"])
def test_footnote_figures_equal_the_text_form(fmt: str, resource: str, extracted, text_form) -> None:
    got = _without_provenance(extracted[fmt].tables[resource])
    assert got and got == _without_provenance(text_form.tables[resource])
    assert all(re.fullmatch(r"F\d+\.\d+", row["source_ref"]) for row in extracted[fmt].tables[resource])


@pytest.mark.parametrize("fmt", PROSE_FORMATS)
def test_table_cells_are_located_by_table_row_and_column(fmt: str, extracted) -> None:
    observations = extracted[fmt].tables["observations"]
    assert all(re.fullmatch(r"t1r\d+c\d+", o["source_ref"]) for o in observations)
    assert all(o["source_line"] is None for o in observations)
    # Rows count from the table's top (3 header rows), columns from its left: the value of the
    # first indicator's 2021 actual (column 4) sits in grid row 5.
    first = next(o for o in observations if o["indicator_id"].endswith("/1") and o["column_number"] == 4)
    assert first["source_ref"] == "t1r5c4"


def test_spreadsheet_refs_point_at_cells_holding_numbers(extracted, rendered) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(rendered["xlsx"]))[SHEET]
    for observation in extracted["xlsx"].tables["observations"]:
        name, cell = observation["source_ref"].rsplit("!", 1)
        assert name == SHEET
        stored = sheet[cell].value
        assert isinstance(stored, int | float), (cell, stored)
        assert Decimal(str(stored)) == observation["value"]


def test_merged_header_cells_are_real_merges(rendered) -> None:
    doc = parse_document(Path("seed.docx"), rendered["docx"])
    (table,) = doc.tables
    assert table.header_rows == 3
    year = next(c for c in table.cells if c.text == "Năm 2022")
    assert (year.row, year.col, year.row_span, year.col_span) == (0, 4, 1, 4)
    code = next(c for c in table.cells if c.text == "TT")
    assert (code.row_span, code.col_span) == (2, 1)
    sheet = openpyxl.load_workbook(io.BytesIO(rendered["xlsx"]))[SHEET]
    assert any(r.max_col - r.min_col == 3 and r.min_row == r.max_row for r in sheet.merged_cells.ranges)
    assert sheet.print_title_rows


def test_word_footnotes_are_real_footnotes(rendered) -> None:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(rendered["docx"])) as archive:
        notes = archive.read("word/footnotes.xml").decode()
        body = archive.read("word/document.xml").decode()
    assert notes.count("<w:footnote ") >= 35
    assert body.count("<w:footnoteReference") >= 35
    assert "Cây lúa" in notes and "Cây lúa" not in body


@pytest.mark.parametrize("seed", [3, 11])
@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_generated_reports_read_the_same_in_every_format(seed: int, fmt: str) -> None:
    """Reports nobody has seen (other provinces, years, rows, number printing) flow through too."""
    from pipelines.synth.generator import generate_report
    from pipelines.synth.plan import Options

    report = generate_report(seed, Options(), "lf", False)
    text = extract_document(parse_document(Path(f"{report.stem}.md"), report.data), "r.md")
    rendering = RENDERERS[fmt](parse_document(Path(f"{report.stem}.md"), report.data))
    other = extract_document(parse_document(Path(f"{report.stem}.{fmt}"), rendering), f"r.{fmt}")
    for resource in ("indicators", "observations", "ratios"):
        assert _without_provenance(other.tables[resource]) == _without_provenance(text.tables[resource])
