"""A scan's reading stored once and loaded instead of running OCR again."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.common.errors import PipelineError
from pipelines.document.model import BoxRef, Cell, Footnote, Paragraph, Table
from pipelines.ocr.store import dump_reading, load_reading, reading_path

BLOCKS = (
    Paragraph("PHỤ LỤC", BoxRef(1, 50.0, 20.0, 120.5, 32.0), 93.0),
    Table(
        (
            Cell(0, 0, "TT", BoxRef(1, 50.0, 40.0, 70.0, 60.0), confidence=95.0),
            Cell(0, 1, "Năm 2022", BoxRef(1, 70.0, 40.0, 190.0, 60.0), col_span=2, confidence=88.0),
            Cell(1, 0, "", BoxRef(1, 50.0, 60.0, 70.0, 80.0)),
            Cell(1, 1, "1.949,545", BoxRef(1, 70.0, 60.0, 130.0, 80.0), confidence=60.0),
            Cell(1, 2, "", BoxRef(1, 130.0, 60.0, 190.0, 80.0), confidence=0.0),
        ),
        header_rows=1,
    ),
    Footnote(
        4,
        (
            Paragraph("Sản lượng một số cây trồng:", BoxRef(2, 50.0, 780.0, 400.0, 790.0), 91.0),
            Paragraph("- Lúa: 12.345 tấn", BoxRef(2, 50.0, 790.0, 200.0, 800.0), 88.0),
        ),
    ),
)


def test_round_trip(tmp_path: Path) -> None:
    path = reading_path(tmp_path, Path("data/raw/tinh.scan.pdf"))
    assert path.name == "tinh.json"
    path.write_bytes(dump_reading("tinh.scan.pdf", "abc", BLOCKS))
    assert load_reading(path, "abc") == BLOCKS
    assert load_reading(path) == BLOCKS


def test_another_version_of_the_file_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "tinh.json"
    path.write_bytes(dump_reading("tinh.pdf", "abc", BLOCKS))
    assert load_reading(path, "def") is None
    assert load_reading(tmp_path / "missing.json", "abc") is None


def test_a_damaged_reading_names_itself(tmp_path: Path) -> None:
    path = tmp_path / "tinh.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(PipelineError, match=r"tinh\.json: not a readable stored reading"):
        load_reading(path, "abc")


def test_read_scans_reads_a_scan_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pipelines.cli import main
    from pipelines.synth.scan import PROFILES, image_pdf, scan_pages
    from tests.ocr.drawn import ruled_page

    raw, out = tmp_path / "raw", tmp_path / "scans"
    raw.mkdir()
    scan = raw / "tinh-2023.pdf"
    scan.write_bytes(image_pdf(scan_pages([ruled_page(200)], 1, 200, PROFILES["standard"]), 200, 70))
    (out).mkdir()
    (out / "removed.json").write_text("{}", encoding="utf-8")
    assert main(["read-scans", str(raw), "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"{scan}: read (1 pages)\n"
    assert sorted(p.name for p in out.iterdir()) == ["tinh-2023.json"]
    blocks = load_reading(out / "tinh-2023.json")
    assert blocks is not None and any(isinstance(b, Table) for b in blocks)
    assert main(["read-scans", str(raw), "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"{scan}: unchanged, reading kept\n"
