"""Promotion: the validated candidate package becomes the committed one.

Only a candidate whose descriptor is the one a passing validation checked, and whose files match
the descriptor's hashes, is promoted. The files go through the commit manifest of
``pipelines.common.atomic`` (CSVs first, ``datapackage.json`` with their hashes last), so a run
killed half-way is rolled forward by the next one. The Parquet copy (``data/parquet/``) travels in
the same set, and only if it is the one validation compared with the CSVs.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipelines.common.atomic import publish_files
from pipelines.common.errors import PipelineError
from pipelines.package.reader import DESCRIPTOR, parse_descriptor
from pipelines.publish.gate import passing_summary, require_validated, validated_parquet


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PipelineError(f"{path}: cannot read the candidate file: {exc.strerror}") from None


def candidate_files(candidate: Path) -> dict[str, bytes]:
    """The candidate's descriptor and resource files, each checked against the descriptor's hash."""
    descriptor_bytes = _read(candidate / DESCRIPTOR)
    files: dict[str, bytes] = {}
    for resource in parse_descriptor(str(candidate / DESCRIPTOR), descriptor_bytes)["resources"]:
        relative = resource.get("path")
        if not isinstance(relative, str) or Path(relative).is_absolute() or ".." in Path(relative).parts:
            raise PipelineError(
                f"{candidate / DESCRIPTOR}: resource {resource.get('name')!r} has an unsafe path"
            )
        data = _read(candidate / relative)
        expected = str(resource.get("hash", "")).removeprefix("sha256:")
        if hashlib.sha256(data).hexdigest() != expected:
            raise PipelineError(f"{candidate / relative}: does not match the hash in {DESCRIPTOR}")
        files[relative] = data
    files[DESCRIPTOR] = descriptor_bytes
    return files


def promote(candidate: Path, validation: Path, out: Path) -> list[str]:
    """Publish ``candidate``'s package at ``out`` if validation passed it; returns the files written."""
    summary = passing_summary(validation)
    require_validated(candidate / DESCRIPTOR, "package", summary)
    files = candidate_files(candidate)
    files.update(validated_parquet(candidate, summary))
    publish_files(out, files, last=DESCRIPTOR)
    return sorted(files)
