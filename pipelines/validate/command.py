"""``validate``: frictionless plus every GX checkpoint; the gate before anything is published."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.common.cli import add_command, add_package, add_params


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers,
        "validate",
        _run,
        help="validate the package (frictionless + Great Expectations) and write build/validation/",
        description="Run frictionless validation of the package and every Great Expectations suite in "
        "expectations/ (integrity: blocking; source quality: reported). Writes OUT/summary.json (counts, "
        "the gate), OUT/results.json (offending rows) and OUT/data-docs/ (HTML). Exits 1 when frictionless "
        "fails or an integrity expectation fails. With --write-suites, regenerate expectations/ from the "
        "Table Schemas instead.",
    )
    add_package(parser)
    parser.add_argument(
        "--db", type=Path, help="the SQLite database to be published; its keys are checked in SQL"
    )
    parser.add_argument("--out", type=Path, default=Path("build/validation"), help="output folder")
    add_params(parser)
    parser.add_argument(
        "--write-suites", action="store_true", help="regenerate expectations/*.json from metadata/ and exit"
    )


def _run(args: argparse.Namespace) -> int:
    from pipelines.validate.suites import generate_suites, metadata_schemas, write_suites

    if args.write_suites:
        for path in write_suites(generate_suites(metadata_schemas())):
            print(f"wrote {path}")
        return 0

    from pipelines.common.collector import collector_paused
    from pipelines.validate.run import validate

    with collector_paused():
        return 0 if validate(args.package, args.out, args.db, args.params) else 1
