"""The document model seen as numbered lines of prose, the form the prose parsers read.

Whatever the format, a report's running text and footnotes are laid out as lines in reading
order: each paragraph a line, each footnote its opening paragraph behind its superscript marker
(``⁴ Kết quả …``) followed by its other paragraphs. A line's position is only an index into this
view; where it was printed is its locator (``source_ref``), and for the text form its raw line.
The footnotes stay what the reader made of them (``notes``): the view only says where they stand.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipelines.common.text import superscript
from pipelines.document.model import Document as Model
from pipelines.document.model import Footnote, Heading, Locator, Paragraph, line_of
from pipelines.extract.warning import ExtractionWarning


@dataclass(frozen=True)
class Document:
    """Lines of prose (``lines[0]`` is line 1 of the view) and the checksum of the file they come
    from (the model itself is not kept, so a large report's tables are freed once read);
    ``notes`` pairs each footnote of the model with the view line of its first paragraph."""

    path: Path
    lines: tuple[str, ...]
    locators: tuple[Locator, ...]
    sha256: str
    notes: tuple[tuple[Footnote, int], ...] = ()

    def line(self, number: int) -> str:
        """The text of 1-based view line ``number``."""
        return self.lines[number - 1]

    def source_ref(self, number: int) -> str:
        """Where view line ``number`` was printed, as the conventions write it."""
        return str(self.locators[number - 1])

    def source_line(self, number: int) -> int | None:
        """The raw file line of view line ``number`` (text reports only)."""
        return line_of(self.locators[number - 1])


def locate(
    doc: Document, rows: list[dict[str, object]], warnings: list[ExtractionWarning]
) -> tuple[list[dict[str, object]], list[ExtractionWarning]]:
    """Prose parsers count lines of the view: give their rows and warnings the raw line (text
    reports) and the ``source_ref`` where that line was printed."""
    for row in rows:
        number = int(row["source_line"])  # type: ignore[arg-type]
        row["source_line"], row["source_ref"] = doc.source_line(number), doc.source_ref(number)
    located = [
        ExtractionWarning(doc.source_line(w.source_line), w.code, w.message, doc.source_ref(w.source_line))
        if w.source_ref is None and w.source_line is not None and 0 < w.source_line <= len(doc.lines)
        else w
        for w in warnings
    ]
    return rows, located


def prose_view(model: Model) -> Document:
    """Headings, paragraphs and footnotes of ``model`` as numbered lines."""
    lines: list[str] = []
    locators: list[Locator] = []
    notes: list[tuple[Footnote, int]] = []
    for block in model.blocks:
        if isinstance(block, Paragraph | Heading):
            lines.append(block.text)
            locators.append(block.locator)
        elif isinstance(block, Footnote) and block.paragraphs:
            notes.append((block, len(lines) + 1))
            for index, paragraph in enumerate(block.paragraphs):
                marker = f"{superscript(block.number)} " if index == 0 else ""
                lines.append(marker + paragraph.text)
                locators.append(paragraph.locator)
    return Document(model.path, tuple(lines), tuple(locators), model.sha256, tuple(notes))
