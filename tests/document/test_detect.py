"""Formats are told apart by content: magic bytes, and what a zip container holds."""

from __future__ import annotations

import io
import zipfile

import pytest

from pipelines.common.errors import ExtractionError
from pipelines.document.detect import detect_format


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (_zip({"[Content_Types].xml": b"", "word/document.xml": b"<w/>"}), "docx"),
        (_zip({"[Content_Types].xml": b"", "xl/workbook.xml": b"<w/>"}), "xlsx"),
        (_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b""}), "odt"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdf"),
        (b"\xef\xbb\xbf<!DOCTYPE html><html><body><table></table></body></html>", "html"),
        (b"  <table><tr><td>1</td></tr></table>", "html"),
        ("BÁO CÁO\n| TT | Chỉ tiêu |\n".encode(), "text"),
    ],
)
def test_format_comes_from_content(raw: bytes, expected: str) -> None:
    assert detect_format("report.bin", raw) == expected


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"", "empty"),
        (b"{\\rtf1\\ansi hello}", "RTF"),
        (_zip({"a.txt": b"x"}), "neither a Word"),
        (_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), "not a text document"),
        (b"PK\x03\x04 truncated", "damaged zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 truncated", "damaged OLE2"),
    ],
)
def test_unsupported_or_damaged_containers_are_named(raw: bytes, problem: str) -> None:
    with pytest.raises(ExtractionError, match=problem) as error:
        detect_format("data/raw/r.docx", raw)
    assert str(error.value).startswith("data/raw/r.docx: ")
