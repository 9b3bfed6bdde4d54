"""``build-db``, ``site``, ``serve`` and ``deploy``: from the package to the public Datasette site."""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_SITE = Path("build/site")
DEFAULT_DB = DEFAULT_SITE / "chitieu.db"


def register(subparsers: argparse._SubParsersAction) -> None:
    build_db = subparsers.add_parser(
        "build-db",
        help="build the site's SQLite database from a data package",
        description="Load every resource of the package into SQLite with sqlite-utils: primary and foreign "
        "keys, indexes, full-text search without diacritics, and the views of metadata/site.yaml, built as "
        "indexed tables (the database is never written after the build).",
    )
    build_db.add_argument(
        "package", type=Path, nargs="?", default=Path("datapackage.json"), help="datapackage.json"
    )
    build_db.add_argument(
        "--out", type=Path, default=DEFAULT_DB, help=f"database file (default: {DEFAULT_DB})"
    )
    build_db.set_defaults(handler=_build_db)

    site = subparsers.add_parser(
        "site",
        help="assemble the Datasette site folder (metadata, templates, downloads, Data Docs)",
        description="Generate metadata.json from metadata/, settings, the inspect file, templates, the "
        "package zip and spreadsheet downloads, and copy the validation Data Docs. Fails when a table or "
        "column has no description, or when the validation summary reports a failure.",
    )
    site.add_argument(
        "package", type=Path, nargs="?", default=Path("datapackage.json"), help="datapackage.json"
    )
    site.add_argument(
        "--db", type=Path, default=DEFAULT_DB, help=f"database from build-db (default: {DEFAULT_DB})"
    )
    site.add_argument("--validation", type=Path, help="validation output folder (summary.json, data-docs/)")
    site.add_argument("--out", type=Path, default=DEFAULT_SITE, help=f"site folder (default: {DEFAULT_SITE})")
    site.set_defaults(handler=_site)

    serve = subparsers.add_parser(
        "serve",
        help="serve the built site read-only on 127.0.0.1",
        description="Run Datasette on the site folder: immutable database with its inspect file, the "
        "settings of metadata/site.yaml, our templates and plugin. Listens on 127.0.0.1 only.",
    )
    serve.add_argument("--port", type=int, default=8001, help="port (default: 8001)")
    serve.add_argument(
        "--site", type=Path, default=DEFAULT_SITE, help=f"site folder (default: {DEFAULT_SITE})"
    )
    serve.set_defaults(handler=_serve)

    deploy = subparsers.add_parser(
        "deploy",
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
    deploy.set_defaults(handler=_deploy)


def _build_db(args: argparse.Namespace) -> int:
    from pipelines.package.metadata import load_metadata
    from pipelines.publish.database import build_database
    from pipelines.publish.siteconfig import load_site_config

    names = build_database(args.package, args.out, load_metadata(), load_site_config())
    print(f"{args.out}: {len(names)} tables and views")
    return 0


def _site(args: argparse.Namespace) -> int:
    from pipelines.package.metadata import load_metadata
    from pipelines.publish.site import build_site
    from pipelines.publish.siteconfig import load_site_config

    document = build_site(
        args.package, args.db, args.out, load_metadata(), load_site_config(), args.validation
    )
    database = next(iter(document["databases"].values()))
    print(f"{args.out}: {len(database['tables'])} tables and views, {len(database['queries'])} saved queries")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from pipelines.publish.serve import serve

    return serve(args.site, args.port)


def _deploy(args: argparse.Namespace) -> int:
    import shlex
    import subprocess

    from pipelines.publish.serve import deploy_command

    argv = deploy_command(args.site, args.destination, args.name)
    if not args.run:
        print(shlex.join(argv))
        return 0
    return subprocess.call(argv)
