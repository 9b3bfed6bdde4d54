"""A source whose tables are read by what their headers say, not by the appendix layout.

A report in another layout (no column-number row), a ministry's appendix, a database page or a web
page: every indicator table of the document becomes rows through :mod:`pipelines.extract.shapes`
and :mod:`pipelines.extract.table_rows`. The source's facts come from what it prints (a ``Biểu kèm
theo Báo cáo số … ngày …`` caption) or else from its sidecar (``kind`` and the facts it has);
the years from the tables' headers. A fact neither gives stays empty: nothing is invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pipelines.common.enums import Measure
from pipelines.common.errors import ExtractionError
from pipelines.common.text import slugify
from pipelines.document.model import Document
from pipelines.extract.document import prose_view
from pipelines.extract.extracted import ExtractedReport, province_fields, warning_rows
from pipelines.extract.facts import caption_facts
from pipelines.extract.shapes import ReadTable, read_tables
from pipelines.extract.table_rows import table_rows
from pipelines.package.sources import read_sidecar, sidecar_path

REPORT = "report"
RESULTS = (Measure.estimate, Measure.preliminary)
GOALS = (Measure.plan, Measure.target)


def read_shape_source(
    model: Document, source_file: str, tolerance_pct: Decimal = Decimal(0)
) -> ExtractedReport:
    """Every indicator table of ``model`` as rows; raises ExtractionError when there is none, or
    when the source is neither a report with a caption nor described by a sidecar."""
    tables = read_tables(model.blocks)
    if not tables:
        raise ExtractionError(
            model.path,
            None,
            "no appendix table found: no table has a 'TT' and 'Chỉ tiêu' header with a column-number "
            f"row, nor headers that name figure columns ({len(model.tables)} tables in the document)",
        )
    facts = _facts(model, tables)
    if facts.kind == REPORT and (not facts.number or facts.issued is None):
        raise ExtractionError(
            model.path,
            None,
            "a report needs its number and date: print the 'Biểu kèm theo Báo cáo số … ngày …' caption, "
            f"give document_number and issued_date in {sidecar_path(model.path).name}, or say there "
            "what kind of source it is (kind)",
        )
    reporting_year, plan_year = source_years(tables)
    report_id = (
        "-".join(
            filter(None, [slugify(facts.province or ""), str(reporting_year or ""), slugify(facts.number)])
        )
        if facts.number
        else slugify(Path(model.path).stem)
    )
    rows = table_rows(report_id, tables, tolerance_pct)
    if not rows.indicators:
        raise ExtractionError(
            model.path,
            None,
            "no indicator rows found: the tables name figure columns but no row prints a figure",
        )
    warnings = list(rows.warnings)
    province, province_warnings = province_fields(report_id, facts.province, facts.line, facts.ref)
    warnings.extend(province_warnings)
    report = {
        "report_id": report_id,
        "source_kind": facts.kind,
        **province,
        "issuer": facts.issuer,
        "document_number": facts.number,
        "issued_date": facts.issued,
        "reporting_year": reporting_year,
        "plan_year": plan_year,
        "title": facts.title,
        "source_file": source_file,
        "source_sha256": model.sha256,
        "source_format": model.source_format,
        "source_line": facts.line,
        "source_ref": facts.ref,
    }
    resources = {
        "reports": [report],
        "indicators": rows.indicators,
        "observations": rows.observations,
        "ratios": rows.ratios,
        "verdicts": rows.verdicts,
    }
    resources["warnings"] = warning_rows(report_id, warnings)
    return ExtractedReport(
        report_id, prose_view(model), facts.title, facts.issuer, facts.issued, resources, warnings
    )


@dataclass(frozen=True)
class _Facts:
    kind: str
    number: str | None
    issued: dt.date | None
    issuer: str | None
    province: str | None
    title: str
    line: int | None
    ref: str


def _facts(model: Document, tables: list[ReadTable]) -> _Facts:
    """From the caption a report prints, else from the sidecar beside the source."""
    caption = caption_facts(model, model.tables[-1])
    if caption is not None:
        return _Facts(
            REPORT,
            caption.document_number,
            caption.issued_date,
            caption.issuer,
            caption.province,
            caption.title,
            caption.line,
            caption.source_ref,
        )
    sidecar = read_sidecar(model.path)
    if sidecar is None:
        raise ExtractionError(
            model.path,
            None,
            "no 'Biểu kèm theo Báo cáo số … ngày …' caption: a source that prints none needs a sidecar "
            f"{sidecar_path(model.path).name} giving its kind, title, publisher and licence",
        )
    return _Facts(
        sidecar.kind,
        sidecar.document_number,
        sidecar.issued_date,
        sidecar.issuer,
        sidecar.province,
        sidecar.title,
        None,
        tables[0].source_ref,
    )


def source_years(tables: list[ReadTable]) -> tuple[int | None, int | None]:
    """The year whose results the tables give, and the year of their plans or targets after it.

    The reporting year is the latest year of an estimate or preliminary column, else of an actual
    column with a printed figure; the plan year the latest plan or target year after it (any, when
    the tables give no result). Both are None where the headers give no such column.
    """
    printed = [
        cell.column
        for table in tables
        for row in table.rows
        for cell in row.cells
        if not cell.value.is_empty and cell.column.period is not None
    ]
    results = [c.period for c in printed if c.role in RESULTS] or [
        c.period for c in printed if c.role == Measure.actual
    ]
    reporting = max(results, default=None)
    goals = [c.period for c in printed if c.role in GOALS and (reporting is None or c.period > reporting)]
    return reporting, max(goals, default=None)
