"""``extract``: one report to a Frictionless package in a directory of its own."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "extract",
        help="extract one report into DIR/datapackage.json and DIR/data/*.csv",
        description="Extract every table of one report into a validated Frictionless data package. "
        "On malformed input nothing is written and the error names the file and line.",
    )
    parser.add_argument("report", type=Path, help="the report's text (UTF-8 Markdown)")
    parser.add_argument("--out", type=Path, required=True, help="directory for the package")
    parser.add_argument("--params", type=Path, default=Path("params.yaml"), help="tunables (default: params.yaml)")
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from pipelines.extract.report import extract_report
    from pipelines.package.writer import write_report_package

    extracted = extract_report(args.report)
    write_report_package(extracted, args.out)
    return 0
