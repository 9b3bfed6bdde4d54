"""The open flags of a scan: every table cell whose reading needs a person, with a cropped image
of it, and a template of decisions to copy into the report's corrections file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipelines.document.model import Block, BoxRef, Cell, Footnote, Paragraph, PartRef, Table
from pipelines.extract.scan_checks import conflicts, figure_cells, prose_numbers, table_layout
from pipelines.ocr.certainty import cell_review
from pipelines.ocr.corrections import (
    Applied,
    Correction,
    apply_corrections,
    corrections_path,
    load_corrections,
)

# Crops are rendered at this resolution, with this margin (points) of context around the cell.
CROP_DPI = 200
CROP_MARGIN_PT = 24.0


@dataclass(frozen=True)
class Flag:
    """A cell up for review: where, what was read, how sure, and why."""

    cell: Cell
    reason: str

    @property
    def source_ref(self) -> str:
        return str(self.cell.locator)


@dataclass(frozen=True)
class Review:
    """A scan after its corrections file: the blocks with decisions applied, the flags still
    open, the decisions applied and those that no longer match a reading."""

    blocks: tuple[Block, ...]
    flags: list[Flag]
    applied: list[Applied]
    stale: list[Correction]

    @property
    def reasons(self) -> dict[str, str]:
        """``source_ref`` -> review reason of every open flag: what extraction publishes."""
        return {flag.source_ref: flag.reason for flag in self.flags}


def flags(blocks: tuple[Block, ...]) -> list[Flag]:
    """Every table cell read with doubt or caught by a cross-check, in reading order."""
    prose = prose_numbers(
        p.text
        for b in blocks
        for p in (b.paragraphs if isinstance(b, Footnote) else (b,) if isinstance(b, Paragraph) else ())
    )
    out = []
    for block in blocks:
        if not isinstance(block, Table):
            continue
        crossed = conflicts(block, prose)
        figures = figure_cells(block, table_layout(block))
        for cell in block.cells:
            reason = cell_review(cell, id(cell) in figures) or crossed.get(id(cell))
            if reason:
                out.append(Flag(cell, reason))
    return out


def review(report: Path, blocks: tuple[Block, ...]) -> Review:
    """The flags still open once the report's corrections file is applied."""
    decided, applied, stale = apply_corrections(blocks, load_corrections(corrections_path(report)))
    return Review(decided, flags(decided), applied, stale)


def crop_name(flag: Flag) -> str:
    box = page_box(flag.cell)
    return f"p{box.page}-{box.x0:.0f}-{box.y0:.0f}.png"


def page_box(cell: Cell) -> BoxRef:
    """Where a scanned cell stands on its page (in its own file, for a report of several)."""
    box = cell.locator.inner if isinstance(cell.locator, PartRef) else cell.locator
    assert isinstance(box, BoxRef)
    return box


def write_crops(report: Path, open_flags: list[Flag], out: Path) -> None:
    """A PNG per flagged cell: the cell with some context, its box outlined in red."""
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    out.mkdir(parents=True, exist_ok=True)
    document = pdfium.PdfDocument(report)
    try:
        scale = CROP_DPI / 72
        for flag in open_flags:
            box = page_box(flag.cell)
            page = document[box.page - 1]
            width, height = page.get_size()
            left, top = max(0.0, box.x0 - CROP_MARGIN_PT), max(0.0, box.y0 - CROP_MARGIN_PT)
            right, bottom = min(width, box.x1 + CROP_MARGIN_PT), min(height, box.y1 + CROP_MARGIN_PT)
            image = page.render(
                scale=scale, crop=(left, height - bottom, width - right, top), may_draw_forms=False
            ).to_pil()
            image = image.convert("RGB")
            draw = ImageDraw.Draw(image)
            draw.rectangle(
                [
                    (box.x0 - left) * scale,
                    (box.y0 - top) * scale,
                    (box.x1 - left) * scale,
                    (box.y1 - top) * scale,
                ],
                outline=(220, 0, 0),
                width=3,
            )
            image.save(out / crop_name(flag))
    finally:
        document.close()


def template(open_flags: list[Flag]) -> str:
    """Entries for the corrections file, one per open flag: fill in value, by and date."""
    lines = [
        "# Copy the entries you decided into the report's corrections file; set value to the figure",
        "# as printed (the same as read confirms it), by to your name, date to today (YYYY-MM-DD).",
        "corrections:",
    ]
    for flag in open_flags:
        read = flag.cell.text.replace('"', '\\"')
        lines += [
            f'  - source_ref: "{flag.source_ref}"  # {flag.reason}, {crop_name(flag)}',
            f'    read: "{read}"',
            f'    value: "{read}"',
            '    by: ""',
            '    date: ""',
        ]
    return "\n".join(lines) + "\n"
