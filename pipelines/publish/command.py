"""``build-db``, ``promote``, ``site``, ``serve`` and ``deploy``: from the validated package to the public site."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.common.cli import add_command, add_package

DEFAULT_SITE = Path("build/site")
DEFAULT_DB = DEFAULT_SITE / "chitieu.db"
# The DVC cache the site serves at /dvc/ (`dvc push -r publish`), outside the rebuilt site folder.
DEFAULT_DVC = Path("build/dvc-public")


def register(subparsers: argparse._SubParsersAction) -> None:
    build_db = add_command(
        subparsers,
        "build-db",
        _build_db,
        help="build the site's SQLite database from a data package",
        description="Load every resource of the package into SQLite with sqlite-utils: primary and foreign "
        "keys, indexes, full-text search without diacritics, and the views of metadata/site.yaml, built as "
        "indexed tables (the database is never written after the build).",
    )
    add_package(build_db)
    build_db.add_argument(
        "--out", type=Path, default=DEFAULT_DB, help=f"database file (default: {DEFAULT_DB})"
    )

    promote = add_command(
        subparsers,
        "promote",
        _promote,
        help="publish the validated candidate package as the committed one",
        description="Copy CANDIDATE/datapackage.json and its data files to OUT, only when the validation "
        "summary passed and recorded this very descriptor; files first, the descriptor last, through a "
        "commit manifest so an interrupted run is completed by the next one.",
    )
    promote.add_argument("candidate", type=Path, help="folder of the candidate package (from `package`)")
    promote.add_argument(
        "--validation", type=Path, required=True, help="validation output folder or its summary.json"
    )
    promote.add_argument("--out", type=Path, default=Path("."), help="where the package goes (default: .)")

    site = add_command(
        subparsers,
        "site",
        _site,
        help="assemble the Datasette site folder (metadata, templates, downloads, Data Docs)",
        description="Generate metadata.json from metadata/, settings, the inspect file, templates, the "
        "package zip and spreadsheet downloads, and copy the validation Data Docs. Fails when a table or "
        "column has no description, or when the validation summary reports a failure.",
    )
    add_package(site)
    site.add_argument(
        "--db", type=Path, default=DEFAULT_DB, help=f"database from build-db (default: {DEFAULT_DB})"
    )
    site.add_argument("--validation", type=Path, help="validation output folder (summary.json, data-docs/)")
    site.add_argument("--out", type=Path, default=DEFAULT_SITE, help=f"site folder (default: {DEFAULT_SITE})")
    site.add_argument("--pages", type=Path, help="page images of scanned reports (from page-images)")
    site.add_argument("--scans", type=Path, help="readings of scanned reports (from read-scans)")

    serve = add_command(
        subparsers,
        "serve",
        _serve,
        help="serve the built site read-only on 127.0.0.1",
        description="Run Datasette on the site folder: immutable database with its inspect file, the "
        "settings of metadata/site.yaml, our templates and plugin. Listens on 127.0.0.1 only.",
    )
    serve.add_argument("--port", type=int, default=8001, help="port (default: 8001)")
    serve.add_argument(
        "--site", type=Path, default=DEFAULT_SITE, help=f"site folder (default: {DEFAULT_SITE})"
    )
    _dvc_option(serve)

    deploy = add_command(
        subparsers,
        "deploy",
        _deploy,
        help="print (or run) the datasette command that deploys the site folder",
        description="Build the argument list of `datasette package` (a Docker image) or `datasette publish "
        "cloudrun` for the site folder. Prints it by default; --run executes it (needs Docker or gcloud).",
    )
    deploy.add_argument("destination", choices=["package", "cloudrun"], help="deployment kind")
    deploy.add_argument(
        "--site", type=Path, default=DEFAULT_SITE, help=f"site folder (default: {DEFAULT_SITE})"
    )
    deploy.add_argument("--name", default="chitieu", help="image tag or Cloud Run service name")
    deploy.add_argument("--run", action="store_true", help="run the command instead of printing it")
    _dvc_option(deploy)


def _dvc_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dvc",
        type=Path,
        default=DEFAULT_DVC,
        help=f"published DVC cache served read-only at /dvc/ when the folder exists (default: {DEFAULT_DVC})",
    )


def _build_db(args: argparse.Namespace) -> int:
    from pipelines.common.collector import collector_paused
    from pipelines.package.metadata import load_metadata
    from pipelines.publish.database import build_database
    from pipelines.publish.siteconfig import load_site_config

    with collector_paused():
        names = build_database(args.package, args.out, load_metadata(), load_site_config())
    print(f"{args.out}: {len(names)} tables and views")
    return 0


def _promote(args: argparse.Namespace) -> int:
    from pipelines.publish.promote import promote

    files = promote(args.candidate, args.validation, args.out)
    print(f"{args.out}: published {len(files)} files of the validated package")
    return 0


def _site(args: argparse.Namespace) -> int:
    from pipelines.package.metadata import load_metadata
    from pipelines.publish.site import build_site
    from pipelines.publish.siteconfig import load_site_config

    document = build_site(
        args.package,
        args.db,
        args.out,
        load_metadata(),
        load_site_config(),
        args.validation,
        (args.pages, args.scans),
    )
    database = next(iter(document["databases"].values()))
    print(f"{args.out}: {len(database['tables'])} tables and views, {len(database['queries'])} saved queries")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from pipelines.publish.serve import serve

    return serve(args.site, args.port, args.dvc)


def _deploy(args: argparse.Namespace) -> int:
    import shlex
    import subprocess

    from pipelines.publish.serve import deploy_command

    argv = deploy_command(args.site, args.destination, args.name, args.dvc)
    if not args.run:
        print(shlex.join(argv))
        return 0
    return subprocess.call(argv)
