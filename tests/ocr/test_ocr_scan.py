"""Honest scans read back: pages the tests print themselves, degraded like a scanner degrades
them, read through the real Tesseract, every figure checked against what was printed."""

from __future__ import annotations

import ctypes
import json
import random
from pathlib import Path

import pytest
from PIL import Image

from pipelines.common.errors import ExtractionError
from pipelines.document.model import BoxRef, Table
from pipelines.document.read import parse_document
from pipelines.extract.table import find_appendix_table
from pipelines.ocr.certainty import cell_review
from pipelines.ocr.pdfpages import inspect_pdf, is_scan
from pipelines.ocr.reader import read_pages, to_blocks
from pipelines.synth.appendix_pdf import appendix_pdf
from pipelines.synth.generator import generate_report
from pipelines.synth.plan import Options
from pipelines.synth.scan import PROFILES, image_pdf, scan_pages, scan_pdf
from tests.ocr.drawn import HEADER, ROWS, ruled_page, write_pdf


def _scan(tmp_path: Path, dpi: int, seed: int = 3, profile: str = "noisy") -> Path:
    pages = scan_pages([ruled_page(dpi)], seed, dpi, PROFILES[profile])
    path = tmp_path / f"scan-{dpi}.pdf"
    path.write_bytes(image_pdf(pages, dpi, PROFILES[profile].jpeg_quality))
    return path


def _table(path: Path) -> Table:
    (table,) = [b for b in to_blocks(read_pages(path, workers=1)) if isinstance(b, Table)]
    return table


def _add_text_layer(path: Path, text: str, out: Path) -> Path:
    """What another OCR program leaves: invisible text over the page image."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    document = pdfium.PdfDocument(path)
    page = document[0]
    font = pdfium_c.FPDFText_LoadStandardFont(document.raw, b"Helvetica")
    layer = pdfium_c.FPDFPageObj_CreateTextObj(document.raw, font, 11.0)
    encoded = (text + "\0").encode("utf-16-le")
    pdfium_c.FPDFText_SetText(
        layer, ctypes.cast(ctypes.c_char_p(encoded), ctypes.POINTER(pdfium_c.FPDF_WCHAR))
    )
    pdfium_c.FPDFTextObj_SetTextRenderMode(layer, pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE)
    pdfium_c.FPDFPageObj_Transform(layer, 1, 0, 0, 1, 150, 700)
    pdfium_c.FPDFPage_InsertObject(page.raw, layer)
    pdfium_c.FPDFPage_GenerateContent(page.raw)
    document.save(out)
    return out


def test_scan_renderer_is_deterministic_and_image_only(tmp_path: Path) -> None:
    printed = write_pdf(ruled_page(150), 150, tmp_path / "printed.pdf")
    first = scan_pdf(printed, 200, seed=5, profile="noisy")
    assert scan_pdf(printed, 200, seed=5, profile="noisy") == first
    assert scan_pdf(printed, 200, seed=6, profile="noisy") != first
    (tmp_path / "scan.pdf").write_bytes(first)
    (page,) = inspect_pdf(tmp_path / "scan.pdf")
    assert page.dpi == 200 and not page.has_text
    assert b"/DCTDecode" in first, "pages are stored as JPEG"


def test_drawn_table_read_cell_by_cell_with_boxes(tmp_path: Path) -> None:
    table = _table(_scan(tmp_path, 200))
    assert table.header_rows == 1
    assert table.rows[0] == (*HEADER[:3], "", HEADER[4])
    for r, expected in enumerate(ROWS, start=1):
        for c in range(5):
            cell = table.covering(r, c)
            assert cell is not None
            assert cell.text == expected[c] or cell_review(cell) is not None, (r, c, cell.text)
            if expected[c]:
                assert cell.confidence is not None
                assert isinstance(cell.locator, BoxRef) and cell.locator.page == 1
                # the box lies on the A4 page, in points from the top-left
                assert (
                    0 < cell.locator.x0 < cell.locator.x1 < 596
                    and 0 < cell.locator.y0 < cell.locator.y1 < 842
                )
    right = sum(table.covering(r, c).text == ROWS[r - 1][c] for r in range(1, 5) for c in range(5))
    assert right >= 18


def test_someone_elses_text_layer_is_not_trusted(tmp_path: Path) -> None:
    layered = _add_text_layer(_scan(tmp_path, 200, profile="standard"), "999,9 888", tmp_path / "layered.pdf")
    pages = inspect_pdf(layered)
    assert pages[0].has_text and is_scan(pages)
    table = _table(layered)
    texts = {cell.text for cell in table.cells}
    assert "3,34" in texts and "1.949,545" in texts
    assert not any("999" in text or "888" in text for text in texts)


def test_coarse_scan_is_refused_with_one_line(tmp_path: Path) -> None:
    coarse = write_pdf(ruled_page(100), 100, tmp_path / "coarse.pdf")
    with pytest.raises(ExtractionError) as error:
        read_pages(coarse, workers=1)
    message = str(error.value)
    assert "\n" not in message and "coarse.pdf" in message
    assert "100 dpi" in message and "150 dpi" in message


def test_pdf_with_neither_text_nor_image_is_refused(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    document.save(tmp_path / "blank.pdf")
    with pytest.raises(ExtractionError, match=r"blank\.pdf: page 1 is neither text nor a scanned image"):
        read_pages(tmp_path / "blank.pdf", workers=1)


def test_printed_pdf_is_no_scan(tmp_path: Path) -> None:
    rows = [("TT", "Chỉ tiêu", "KH 2022"), ("1", "Thu ngân sách", "2.018")]
    printed = tmp_path / "printed.pdf"
    printed.write_bytes(appendix_pdf(rows, tmp_path))
    pages = inspect_pdf(printed)
    assert pages[0].has_text and not is_scan(pages)


@pytest.mark.slow
def test_generated_appendix_scanned_at_200_dpi_every_figure_right_or_flagged(tmp_path: Path) -> None:
    """A generated report's appendix (figures nobody typed into a test), printed by LibreOffice,
    scanned noisy at 200 dpi: each figure cell is exactly right or carries a review reason."""
    report = generate_report(random.Random(2).randrange(1000), Options(0.0, False, True), "lf", False)
    rows = [
        row.cells
        for row in find_appendix_table(parse_document(Path("g.md"), report.data))
        if not row.is_empty
    ]
    truth = rows[:18]  # two pages of the printed table: bounded for CI
    printed = tmp_path / "appendix.pdf"
    printed.write_bytes(appendix_pdf(truth, tmp_path))
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(scan_pdf(printed, 200, seed=11, profile="noisy"))
    table = _table(scan)
    body = [r for r in range(table.header_rows, table.n_rows) if any(table.rows[r])]
    expected = [row for row in truth[3:] if any(row)]
    assert len(body) == len(expected)
    right = total = 0
    for r, want in zip(body, expected, strict=True):
        for c in range(3, 10):
            cell = table.covering(r, c)
            if not want[c] and not (cell and cell.text):
                continue
            total += 1
            if cell is not None and cell.text == want[c]:
                right += 1
            else:
                assert cell is not None and cell_review(cell) is not None, (
                    f"silent error: {cell} vs {want[c]!r}"
                )
    assert total > 40 and right / total >= 0.97


def test_page_images_of_scanned_reports_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pipelines.cli import main

    raw, out = tmp_path / "raw", tmp_path / "pages"
    raw.mkdir()
    _scan(tmp_path, 200).rename(raw / "tinh-2023.pdf")
    write_pdf(ruled_page(100), 100, raw / "coarse.pdf").unlink()
    (raw / "report.md").write_text("text\n", encoding="utf-8")
    (out / "removed-report").mkdir(parents=True)
    assert main(["page-images", str(raw), "--out", str(out), "--dpi", "72"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["tinh-2023"]
    manifest = json.loads((out / "tinh-2023" / "pages.json").read_text(encoding="utf-8"))
    assert manifest["pages"] == [
        {"page": 1, "width_pt": pytest.approx(595.4, abs=0.5), "height_pt": pytest.approx(841.9, abs=0.5)}
    ]
    image = Image.open(out / "tinh-2023" / "p1.jpg")
    assert image.mode == "L" and image.size == (pytest.approx(595, abs=2), pytest.approx(842, abs=2))
