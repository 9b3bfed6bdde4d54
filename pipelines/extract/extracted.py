"""What extraction gives for one source, whichever reader read its tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipelines.extract.document import Document
from pipelines.extract.facts import lookup_province
from pipelines.extract.warning import ExtractionWarning


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
