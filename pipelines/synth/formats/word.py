"""A report rendered as a real Word file (.docx) with python-docx.

Footnotes are real Word footnotes (``word/footnotes.xml``, referenced from the body), numbered by
Word where the text form's numbers run in order and with the printed number as a custom mark
where they do not. The appendix is one Word table: merged header cells (``gridSpan``/``vMerge``)
and header rows marked to repeat on every page (``tblHeader``), so a PDF printed from it repeats
them too.
"""

from __future__ import annotations

import io

import docx
from docx.enum.section import WD_ORIENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from lxml import etree

from pipelines.common.text import superscript
from pipelines.document.model import Document, Footnote, Paragraph, Table
from pipelines.synth.formats.layout import footnotes_by_number, header_band, header_spans, split_references

FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_SEPARATORS = (
    f'<w:footnote {nsdecls("w")} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    f'<w:footnote {nsdecls("w")} w:type="continuationSeparator" w:id="0"><w:p><w:r>'
    "<w:continuationSeparator/></w:r></w:p></w:footnote>"
)


def _superscript_run(child: OxmlElement) -> OxmlElement:
    """A ``w:r`` run set in superscript holding ``child`` (a footnote reference or a mark's text)."""
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    align = OxmlElement("w:vertAlign")
    align.set(qn("w:val"), "superscript")
    props.append(align)
    run.append(props)
    run.append(child)
    return run


def _text(text: str) -> OxmlElement:
    element = OxmlElement("w:t")
    element.text = text
    return element


class _Footnotes:
    """The footnotes part being written: one ``w:footnote`` per referenced footnote."""

    def __init__(self, document: docx.document.Document) -> None:
        self.root = parse_xml(f"<w:footnotes {nsdecls('w')}>{_SEPARATORS}</w:footnotes>")
        self.next_id = 1
        self.auto_number = 1
        self.document = document

    def _reference_runs(self, note_id: int, mark: str | None) -> list[OxmlElement]:
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), str(note_id))
        if mark is None:
            return [_superscript_run(reference)]
        reference.set(qn("w:customMarkFollows"), "1")
        return [_superscript_run(reference), _superscript_run(_text(mark))]

    def add(self, paragraph_element: OxmlElement, note: Footnote) -> None:
        """Reference ``note`` at the end of ``paragraph_element`` and write its body."""
        note_id = self.next_id
        self.next_id += 1
        mark = None if note.number == self.auto_number else str(note.number)
        if mark is None:
            self.auto_number += 1
        for run in self._reference_runs(note_id, mark):
            paragraph_element.append(run)
        body = OxmlElement("w:footnote")
        body.set(qn("w:id"), str(note_id))
        for index, part in enumerate(note.paragraphs):
            p = OxmlElement("w:p")
            if index == 0:
                p.append(_superscript_run(OxmlElement("w:footnoteRef") if mark is None else _text(mark)))
            text = _text(f" {part.text}" if index == 0 else part.text)
            text.set(qn("xml:space"), "preserve")
            run = OxmlElement("w:r")
            run.append(text)
            p.append(run)
            body.append(p)
        self.root.append(body)

    def attach(self) -> None:
        part = Part(
            PackURI("/word/footnotes.xml"),
            FOOTNOTES_TYPE,
            etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True),
            self.document.part.package,
        )
        self.document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)


def _paragraph(out: docx.document.Document, paragraph: Paragraph, notes, footnotes, used: set[int]) -> None:
    p = out.add_paragraph()
    for piece in split_references(paragraph, notes):
        if isinstance(piece, int) and piece not in used:
            used.add(piece)
            footnotes.add(p._p, notes[piece])
        elif isinstance(piece, int):
            p.add_run(superscript(piece))
        else:
            p.add_run(piece)


def _mark_header(row) -> None:
    props = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    props.append(header)


def _table(out: docx.document.Document, table: Table) -> None:
    band = header_band(table)
    spans = header_spans(table, band)
    grid = out.add_table(rows=table.n_rows, cols=table.n_cols)
    grid.style = "Table Grid"
    cells = grid._cells
    for r, texts in enumerate(table.rows):
        for c, text in enumerate(texts):
            if text:
                cells[r * table.n_cols + c].paragraphs[0].add_run(text).font.size = Pt(8)
    for span in spans:
        last = (span.row + span.rows - 1) * table.n_cols + span.col + span.cols - 1
        cells[span.row * table.n_cols + span.col].merge(cells[last])
    for r in range(band):
        _mark_header(grid.rows[r])


def render_docx(doc: Document) -> bytes:
    """The .docx bytes of ``doc`` (a report read from any format)."""
    out = docx.Document()
    section = out.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.5))
    style = out.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)
    notes = footnotes_by_number(doc)
    footnotes = _Footnotes(out)
    used: set[int] = set()
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            _paragraph(out, block, notes, footnotes, used)
        elif isinstance(block, Table):
            _table(out, block)
    orphans = [note for number, note in notes.items() if number not in used]
    for note in orphans:
        footnotes.add(out.paragraphs[-1]._p, note)
    footnotes.attach()
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
