"""Footnotes and sections: where the report's prose tables are.

The report's prose tables are lists dropped into footnotes wherever a page ended, so they are found
by structure (a footnote marker referenced from a section, and that footnote's body as the
document reader found it: its opening paragraph and the list that belongs to it), never by line
numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pipelines.common.text import FOOTNOTE_REFERENCE, clean_cell, fold_diacritics, superscript_number
from pipelines.extract.document import Document, locate
from pipelines.extract.warning import ExtractionWarning, merge_warnings

# Headings: "a) Trồng trọt:", "1.2. Lĩnh vực …", "II. KẾT QUẢ …".
_HEADING = re.compile(r"^\s*(?:[a-zđ]\)|\d+(?:\.\d+)*\.|[IVXLC]+\.)\s+\S", re.IGNORECASE)
_ROMAN_HEADING = re.compile(r"^\s*[IVXLC]+\.\s+\S")


@dataclass(frozen=True)
class Footnote:
    """A footnote's body: the view line of its opening paragraph, and every paragraph (the opening
    first, without its marker) with its view line."""

    number: int
    line: int
    items: tuple[tuple[int, str], ...]


def footnote_bodies(doc: Document) -> dict[int, Footnote]:
    """Every footnote body as the document's reader found it (the first, when a number repeats),
    its paragraphs numbered by their lines in the view."""
    bodies: dict[int, Footnote] = {}
    for note, first in doc.notes:
        items = tuple((first + index, clean_cell(p.text)) for index, p in enumerate(note.paragraphs))
        bodies.setdefault(note.number, Footnote(note.number, first, items))
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
    """Footnote numbers referenced in lines ``first..last``, skipping the lines of footnote bodies."""
    in_notes = {start + index for note, start in doc.notes for index in range(len(note.paragraphs))}
    found: list[int] = []
    for number in range(first, last + 1):
        if number in in_notes:
            continue
        for match in FOOTNOTE_REFERENCE.finditer(doc.line(number)):
            value = superscript_number(match[1])
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
