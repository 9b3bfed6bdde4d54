"""Footnotes and sections: where the report's prose tables are.

The report's prose tables are lists dropped into footnotes wherever a page ended, so they are found
by structure (a footnote marker referenced from a section, the body that starts with that marker and
the list that follows it), never by line numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pipelines.common.text import clean_cell, fold_diacritics
from pipelines.extract.document import Document, locate
from pipelines.extract.warning import ExtractionWarning, merge_warnings

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# A footnote body opens a line with its marker: "⁴ Kết quả …", "⁽²⁰⁾ …".
_BODY_START = re.compile(r"^\s*⁽?([⁰¹²³⁴⁵⁶⁷⁸⁹]+)⁾?\s*(\S.*)$")
# A reference inside the text; "m³" and "km²" are units, not references.
_REFERENCE = re.compile(r"(?<![mM])⁽?([⁰¹²³⁴⁵⁶⁷⁸⁹]+)⁾?")
_LIST_ITEM = re.compile(r"^\s*[+\-–]\s+\S")
# Headings: "a) Trồng trọt:", "1.2. Lĩnh vực …", "II. KẾT QUẢ …".
_HEADING = re.compile(r"^\s*(?:[a-zđ]\)|\d+(?:\.\d+)*\.|[IVXLC]+\.)\s+\S", re.IGNORECASE)
_ROMAN_HEADING = re.compile(r"^\s*[IVXLC]+\.\s+\S")
# Lines of prose an announcing footnote body (ending with ":") may skip before its list starts:
# the rest of the page the footnote interrupted.
MAX_INTERRUPTION = 5


@dataclass(frozen=True)
class Footnote:
    """A footnote's body: its opening line (marker removed) and the list items that belong to it."""

    number: int
    line: int
    items: tuple[tuple[int, str], ...]


def _marker_number(text: str) -> int:
    return int(text.translate(_SUPERSCRIPT))


def footnote_bodies(doc: Document) -> dict[int, Footnote]:
    """Every footnote body, with the list that follows its opening line.

    A body ending with ":" announces a list that may start after a few lines of the interrupted
    page; otherwise only list items directly after the opening line belong to it.
    """
    bodies: dict[int, Footnote] = {}
    lines = doc.lines
    for index, text in enumerate(lines):
        match = _BODY_START.match(text)
        if not match:
            continue
        number = _marker_number(match[1])
        opening = clean_cell(match[2])
        items: list[tuple[int, str]] = [(index + 1, opening)]
        may_skip = MAX_INTERRUPTION if opening.endswith(":") else 0
        listed = False
        for later in range(index + 1, len(lines)):
            following = lines[later]
            if not following.strip():
                continue
            if _BODY_START.match(following):
                break
            if _LIST_ITEM.match(following):
                items.append((later + 1, clean_cell(following)))
                listed = True
                continue
            if listed or may_skip == 0:
                break
            may_skip -= 1
        bodies.setdefault(number, Footnote(number, index + 1, tuple(items)))
    return bodies


def find_heading(doc: Document, pattern: re.Pattern[str], start: int = 1) -> int | None:
    """1-based line of the first heading (a short numbered line) whose folded text matches ``pattern``."""
    for number in range(start, len(doc.lines) + 1):
        text = clean_cell(doc.line(number))
        if _HEADING.match(text) and len(text) <= 120 and pattern.search(fold_diacritics(text)):
            return number
    return None


def section_end(doc: Document, heading: int, roman_only: bool = False) -> int:
    """Last line of the section opened at ``heading``: the line before the next heading of any kind
    (or, with ``roman_only``, the next Roman-numeral heading)."""
    boundary = _ROMAN_HEADING if roman_only else _HEADING
    for number in range(heading + 1, len(doc.lines) + 1):
        text = clean_cell(doc.line(number))
        if boundary.match(text) and len(text) <= 120:
            return number - 1
    return len(doc.lines)


def referenced_footnotes(doc: Document, first: int, last: int) -> list[int]:
    """Footnote numbers referenced in lines ``first..last``, skipping the bodies' own opening lines."""
    found: list[int] = []
    for number in range(first, last + 1):
        text = doc.line(number)
        if _BODY_START.match(text):
            continue
        for match in _REFERENCE.finditer(text):
            value = _marker_number(match[1])
            if value not in found:
                found.append(value)
    return found


def footnotes_under(doc: Document, heading_pattern: re.Pattern[str]) -> list[Footnote]:
    """Bodies of the footnotes referenced under a heading; every footnote when no heading matches,
    or when the document references none at all (a scan: OCR loses the small raised numbers).

    The caller scores the candidates (a list that parses best wins), so a section that also refers
    to an unrelated footnote, or a report without the heading, still finds its list.
    """
    bodies = footnote_bodies(doc)
    heading = find_heading(doc, heading_pattern)
    if heading is None or not referenced_footnotes(doc, 1, len(doc.lines)):
        return list(bodies.values())
    numbers = referenced_footnotes(doc, heading, section_end(doc, heading))
    return [bodies[n] for n in numbers if n in bodies]


Rows = list[dict[str, object]]


def best_footnote(
    doc: Document,
    heading: re.Pattern[str],
    parse: Callable[[Footnote], tuple[Rows, list[ExtractionWarning]]],
    missing: ExtractionWarning,
) -> tuple[Rows, list[ExtractionWarning]]:
    """Rows of the footnote under ``heading`` that yields the most; ``missing`` alone when none does."""
    best: tuple[Rows, list[ExtractionWarning]] = ([], [])
    for footnote in footnotes_under(doc, heading):
        rows, warnings = parse(footnote)
        if len(rows) > len(best[0]):
            best = (rows, warnings)
    if not best[0]:
        return locate(doc, [], [missing])
    return locate(doc, best[0], merge_warnings(best[1]))
