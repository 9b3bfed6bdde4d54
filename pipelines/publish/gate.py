"""The validation gate between a candidate and what is published or served.

``validate`` records the SHA-256 of the package descriptor and of the database it checked in its
summary (and of the Parquet copy it compared with the CSVs). Promotion and the site copy only
files whose checksums match a passing summary, and the
site keeps that record (``validated.json``) so ``serve`` can refuse a database that was replaced
after the last passing validation.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipelines.common.atomic import sha256_file
from pipelines.common.errors import PipelineError
from pipelines.common.jsonio import json_text
from pipelines.package.parquet import PARQUET_DIR, parquet_checksum, read_parquet_copy

RECORD = "validated.json"


def passing_summary(validation: Path) -> dict[str, Any]:
    """The validation summary; publishing stops when it is missing or reports a failure."""
    summary_path = validation / "summary.json" if validation.is_dir() else validation
    if not summary_path.exists():
        raise PipelineError(
            f"{summary_path}: no validation summary; run `python -m pipelines validate` first"
        )
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise PipelineError(f"{summary_path}: cannot read the validation summary: {exc}") from None
    if summary.get("passed") is not True:
        raise PipelineError(f"{summary_path}: validation failed; failing data is never published")
    return summary


def require_validated(path: Path, kind: str, summary: dict[str, Any]) -> str:
    """``path``'s checksum, which must be the one the passing validation recorded for ``kind``."""
    recorded = (summary.get("checksums") or {}).get(kind)
    if not recorded:
        raise PipelineError(f"{path}: the validation summary records no {kind} checksum; validate again")
    found = sha256_file(path)
    if found != recorded:
        raise PipelineError(
            f"{path}: not the {kind} that passed validation (sha256 {found[:12]}…, validated "
            f"{recorded[:12]}…); run `dvc repro`"
        )
    return found


def validated_parquet(root: Path, summary: dict[str, Any]) -> dict[str, bytes]:
    """The Parquet copy of the package at ``root`` (empty when it has none), which must be the one
    the passing validation compared with the CSVs."""
    files = read_parquet_copy(root)
    if files and (summary.get("checksums") or {}).get("parquet") != parquet_checksum(files):
        raise PipelineError(
            f"{root / PARQUET_DIR}: not the Parquet copy that passed validation; run `dvc repro`"
        )
    return files


def write_record(site: Path, database: Path, checksum: str) -> None:
    (site / RECORD).write_text(json_text({"database": database.name, "sha256": checksum}), encoding="utf-8")


def check_record(site: Path, database: Path) -> None:
    """Refuse to serve a database that differs from the one the last passing validation checked."""
    record_path = site / RECORD
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PipelineError(f"{record_path}: no record of a passing validation; run `dvc repro`") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise PipelineError(f"{record_path}: cannot read the validation record: {exc}") from None
    found = sha256_file(database)
    if record.get("database") != database.name or record.get("sha256") != found:
        raise PipelineError(
            f"{database}: refusing to serve: its checksum (sha256 {found[:12]}…) differs from the one "
            f"recorded by the last passing validation ({str(record.get('sha256'))[:12]}…); run `dvc repro`"
        )
