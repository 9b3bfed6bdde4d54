"""Writing packages: one report's (for ``extract``) and the merged root package (``package``).

This layer knows rows and metadata, not how rows were extracted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pipelines.common.atomic import publish_files
from pipelines.common.errors import PipelineError
from pipelines.common.jsonio import json_bytes
from pipelines.package.csvio import read_csv_rows, rows_to_csv, text_rows_to_csv
from pipelines.package.derived import BUILDERS, EVERY_PACKAGE, WARNINGS, Builder, TextRows, flagged_warnings
from pipelines.package.descriptor import package_descriptor
from pipelines.package.metadata import Metadata, load_metadata
from pipelines.package.reader import DESCRIPTOR, read_package


def created_stamp(sources: list[dict[str, Any]], fallback: str) -> str:
    """Derived from the inputs (newest ``date_added``), so rebuilding the same data gives the same bytes."""
    dates = [s["date_added"] for s in sources if s.get("date_added")]
    return f"{max(dates) if dates else fallback}T00:00:00Z"


def _with_derived(
    metadata: Metadata, csvs: dict[str, bytes], builders: dict[str, Builder]
) -> dict[str, bytes]:
    """Add the resources ``builders`` compute from the others (see ``derived``), in metadata order."""
    tables: dict[str, Iterable[Mapping[str, object]]] = {name: TextRows(data) for name, data in csvs.items()}
    out = dict(csvs)
    for name, build in builders.items():
        if name not in metadata.resources:  # a package without this resource (and those built from it)
            continue
        rows = build(tables)
        out[name] = rows_to_csv(metadata.resources[name], rows)
        tables[name] = rows  # the builders after it read these rows as built, not their CSV again
    if WARNINGS in out and "crosswalk" in tables:
        out[WARNINGS] = rows_to_csv(metadata.resources[WARNINGS], flagged_warnings(tables))
    return {r.name: out[r.name] for r in metadata.ordered() if r.name in out}


def _publish(
    out: Path,
    metadata: Metadata,
    csvs: dict[str, bytes],
    sources: list[dict[str, Any]],
    created: str,
    parquet: bool = False,
) -> None:
    files = {f"data/{name}.csv": data for name, data in csvs.items()}
    descriptor = package_descriptor(metadata, csvs, sources, created)
    if parquet:
        from pipelines.package.parquet import parquet_package

        files.update(parquet_package(descriptor, csvs))
    files[DESCRIPTOR] = json_bytes(descriptor)
    publish_files(out, files, last=DESCRIPTOR)


Item = TypeVar("Item")


def _taken(rows: list[Item]) -> Iterator[Item]:
    """Each row in order, leaving the list as it is handed out: the rows already written are freed."""
    rows.reverse()
    while rows:
        yield rows.pop()


def write_report_package(
    tables: dict[str, list[Mapping[str, object]]],
    source: dict[str, Any],
    issued: str,
    out: Path,
    metadata: Metadata | None = None,
) -> None:
    """``out/datapackage.json`` and ``out/data/*.csv`` for one report, all or nothing.

    The package holds what was extracted from the report and the catalogue its indicators refer
    to (``derived.EVERY_PACKAGE``); the resources derived across reports
    (``derived.ACROSS_REPORTS``) are left to ``merge_packages``, which builds them once for the
    whole package. ``tables`` maps resource name to typed rows (each checked against its schema),
    ``source`` is the report's ``sources`` entry, ``issued`` its ISO date (the stamp when no date
    was added).
    The rows are taken: each resource leaves ``tables``, and each row its list as it is written,
    so a large report is never held both as rows and as text.
    """
    metadata = metadata or load_metadata()
    csvs = {
        resource.name: rows_to_csv(resource, _taken(tables.pop(resource.name, [])))
        for resource in metadata.ordered()
        if resource.name not in BUILDERS
    }
    csvs = _with_derived(metadata, csvs, EVERY_PACKAGE)
    _publish(out, metadata, csvs, [source], created_stamp([source], issued))


def merge_packages(package_dirs: list[Path], out: Path, metadata: Metadata | None = None) -> None:
    """Concatenate per-report packages into one, ordered by report_id; refuse a report twice.

    The resources derived across reports (``derived.ACROSS_REPORTS``) are built here, once, from the
    merged rows; the root package also gets its Parquet copy (``data/parquet/``), published in the
    same step.
    """
    metadata = metadata or load_metadata()
    loaded = []
    for directory in package_dirs:
        descriptor = read_package(directory).descriptor
        loaded.append((descriptor["sources"][0]["report_id"], directory, descriptor))
    loaded.sort(key=lambda item: item[0])
    seen: dict[str, Path] = {}
    for report_id, directory, _ in loaded:
        if report_id in seen:
            raise PipelineError(
                f"{directory}: report {report_id} was already extracted from {seen[report_id]}"
            )
        seen[report_id] = directory

    csvs: dict[str, bytes] = {}
    for resource in metadata.ordered():
        if resource.name in BUILDERS:
            continue
        rows: list[list[str]] = []
        for _, directory, _ in loaded:
            path = directory / "data" / f"{resource.name}.csv"
            header, body = read_csv_rows(path.read_bytes())
            if header != resource.field_names:
                raise PipelineError(
                    f"{path}: columns differ from metadata/resources/{resource.name}.yaml; re-extract"
                )
            short = next((n for n, r in enumerate(body, start=2) if len(r) != len(header)), None)
            if short is not None:
                raise PipelineError(f"{path}:{short}: the row does not have {len(header)} cells; re-extract")
            rows.extend(body)
        csvs[resource.name] = text_rows_to_csv(resource.field_names, rows)
    sources = [descriptor["sources"][0] for _, _, descriptor in loaded]
    issued = max((d["created"][:10] for _, _, d in loaded), default="1970-01-01")
    _publish(
        out,
        metadata,
        _with_derived(metadata, csvs, BUILDERS),
        sources,
        created_stamp(sources, issued),
        parquet=True,
    )
