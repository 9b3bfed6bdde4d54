"""How sure a reading is, as data: the review reason a cell read by OCR carries, if any.

A cell with ink that the engine could not read is ``ocr_unreadable`` (published empty, its row
kept); a cell read with less confidence than the threshold is ``ocr_low_confidence``. The
engine already lowers the confidence of a figure that is not well formed in the table's number
convention, or whose readings at several resolutions disagree.
"""

from __future__ import annotations

from pipelines.common.enums import ReviewReason
from pipelines.document.model import Cell

# Wrong figures read at or below this confidence in the benchmark scans; right ones above it.
REVIEW_CONFIDENCE = 85.0


def cell_review(cell: Cell, numeric: bool = True) -> str | None:
    """The review reason of a cell read by OCR, or None when it is sure (or was not OCR'd). A
    text cell (``numeric`` false: a name, a unit) is flagged only when nothing of it could be
    read; its words are checked against the reference lists instead."""
    if cell.confidence is None:
        return None
    if not cell.text:
        return ReviewReason.ocr_unreadable
    if numeric and cell.confidence < REVIEW_CONFIDENCE:
        return ReviewReason.ocr_low_confidence
    return None
