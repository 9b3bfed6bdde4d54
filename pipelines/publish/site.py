"""Assemble the Datasette site folder (configuration-directory mode).

``datasette serve build/site`` then finds everything by convention: the database, metadata.json,
settings.json, inspect-data.json (which makes Datasette open the database immutable), templates/,
plugins/ and static/ (downloads and the validation Data Docs).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from pipelines.common.atomic import write_file_atomically
from pipelines.common.errors import PipelineError
from pipelines.common.jsonio import json_bytes
from pipelines.package.metadata import Metadata
from pipelines.package.reader import read_package
from pipelines.publish.datasette_metadata import build_metadata
from pipelines.publish.downloads import write_package_zip, write_parquet_downloads, write_table_downloads
from pipelines.publish.siteconfig import SiteConfig

HERE = Path(__file__).resolve().parent
# Plugin modules copied into the site's plugins/ folder, under the names Datasette loads them by.
PLUGINS = {
    "plugin.py": "chitieu_site.py",
    "cache_plugin.py": "chitieu_cache.py",
    "dvc_cache_plugin.py": "chitieu_dvc.py",
}


def write_json(path: Path, document: Any) -> None:
    write_file_atomically(path, json_bytes(document))


def replace_tree(source: Path, target: Path) -> None:
    """Copy a folder over another one without leaving a half-copied tree behind."""
    tmp = target.with_name(f".{target.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(source, tmp)
    shutil.rmtree(target, ignore_errors=True)
    os.replace(tmp, target)


def validation_gate(validation: Path) -> dict[str, Any]:
    """The validation summary; publishing stops when it is missing or reports a failure."""
    summary_path = validation / "summary.json"
    if not summary_path.exists():
        raise PipelineError(
            f"{summary_path}: no validation summary; run `python -m pipelines validate` first"
        )
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    if summary.get("success") is False or summary.get("passed") is False:
        raise PipelineError(f"{summary_path}: validation failed; the site is not built from failing data")
    return summary


def inspect_database(db_path: Path) -> dict[str, Any]:
    """Datasette's inspect data, with the bare file name that configuration-directory mode matches."""
    import asyncio

    from datasette.cli import inspect_

    data = asyncio.run(inspect_([str(db_path)], []))
    for entry in data.values():
        entry["file"] = db_path.name
    return data


def _site_info(
    descriptor: dict[str, Any], metadata: Metadata, site: SiteConfig, zip_name: str, tables: dict[str, Any]
) -> dict[str, Any]:
    """The package facts the templates show, under ``chitieu`` in metadata.json.

    Datasette 0.65 deep-copies metadata.json on every permission check, i.e. several times per
    request, so nothing here may grow with the number of reports: per-report facts (the package's
    ``sources``) are read from the ``reports`` table instead.
    """
    package = metadata.package
    version = descriptor.get("version", package.version)
    return {
        "database": site.database,
        "name": descriptor.get("name", package.name),
        "title_vi": package.title_vi,
        "title_en": package.title,
        "description_vi": package.description_vi,
        "description_en": package.description,
        "version": version,
        "created": descriptor.get("created"),
        "licenses": descriptor.get("licenses", []),
        "package_zip": f"/static/downloads/{zip_name}",
        "downloads": {
            name: {k: f"/static/downloads/{v}" for k, v in files.items()} for name, files in tables.items()
        },
        "counted_tables": [r["name"] for r in descriptor.get("resources", [])],
        "citation": f"{package.title} ({package.name}), version {version}.",
    }


def build_site(
    package: Path,
    db_path: Path,
    out: Path,
    metadata: Metadata,
    site: SiteConfig,
    validation: Path | None,
) -> dict[str, Any]:
    """Write the site folder; returns the generated metadata.json document."""
    descriptor_path = package / "datapackage.json" if package.is_dir() else package
    descriptor = read_package(descriptor_path).descriptor
    summary = validation_gate(validation) if validation else None
    if not db_path.exists():
        raise PipelineError(f"{db_path}: no database; run `python -m pipelines build-db` first")
    out.mkdir(parents=True, exist_ok=True)
    site_db = out / f"{site.database}.db"
    if db_path.resolve() != site_db.resolve():
        tmp = site_db.with_name(f".{site_db.name}.tmp")
        shutil.copyfile(db_path, tmp)
        os.replace(tmp, site_db)

    static = out / "static"
    downloads = static / "downloads"
    shutil.rmtree(downloads, ignore_errors=True)
    zip_name = (
        f"{descriptor.get('name', metadata.package.name)}-{descriptor.get('version', 'unversioned')}.zip"
    )
    write_package_zip(descriptor_path, descriptor, downloads / zip_name)
    names = [r["name"] for r in descriptor["resources"]] + [
        v.name for v in site.views_for({r["name"] for r in descriptor["resources"]})
    ]
    tables = write_table_downloads(site_db, names, downloads)
    parquet = write_parquet_downloads(descriptor_path, downloads)
    for name, path in parquet.items():
        tables[name]["parquet"] = path

    info = _site_info(descriptor, metadata, site, zip_name, tables)
    if parquet:
        info["parquet_package"] = "/static/downloads/parquet/datapackage.json"
    docs = validation / "data-docs" if validation else None
    if docs and docs.is_dir():
        replace_tree(docs, static / "data-docs")
        info["data_docs"] = "/static/data-docs/index.html"
    if summary is not None:
        info["validation"] = {k: v for k, v in summary.items() if isinstance(v, str | int | float | bool)}
    document = build_metadata(site_db, descriptor, metadata, site, info)
    write_json(out / "metadata.json", document)
    write_json(out / "settings.json", site.settings.model_dump())
    write_json(out / "inspect-data.json", inspect_database(site_db))
    replace_tree(HERE / "templates", out / "templates")
    (out / "plugins").mkdir(exist_ok=True)
    for source, name in PLUGINS.items():
        shutil.copyfile(HERE / source, out / "plugins" / name)
    return document
