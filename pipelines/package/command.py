"""``package`` (merge per-report packages into the root one) and ``docs`` (the data dictionary)."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.common.cli import add_command


def register(subparsers: argparse._SubParsersAction) -> None:
    package = add_command(
        subparsers,
        "package",
        _run_package,
        help="merge the per-report packages into the root datapackage.json and data/*.csv",
        description="Merge every EXTRACTED_DIR/<report>/ package into one package at OUT "
        "(OUT/datapackage.json and OUT/data/*.csv), written all at once.",
    )
    package.add_argument("extracted_dir", type=Path, help="folder written by extract-all")
    package.add_argument("--out", type=Path, default=Path("."), help="where the package goes (default: .)")

    docs = add_command(
        subparsers,
        "docs",
        _run_docs,
        help="write the data dictionary generated from metadata/",
        description="Write the data dictionary (Markdown) from the single metadata source.",
    )
    docs.add_argument("--out", type=Path, default=Path("docs/data-dictionary.md"), help="output file")


def _run_package(args: argparse.Namespace) -> int:
    from pipelines.common.collector import collector_paused
    from pipelines.common.errors import PipelineError
    from pipelines.package.reader import DESCRIPTOR
    from pipelines.package.writer import merge_packages

    directories = (
        sorted(p for p in args.extracted_dir.iterdir() if (p / DESCRIPTOR).exists())
        if args.extracted_dir.is_dir()
        else []
    )
    if not directories:
        raise PipelineError(f"{args.extracted_dir}: no extracted packages to merge")
    with collector_paused():
        merge_packages(directories, args.out)
    return 0


def _run_docs(args: argparse.Namespace) -> int:
    from pipelines.common.atomic import write_file_atomically
    from pipelines.package.dictionary import data_dictionary

    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_file_atomically(args.out, data_dictionary().encode("utf-8"))
    return 0
