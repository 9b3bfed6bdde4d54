"""Bad input of every published format: one ``file: problem`` line, exit 1, nothing written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from pipelines.cli import main
from pipelines.document.read import read_document
from pipelines.synth.formats.word import render_docx


def _encrypted_docx(tmp_path: Path, seed_report: Path) -> bytes:
    import msoffcrypto.format.ooxml

    plain = io.BytesIO(render_docx(read_document(seed_report)))
    encrypted = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("secret", encrypted)
    return encrypted.getvalue()


def _corrupt_docx(tmp_path: Path, seed_report: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><w:body><w:p>")
    return buffer.getvalue()


def _formulas_without_values(tmp_path: Path, seed_report: Path) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["TT", "Chỉ tiêu", "Đơn vị tính", "Thực hiện 2021", "KH 2022"])
    sheet.append(["1", "GRDP", "%", 3.34, "=D2*2"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _html_without_table(tmp_path: Path, seed_report: Path) -> bytes:
    return "<!DOCTYPE html><html><body><h1>Báo cáo</h1><p>Không có bảng.</p></body></html>".encode()


CASES = {
    "encrypted.docx": (_encrypted_docx, "password-protected"),
    "corrupt.docx": (_corrupt_docx, "damaged Word document"),
    "formulas.xlsx": (_formulas_without_values, "Sheet!E2 holds a formula (=D2*2) with no stored value"),
    "page.html": (_html_without_table, "has no table"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_published_file_fails_cleanly(
    name: str, seed_report: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, problem = CASES[name]
    report = tmp_path / name
    report.write_bytes(make(tmp_path, seed_report))
    out = tmp_path / "out"
    assert main(["extract", str(report), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith(f"error: {report}: ") and problem in err, err
    assert not out.exists()
