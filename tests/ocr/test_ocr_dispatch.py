"""A scanned PDF read through the one entry point every format goes through: recognised as a
scan from its pages, read from its stored reading when there is one, else by OCR; the one-line
errors for what cannot be read."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from pipelines.common.errors import ExtractionError
from pipelines.document.model import BoxRef, Footnote, Paragraph, Table
from pipelines.document.read import read_document
from pipelines.ocr.store import dump_reading, reading_path
from pipelines.synth.scan import PROFILES, image_pdf, scan_pages
from tests.ocr.drawn import ROWS, footnoted_page, ruled_page, write_pdf


def _scan(folder: Path, dpi: int = 200) -> Path:
    pages = scan_pages([ruled_page(dpi)], 3, dpi, PROFILES["standard"])
    path = folder / "tinh-2023.pdf"
    path.write_bytes(image_pdf(pages, dpi, PROFILES["standard"].jpeg_quality))
    return path


def test_a_scan_is_read_by_ocr_with_boxes(tmp_path: Path) -> None:
    document = read_document(_scan(tmp_path))
    assert document.source_format == "scan"
    (table,) = document.tables
    figure = table.covering(2, 2)
    assert figure is not None and figure.text == ROWS[1][2]
    assert isinstance(figure.locator, BoxRef) and figure.locator.page == 1
    assert figure.confidence is not None
    assert str(figure.locator).startswith("p1:")


def test_a_stored_reading_of_the_same_bytes_is_used_instead_of_ocr(tmp_path: Path) -> None:
    scan = _scan(tmp_path)
    store = tmp_path / "scans"
    store.mkdir()
    stored = read_document(scan).blocks
    (table,) = [b for b in stored if isinstance(b, Table)]
    marked = Table(
        tuple(replace(c, text="7.777") if c.text == ROWS[1][2] else c for c in table.cells),
        header_rows=table.header_rows,
    )
    blocks = tuple(marked if b is table else b for b in stored)
    sha = hashlib.sha256(scan.read_bytes()).hexdigest()
    reading_path(store, scan).write_bytes(dump_reading(scan.name, sha, blocks))
    document = read_document(scan, scans=store)
    assert document.source_format == "scan"
    assert document.tables[0].covering(2, 2).text == "7.777"  # the stored reading, not a new one
    reading_path(store, scan).write_bytes(dump_reading(scan.name, "another version", blocks))
    assert read_document(scan, scans=store).tables[0].covering(2, 2).text == ROWS[1][2]


def test_unreadable_pdfs_get_one_line(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    document.save(tmp_path / "blank.pdf")
    with pytest.raises(ExtractionError, match=r"blank\.pdf: page 1 is neither text nor a scanned image"):
        read_document(tmp_path / "blank.pdf")
    coarse = write_pdf(ruled_page(100), 100, tmp_path / "coarse.pdf")
    with pytest.raises(ExtractionError) as error:
        read_document(coarse)
    assert "\n" not in str(error.value) and "100 dpi" in str(error.value)


def test_footnotes_below_the_rule_are_read_as_footnotes(tmp_path: Path) -> None:
    pages = scan_pages([footnoted_page(200)], 4, 200, PROFILES["standard"])
    path = tmp_path / "notes.pdf"
    path.write_bytes(image_pdf(pages, 200, PROFILES["standard"].jpeg_quality))
    document = read_document(path)
    body = " ".join(b.text for b in document.blocks if isinstance(b, Paragraph))
    assert "3,34%" in body and "Cây lúa" not in body and "Công văn" not in body
    notes = [b for b in document.blocks if isinstance(b, Footnote)]
    assert [n.number for n in notes] == [3, 4]
    crops = notes[1]
    assert crops.paragraphs[0].text == "Kết quả thực hiện các loại cây trồng chính như sau:"
    assert [p.text[:10] for p in crops.paragraphs[1:]] == ["+ Cây lúa:", "+ Cây ngô:"]
    assert all(isinstance(p.locator, BoxRef) and p.locator.page == 1 for p in crops.paragraphs)
