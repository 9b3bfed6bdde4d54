"""Recognising a report's format from its bytes, never from its name.

A provincial portal may serve a ``.doc`` that is really RTF-free Word 97, a ``.docx`` that is a
password-protected OLE2 container, or a web page saved as ``.xls``: the extension is only a hint a
person gave. Zip and OLE2 containers are opened to see what they hold.
"""

from __future__ import annotations

import io
import zipfile

from pipelines.common.errors import ExtractionError

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Where to look for a PDF header: some producers put a few bytes of junk before it.
PDF_HEADER_WINDOW = 1024
HTML_SNIFF = 4096
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<body", b"<table", b"<head")
_ODF_MIMETYPES = {"application/vnd.oasis.opendocument.text": "odt"}


def _zip_format(path: str, raw: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        names = set(archive.namelist())
        if "mimetype" in names:
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
            if mimetype in _ODF_MIMETYPES:
                return _ODF_MIMETYPES[mimetype]
            raise ExtractionError(
                path, None, f"an OpenDocument file of type {mimetype!r}, not a text document"
            )
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ExtractionError(
            path, None, f"a damaged zip container (Word, Excel or OpenDocument): {exc}"
        ) from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise ExtractionError(
        path, None, "a zip archive that is neither a Word, an Excel nor an OpenDocument file"
    )


def _ole2_format(path: str, raw: bytes) -> str:
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(raw)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=True)}
    except (OSError, ValueError) as exc:
        raise ExtractionError(path, None, f"a damaged OLE2 (legacy Office) file: {exc}") from None
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        raise ExtractionError(
            path, None, "a password-protected (encrypted) Office document; save it without a password"
        )
    if "WordDocument" in streams:
        return "doc"
    if "Workbook" in streams or "Book" in streams:
        return "xls"
    raise ExtractionError(
        path, None, "a legacy Office (OLE2) file that is neither a Word document nor a workbook"
    )


def _looks_like_html(raw: bytes) -> bool:
    head = raw[:HTML_SNIFF].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and any(marker in head for marker in _HTML_MARKERS)


def detect_format(path: str, raw: bytes) -> str:
    """One of the model's source formats (``text``, ``docx``, ``odt``, ``doc``, ``pdf``, ``html``,
    ``xlsx``, ``xls``) judged by content; an ExtractionError for anything else."""
    if not raw:
        raise ExtractionError(path, None, "the file is empty")
    if raw.startswith(ZIP_MAGIC):
        return _zip_format(path, raw)
    if raw.startswith(OLE2_MAGIC):
        return _ole2_format(path, raw)
    if PDF_MAGIC in raw[:PDF_HEADER_WINDOW]:
        return "pdf"
    if raw.startswith(b"{\\rtf"):
        raise ExtractionError(path, None, "an RTF file; save it as .docx (or .doc) and try again")
    if _looks_like_html(raw):
        return "html"
    return "text"
