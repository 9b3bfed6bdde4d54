"""Writing packages: one report's (for ``extract``) and the merged root package (``package``).

This layer knows rows and metadata, not how rows were extracted.
"""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, TypeVar

from pipelines.common.atomic import Publication
from pipelines.common.errors import PipelineError, os_failure
from pipelines.common.jsonio import json_bytes
from pipelines.package.csvio import csv_rows, format_value, read_csv_rows, write_csv, write_text_csv
from pipelines.package.derived import BUILDERS, EVERY_PACKAGE, WARNINGS, Builder, TextRows, flagged_warnings
from pipelines.package.descriptor import package_descriptor
from pipelines.package.metadata import Metadata, ResourceMeta, load_metadata
from pipelines.package.reader import DESCRIPTOR, read_package
from pipelines.package.rows import Key


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
    ``publish`` commits the set with the descriptor last. Leaving the block unpublished (an
    error) discards the staged files (and the folder, if it made it); an I/O fault is one error
    naming the path."""

    def __init__(self, out: Path, metadata: Metadata | None = None) -> None:
        self.out = out
        self.metadata = metadata or load_metadata()

    def __enter__(self) -> PackageWriter:
        self.new, self.published = not self.out.exists(), False
        try:
            self.publication = Publication(self.out)
        except OSError as exc:
            raise os_failure(exc, "write the package") from None
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, _trace: object) -> None:
        if not self.published:
            self.publication.discard()
            if self.new:  # nothing is left of a package that was never published
                shutil.rmtree(self.out, ignore_errors=True)
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

    def has(self, name: str) -> bool:
        """The resource's file is written already."""
        return _data(name) in self.publication.written

    @contextmanager
    def streams(self) -> Iterator[RowStreams]:
        """Rows of any resources written as they are handed over (``RowSink``); each streamed
        resource's file is complete when the block ends."""
        streams = RowStreams(self)
        try:
            yield streams
        finally:
            streams.close()

    def amend(self, name: str, key: Key, changes: Mapping[Key, Mapping[str, object]]) -> None:
        """Rewrite a written resource with the fields of the rows ``changes`` names set anew
        (see ``RowSink.amend``); the file is streamed through, never held."""
        staged = self.publication.path(_data(name))
        before = staged.with_name(f"{staged.name}.before")
        os.replace(staged, before)
        fields = self.metadata.resources[name].field_names
        at = [fields.index(field) for field in key]

        def amended() -> Iterator[list[str]]:
            with before.open(encoding="utf-8", newline="") as handle:
                rows = csv.reader(handle)
                next(rows)
                for row in rows:
                    for field, value in changes.get(tuple(row[i] for i in at), {}).items():
                        row[fields.index(field)] = format_value(value)
                    yield row

        self.write_text(name, amended())
        before.unlink()

    def _derive(self, builders: dict[str, Builder]) -> None:
        """Add the resources ``builders`` compute from the others (see ``derived``)."""
        metadata = self.metadata
        tables: dict[str, Iterable[Mapping[str, object]]] = {
            r.name: self.rows(r.name) for r in metadata.ordered() if self.has(r.name)
        }
        for name, build in builders.items():
            if name not in metadata.resources:  # a package without this resource (and those built from it)
                continue
            rows = build(tables)
            self.write(name, rows)
            tables[name] = rows  # the builders after it read these rows as built, not their CSV again
        if WARNINGS in tables and "crosswalk" in tables:
            self.write(WARNINGS, flagged_warnings(tables))  # a list: read whole before it is rewritten

    def publish(
        self, sources: list[dict[str, Any]], created: str, builders: dict[str, Builder], parquet: bool = False
    ) -> None:
        """Derive (``builders``), describe and commit: readers see the whole new package or the old one."""
        self._derive(builders)
        written = self.publication.written
        resources = {r.name: written[_data(r.name)] for r in self.metadata.ordered() if self.has(r.name)}
        descriptor = package_descriptor(self.metadata, resources, sources, created)
        if parquet:
            from pipelines.package.parquet import parquet_package

            csvs = {name: self.publication.path(_data(name)).read_bytes() for name in resources}
            for relative, data in parquet_package(descriptor, csvs).items():
                self.publication.write(relative, data)
        self.publication.write(DESCRIPTOR, json_bytes(descriptor))
        self.publication.commit(last=DESCRIPTOR)
        self.published = True


class RowStreams:
    """The ``RowSink`` of a package being written: each resource's rows go into its staged CSV
    as they come (checked against its schema), the files opened as their first row arrives."""

    def __init__(self, package: PackageWriter) -> None:
        self.package = package
        self.open: dict[str, tuple[ExitStack, Callable[[Mapping[str, object]], None]]] = {}

    def add(self, resource: str, row: Mapping[str, object]) -> None:
        stream = self.open.get(resource)
        if stream is None:
            stream = self.open[resource] = self._start(resource)
        stream[1](row)

    def _start(self, resource: str) -> tuple[ExitStack, Callable[[Mapping[str, object]], None]]:
        if self.package.has(resource):
            raise PipelineError(f"{resource}: a row arrived after the resource's file was complete")
        stack = ExitStack()
        handle = stack.enter_context(self.package.publication.open(_data(resource)))
        return stack, stack.enter_context(csv_rows(self.package.metadata.resources[resource], handle))

    def amend(self, resource: str, key: Key, changes: Mapping[Key, Mapping[str, object]]) -> None:
        self.close(resource)
        if changes:
            self.package.amend(resource, key, changes)

    def close(self, resource: str | None = None) -> None:
        """Complete one resource's file (or all)."""
        for name in [resource] if resource else list(self.open):
            stack, _ = self.open.pop(name, (ExitStack(), None))
            stack.close()


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
    """``out/datapackage.json`` and ``out/data/*.csv`` for one report, all or nothing (see
    ``finish_report_package``)."""
    with PackageWriter(out, metadata) as package:
        finish_report_package(package, tables, source, issued)


def finish_report_package(
    package: PackageWriter, tables: dict[str, list[Mapping[str, object]]], source: dict[str, Any], issued: str
) -> None:
    """Write the resources not streamed into ``package`` already and publish it.

    The package holds what was extracted from the report and the catalogue its indicators refer
    to (``derived.EVERY_PACKAGE``); the resources derived across reports
    (``derived.ACROSS_REPORTS``) are left to ``merge_packages``, which builds them once for the
    whole package. ``tables`` maps resource name to typed rows (each checked against its schema),
    ``source`` is the report's ``sources`` entry, ``issued`` its ISO date (the stamp when no date
    was added). The rows are taken: each resource leaves ``tables``, and each row its list as it
    is written.
    """
    for resource in package.metadata.ordered():
        if resource.name in BUILDERS:
            continue
        rows = tables.pop(resource.name, [])
        if package.has(resource.name):
            if rows:
                raise PipelineError(f"{resource.name}: rows given after the resource was streamed")
            continue
        package.write(resource.name, _taken(rows))
    package.publish([source], created_stamp([source], issued), EVERY_PACKAGE)


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

    sources = [descriptor["sources"][0] for _, _, descriptor in loaded]
    issued = max((d["created"][:10] for _, _, d in loaded), default="1970-01-01")
    with PackageWriter(out, metadata) as package:
        for resource in metadata.ordered():
            if resource.name not in BUILDERS:
                package.write_text(resource.name, _merged_rows(resource, [d for _, d, _ in loaded]))
        package.publish(sources, created_stamp(sources, issued), BUILDERS, parquet=True)


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
