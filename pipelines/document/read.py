"""One entry point: a report file, in any supported format, read into the document model."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from pipelines.common.errors import ExtractionError
from pipelines.document.detect import detect_format
from pipelines.document.join import join_split_tables
from pipelines.document.limits import DEFAULT_LIMITS, ReadLimits
from pipelines.document.model import Block, Cell, Document, Footnote, PartRef, Table

# Each reader checks the limits (params.yaml) as it reads, so an oversized report stops early.
Reader = Callable[[Path, bytes, ReadLimits], tuple[Block, ...]]


def _text(path: Path, raw: bytes, limits: ReadLimits) -> tuple[Block, ...]:
    from pipelines.document.text import decode_text, text_blocks

    return text_blocks(path, decode_text(path, raw, limits), limits)


def _docx(path: Path, raw: bytes, limits: ReadLimits) -> tuple[Block, ...]:
    from pipelines.document.docx import read_docx

    return read_docx(path, raw, limits)


def _html(path: Path, raw: bytes, limits: ReadLimits) -> tuple[Block, ...]:
    from pipelines.document.html import read_html

    return read_html(path, raw, limits)


def _xlsx(path: Path, raw: bytes, limits: ReadLimits) -> tuple[Block, ...]:
    from pipelines.document.xlsx import read_xlsx

    return read_xlsx(path, raw, limits)


def _pdf(path: Path, raw: bytes, limits: ReadLimits) -> tuple[Block, ...]:
    from pipelines.document.pdf import read_pdf

    return read_pdf(path, raw, limits)


def _scan(store: Path | None) -> Reader:
    """A scanned PDF: its stored reading (``store``, the read-scans stage's folder) when one was
    made of these very bytes, else read by OCR now."""

    def ocr(path: Path, raw: bytes) -> tuple[Block, ...]:
        from pipelines.ocr.reader import scan_blocks
        from pipelines.ocr.store import load_reading, reading_path

        if store is not None:
            stored = load_reading(reading_path(store, path), hashlib.sha256(raw).hexdigest())
            if stored is not None:
                return stored
        if path.is_file() and path.stat().st_size == len(raw):
            return scan_blocks(path)
        with tempfile.TemporaryDirectory(prefix="chitieu-scan-") as work:
            copy = Path(work) / "scan.pdf"
            copy.write_bytes(raw)
            return scan_blocks(copy)

    def read(path: Path, raw: bytes, limits: ReadLimits) -> tuple[Block, ...]:
        blocks = ocr(path, raw)  # pages are bounded by the file's size; tables' rows after joining
        limits.check_blocks(path, len(blocks))
        return blocks

    return read


def _pdf_kind(path: Path, raw: bytes) -> str:
    """``scan`` when every page is a scanned image (a text layer over them is someone else's OCR,
    not trusted), ``pdf`` when it has text; the one-line errors for what is neither."""
    from pipelines.ocr.pdfpages import check_scan, inspect_pdf, is_scan

    pages = inspect_pdf(path, raw)
    if is_scan(pages):
        check_scan(path, pages)
        return "scan"
    if not any(page.has_text for page in pages):
        check_scan(path, pages)
    return "pdf"


def _converted(suffix: str, target: str, reader: Reader) -> Reader:
    """A reader for a format LibreOffice converts first (.doc and .odt to .docx, .xls to .xlsx)."""

    def read(path: Path, raw: bytes, limits: ReadLimits) -> tuple[Block, ...]:
        from pipelines.document.office import convert

        return reader(path, convert(path, raw, suffix, target), limits)

    return read


def _readers(scans: Path | None) -> dict[str, Reader]:
    """Format -> reader; readers import their libraries only when their format is met."""
    return {
        "scan": _scan(scans),
        "text": _text,
        "docx": _docx,
        "html": _html,
        "xlsx": _xlsx,
        "pdf": _pdf,
        "doc": _converted(".doc", "docx", _docx),
        "odt": _converted(".odt", "docx", _docx),
        "xls": _converted(".xls", "xlsx", _xlsx),
    }


def read_document(path: Path, limits: ReadLimits = DEFAULT_LIMITS, scans: Path | None = None) -> Document:
    """Read ``path`` whatever its format; an ExtractionError (``file: problem``) on bad input,
    or on a file beyond ``limits`` (checked before reading it, then while reading). ``scans`` is
    the folder of stored scan readings (build/scans): a scan read there already is not read again."""
    try:
        limits.check_size(path, path.stat().st_size)
        raw = path.read_bytes()
    except OSError as exc:
        raise ExtractionError(path, None, f"cannot read the file: {exc.strerror}") from None
    return parse_document(path, raw, limits, scans)


def parse_document(
    path: Path, raw: bytes, limits: ReadLimits = DEFAULT_LIMITS, scans: Path | None = None
) -> Document:
    """The document model of ``raw`` (the bytes of ``path``), format recognised from the content."""
    source_format = detect_format(str(path), raw)
    if source_format == "pdf":
        source_format = _pdf_kind(path, raw)
    reader = _readers(scans).get(source_format)
    if reader is None:
        raise ExtractionError(path, None, f"{source_format} files cannot be read yet")
    blocks = join_split_tables(reader(path, raw, limits))
    for table in (b for b in blocks if isinstance(b, Table)):  # pieces joined over pages
        limits.check_rows(path, table.n_rows, "a table joined over pages")
    return Document(path, source_format, hashlib.sha256(raw).hexdigest(), blocks)


def in_part(part: str, block: Block) -> Block:
    """``block`` with every locator prefixed by the file it was printed in."""
    if isinstance(block, Table):
        cells: tuple[Cell, ...] = tuple(replace(c, locator=PartRef(part, c.locator)) for c in block.cells)
        return Table(cells, header_rows=block.header_rows)
    if isinstance(block, Footnote):
        return Footnote(
            block.number, tuple(replace(p, locator=PartRef(part, p.locator)) for p in block.paragraphs)
        )
    return replace(block, locator=PartRef(part, block.locator))  # type: ignore[arg-type]


def read_parts(
    name: Path, parts: list[Path], limits: ReadLimits = DEFAULT_LIMITS, scans: Path | None = None
) -> Document:
    """One report published as several files (the body, the appendix…): their blocks in the order
    listed, each locator naming its file."""
    if len(parts) == 1:
        return read_document(parts[0], limits, scans)
    documents = [read_document(part, limits, scans) for part in parts]
    blocks = tuple(
        in_part(part.name, block) for part, doc in zip(parts, documents, strict=True) for block in doc.blocks
    )
    return Document(
        name,
        "+".join(doc.source_format for doc in documents),
        ";".join(doc.sha256 for doc in documents),
        blocks,
    )
