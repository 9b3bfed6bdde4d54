"""What extraction gives for one source, whichever reader read its tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from pipelines.extract.document import Document
from pipelines.extract.facts import lookup_province
from pipelines.extract.warning import ExtractionWarning
from pipelines.package.csvio import format_value
from pipelines.package.rows import Key


@dataclass
class ExtractedReport:
    """Rows of every resource for one report, keyed by resource name, plus what was warned, and the
    source's title, issuer and date (None for a source that prints none)."""

    report_id: str
    document: Document
    title: str
    issuer: str | None
    issued: dt.date | None
    tables: dict[str, list[dict[str, object]]]
    warnings: list[ExtractionWarning] = field(default_factory=list)


class CollectedRows:
    """A ``RowSink`` holding the rows in lists, by resource: what a caller that wants the rows
    themselves (rather than a package written as they come) hands to extraction."""

    def __init__(self) -> None:
        self.tables: dict[str, list[Mapping[str, object]]] = {}

    def add(self, resource: str, row: Mapping[str, object]) -> None:
        self.tables.setdefault(resource, []).append(row)

    def amend(self, resource: str, key: Key, changes: Mapping[Key, Mapping[str, object]]) -> None:
        if not changes:
            return
        for row in self.tables.get(resource, []):
            change = changes.get(tuple(format_value(row[field]) for field in key))
            if change:
                row.update(change)  # type: ignore[attr-defined]


def _warning_key(warning: ExtractionWarning) -> tuple[int, str, str]:
    return (warning.source_line or 0, warning.source_ref or "", warning.code)


def warning_rows(report_id: str, warnings: list[ExtractionWarning]) -> list[dict[str, object]]:
    """The ``warnings`` resource's rows, in the order the report prints what they point at."""
    return [w.as_row(report_id) for w in sorted(warnings, key=_warning_key)]


def province_fields(
    report_id: str, province: str | None, line: int | None, ref: str | None
) -> tuple[dict[str, object], list[ExtractionWarning]]:
    """The ``reports`` row's province columns, English name and code from the reference, and a
    warning when a printed province is not in it (the row keeps the name as printed)."""
    known = lookup_province(province) if province else None
    fields = {
        "province": province,
        "province_en": known.name_en if known else None,
        "province_code": known.code if known else None,
    }
    if not province or known:
        return fields, []
    message = f"province {province!r} is not in reference/provinces.csv"
    return fields, [ExtractionWarning(line, "unknown_province", message, ref, "reports", report_id)]
