"""The document model every reader produces and every extractor consumes.

A published report, whatever its format, becomes one ``Document``: blocks in reading order
(headings, paragraphs, footnotes, tables), each carrying a locator that says where it was printed.
A locator renders (``str(locator)``) to the ``source_ref`` of the shared conventions, so a value
keeps its provenance from the reader to the published row without knowing the format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path


@dataclass(frozen=True, slots=True)
class LineRef:
    """A line of a text report: ``L<line>`` (1-based)."""

    line: int

    def __str__(self) -> str:
        return f"L{self.line}"


@dataclass(frozen=True, slots=True)
class CellRef:
    """A cell of a Word or web-page table: ``t<table>r<row>c<col>``, all 1-based, grid positions."""

    table: int
    row: int
    col: int

    def __str__(self) -> str:
        return f"t{self.table}r{self.row}c{self.col}"


@dataclass(frozen=True, slots=True)
class SheetRef:
    """A spreadsheet cell: ``<sheet>!<cell>`` as the spreadsheet names it (``Phụ lục!D7``)."""

    sheet: str
    cell: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}"


@dataclass(frozen=True, slots=True)
class BoxRef:
    """A box on a PDF or scanned page: ``p<page>:<x0>,<y0>,<x1>,<y1>``.

    The page is 1-based; coordinates are PDF points (1/72 inch) from the page's top-left corner,
    printed with one decimal so the same box always renders the same text.
    """

    page: int
    x0: float
    y0: float
    x1: float
    y1: float

    def __str__(self) -> str:
        return f"p{self.page}:{self.x0:.1f},{self.y0:.1f},{self.x1:.1f},{self.y1:.1f}"

    def union(self, other: BoxRef) -> BoxRef:
        """The smallest box holding both (same page): a cell printed as several words."""
        return BoxRef(
            self.page,
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )


@dataclass(frozen=True, slots=True)
class ParaRef:
    """A paragraph outside tables in a Word file or web page: ``P<n>`` for the n-th body paragraph,
    ``F<footnote>.<n>`` for the n-th paragraph of a footnote (the conventions leave prose open)."""

    paragraph: int
    footnote: int | None = None

    def __str__(self) -> str:
        if self.footnote is None:
            return f"P{self.paragraph}"
        return f"F{self.footnote}.{self.paragraph}"


@dataclass(frozen=True, slots=True)
class PartRef:
    """A locator inside one file of a report published as several files: ``<file>#<locator>``."""

    part: str
    inner: LineRef | CellRef | SheetRef | BoxRef | ParaRef

    def __str__(self) -> str:
        return f"{self.part}#{self.inner}"

    @property
    def line(self) -> int | None:
        return self.inner.line if isinstance(self.inner, LineRef) else None


Locator = LineRef | CellRef | SheetRef | BoxRef | ParaRef | PartRef


def line_of(locator: Locator | None) -> int | None:
    """The raw line a locator points at (text reports, alone or as a part), else None."""
    if isinstance(locator, LineRef):
        return locator.line
    if isinstance(locator, PartRef):
        return locator.line
    return None


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading as the format marks it (a Word heading style, ``<h2>``); level 1 is the top."""

    text: str
    level: int
    locator: Locator


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Body text outside tables. ``confidence`` (0-100) is set only by readers that guess (OCR)."""

    text: str
    locator: Locator
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote kept apart from the body: its number as printed and its paragraphs in order.

    ``locator`` is that of the first paragraph; the text report's footnotes sit where a page
    ended, Word's in footnotes.xml: either way the block stands where its body was found.
    """

    number: int
    paragraphs: tuple[Paragraph, ...]

    @property
    def locator(self) -> Locator:
        return self.paragraphs[0].locator

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.paragraphs)


@dataclass(frozen=True, slots=True)
class Cell:
    """One printed cell at grid position (``row``, ``col``), 0-based, spanning right and down.

    ``text`` is the cell as displayed (a spreadsheet number is rendered with its number format in
    the Vietnamese convention); ``number`` is the stored number where the format stores one.
    ``confidence`` (0-100) is set only by readers that guess (OCR).
    """

    row: int
    col: int
    text: str
    locator: Locator
    row_span: int = 1
    col_span: int = 1
    number: Decimal | None = None
    confidence: float | None = None


@dataclass(frozen=True)
class Table:
    """A table as a grid of cells. ``header_rows`` counts the leading rows the format marks as
    header (Word's repeated header rows, ``<thead>``, a Markdown row above its separator)."""

    cells: tuple[Cell, ...]
    header_rows: int = 0
    n_rows: int = field(init=False)
    n_cols: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "n_rows", max((c.row + c.row_span for c in self.cells), default=0))
        object.__setattr__(self, "n_cols", max((c.col + c.col_span for c in self.cells), default=0))

    @cached_property
    def _grid(self) -> tuple[tuple[Cell | None, ...], ...]:
        grid: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.row_span):
                for c in range(cell.col, cell.col + cell.col_span):
                    grid[r][c] = cell
        return tuple(tuple(row) for row in grid)

    def covering(self, row: int, col: int) -> Cell | None:
        """The cell printed over grid position (row, col): its own or a merged neighbour's."""
        return self._grid[row][col]

    def text_at(self, row: int, col: int) -> str:
        """The text at a grid position, read the way a merged cell is printed: once, at its
        top-left position; the positions it covers read empty."""
        cell = self._grid[row][col]
        return cell.text if cell is not None and (cell.row, cell.col) == (row, col) else ""

    @property
    def rows(self) -> tuple[tuple[str, ...], ...]:
        """Every grid row as texts (see ``text_at``)."""
        return tuple(tuple(self.text_at(r, c) for c in range(self.n_cols)) for r in range(self.n_rows))

    @property
    def locator(self) -> Locator | None:
        """Where the table starts: its first cell's locator."""
        return self.cells[0].locator if self.cells else None


Block = Heading | Paragraph | Footnote | Table

# "scan": a scanned PDF read by OCR (pipelines/ocr builds that document from page images).
SOURCE_FORMATS = ("text", "docx", "odt", "doc", "pdf", "html", "xlsx", "xls", "scan")


@dataclass(frozen=True)
class Document:
    """A report file read into blocks in reading order.

    ``source_format`` is one of ``SOURCE_FORMATS`` (recognised from the content, not the name);
    ``sha256`` is the checksum of the file as published, before any conversion. A report published
    as several files has their formats joined by ``+`` and their checksums by ``;``.
    """

    path: Path
    source_format: str
    sha256: str
    blocks: tuple[Block, ...]

    def __post_init__(self) -> None:
        if any(part not in SOURCE_FORMATS for part in self.source_format.split("+")):
            raise ValueError(f"unknown source format {self.source_format!r}")

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Table))

    @property
    def footnotes(self) -> tuple[Footnote, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Footnote))

    @property
    def body(self) -> tuple[Heading | Paragraph, ...]:
        """Headings and paragraphs in reading order: the running text, without footnotes or tables."""
        return tuple(b for b in self.blocks if isinstance(b, Heading | Paragraph))
