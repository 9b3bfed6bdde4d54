"""``extract`` and ``extract-all``: reports to Frictionless packages in directories of their own."""

from __future__ import annotations

import argparse
import shutil
from decimal import Decimal
from pathlib import Path

from pipelines.common.params import read_params


def register(subparsers: argparse._SubParsersAction) -> None:
    one = subparsers.add_parser(
        "extract",
        help="extract one report into DIR/datapackage.json and DIR/data/*.csv",
        description="Extract every table of one report into a Frictionless data package. "
        "On malformed input nothing is written and the error names the file and line.",
    )
    one.add_argument("report", type=Path, help="the report's text (UTF-8 Markdown)")
    one.add_argument("--out", type=Path, required=True, help="directory for the package")
    one.add_argument(
        "--params", type=Path, default=Path("params.yaml"), help="tunables (default: params.yaml)"
    )
    one.set_defaults(handler=_run_one)

    many = subparsers.add_parser(
        "extract-all",
        help="extract every report (*.md) of a folder, one package per report",
        description="Extract each RAW_DIR/*.md into OUT/<file stem>/. Packages of reports no longer "
        "in RAW_DIR are removed, so a removed report disappears from the merged package.",
    )
    many.add_argument("raw_dir", type=Path, help="folder of raw reports (default layout: data/raw)")
    many.add_argument("--out", type=Path, required=True, help="folder for the per-report packages")
    many.add_argument(
        "--params", type=Path, default=Path("params.yaml"), help="tunables (default: params.yaml)"
    )
    many.set_defaults(handler=_run_all)


def _tolerance(params_path: Path) -> Decimal:
    return Decimal(str(read_params(params_path)["ratios"]["tolerance_pct"]))


def _extract_to(report: Path, out: Path, tolerance: Decimal) -> None:
    from pipelines.extract.report import extract_report, source_entry
    from pipelines.extract.warning import emit
    from pipelines.package.writer import write_report_package

    extracted = extract_report(report, tolerance_pct=tolerance)
    emit(str(report), extracted.warnings)
    issued = extracted.facts.issued_date.isoformat()
    write_report_package(extracted.tables, source_entry(extracted), issued, out)


def _run_one(args: argparse.Namespace) -> int:
    _extract_to(args.report, args.out, _tolerance(args.params))
    return 0


def _run_all(args: argparse.Namespace) -> int:
    from pipelines.common.errors import PipelineError

    reports = sorted(args.raw_dir.glob("*.md"))
    if not reports:
        raise PipelineError(f"{args.raw_dir}: no reports (*.md) to extract")
    tolerance = _tolerance(args.params)
    for report in reports:
        _extract_to(report, args.out / report.stem, tolerance)
    if args.out.exists():
        wanted = {report.stem for report in reports}
        for stale in args.out.iterdir():
            if stale.is_dir() and stale.name not in wanted:
                shutil.rmtree(stale)
    return 0
