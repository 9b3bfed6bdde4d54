"""Serve the site folder locally, or build the command that deploys it elsewhere."""

from __future__ import annotations

import json
import os
from pathlib import Path

from pipelines.common.atomic import recover_directory
from pipelines.common.errors import PipelineError
from pipelines.publish.gate import check_record

REQUIRED_FILES = ("metadata.json", "settings.json", "inspect-data.json")
LOOPBACK = "127.0.0.1"


def check_site(site: Path) -> Path:
    """The site's database; the folder must be a complete output of ``python -m pipelines site``."""
    missing = [name for name in REQUIRED_FILES if not (site / name).exists()]
    databases = sorted(site.glob("*.db"))
    if missing or len(databases) != 1:
        raise PipelineError(
            f"{site}: not a built site (missing {', '.join(missing) or 'a single .db file'}); "
            "run `python -m pipelines build-db` and `python -m pipelines site` first"
        )
    return databases[0]


def static_mounts(site: Path, dvc: Path | None) -> list[tuple[str, str]]:
    """Datasette's static mounts: the site's static folder, and the published DVC cache at /dvc/
    when it exists (Datasette mounts the site's static folder by itself only when given no other)."""
    mounts = [("static", str(site / "static"))]
    if dvc is not None and dvc.is_dir():
        mounts.append(("dvc", str(dvc)))
    return mounts


def static_options(site: Path, dvc: Path | None) -> list[str]:
    return [option for name, path in static_mounts(site, dvc) for option in ("--static", f"{name}:{path}")]


def serve(site: Path, port: int, dvc: Path | None = None) -> int:
    """Run Datasette in configuration-directory mode: the inspect file makes the database immutable.

    Only a database whose checksum is the one the last passing validation recorded is served.
    """
    from datasette.cli import cli

    recover_directory(site)
    check_record(site, check_site(site))
    dvc = dvc.resolve() if dvc is not None else None
    # Served from inside the folder, so no response can show where the site sits on this machine.
    os.chdir(site)
    cli.main(
        ["serve", ".", "--host", LOOPBACK, "--port", str(port), *static_options(Path("."), dvc)],
        standalone_mode=False,
    )
    return 0


def _setting_options(site: Path) -> str:
    settings = json.loads((site / "settings.json").read_text(encoding="utf-8"))
    return " ".join(f"--setting {key} {json.dumps(value)}" for key, value in settings.items())


def deploy_command(site: Path, target: str, name: str, dvc: Path | None = None) -> list[str]:
    """``datasette package`` (a Docker image) or ``datasette publish cloudrun`` for the site folder.

    Both build an image that opens the database immutable with an inspect file; our settings,
    templates, plugins and static files (downloads, sources, hashed scripts and styles) travel with it,
    and the published DVC cache when ``dvc`` is a folder.
    """
    database = check_site(site)
    check_record(site, database)
    common = [
        str(database),
        "--metadata",
        str(site / "metadata.json"),
        "--template-dir",
        str(site / "templates"),
        "--plugins-dir",
        str(site / "plugins"),
        *static_options(site, dvc),
        "--extra-options",
        _setting_options(site),
    ]
    if target == "package":
        return ["datasette", "package", *common, "--tag", name]
    if target == "cloudrun":
        return ["datasette", "publish", "cloudrun", *common, "--service", name]
    raise PipelineError(f"unknown deployment target {target!r}")
