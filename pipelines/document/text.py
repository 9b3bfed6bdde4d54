"""The text form of a report (UTF-8 Markdown or plain text) read into the document model.

Every block's locator is the line it was printed on (``L<line>``). Pipe tables become tables
(the row above a separator line is the header). Footnote bodies, which the text form drops in
wherever a page ended, become footnote blocks: a line opening with a superscript marker
(``⁴ Kết quả …``, ``⁽²⁰⁾ …``) plus the list that belongs to it. A body ending with ":" announces
a list that may start after a few lines of the page it interrupted; those lines stay body text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from pipelines.common.errors import ExtractionError
from pipelines.common.text import clean_lines, superscript_number
from pipelines.document.legacy import guess_encoding, to_unicode
from pipelines.document.limits import ReadLimits
from pipelines.document.model import Block, Cell, Footnote, LineRef, Paragraph, Table

FOOTNOTE_OPENING = re.compile(r"^\s*⁽?([⁰¹²³⁴⁵⁶⁷⁸⁹]+)⁾?\s*(\S.*)$")
_LIST_ITEM = re.compile(r"^\s*[+\-–]\s+\S")
_SEPARATOR_CELL = re.compile(r"^\s*:?-{2,}:?\s*$")
_LINE_END = re.compile(r"\r\n?|\n")
# Lines of prose an announcing footnote body (ending with ":") may skip before its list starts.
MAX_INTERRUPTION = 5


def decode_text(path: Path, raw: bytes, limits: ReadLimits) -> tuple[str, ...]:
    """UTF-8 (a BOM allowed) split on any line ending, each line NFC; line 1 is ``lines[0]``.

    Text in a legacy Vietnamese encoding (TCVN3, VNI: bytes that are not UTF-8, or their Latin-1
    characters saved as UTF-8) is recognised and converted.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = raw.decode("latin-1")
        valid_multibyte = any(ord(ch) > 127 and ch != "\ufffd" for ch in raw.decode("utf-8", "replace"))
        if valid_multibyte or guess_encoding(text) is None:
            line = raw[: exc.start].count(b"\n") + 1
            raise ExtractionError(
                path, line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
            ) from None
    return split_lines(path, to_unicode(text, guess_encoding(text)), limits)


def _line_pieces(text: str) -> Iterator[str]:
    """The text between line endings (``\\r\\n``, ``\\r`` or ``\\n``), one at a time."""
    start = 0
    for end in _LINE_END.finditer(text):
        yield text[start : end.start()]
        start = end.end()
    yield text[start:]


def split_lines(path: Path, text: str, limits: ReadLimits) -> tuple[str, ...]:
    """Lines of decoded text, NFC; a NUL character means binary content, not a report.

    Blocks are counted while splitting: a non-blank line that is neither a table row nor a list
    item is a paragraph or a footnote's opening, a block of its own whatever follows, so a text
    with more of them than ``limits.max_blocks`` stops at the first one over, before the rest of
    it is split (the blocks are counted exactly again when they are made).
    """
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ExtractionError(path, line, "binary content (NUL byte) in a text report")
    lines: list[str] = []
    alone = 0
    for piece in _line_pieces(text):
        line = unicodedata.normalize("NFC", piece)
        lines.append(line)
        opening = line.lstrip()[:1]
        if opening and opening != "|" and not _LIST_ITEM.match(line):
            alone += 1
            limits.check_blocks(path, alone, len(lines))
    if lines and lines[-1] == "":
        lines.pop()
    return tuple(lines)


def _footnotes(
    path: Path, lines: tuple[str, ...], limits: ReadLimits
) -> tuple[dict[int, Footnote], set[int]]:
    """Footnote blocks keyed by the 0-based index of their opening line, and every line they use."""
    found: dict[int, Footnote] = {}
    used: set[int] = set()
    for index, text in enumerate(lines):
        match = FOOTNOTE_OPENING.match(text)
        if not match or text.lstrip().startswith("|"):
            continue
        limits.check_blocks(path, len(found) + 1, index + 1)
        opening = match[2].strip()
        paragraphs = [Paragraph(opening, LineRef(index + 1))]
        may_skip = MAX_INTERRUPTION if opening.endswith(":") else 0
        listed = False
        for later in range(index + 1, len(lines)):
            following = lines[later]
            if not following.strip():
                continue
            if FOOTNOTE_OPENING.match(following):
                break
            if _LIST_ITEM.match(following):
                paragraphs.append(Paragraph(following.strip(), LineRef(later + 1)))
                listed = True
                continue
            if listed or may_skip == 0:
                break
            may_skip -= 1
        found[index] = Footnote(superscript_number(match[1]), tuple(paragraphs))
        used.update(p.locator.line - 1 for p in paragraphs)  # type: ignore[union-attr]
    return found, used


def _is_separator(cells: list[str]) -> bool:
    return all(_SEPARATOR_CELL.match(c) or not c.strip() for c in cells) and any(
        _SEPARATOR_CELL.match(c) for c in cells
    )


def _pipe_table(path: Path, lines: tuple[str, ...], start: int, end: int, limits: ReadLimits) -> Table:
    """Lines ``start..end-1`` (0-based) of a pipe table; separator lines are not rows."""
    cells: list[Cell] = []
    row = 0
    header_rows = 0
    width = 0
    for index in range(start, end):
        stripped = lines[index].strip()
        if len(stripped) < 2 or not stripped.endswith("|"):
            raise ExtractionError(path, index + 1, "table row is cut off: it does not end with '|'")
        texts = stripped[1:-1].split("|")
        if cells and len(texts) != width:
            raise ExtractionError(
                path, index + 1, f"table row has {len(texts)} cells, the table header has {width}"
            )
        width = len(texts)
        limits.check_columns(path, width, "the table", index + 1)
        if _is_separator(texts):
            if row == 1 and index == start + 1:
                header_rows = 1
            continue
        row += 1
        limits.check_rows(path, row, "the table", index + 1)
        locator = LineRef(index + 1)
        cells.extend(Cell(row - 1, col, clean_lines(text), locator) for col, text in enumerate(texts))
    return Table(tuple(cells), header_rows=header_rows)


def text_blocks(path: Path, lines: tuple[str, ...], limits: ReadLimits) -> tuple[Block, ...]:
    """Blocks in line order: pipe tables, footnotes (at their opening line), other non-blank lines
    as paragraphs."""
    footnotes, used = _footnotes(path, lines, limits)
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        limits.check_blocks(path, len(blocks), index + 1)
        if lines[index].lstrip().startswith("|"):
            end = index
            while end < len(lines) and lines[end].lstrip().startswith("|"):
                end += 1
            table = _pipe_table(path, lines, index, end, limits)
            if table.cells:
                blocks.append(table)
            index = end
            continue
        if index in footnotes:
            blocks.append(footnotes[index])
        elif index not in used and lines[index].strip():
            blocks.append(Paragraph(lines[index].strip(), LineRef(index + 1)))
        index += 1
    return tuple(blocks)
