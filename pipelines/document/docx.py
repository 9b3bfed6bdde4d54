"""Word (.docx) read into the document model: python-docx opens the package, the XML is walked
in body order.

Footnotes live in ``word/footnotes.xml``, apart from the body: each becomes a footnote block
placed after the paragraph that first refers to it, numbered as Word numbers them (in order of
reference), and the reference itself reads as a superscript number (``⁴``) as it is printed.
Merged cells: ``gridSpan`` spans columns, ``vMerge`` continues the cell above; rows marked
``tblHeader`` (repeated on every page) are the table's header rows. Runs in a ``.VnTime`` or
``VNI-Times`` font are converted from their legacy encoding.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lxml import etree

from pipelines.common.errors import ExtractionError
from pipelines.common.text import superscript
from pipelines.document.legacy import encoding_of_font, guess_encoding, is_capitals_font, to_unicode
from pipelines.document.limits import ReadLimits
from pipelines.document.model import Block, Cell, CellRef, Footnote, Heading, Paragraph, ParaRef, Table

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
_HEADING_STYLE = re.compile(r"^(?:heading|title)\s*(\d*)$", re.IGNORECASE)


def _attr(element: etree._Element | None, name: str) -> str | None:
    return None if element is None else element.get(f"{_W}{name}")


class _Fonts:
    """The font a run is set in: its own, else its paragraph style's, else the document default."""

    def __init__(self, styles: etree._Element | None) -> None:
        self.style_fonts: dict[str, str] = {}
        self.style_names: dict[str, str] = {}
        self.default: str | None = None
        if styles is None:
            return
        fonts = styles.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}rFonts")
        self.default = _attr(fonts, "ascii") or _attr(fonts, "hAnsi")
        for style in styles.iter(f"{_W}style"):
            style_id = _attr(style, "styleId") or ""
            self.style_names[style_id] = _attr(style.find(f"{_W}name"), "val") or style_id
            fonts = style.find(f"{_W}rPr/{_W}rFonts")
            font = _attr(fonts, "ascii") or _attr(fonts, "hAnsi")
            if font:
                self.style_fonts[style_id] = font

    def of_run(self, run: etree._Element, style: str | None) -> str | None:
        fonts = run.find(f"{_W}rPr/{_W}rFonts")
        return (
            _attr(fonts, "ascii")
            or _attr(fonts, "hAnsi")
            or self.style_fonts.get(style or "")
            or self.default
        )


class _Reader:
    def __init__(
        self,
        path: Path,
        body: etree._Element,
        footnotes: etree._Element | None,
        fonts: _Fonts,
        limits: ReadLimits,
    ):
        self.path = path
        self.limits = limits
        self.body = body
        self.fonts = fonts
        self.footnote_xml = {
            int(_attr(note, "id") or 0): note
            for note in (footnotes.iter(f"{_W}footnote") if footnotes is not None else ())
            if _attr(note, "type") in (None, "normal")
        }
        self.footnote_numbers: dict[int, int] = {}
        self.paragraphs = 0
        self.tables = 0

    def _style(self, paragraph: etree._Element) -> str | None:
        return _attr(paragraph.find(f"{_W}pPr/{_W}pStyle"), "val")

    def _text(self, paragraph: etree._Element, refs: list[int] | None) -> str:
        """The paragraph's text; footnote references as superscript numbers (collected in ``refs``)."""
        style = self._style(paragraph)
        parts: list[str] = []
        for run in paragraph.iter(f"{_W}r"):
            font = self.fonts.of_run(run, style)
            encoding = encoding_of_font(font)
            for child in run:
                if child.tag == f"{_W}t":
                    parts.append(to_unicode(child.text or "", encoding, is_capitals_font(font)))
                elif child.tag == f"{_W}tab":
                    parts.append("\t")
                elif child.tag in (f"{_W}br", f"{_W}cr"):
                    parts.append("\n")
                elif child.tag == f"{_W}footnoteReference" and refs is not None:
                    note_id = int(_attr(child, "id") or 0)
                    number = self.footnote_numbers.setdefault(note_id, len(self.footnote_numbers) + 1)
                    refs.append(note_id)
                    parts.append(superscript(number))
        text = "".join(parts)
        return to_unicode(text, guess_encoding(text)).strip()

    def _footnote(self, note_id: int) -> Footnote | None:
        note = self.footnote_xml.get(note_id)
        if note is None:
            return None
        number = self.footnote_numbers[note_id]
        texts = [self._text(p, None) for p in note.iter(f"{_W}p")]
        paragraphs = tuple(
            Paragraph(text, ParaRef(index, footnote=number))
            for index, text in enumerate((t for t in texts if t), start=1)
        )
        return Footnote(number, paragraphs) if paragraphs else None

    def _paragraph(self, element: etree._Element) -> list[Block]:
        refs: list[int] = []
        text = self._text(element, refs)
        blocks: list[Block] = []
        if text:
            self.paragraphs += 1
            locator = ParaRef(self.paragraphs)
            name = self.fonts.style_names.get(self._style(element) or "", "")
            heading = _HEADING_STYLE.match(name)
            if heading:
                blocks.append(Heading(text, int(heading[1] or 1), locator))
            else:
                blocks.append(Paragraph(text, locator))
        for note_id in dict.fromkeys(refs):
            footnote = self._footnote(note_id)
            if footnote is not None:
                blocks.append(footnote)
        return blocks

    def _table(self, element: etree._Element) -> Table:
        self.tables += 1
        table_no = self.tables
        cells: list[Cell] = []
        open_by_col: dict[int, int] = {}  # grid column -> index in cells of the cell a vMerge continues
        header_rows = 0
        counting_header = True
        where = f"table {table_no}"
        for r, row in enumerate(element.iterchildren(f"{_W}tr")):
            self.limits.check_rows(self.path, r + 1, where)
            props = row.find(f"{_W}trPr")
            is_header = props is not None and props.find(f"{_W}tblHeader") is not None
            if counting_header and is_header:
                header_rows += 1
            else:
                counting_header = False
            col = int(_attr(props.find(f"{_W}gridBefore") if props is not None else None, "val") or 0)
            for tc in row.findall(f"{_W}tc"):
                tc_props = tc.find(f"{_W}tcPr")
                span = int(
                    _attr(tc_props.find(f"{_W}gridSpan") if tc_props is not None else None, "val") or 1
                )
                self.limits.check_columns(self.path, col + span, where)
                merge = tc_props.find(f"{_W}vMerge") if tc_props is not None else None
                if merge is not None and _attr(merge, "val") != "restart" and col in open_by_col:
                    index = open_by_col[col]
                    above = cells[index]
                    cells[index] = Cell(
                        above.row, above.col, above.text, above.locator, above.row_span + 1, above.col_span
                    )
                else:
                    text = " ".join(t for t in (self._text(p, None) for p in tc.iter(f"{_W}p")) if t)
                    cells.append(Cell(r, col, text, CellRef(table_no, r + 1, col + 1), col_span=span))
                    for c in range(col, col + span):
                        open_by_col.pop(c, None)
                    if merge is not None:
                        open_by_col[col] = len(cells) - 1
                col += span
        return Table(tuple(cells), header_rows=header_rows)

    def blocks(self) -> tuple[Block, ...]:
        out: list[Block] = []
        for element in self.body:
            self.limits.check_blocks(self.path, len(out))
            if element.tag == f"{_W}p":
                out.extend(self._paragraph(element))
            elif element.tag == f"{_W}tbl":
                out.append(self._table(element))
            elif element.tag == f"{_W}sdt":
                content = element.find(f"{_W}sdtContent")
                for child in content if content is not None else ():
                    if child.tag == f"{_W}p":
                        out.extend(self._paragraph(child))
        return tuple(out)


def _part(archive: zipfile.ZipFile, name: str) -> etree._Element | None:
    if name not in archive.namelist():
        return None
    return etree.fromstring(archive.read(name), parser=etree.XMLParser(resolve_entities=False))


def read_docx(path: Path, raw: bytes, limits: ReadLimits) -> tuple[Block, ...]:
    """The blocks of a .docx; a damaged package is an ExtractionError naming the file."""
    import docx

    limits.check_archive(path, raw)
    try:
        document = docx.Document(io.BytesIO(raw))
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            footnotes = _part(archive, "word/footnotes.xml")
            styles = _part(archive, "word/styles.xml")
    except Exception as exc:  # python-docx reports a damaged package with many exception types
        raise ExtractionError(path, None, f"a damaged Word document: {type(exc).__name__}: {exc}") from None
    body = document.element.body
    return _Reader(path, body, footnotes, _Fonts(styles), limits).blocks()
