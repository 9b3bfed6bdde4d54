"""A PDF with a text layer read into the document model with pdfplumber.

Every block carries the box it was printed in (``p<page>:<x0>,<y0>,<x1>,<y1>``, PDF points from
the page's top-left); a table cell's box is that of the words printed in it (the number's box).
Tables are found from their ruling lines; merged cells come back as one cell spanning the grid
positions it covers. Text outside tables is grouped into lines, then paragraphs (a wider gap,
a list marker or a footnote number opens a new one). Below the short rule Word and LibreOffice
draw above the footnotes, each line opening with the next footnote number starts a footnote;
a footnote or paragraph cut by a page break is joined again. Small raised digits (footnote
references) read as superscript numbers, as the text form prints them.
"""

from __future__ import annotations

import io
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.common.errors import ExtractionError
from pipelines.common.text import superscript
from pipelines.document.limits import ReadLimits
from pipelines.document.model import Block, BoxRef, Cell, Footnote, Paragraph, Table

_LIST_ITEM = re.compile(r"^[+\-–•]$")
# A gap between lines wider than this many font sizes separates paragraphs.
PARAGRAPH_GAP = 1.6
# Words smaller than this share of the page's usual size are superscripts.
SUPERSCRIPT_SIZE = 0.8
# Horizontal gap (points) below which two words are printed touching (no space between them).
TOUCHING = 1.0


@dataclass
class _Line:
    words: list[dict]
    top: float
    bottom: float

    @property
    def x0(self) -> float:
        return min(w["x0"] for w in self.words)


@dataclass
class _Para:
    lines: list[_Line] = field(default_factory=list)


def _inside(word: dict, box: tuple[float, float, float, float]) -> bool:
    """The word's centre lies in ``box`` (text may rise a little above a tight cell's top)."""
    x, y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _box(page: int, words: list[dict]) -> BoxRef:
    return BoxRef(
        page,
        min(w["x0"] for w in words),
        min(w["top"] for w in words),
        max(w["x1"] for w in words),
        max(w["bottom"] for w in words),
    )


def _join(words: list[dict], usual_size: float) -> str:
    """Words of one line (or cell) as text: superscripts as superscript digits, touching words joined."""
    parts: list[str] = []
    previous: dict | None = None
    for word in words:
        text = word["text"]
        small = word.get("size", usual_size) < SUPERSCRIPT_SIZE * usual_size
        if small and text.isdigit():
            text = superscript(text)
        same_line = previous is not None and abs(word["top"] - previous["top"]) < usual_size
        if parts and not (same_line and word["x0"] - previous["x1"] < TOUCHING):  # type: ignore[index]
            parts.append(" ")
        parts.append(text)
        previous = word
    return "".join(parts)


def _lines_text(lines: list[list[dict]], usual_size: float) -> str:
    """Lines joined by a space, except after a word broken at its hyphen (``2021-`` / ``2025``)."""
    text = ""
    for words in lines:
        if not words:
            continue
        line = _join(words, usual_size)
        joiner = "" if not text or (text.endswith("-") and not text.endswith(" -")) else " "
        text += joiner + line
    return text.strip()


def _lines(words: list[dict], usual_size: float) -> list[_Line]:
    """Words grouped into lines (a superscript sits a little higher than its line)."""
    lines: list[_Line] = []
    for word in sorted(words, key=lambda w: (w["bottom"], w["x0"])):
        for line in lines:
            if abs(line.bottom - word["bottom"]) <= usual_size * 0.5:
                line.words.append(word)
                line.top = min(line.top, word["top"])
                break
        else:
            lines.append(_Line([word], word["top"], word["bottom"]))
    for line in lines:
        line.words.sort(key=lambda w: w["x0"])
    return sorted(lines, key=lambda line: line.top)


def _cluster(values: list[float], tolerance: float = 1.5) -> list[float]:
    points: list[float] = []
    for value in sorted(values):
        if not points or value - points[-1] > tolerance:
            points.append(value)
    return points


def _index(points: list[float], value: float) -> int:
    return min(range(len(points)), key=lambda i: abs(points[i] - value))


def _table(page_number: int, found, words: list[dict], usual_size: float) -> Table:
    """A pdfplumber table as model cells: grid from the cells' edges, text from the words inside."""
    boxes = found.cells
    if words:
        usual_size = statistics.median(w["size"] for w in words)
    xs = _cluster([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes])
    cells: list[Cell] = []
    for x0, top, x1, bottom in boxes:
        inside = [w for w in words if _inside(w, (x0, top, x1, bottom))]
        row, col = _index(ys, top), _index(xs, x0)
        row_span = max(1, _index(ys, bottom) - row)
        col_span = max(1, _index(xs, x1) - col)
        text = _lines_text([line.words for line in _lines(inside, usual_size)], usual_size)
        locator = _box(page_number, inside) if inside else BoxRef(page_number, x0, top, x1, bottom)
        cells.append(Cell(row, col, text, locator, row_span, col_span))
    return Table(tuple(cells))


def _separator_top(
    rules: list[dict], width: float, tables: list[tuple[float, float, float, float]]
) -> float | None:
    """The top of the short rule above the footnotes: a thin horizontal line narrower than half
    the page, outside every table."""
    candidates = [
        r["top"]
        for r in rules
        if r["bottom"] - r["top"] < 2
        and r["x1"] - r["x0"] < width / 2
        and not any(
            b[0] - 1 <= r["x0"] and r["x1"] <= b[2] + 1 and b[1] - 1 <= r["top"] <= b[3] + 1 for b in tables
        )
    ]
    return min(candidates) if candidates else None


def _paragraphs(lines: list[_Line], usual_size: float, opens: callable) -> list[_Para]:
    paragraphs: list[_Para] = []
    for line in lines:
        first = line.words[0]["text"]
        new = (
            not paragraphs
            or line.top - paragraphs[-1].lines[-1].bottom > (PARAGRAPH_GAP - 1) * usual_size
            or bool(_LIST_ITEM.match(first))
            or opens(line)
        )
        if new:
            paragraphs.append(_Para())
        paragraphs[-1].lines.append(line)
    return paragraphs


class _Reader:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.notes: list[tuple[int, list[Paragraph]]] = []
        self.body_open: Paragraph | None = None

    def _text(self, para: _Para, size: float) -> str:
        return _lines_text([line.words for line in para.lines], size)

    def _body(self, page_number: int, para: _Para, size: float) -> None:
        text = self._text(para, size)
        words = [w for line in para.lines for w in line.words]
        last = self.blocks[-1] if self.blocks else None
        continues = (
            isinstance(last, Paragraph)
            and last is self.body_open
            and text[:1].islower()
            and not last.text.endswith((".", ":", ";"))
        )
        if continues and isinstance(last, Paragraph):
            self.blocks[-1] = Paragraph(f"{last.text} {text}", last.locator)
        else:
            self.blocks.append(Paragraph(text, _box(page_number, words)))
        self.body_open = self.blocks[-1]  # type: ignore[assignment]

    def _footnotes(self, page_number: int, lines: list[_Line], size: float) -> None:
        """Footnote area of a page: a line opening with the next footnote number starts a footnote;
        the area's first paragraph, when it opens with no number, continues the last footnote."""

        def opens(line: _Line) -> bool:
            first = line.words[0]["text"]
            expected = self.notes[-1][0] + 1 if self.notes else None
            return first.isdigit() and (expected is None or int(first) == expected)

        for para in _paragraphs(lines, size, opens):
            words = [w for line in para.lines for w in line.words]
            if opens(para.lines[0]):
                rest = [para.lines[0].words[1:], *(line.words for line in para.lines[1:])]
                text = _lines_text(rest, size)
                self.notes.append((int(words[0]["text"]), [Paragraph(text, _box(page_number, words))]))
                self.blocks.append(Footnote(self.notes[-1][0], ()))
                continue
            if not self.notes:
                continue
            text = self._text(para, size)
            paragraphs = self.notes[-1][1]
            cut_by_page = para.lines[0] is lines[0] and not _LIST_ITEM.match(words[0]["text"])
            if cut_by_page:
                paragraphs[-1] = Paragraph(f"{paragraphs[-1].text} {text}", paragraphs[-1].locator)
            else:
                paragraphs.append(Paragraph(text, _box(page_number, words)))

    def page(
        self, page_number: int, words: list[dict], tables: list, rules: list[dict], width: float
    ) -> None:
        if not words:
            return
        size = statistics.median(w["size"] for w in words)
        placed: list[tuple[float, object]] = []
        for found in tables:
            inside = [w for w in words if _inside(w, found.bbox)]
            placed.append((found.bbox[1], _table(page_number, found, inside, size)))
        boxes = [t.bbox for t in tables]
        free = [w for w in words if not any(_inside(w, box) for box in boxes)]
        separator = _separator_top(rules, width, boxes)
        body_words = [w for w in free if separator is None or w["top"] < separator]
        note_words = [w for w in free if separator is not None and w["top"] >= separator]
        body = _paragraphs(_lines(body_words, size), size, lambda line: False)
        items: list[tuple[float, object]] = [(p.lines[0].top, p) for p in body] + placed
        for _, item in sorted(items, key=lambda pair: pair[0]):
            if isinstance(item, Table):
                self.blocks.append(item)
                self.body_open = None
            else:
                self._body(page_number, item, size)  # type: ignore[arg-type]
        if note_words:
            self._footnotes(page_number, _lines(note_words, size), size)

    def result(self) -> tuple[Block, ...]:
        bodies = iter(self.notes)
        out: list[Block] = []
        for block in self.blocks:
            if isinstance(block, Footnote):
                number, paragraphs = next(bodies)
                out.append(Footnote(number, tuple(paragraphs)))
            else:
                out.append(block)
        return tuple(out)


def _chars_to_words(textpage, height: float) -> list[dict]:
    """pdfium's characters grouped into words (split at spaces, line ends and size changes), in the
    shape pdfplumber uses: text, x0, x1, top, bottom (from the page's top), size."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    words: list[dict] = []
    current: dict | None = None
    left, right, low, high = (ctypes.c_double() for _ in range(4))
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    for index in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage.raw, index)
        char = chr(code) if code else ""
        if not char or char.isspace() or pdfium_c.FPDFText_IsGenerated(textpage.raw, index) == 1:
            current = None
            continue
        pdfium_c.FPDFText_GetCharBox(textpage.raw, index, left, right, low, high)
        pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, origin_x, origin_y)
        size = round(pdfium_c.FPDFText_GetFontSize(textpage.raw, index), 1)
        # Boxes from the baseline and the font size (ascent 0.8, descent 0.2 of the size), so that
        # every character of a line shares them whatever its glyph's own extent.
        baseline = height - origin_y.value
        x0, x1 = left.value, max(right.value, left.value)
        top, bottom = baseline - 0.8 * size, baseline + 0.2 * size
        joins = (
            current is not None
            and current["size"] == size
            and abs(current["bottom"] - bottom) < size * 0.3
            and -size * 0.2 <= x0 - current["x1"] < size * 0.5
        )
        if joins and current is not None:
            current["text"] += char
            current["x1"] = max(current["x1"], x1)
            current["top"] = min(current["top"], top)
            current["bottom"] = max(current["bottom"], bottom)
        else:
            current = {"text": char, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "size": size}
            words.append(current)
    return words


def _rules(page, height: float) -> list[dict]:
    """Path objects (ruling lines, borders) as boxes from the page's top."""
    import pypdfium2.raw as pdfium_c

    boxes = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
        left, bottom, right, top = obj.get_bounds()
        boxes.append({"x0": left, "x1": right, "top": height - top, "bottom": height - bottom})
    return boxes


# A page with at least this many drawn paths may hold a ruled table (a text page has one rule,
# the footnote separator): only such pages are given to pdfplumber's table finder.
TABLE_PATHS = 8


def open_pdf(path: Path, raw: bytes | None = None):
    """The pdfium document of ``raw`` (or of the file); an encrypted or damaged PDF is a one-line error."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(raw if raw is not None else path)
    except (pdfium.PdfiumError, OSError) as exc:
        if "password" in str(exc).lower():
            raise ExtractionError(
                path, None, "an encrypted (password-protected) PDF; publish it without a password"
            ) from None
        raise ExtractionError(path, None, f"a damaged PDF: {exc}") from None


def read_pdf(path: Path, raw: bytes, limits: ReadLimits) -> tuple[Block, ...]:
    """The blocks of a PDF with a text layer; an encrypted or text-less PDF is an ExtractionError.

    pdfium (fast, exact boxes) reads the characters; pdfplumber finds tables on ruled pages only.
    """
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    document = open_pdf(path, raw)
    reader = _Reader()
    plumber = None
    try:
        for index in range(len(document)):
            page = document[index]
            height, width = page.get_height(), page.get_width()
            words = _chars_to_words(page.get_textpage(), height)
            rules = _rules(page, height)
            tables = []
            if len(rules) >= TABLE_PATHS:
                if plumber is None:
                    plumber = pdfplumber.open(io.BytesIO(raw))
                tables = plumber.pages[index].find_tables()
            reader.page(index + 1, words, tables, rules, width)
            limits.check_blocks(path, len(reader.blocks))
    except PdfminerException as exc:
        raise ExtractionError(path, None, f"a damaged PDF: {exc}") from None
    finally:
        if plumber is not None:
            plumber.close()
        document.close()
    blocks = reader.result()
    if not blocks:
        raise ExtractionError(path, None, "the PDF has no text to read")
    return blocks
