"""``load-postgres``: the package into a PostgreSQL database, typed, with its keys."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.common.cli import add_command


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers,
        "load-postgres",
        _run,
        help="load the package into PostgreSQL: typed tables with primary and foreign keys",
        description="Create one table per resource in SCHEMA of the database at URL (types, NOT NULL, "
        "UNIQUE, CHECK, primary and foreign keys from the Table Schemas, comments from the titles) and "
        "load the CSVs with COPY, all in one transaction. URL is a libpq connection string or URI, e.g. "
        "postgresql://user@host:5432/dbname; keep passwords in PGPASSWORD or ~/.pgpass, not on the "
        "command line.",
    )
    parser.add_argument("url", help="PostgreSQL connection URI or string")
    parser.add_argument(
        "--package", type=Path, default=Path("datapackage.json"), help="datapackage.json (default: ./)"
    )
    parser.add_argument(
        "--schema", default="chitieu", help="PostgreSQL schema for the tables (default: chitieu)"
    )
    parser.add_argument("--replace", action="store_true", help="replace tables of the same names")


def _run(args: argparse.Namespace) -> int:
    from pipelines.load.postgres import load_package

    loaded = load_package(args.url, args.package, args.schema, args.replace)
    for item in loaded:
        print(f"{args.schema}.{item.table}: {item.rows} rows")
    return 0
