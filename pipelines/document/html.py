"""A web page (.html/.htm) read into the document model with lxml's HTML parser.

Tables take ``rowspan``/``colspan`` into an occupancy grid, so a merged header cell stands once at
its top-left position; ``<thead>`` rows (or leading rows of ``<th>`` only) are header rows.
Footnotes are the elements a page marks as such (``id="fn4"``, ``role="doc-footnote"``, a
``footnote`` class); ``<sup>`` numbers in the text read as superscript numbers, as printed.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree

from pipelines.common.errors import ExtractionError
from pipelines.document.legacy import guess_encoding, to_unicode
from pipelines.document.limits import ReadLimits
from pipelines.document.model import Block, Cell, CellRef, Footnote, Heading, Paragraph, ParaRef, Table

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_SUPERSCRIPT = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")
_SPACE = re.compile(r"\s+")
_FOOTNOTE_ID = re.compile(r"^(?:fn|ftn|footnote|note)[-_:]?(\d+)$", re.IGNORECASE)
_LEADING_NUMBER = re.compile(r"^\s*\(?(\d+)\)?[.)]?\s+")
_SKIP = {"script", "style", "noscript", "template", "head", "nav", "button", "form", "iframe"}
_BLOCKS = {"p", "li", "div", "dd", "dt", "blockquote", "pre", "section", "article", "aside", "caption"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}


def _decode(raw: bytes) -> str:
    declared = _CHARSET.search(raw[:4096])
    for encoding in (declared[1].decode() if declared else None, "utf-8"):
        if encoding is None:
            continue
        try:
            return raw.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("windows-1252", errors="replace")


_BREAK = "\x00"  # a <br> while spaces are collapsed


def _text(element: etree._Element, breaks: bool = False) -> str:
    """Text of ``element`` in one line; ``<sup>`` numbers as superscript, ``<br>`` as a space (as
    ``\n`` with ``breaks``: a table cell may stack two values, a line each)."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if not isinstance(node.tag, str) or node.tag in _SKIP:
            if node.tail:
                parts.append(node.tail)
            return
        if node.tag == "br":
            parts.append(_BREAK if breaks else " ")
        elif node.tag == "sup":
            inner = "".join(node.itertext()).strip()
            parts.append(inner.translate(_SUPERSCRIPT) if re.fullmatch(r"\(?\d+\)?", inner) else inner)
        else:
            parts.append(node.text or "")
            for child in node:
                walk(child)
        if node.tail:
            parts.append(node.tail)

    parts.append(element.text or "")
    for child in element:
        walk(child)
    lines = [_SPACE.sub(" ", line).strip() for line in "".join(parts).split(_BREAK)]
    text = "\n".join(lines) if any(lines) else ""
    return to_unicode(text, guess_encoding(text))


def _has_block_child(element: etree._Element) -> bool:
    return any(
        isinstance(child.tag, str)
        and (child.tag in _BLOCKS or child.tag in _HEADINGS or child.tag == "table")
        for child in element.iter()
        if child is not element
    )


def _span(cell: etree._Element, name: str) -> int:
    """A ``rowspan``/``colspan`` as browsers read it: digits, at least 1, at most 1000."""
    value = cell.get(name, "1").strip()
    return min(max(int(value), 1), 1000) if value.isdigit() else 1


def _footnote_number(element: etree._Element) -> int | None:
    match = _FOOTNOTE_ID.match(element.get("id", ""))
    if match:
        return int(match[1])
    marked = element.get("role") == "doc-footnote" or (
        element.tag in ("li", "p", "div", "aside") and "footnote" in element.get("class", "").split()
    )
    if not marked:
        return None
    if element.get("value", "").isdigit():
        return int(element.get("value", ""))
    leading = _LEADING_NUMBER.match(_text(element))
    return int(leading[1]) if leading else None


class _Reader:
    def __init__(self, path: Path, limits: ReadLimits) -> None:
        self.path = path
        self.limits = limits
        self.blocks: list[Block] = []
        self.paragraphs = 0
        self.tables = 0

    def _paragraph(self, element: etree._Element) -> None:
        text = _text(element)
        if text:
            self.paragraphs += 1
            self.blocks.append(Paragraph(text, ParaRef(self.paragraphs)))

    def _footnote(self, element: etree._Element, number: int) -> None:
        children = [c for c in element if isinstance(c.tag, str) and c.tag in _BLOCKS]
        texts = [_text(c) for c in children] if children else [_text(element)]
        texts = [t for t in texts if t]
        if texts:
            texts[0] = re.sub(
                rf"^\s*[⁽(]?(?:{number}|{str(number).translate(_SUPERSCRIPT)})[⁾)]?[.)]?\s+", "", texts[0]
            )
            paragraphs = tuple(Paragraph(t, ParaRef(i, footnote=number)) for i, t in enumerate(texts, 1))
            self.blocks.append(Footnote(number, paragraphs))

    def _table(self, element: etree._Element) -> None:
        self.tables += 1
        table_no = self.tables
        rows = [
            tr for tr in element.iter("tr") if next((a for a in tr.iterancestors("table")), None) is element
        ]
        where = f"table {table_no}"
        self.limits.check_rows(self.path, len(rows), where)
        taken: set[tuple[int, int]] = set()
        cells: list[Cell] = []
        header_rows = 0
        counting = True
        for r, tr in enumerate(rows):
            in_head = tr.getparent() is not None and tr.getparent().tag == "thead"
            row_cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
            all_th = bool(row_cells) and all(c.tag == "th" for c in row_cells)
            if counting and (in_head or all_th):
                header_rows += 1
            else:
                counting = False
            col = 0
            for td in row_cells:
                while (r, col) in taken:
                    col += 1
                rowspan = min(_span(td, "rowspan"), len(rows) - r)
                colspan = _span(td, "colspan")
                self.limits.check_columns(self.path, col + colspan, where)
                taken.update((r + i, col + j) for i in range(rowspan) for j in range(colspan))
                cells.append(
                    Cell(r, col, _text(td, breaks=True), CellRef(table_no, r + 1, col + 1), rowspan, colspan)
                )
                col += colspan
        if cells:
            self.blocks.append(Table(tuple(cells), header_rows=header_rows))

    def visit(self, element: etree._Element) -> None:
        for child in element:
            if not isinstance(child.tag, str) or child.tag in _SKIP:
                continue
            self.limits.check_blocks(self.path, len(self.blocks))
            if child.tag in _HEADINGS:
                text = _text(child)
                if text:
                    self.paragraphs += 1
                    self.blocks.append(Heading(text, _HEADINGS[child.tag], ParaRef(self.paragraphs)))
            elif child.tag == "table":
                self._table(child)
            elif (number := _footnote_number(child)) is not None:
                self._footnote(child, number)
            elif child.tag in _BLOCKS and not _has_block_child(child):
                self._paragraph(child)
            else:
                if (child.text or "").strip() and child.tag in _BLOCKS:
                    self.paragraphs += 1
                    self.blocks.append(
                        Paragraph(_SPACE.sub(" ", child.text).strip(), ParaRef(self.paragraphs))
                    )
                self.visit(child)


def read_html(path: Path, raw: bytes, limits: ReadLimits) -> tuple[Block, ...]:
    """The blocks of a web page; a page without any table is an ExtractionError."""
    try:
        root = lxml.html.document_fromstring(_decode(raw))
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(path, None, f"not a readable web page: {exc}") from None
    reader = _Reader(path, limits)
    body = root.find("body")
    reader.visit(body if body is not None else root)
    if not any(isinstance(b, Table) for b in reader.blocks):
        raise ExtractionError(path, None, "the web page has no table (<table>); is this the report's page?")
    return tuple(reader.blocks)
