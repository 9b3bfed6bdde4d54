"""Writing packages: one report's (for ``extract``) and the merged root package (``package``).

This layer knows rows and metadata, not how rows were extracted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pipelines.common.atomic import Publication
from pipelines.common.errors import PipelineError, os_failure
from pipelines.common.jsonio import json_bytes
from pipelines.package.csvio import read_csv_rows, write_csv, write_text_csv
from pipelines.package.derived import BUILDERS, WARNINGS, TextRows, flagged_warnings
from pipelines.package.descriptor import package_descriptor
from pipelines.package.metadata import Metadata, ResourceMeta, load_metadata
from pipelines.package.reader import DESCRIPTOR, read_package


def created_stamp(sources: list[dict[str, Any]], fallback: str) -> str:
    """Derived from the inputs (newest ``date_added``), so rebuilding the same data gives the same bytes."""
    dates = [s["date_added"] for s in sources if s.get("date_added")]
    return f"{max(dates) if dates else fallback}T00:00:00Z"


def _data(name: str) -> str:
    return f"data/{name}.csv"


class PackageWriter:
    """One package being written under ``out``, all or nothing: each resource's CSV is streamed
    into the staging folder (its hash and size counted as it is written, so a large table is
    never held as text), the derived resources are built from the staged files, and
    ``publish`` commits the set with the descriptor last. Leaving the block with an error
    discards the staged files; an I/O fault is one error naming the path."""

    def __init__(self, out: Path, metadata: Metadata | None = None) -> None:
        self.out = out
        self.metadata = metadata or load_metadata()

    def __enter__(self) -> PackageWriter:
        try:
            self.publication = Publication(self.out)
        except OSError as exc:
            raise os_failure(exc, "write the package") from None
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, _trace: object) -> None:
        if exc is not None:
            self.publication.discard()
        if isinstance(exc, OSError):
            raise os_failure(exc, "write the package") from None

    def write(self, name: str, rows: Iterable[Mapping[str, object]]) -> None:
        """The resource's typed rows, each checked against its schema as it is written."""
        with self.publication.open(_data(name)) as handle:
            write_csv(self.metadata.resources[name], rows, handle)

    def write_text(self, name: str, rows: Iterable[list[str]]) -> None:
        """Rows of a published CSV of the resource, as text (checked when first written)."""
        with self.publication.open(_data(name)) as handle:
            write_text_csv(self.metadata.resources[name].field_names, rows, handle)

    def rows(self, name: str) -> TextRows:
        """A resource written already, read back as text rows."""
        return TextRows(self.publication.path(_data(name)))

    def _derive(self) -> None:
        """Add the resources computed from the others (see ``derived``)."""
        metadata = self.metadata
        tables = {r.name: self.rows(r.name) for r in metadata.ordered() if r.name not in BUILDERS}
        for name, build in BUILDERS.items():
            if name not in metadata.resources:  # a package without this resource (and those built from it)
                continue
            self.write(name, build(tables))
            tables[name] = self.rows(name)
        if WARNINGS in tables and "crosswalk" in tables:
            self.write(WARNINGS, flagged_warnings(tables))  # a list: read whole before it is rewritten

    def publish(self, sources: list[dict[str, Any]], created: str, parquet: bool = False) -> None:
        """Derive, describe and commit: readers see the whole new package or the old one."""
        self._derive()
        written = self.publication.written
        resources = {r.name: written[_data(r.name)] for r in self.metadata.ordered()}
        descriptor = package_descriptor(self.metadata, resources, sources, created)
        if parquet:
            from pipelines.package.parquet import parquet_package

            csvs = {name: self.publication.path(_data(name)).read_bytes() for name in resources}
            for relative, data in parquet_package(descriptor, csvs).items():
                self.publication.write(relative, data)
        self.publication.write(DESCRIPTOR, json_bytes(descriptor))
        self.publication.commit(last=DESCRIPTOR)


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

    ``tables`` maps resource name to typed rows (each checked against its schema), ``source`` is
    the report's ``sources`` entry, ``issued`` its ISO date (the stamp when no date was added).
    The rows are taken: each resource leaves ``tables``, and each row its list as it is written.
    """
    with PackageWriter(out, metadata) as package:
        for resource in package.metadata.ordered():
            if resource.name not in BUILDERS:
                package.write(resource.name, _taken(tables.pop(resource.name, [])))
        package.publish([source], created_stamp([source], issued))


def merge_packages(package_dirs: list[Path], out: Path, metadata: Metadata | None = None) -> None:
    """Concatenate per-report packages into one, ordered by report_id; refuse a report twice.

    The root package also gets its Parquet copy (``data/parquet/``), published in the same step.
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

    sources = [descriptor["sources"][0] for _, _, descriptor in loaded]
    issued = max((d["created"][:10] for _, _, d in loaded), default="1970-01-01")
    with PackageWriter(out, metadata) as package:
        for resource in metadata.ordered():
            if resource.name not in BUILDERS:
                package.write_text(resource.name, _merged_rows(resource, [d for _, d, _ in loaded]))
        package.publish(sources, created_stamp(sources, issued), parquet=True)


def _merged_rows(resource: ResourceMeta, package_dirs: list[Path]) -> Iterator[list[str]]:
    """The resource's text rows of each package in turn, each file checked against the metadata."""
    for directory in package_dirs:
        path = directory / "data" / f"{resource.name}.csv"
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise os_failure(exc, "read the extracted package") from None
        header, body = read_csv_rows(data)
        if header != resource.field_names:
            raise PipelineError(
                f"{path}: columns differ from metadata/resources/{resource.name}.yaml; re-extract"
            )
        short = next((n for n, r in enumerate(body, start=2) if len(r) != len(header)), None)
        if short is not None:
            raise PipelineError(f"{path}:{short}: the row does not have {len(header)} cells; re-extract")
        yield from body
