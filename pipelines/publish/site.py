"""Assemble the Datasette site folder (configuration-directory mode).

``datasette serve build/site`` then finds everything by convention: the database, metadata.json,
settings.json, inspect-data.json (which makes Datasette open the database immutable), templates/,
plugins/ and static/ (downloads and the validation Data Docs).

The folder is built complete beside the published one and swapped in, so a killed build leaves
the previous site servable. With a validation folder, only the database and package that the
passing validation checked are used, and ``validated.json`` records the database's checksum.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from pipelines.common.atomic import fresh_directory, sha256_file, swap_directory
from pipelines.common.errors import PipelineError, os_failure
from pipelines.common.jsonio import json_bytes
from pipelines.package.metadata import Metadata
from pipelines.package.parquet import read_parquet_copy
from pipelines.package.reader import DESCRIPTOR, read_package
from pipelines.publish.datasette_metadata import build_metadata
from pipelines.publish.document_view import write_document_view
from pipelines.publish.downloads import (
    download_paths,
    published_sources,
    source_parts,
    write_package_zip,
    write_parquet_downloads,
    write_table_downloads,
)
from pipelines.publish.gate import passing_summary, require_validated, validated_parquet, write_record
from pipelines.publish.pages import copy_page_images
from pipelines.publish.siteconfig import SiteConfig

HERE = Path(__file__).resolve().parent
# Plugin modules copied into the site's plugins/ folder, under the names Datasette loads them by.
PLUGINS = {
    "plugin.py": "chitieu_site.py",
    "cache_plugin.py": "chitieu_cache.py",
    "dvc_cache_plugin.py": "chitieu_dvc.py",
    "facet_plugin.py": "chitieu_facets.py",
    "guard_plugin.py": "chitieu_guard.py",
    "links_plugin.py": "chitieu_links.py",
    "search_plugin.py": "chitieu_search.py",
}
# Under static/: the raw reports, one folder per report, read by /source/<report_id>.
SOURCES = "sources"
# Beside a report published as several files: one folder per file, for its page images or model.
PARTS = "parts"
# 0/1 columns of the views (site.yaml) shown as yes/no, besides the resources' boolean fields.
VIEW_BOOLEANS = ("achieved", "flagged", "headline")
# Under static/: the validation summary and results shown at /validation.
VALIDATION = "validation"
# Under static/: scripts and styles under names carrying their content hash, served gzipped and
# cached for a year by plugins/chitieu_links.py (a changed file gets a new name).
ASSETS = "assets"
NOT_HASHED = (".txt",)
# Enums whose codes the pages show by name (the indicator page's qualifiers and directions).
NAMED_CODES = ("qualifier", "direction")


def write_json(path: Path, document: Any) -> None:
    path.write_bytes(json_bytes(document))


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
        "row_keys": row_keys(descriptor, site),
        "report_problem": site.report_problem,
        "boolean_columns": sorted(
            {
                f["name"]
                for r in descriptor.get("resources", [])
                for f in r["schema"]["fields"]
                if f.get("type") == "boolean"
            }
            | set(VIEW_BOOLEANS)
        ),
        "unit_names": unit_names(),
        "code_names": code_names(*NAMED_CODES),
        "search_synonyms": search_synonyms(),
        "citation": f"{package.title} ({package.name}), version {version}.",
    }


def unit_names() -> dict[str, str]:
    """Unit code -> the name a reader knows (``tỷ đồng / billion VND``), from reference/units.csv."""
    from pipelines.common.reference import reference_rows

    return {row["unit"]: f"{row['label_vi']} / {row['label_en']}" for row in reference_rows("units.csv")}


def code_names(*enums: str) -> dict[str, dict[str, str]]:
    """Per named enum, code -> the name a reader knows (``Trên / Above``), from metadata/enums.yaml."""
    from pipelines.common.enums import load_enums

    known = load_enums()
    return {name: {c.code: f"{c.title_vi} / {c.title}" for c in known[name].codes} for name in enums}


def search_synonyms() -> dict[str, list[str]]:
    """English (or other) words of a query -> the Vietnamese words the reports use for them."""
    from pipelines.common.reference import reference_rows
    from pipelines.common.text import fold_diacritics

    synonyms: dict[str, list[str]] = {}
    for row in reference_rows("search_synonyms.csv"):
        synonyms.setdefault(fold_diacritics(row["term"]), []).append(row["expansion"])
    return synonyms


def row_keys(descriptor: dict[str, Any], site: SiteConfig) -> dict[str, int]:
    """How many parts each table's row address has: its primary key's size (views: one rowid)."""
    keys = {}
    for resource in descriptor.get("resources", []):
        primary = resource["schema"].get("primaryKey") or []
        keys[resource["name"]] = len(primary) if isinstance(primary, list) and primary else 1
    for view in site.views_for(set(keys)):
        keys[view.name] = 1
    return keys


def copy_sources(
    descriptor_path: Path,
    descriptor: dict[str, Any],
    target: Path,
    pages: Path | None = None,
    scans: Path | None = None,
) -> None:
    """The raw report of every source into ``target/<report_id>/``, for the site's source view,
    the page images of a scanned one under ``pages/`` beside it (``pipelines.publish.pages``), and
    the document model of any other non-text one (``pipelines.publish.document_view``)."""
    tmp = target.with_name(f".{target.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    for source in published_sources(descriptor_path, descriptor):
        report = tmp / source["report_id"]
        parts = source_parts(source)
        for part in parts:
            path = descriptor_path.parent / part
            # A report in several files gets a view folder per file, as its source_refs name them.
            view = report if len(parts) == 1 else report / PARTS / path.name
            view.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, report / path.name)
            copy_page_images(pages, scans, path, view / "pages")
            write_document_view(path, view)
    tmp.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(target, ignore_errors=True)
    os.replace(tmp, target)


def write_assets(source: Path, target: Path) -> dict[str, str]:
    """Copy ``source``'s files as ``<stem>.<hash>.<suffix>`` plus a gzipped twin; returns their URLs.

    Keys are the paths relative to ``source`` (``vendor/d3.min.js``); licence texts keep their names.
    """
    import gzip
    import hashlib

    tmp = target.with_name(f".{target.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    urls = {}
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = path.relative_to(source).as_posix()
        body = path.read_bytes()
        name = path.name
        if path.suffix not in NOT_HASHED:
            name = f"{path.stem}.{hashlib.sha256(body).hexdigest()[:12]}{path.suffix}"
            (tmp / f"{name}.gz").write_bytes(gzip.compress(body, compresslevel=9, mtime=0))
        (tmp / name).write_bytes(body)
        urls[relative] = f"/static/{ASSETS}/{name}"
    shutil.rmtree(target, ignore_errors=True)
    os.replace(tmp, target)
    return urls


def build_site(
    package: Path,
    db_path: Path,
    out: Path,
    metadata: Metadata,
    site: SiteConfig,
    validation: Path | None,
    scanned: tuple[Path | None, Path | None] = (None, None),
) -> dict[str, Any]:
    """Write the site folder; returns the generated metadata.json document.

    ``scanned`` is (page images, scan readings): the outputs of ``page-images`` and ``read-scans``.
    """
    descriptor_path = package / DESCRIPTOR if package.is_dir() else package
    descriptor = read_package(descriptor_path).descriptor
    summary = passing_summary(validation) if validation else None
    if not db_path.exists():
        raise PipelineError(f"{db_path}: no database; run `python -m pipelines build-db` first")
    if summary is not None:
        require_validated(descriptor_path, "package", summary)
        checksum = require_validated(db_path, "database", summary)
    try:
        new = fresh_directory(out)
    except OSError as exc:
        raise os_failure(exc, "build the site") from None
    try:
        site_db = new / f"{site.database}.db"
        shutil.copyfile(db_path, site_db)
        document = _assemble(
            new, site_db, descriptor_path, descriptor, metadata, site, validation, summary, scanned
        )
        if summary is not None:
            if sha256_file(site_db) != checksum:
                raise PipelineError(f"{db_path}: changed while the site was being built; run again")
            write_record(new, site_db, checksum)
        swap_directory(new, out)
    except OSError as exc:
        shutil.rmtree(new, ignore_errors=True)
        raise os_failure(exc, "build the site") from None
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    return document


def _assemble(
    out: Path,
    site_db: Path,
    descriptor_path: Path,
    descriptor: dict[str, Any],
    metadata: Metadata,
    site: SiteConfig,
    validation: Path | None,
    summary: dict[str, Any] | None,
    scanned: tuple[Path | None, Path | None],
) -> dict[str, Any]:
    """Everything but the database, written into the fresh folder ``out``."""
    static = out / "static"
    downloads = static / "downloads"
    zip_name = (
        f"{descriptor.get('name', metadata.package.name)}-{descriptor.get('version', 'unversioned')}.zip"
    )
    write_package_zip(descriptor_path, descriptor, downloads / zip_name)
    names = [r["name"] for r in descriptor["resources"]] + [
        v.name for v in site.views_for({r["name"] for r in descriptor["resources"]})
    ]
    copy_sources(descriptor_path, descriptor, static / SOURCES, *scanned)
    assets = write_assets(HERE / ASSETS, static / ASSETS)
    tables = download_paths(names)
    parquet_files = (
        validated_parquet(descriptor_path.parent, summary)
        if summary is not None
        else read_parquet_copy(descriptor_path.parent)
    )
    parquet = write_parquet_downloads(parquet_files, downloads)
    for name, path in parquet.items():
        tables[name]["parquet"] = path

    info = _site_info(descriptor, metadata, site, zip_name, tables)
    info["assets"] = assets
    if parquet:
        info["parquet_package"] = "/static/downloads/parquet/datapackage.json"
    if summary is not None:
        # The site's own validation page (/validation) reads these; Great Expectations' Data Docs
        # stay with the maintainers, since they load their scripts and styles from CDNs.
        (static / VALIDATION).mkdir(parents=True)
        write_json(static / VALIDATION / "summary.json", {k: v for k, v in summary.items() if k != "package"})
        if validation and (validation / "results.json").is_file():
            shutil.copyfile(validation / "results.json", static / VALIDATION / "results.json")
        info["validation_page"] = "/validation"
        # The verdict and its counts; never the package's path on the machine that validated it.
        info["validation"] = {
            k: v for k, v in summary.items() if isinstance(v, str | int | float | bool) and k != "package"
        }
    document = build_metadata(site_db, descriptor, metadata, site, info)
    described = document["databases"][site.database]["tables"]
    write_table_downloads(
        site_db, names, downloads, {n: described.get(n, {}).get("columns", {}) for n in names}
    )
    write_json(out / "metadata.json", document)
    write_json(out / "settings.json", site.settings.model_dump())
    write_json(out / "inspect-data.json", inspect_database(site_db))
    shutil.copytree(HERE / "templates", out / "templates")
    (out / "plugins").mkdir()
    for source, name in PLUGINS.items():
        shutil.copyfile(HERE / source, out / "plugins" / name)
    return document
