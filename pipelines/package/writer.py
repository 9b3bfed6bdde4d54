"""Writing packages: one report's (``extract``) and the merged root package (``package``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipelines.common.atomic import publish_files
from pipelines.common.errors import PipelineError
from pipelines.extract.report import ExtractedReport
from pipelines.package.csvio import read_csv_rows, rows_to_csv, text_rows_to_csv
from pipelines.package.descriptor import package_descriptor
from pipelines.package.metadata import Metadata, load_metadata
from pipelines.package.sources import read_sidecar

DESCRIPTOR = "datapackage.json"


def dump_json(data: Any) -> bytes:
    """Stable JSON bytes: the same package always gives the same file."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def source_entry(extracted: ExtractedReport) -> dict[str, Any]:
    """The package ``sources`` entry for one report, from its facts and its sidecar file."""
    sidecar = read_sidecar(extracted.document.path)
    report = extracted.tables["reports"][0]
    entry: dict[str, Any] = {
        "title": sidecar.title if sidecar else f"{extracted.facts.title} ({extracted.facts.document_number})",
        "report_id": extracted.report_id,
        "publisher": sidecar.publisher if sidecar else extracted.facts.issuer,
        "file": report["source_file"],
        "sha256": report["source_sha256"],
    }
    if sidecar:
        if sidecar.published_at:
            entry["path"] = sidecar.published_at
        entry["license_note"] = sidecar.license_note
        entry["date_added"] = sidecar.date_added
    return entry


def created_stamp(sources: list[dict[str, Any]], fallback: str) -> str:
    """Derived from the inputs (newest ``date_added``), so rebuilding the same data gives the same bytes."""
    dates = [s["date_added"] for s in sources if s.get("date_added")]
    return f"{max(dates) if dates else fallback}T00:00:00Z"


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
    files[DESCRIPTOR] = dump_json(descriptor)
    publish_files(out, files, last=DESCRIPTOR)


def write_report_package(extracted: ExtractedReport, out: Path, metadata: Metadata | None = None) -> None:
    """``out/datapackage.json`` and ``out/data/*.csv`` for one report, all or nothing."""
    metadata = metadata or load_metadata()
    csvs = {
        resource.name: rows_to_csv(resource, extracted.tables.get(resource.name, []))
        for resource in metadata.ordered()
    }
    source = source_entry(extracted)
    issued = extracted.facts.issued_date.isoformat()
    _publish(out, metadata, csvs, [source], created_stamp([source], issued))


def merge_packages(package_dirs: list[Path], out: Path, metadata: Metadata | None = None) -> None:
    """Concatenate per-report packages into one, ordered by report_id; refuse a report twice.

    The root package also gets its Parquet copy (``data/parquet/``), published in the same step.
    """
    metadata = metadata or load_metadata()
    loaded = []
    for directory in package_dirs:
        descriptor_path = directory / DESCRIPTOR
        try:
            descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise PipelineError(f"{descriptor_path}: cannot read the extracted package: {exc}") from None
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
    _publish(out, metadata, csvs, sources, created_stamp(sources, issued), parquet=True)
