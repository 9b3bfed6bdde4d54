"""A report rendered as a web page: paragraphs, the appendix as one ``<table>`` with ``<thead>``
header rows and ``rowspan``/``colspan`` merged cells, footnotes linked from ``<sup>`` references."""

from __future__ import annotations

from html import escape

from pipelines.document.model import Document, Paragraph, Table
from pipelines.synth.formats.layout import footnotes_by_number, header_band, header_spans, split_references


def _paragraph(paragraph: Paragraph, notes, used: set[int]) -> str:
    out = []
    for piece in split_references(paragraph, notes):
        if isinstance(piece, int):
            target = "" if piece in used else f' id="ref{piece}"'
            used.add(piece)
            out.append(f'<sup{target}><a href="#fn{piece}">{piece}</a></sup>')
        else:
            out.append(escape(piece))
    return f"<p>{''.join(out)}</p>"


def _table(table: Table) -> str:
    band = header_band(table)
    spans = {(s.row, s.col): s for s in header_spans(table, band)}
    covered = {
        (s.row + i, s.col + j) for s in spans.values() for i in range(s.rows) for j in range(s.cols)
    } - set(spans)
    lines = ['<table border="1">', "<thead>"]
    for r, texts in enumerate(table.rows):
        if r == band:
            lines.append("</thead><tbody>")
        tag = "th" if r < band else "td"
        cells = []
        for c, text in enumerate(texts):
            if (r, c) in covered:
                continue
            span = spans.get((r, c))
            attrs = ""
            if span and span.rows > 1:
                attrs += f' rowspan="{span.rows}"'
            if span and span.cols > 1:
                attrs += f' colspan="{span.cols}"'
            cells.append(f"<{tag}{attrs}>{escape(text)}</{tag}>")
        lines.append(f"<tr>{''.join(cells)}</tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)


def render_html(doc: Document) -> bytes:
    """The web page of ``doc``: UTF-8, footnotes listed at the end as ``<li id="fnN">``."""
    notes = footnotes_by_number(doc)
    used: set[int] = set()
    body = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            body.append(_paragraph(block, notes, used))
        elif isinstance(block, Table):
            body.append(_table(block))
    items = []
    for number, note in notes.items():
        paragraphs = "".join(f"<p>{escape(p.text)}</p>" for p in note.paragraphs)
        items.append(f'<li id="fn{number}" value="{number}">{paragraphs}</li>')
    page = (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><title>Báo cáo</title></head><body>\n'
        + "\n".join(body)
        + '\n<section class="footnotes"><ol>\n'
        + "\n".join(items)
        + "\n</ol></section>\n</body></html>\n"
    )
    return page.encode("utf-8")
