"""What the published rows say about a scan's readings: for each cell (by ``source_ref``) the
review reason still open, the confidence it was read with, and a maintainer's decision from the
report's corrections file; every open flag and every decision that no longer matches a reading
also becomes a warning, so the warnings resource lists them all.

A report that was not scanned has none of these: its rows carry empty columns.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field, replace
from typing import Any

from pipelines.common.enums import Agreement, ReviewReason
from pipelines.document.model import Document, Table
from pipelines.extract.scan_checks import SURE
from pipelines.extract.scan_review import Flag, review
from pipelines.extract.warning import ExtractionWarning
from pipelines.ocr.corrections import Correction
from pipelines.package.csvio import format_value
from pipelines.package.rows import Key

SCAN = "scan"
STALE_CORRECTION = "stale_correction"


@dataclass(frozen=True)
class ScanCertainty:
    """The certainty of a report's cells, keyed by ``source_ref``."""

    scanned: bool = False
    reasons: dict[str, str] = field(default_factory=dict)
    confidences: dict[str, float] = field(default_factory=dict)
    decisions: dict[str, Correction] = field(default_factory=dict)
    flags: tuple[Flag, ...] = ()
    stale: tuple[Correction, ...] = ()

    def reason(self, ref: str) -> str | None:
        return self.reasons.get(ref)

    def decided(self, ref: str) -> bool:
        """A maintainer confirmed or corrected the cell at ``ref``."""
        return ref in self.decisions

    def columns(self, ref: str, reason: str | None = None) -> dict[str, object]:
        """The published certainty columns of the value printed at ``ref`` (``reason`` when the
        value could not be read as a number at all and the cell carries no reason of its own)."""
        decision = self.decisions.get(ref)
        confidence = self.confidences.get(ref)
        return {
            "review_reason": self.reasons.get(ref) or reason,
            "review_status": decision.status if decision else None,
            "reviewed_by": decision.by if decision else None,
            "reviewed_on": decision.date if decision else None,
            "ocr_confidence": round(confidence, 1) if confidence is not None else None,
        }

    def warnings(self) -> list[ExtractionWarning]:
        """One warning per open flag, one per decision that matches no cell as read any more."""
        out = [
            ExtractionWarning(
                None,
                flag.reason,
                f"read {flag.cell.text!r} with confidence {flag.cell.confidence or 0:.0f}: check it on the "
                "page and confirm or correct it in the report's corrections file",
                flag.source_ref,
            )
            for flag in self.flags
        ]
        out += [
            ExtractionWarning(
                None,
                STALE_CORRECTION,
                f"corrections file line {c.line}: no cell is read as {c.read!r} there any more; "
                "the decision was not applied",
                c.source_ref,
            )
            for c in self.stale
        ]
        return out


NOT_SCANNED = ScanCertainty()
# The key of a figure ``flag_statement_conflicts`` names.
FIGURE_KEY = ("indicator_id", "measure", "period")


def flag_statement_conflicts(
    checks: list[dict[str, object]], scanned: Mapping[tuple[object, ...], MutableMapping[str, Any]]
) -> tuple[list[ExtractionWarning], dict[Key, dict[str, object]]]:
    """Figures of a scan that a statement of the report's text restates otherwise, read with less
    than full confidence: flagged ``ocr_conflicts_elsewhere`` (the reading may be the culprit; a
    sure reading that disagrees is the source's own discrepancy, which the narrative checks
    report). ``scanned`` holds the figures read from the scan by (indicator_id, measure, period).
    Returns the warnings of the figures flagged and, for ``RowSink.amend``, their new reason by
    the text of that key."""
    out = []
    changes: dict[Key, dict[str, object]] = {}
    for check in checks:
        if check["agrees"] != Agreement.no:
            continue
        key = (check["indicator_id"], check["measure"], check["period"])
        figure = scanned.get(key)
        if figure is None or figure["review_reason"] or figure["review_status"]:
            continue
        confidence = figure["ocr_confidence"]
        if confidence is None or float(confidence) >= SURE:
            continue
        figure["review_reason"] = ReviewReason.ocr_conflicts_elsewhere
        changes[tuple(format_value(part) for part in key)] = {"review_reason": figure["review_reason"]}
        out.append(
            ExtractionWarning(
                None,
                ReviewReason.ocr_conflicts_elsewhere,
                f"read {figure['value_printed']!r} with confidence {confidence:.0f}; the text states "
                f"{check['number_printed']!r} for it: check it on the page",
                str(figure["source_ref"]),
            )
        )
    return out, changes


def scan_certainty(model: Document) -> tuple[Document, ScanCertainty]:
    """A scanned report with its corrections file applied, and the certainty of its cells; any
    other report unchanged, with none."""
    if SCAN not in model.source_format.split("+"):  # a scan, or a report of several files with one
        return model, NOT_SCANNED
    checked = review(model.path, model.blocks)
    confidences = {
        str(cell.locator): cell.confidence
        for block in model.blocks
        if isinstance(block, Table)
        for cell in block.cells
        if cell.confidence is not None
    }
    certainty = ScanCertainty(
        scanned=True,
        reasons=checked.reasons,
        confidences=confidences,
        decisions={applied.source_ref: applied.correction for applied in checked.applied},
        flags=tuple(checked.flags),
        stale=tuple(checked.stale),
    )
    return replace(model, blocks=checked.blocks), certainty
