"""``validate``: frictionless plus every GX checkpoint; the gate before anything is published."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="validate the package (frictionless + Great Expectations) and write build/validation/",
        description="Run frictionless validation of the package and every Great Expectations suite in "
        "expectations/ (integrity: blocking; source quality: reported). Writes OUT/summary.json (counts, "
        "the gate), OUT/results.json (offending rows) and OUT/data-docs/ (HTML). Exits 1 when frictionless "
        "fails or an integrity expectation fails. With --write-suites, regenerate expectations/ from the "
        "Table Schemas instead.",
    )
    parser.add_argument(
        "package",
        type=Path,
        nargs="?",
        default=Path("datapackage.json"),
        help="datapackage.json or its folder (default: datapackage.json)",
    )
    parser.add_argument(
        "--db", type=Path, help="the SQLite database to be published; its keys are checked in SQL"
    )
    parser.add_argument("--out", type=Path, default=Path("build/validation"), help="output folder")
    parser.add_argument(
        "--params", type=Path, default=Path("params.yaml"), help="tunables (default: params.yaml)"
    )
    parser.add_argument(
        "--write-suites", action="store_true", help="regenerate expectations/*.json from metadata/ and exit"
    )
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from pipelines.validate.suites import generate_suites, metadata_schemas, write_suites

    if args.write_suites:
        for path in write_suites(generate_suites(metadata_schemas())):
            print(f"wrote {path}")
        return 0

    from pipelines.validate.run import validate

    return 0 if validate(args.package, args.out, args.db, args.params) else 1
