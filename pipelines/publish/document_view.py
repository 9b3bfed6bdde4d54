"""A non-text source as the site's source view draws it: the report's document model, as data.

Figures read from a web page, a Word or OpenDocument file, a spreadsheet or a PDF's text layer
carry a ``source_ref`` naming a table cell (``t1r3c3``), a sheet cell (``Phụ lục!D7``), a
paragraph (``P12``) or a box on a page (``p2:…``). The site build reads the report once into the
model and writes ``document.json`` beside it: blocks in reading order, every cell and paragraph
with its ``source_ref``, so the source view gives each the anchor a figure's link points at.
Text reports keep their numbered lines and scans their page images: they need no such file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.common.jsonio import json_bytes
from pipelines.document.model import Document, Footnote, Heading, Paragraph, Table

MANIFEST = "document.json"


def _text(block: Heading | Paragraph) -> dict[str, Any]:
    return {"text": block.text, "ref": str(block.locator)}


def _rows(table: Table) -> list[list[dict[str, Any]]]:
    """The table's printed cells row by row (a merged cell once, in its first row)."""
    rows: list[list[dict[str, Any]]] = [[] for _ in range(table.n_rows)]
    for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
        rows[cell.row].append(
            {"text": cell.text, "ref": str(cell.locator), "rowspan": cell.row_span, "colspan": cell.col_span}
        )
    return rows


def document_blocks(document: Document) -> list[dict[str, Any]]:
    """The blocks of ``document`` in reading order, as the source view's template takes them."""
    blocks: list[dict[str, Any]] = []
    for block in document.blocks:
        if isinstance(block, Table):
            blocks.append({"kind": "table", "header_rows": block.header_rows, "rows": _rows(block)})
        elif isinstance(block, Footnote):
            paragraphs = [_text(p) for p in block.paragraphs]
            blocks.append({"kind": "footnote", "number": block.number, "paragraphs": paragraphs})
        elif isinstance(block, Heading):
            blocks.append({"kind": "heading", "level": min(max(block.level, 1), 4), **_text(block)})
        else:
            blocks.append({"kind": "paragraph", **_text(block)})
    return blocks


def drawn_elsewhere(source: Path, raw: bytes) -> bool:
    """A text report (shown as numbered lines) or a scan (shown as page images)."""
    from pipelines.document.detect import detect_format
    from pipelines.ocr.pdfpages import inspect_pdf, is_scan

    kind = detect_format(str(source), raw)
    return kind == "text" or (kind == "pdf" and is_scan(inspect_pdf(source, raw)))


def write_document_view(source: Path, target: Path) -> bool:
    """``target/document.json`` for a source that is neither text nor a scan; whether one was written."""
    from pipelines.document.read import parse_document

    raw = source.read_bytes()
    if drawn_elsewhere(source, raw):
        return False
    document = parse_document(source, raw)
    target.mkdir(parents=True, exist_ok=True)
    view = {"format": document.source_format, "blocks": document_blocks(document)}
    (target / MANIFEST).write_bytes(json_bytes(view))
    return True
