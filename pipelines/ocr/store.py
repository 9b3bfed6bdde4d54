"""A scan's reading kept as JSON (``build/scans/<name>.json``), so that OCR runs once per version
of a file: the stage that reads scans skips a file whose checksum matches its stored reading,
and extraction and review load the reading instead of running OCR again."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pipelines.common.errors import PipelineError
from pipelines.common.jsonio import json_bytes
from pipelines.document.model import Block, BoxRef, Cell, Footnote, Paragraph, Table

FORMAT_VERSION = 2


def reading_path(store: Path, scan: Path) -> Path:
    return store / f"{scan.name.split('.')[0]}.json"


def _box(box: BoxRef) -> list[float | int]:
    return [box.page, box.x0, box.y0, box.x1, box.y1]


def _cell(cell: Cell) -> dict[str, object]:
    assert isinstance(cell.locator, BoxRef)
    return {
        "row": cell.row,
        "col": cell.col,
        "row_span": cell.row_span,
        "col_span": cell.col_span,
        "text": cell.text,
        "box": _box(cell.locator),
        "confidence": cell.confidence,
    }


def _paragraph(paragraph: Paragraph) -> dict[str, object]:
    assert isinstance(paragraph.locator, BoxRef)
    return {"paragraph": paragraph.text, "box": _box(paragraph.locator), "confidence": paragraph.confidence}


def _to_paragraph(item: dict) -> Paragraph:
    return Paragraph(item["paragraph"], _to_box(item["box"]), item["confidence"])


def dump_reading(source: str, sha256: str, blocks: tuple[Block, ...]) -> bytes:
    """The reading as JSON: the file it came from, its checksum, the blocks in reading order
    (tables, paragraphs, footnotes)."""
    out: list[dict[str, object]] = []
    for block in blocks:
        if isinstance(block, Table):
            out.append({"table": [_cell(c) for c in block.cells], "header_rows": block.header_rows})
        elif isinstance(block, Paragraph):
            out.append(_paragraph(block))
        elif isinstance(block, Footnote):
            out.append({"footnote": block.number, "paragraphs": [_paragraph(p) for p in block.paragraphs]})
    document = {"format": FORMAT_VERSION, "source": source, "sha256": sha256, "blocks": out}
    return json_bytes(document, indent=1)


def _to_box(values: list[float]) -> BoxRef:
    page, x0, y0, x1, y1 = values
    return BoxRef(int(page), float(x0), float(y0), float(x1), float(y1))


def load_reading(path: Path, sha256: str | None = None) -> tuple[Block, ...] | None:
    """The stored blocks, or None when there is no reading or it is of another version of the
    file (``sha256``) or of an older format."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise PipelineError(
            f"{path}: not a readable stored reading ({exc}); delete it to read the scan again"
        ) from None
    if document.get("format") != FORMAT_VERSION or (sha256 is not None and document.get("sha256") != sha256):
        return None
    blocks: list[Block] = []
    for item in document["blocks"]:
        if "table" in item:
            cells = tuple(
                Cell(
                    row=c["row"],
                    col=c["col"],
                    text=c["text"],
                    locator=_to_box(c["box"]),
                    row_span=c["row_span"],
                    col_span=c["col_span"],
                    confidence=c["confidence"],
                )
                for c in item["table"]
            )
            blocks.append(Table(cells, header_rows=item["header_rows"]))
        elif "footnote" in item:
            blocks.append(Footnote(item["footnote"], tuple(_to_paragraph(p) for p in item["paragraphs"])))
        else:
            blocks.append(_to_paragraph(item))
    return tuple(blocks)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
