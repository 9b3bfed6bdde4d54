"""One report, end to end in memory: facts, appendix, prose tables. Nothing is written here.

A document whose appendix has numbered columns (``1 | 2 | … | 7=6/4``) is read by that layout,
with the prose around it; any other document by its tables' header meaning
(:mod:`pipelines.extract.shape_source`).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from pipelines.common.errors import ExtractionError
from pipelines.common.text import slugify
from pipelines.document.model import Document as Model
from pipelines.document.model import Table
from pipelines.document.read import read_document
from pipelines.extract.appendix import read_appendix
from pipelines.extract.columns import has_numbering_row, read_layout
from pipelines.extract.crops import extract_crops
from pipelines.extract.document import prose_view
from pipelines.extract.extracted import CollectedRows, ExtractedReport, province_fields, warning_rows
from pipelines.extract.facts import read_facts
from pipelines.extract.livestock import extract_livestock
from pipelines.extract.narrative import Appendix, extract_narrative_checks
from pipelines.extract.scan_rows import FIGURE_KEY, flag_statement_conflicts, scan_certainty
from pipelines.extract.shape_source import read_shape_source
from pipelines.extract.table import appendix_table, table_rows
from pipelines.extract.warning import ExtractionWarning
from pipelines.package.rows import Row, RowSink
from pipelines.package.sources import read_sidecar


def make_report_id(province: str, reporting_year: int, document_number: str) -> str:
    """``cao-bang-2022-2960-bc-ubnd``: readable, and distinct for two reports of one province and year."""
    return f"{slugify(province)}-{reporting_year}-{slugify(document_number)}"


def _numbered_appendix(model: Model) -> Table | None:
    """The appendix table when it has a column-number row under its header, else None."""
    try:
        table = appendix_table(model)
    except ExtractionError:
        return None
    return table if has_numbering_row(table_rows(model, table)) else None


APPENDIX = ("indicators", "observations", "ratios")


def extract_document(
    model: Model, source_file: str, tolerance_pct: Decimal = Decimal(0), sink: RowSink | None = None
) -> ExtractedReport:
    """Every resource's rows of one report. The rows of a numbered appendix (``APPENDIX``) go to
    ``sink`` as they are made (a package being written: a large table is never held; the
    statements are checked on an index of what they restate); without a sink, or with a
    ``CollectedRows``, they are in the report's ``tables`` with the others. A source of other
    table shapes is read whole: all its rows are in ``tables``."""
    model, certainty = scan_certainty(model)
    table = _numbered_appendix(model)
    if table is None:
        return read_shape_source(model, source_file, tolerance_pct)
    target: RowSink = CollectedRows() if sink is None else sink
    path = str(model.path)
    rows = table_rows(model, table)
    doc = prose_view(model)
    facts = read_facts(model, table)
    source_format = model.source_format
    del model, table  # from here on the rows and the prose view are enough: a large table is freed
    layout = read_layout(path, rows)
    report_id = make_report_id(facts.province, layout.reporting_year, facts.document_number)
    warnings: list[ExtractionWarning] = certainty.warnings()
    province, province_warnings = province_fields(report_id, facts.province, facts.line, facts.source_ref)
    warnings.extend(province_warnings)
    appendix = Appendix(report_id, layout.reporting_year, layout.plan_year)

    def add(resource: str, row: Row) -> None:
        appendix.add(resource, row)
        target.add(resource, row)

    warnings.extend(read_appendix(path, report_id, layout, rows, tolerance_pct, certainty, add))
    del rows  # every cell the package keeps is in the appendix's rows now
    report = {
        "report_id": report_id,
        "source_kind": "report",
        **province,
        "issuer": facts.issuer,
        "document_number": facts.document_number,
        "issued_date": facts.issued_date,
        "reporting_year": layout.reporting_year,
        "plan_year": layout.plan_year,
        "title": facts.title,
        "source_file": source_file,
        "source_sha256": doc.sha256,
        "source_format": source_format,
        "source_line": facts.line,
        "source_ref": facts.source_ref,
    }
    crops, crop_warnings = extract_crops(doc, report_id, layout.reporting_year)
    livestock, livestock_warnings = extract_livestock(doc, report_id, layout.reporting_year)
    checks, check_warnings = extract_narrative_checks(doc, appendix)
    warnings.extend([*crop_warnings, *livestock_warnings, *check_warnings])
    flags, changes = flag_statement_conflicts(checks, appendix.scanned)
    warnings.extend(flags)
    target.amend("observations", FIGURE_KEY, changes)
    tables: dict[str, list[Any]] = {"reports": [report]}
    if isinstance(target, CollectedRows):
        tables.update((name, target.tables.get(name, [])) for name in APPENDIX)
    tables.update(crops=crops, livestock=livestock, narrative_checks=checks)
    tables["warnings"] = warning_rows(report_id, warnings)
    return ExtractedReport(report_id, doc, facts.title, facts.issuer, facts.issued_date, tables, warnings)


def extract_report(
    path: Path, source_file: str | None = None, tolerance_pct: Decimal = Decimal(0)
) -> ExtractedReport:
    """Read and extract one report file; raises ExtractionError on malformed input."""
    return extract_document(read_document(path), source_file or display_path(path), tolerance_pct)


def display_path(path: Path) -> str:
    """How the package names a raw file: relative to the working directory, never a machine path."""
    if not path.is_absolute():
        return path.as_posix()
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.name


def source_entry(extracted: ExtractedReport) -> dict[str, Any]:
    """The package ``sources`` entry for one report, from its facts and its sidecar file."""
    sidecar = read_sidecar(extracted.document.path)
    report = extracted.tables["reports"][0]
    entry: dict[str, Any] = {
        "title": sidecar.title if sidecar else f"{extracted.title} ({report['document_number']})",
        "report_id": extracted.report_id,
        "publisher": sidecar.publisher if sidecar else extracted.issuer,
        "file": report["source_file"],
        "sha256": report["source_sha256"],
    }
    if sidecar:
        if sidecar.published_at:
            entry["path"] = sidecar.published_at
        entry["license_note"] = sidecar.license_note
        entry["date_added"] = sidecar.date_added
    return entry
