"""Warnings raised during extraction: printed to stderr and kept in the package."""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class ExtractionWarning:
    """Something the pipeline kept but could not fully interpret (an unknown unit, an unnamed indicator),
    or a row flagged for review (then ``code`` is its review reason).

    ``source_line`` is the raw line for text reports (None otherwise); ``source_ref`` says where
    the item was printed in any format (filled in from the document when the parser knew a line);
    ``resource`` and ``row_key`` name the row the warning is about, where there is one.
    """

    source_line: int | None
    code: str
    message: str
    source_ref: str | None = None
    resource: str | None = None
    row_key: str | None = None

    def as_row(self, report_id: str) -> dict[str, object]:
        return {"report_id": report_id, **asdict(self)}


def emit(path: str, warnings: list[ExtractionWarning]) -> None:
    """Print warnings as ``file:line: warning[code]: message`` (``file:ref`` for other formats)."""
    for warning in warnings:
        where = warning.source_line if warning.source_line is not None else warning.source_ref
        print(f"{path}:{where}: warning[{warning.code}]: {warning.message}", file=sys.stderr)


def merge_warnings(warnings: list[ExtractionWarning]) -> list[ExtractionWarning]:
    """One warning per (line, code), messages joined: the warnings resource is keyed that way."""
    merged: dict[tuple[int | None, str], list[str]] = {}
    for warning in warnings:
        messages = merged.setdefault((warning.source_line, warning.code), [])
        if warning.message not in messages:
            messages.append(warning.message)
    return [ExtractionWarning(line, code, "; ".join(msgs)) for (line, code), msgs in merged.items()]
