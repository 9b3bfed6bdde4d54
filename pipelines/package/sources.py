"""Sidecar files (``<report>.source.yaml``): the facts about a raw report its text cannot give."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from pipelines.common.enums import enum_codes
from pipelines.common.errors import PipelineError


class SourceSidecar(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    publisher: str
    published_at: str | None = None
    license_note: str
    converted_from: str | None = None
    date_added: str
    # A report published as several files (the body as PDF, the appendix as a spreadsheet): the
    # file names, beside the sidecar, in reading order.
    parts: list[str] | None = None
    # What the source is (enum source_kind). A numbered report prints its facts in its caption; a
    # source of another kind (a ministry's appendix, a database or web page) prints none of them,
    # so those it has are given here, and the others stay empty.
    kind: str = "report"
    issuer: str | None = None
    province: str | None = None
    document_number: str | None = None
    issued_date: dt.date | None = None

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, kind: str) -> str:
        codes = enum_codes("source_kind")
        if kind not in codes:
            raise ValueError(f"kind {kind!r} is not one of {', '.join(codes)}")
        return kind


SIDECAR_SUFFIXES = (".source.yaml", ".corrections.yaml")


def sidecar_path(report: Path) -> Path:
    return report.with_name(f"{report.stem}.source.yaml")


def is_sidecar(path: Path) -> bool:
    return path.name.endswith(SIDECAR_SUFFIXES)


def read_sidecar(report: Path) -> SourceSidecar | None:
    """The sidecar beside ``report``, or None when there is none."""
    path = sidecar_path(report)
    if not path.exists():
        return None
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
        return SourceSidecar(**(data or {}))
    except (yaml.YAMLError, ValidationError, TypeError) as exc:
        raise PipelineError(f"{path}: invalid source sidecar: {exc}") from None
