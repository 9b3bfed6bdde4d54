"""How large a report may be, checked while it is read (``limits`` in params.yaml).

A provincial report is a few MB with tables of a few hundred rows; a file far beyond that is a
mistake or an attack, and reading it whole would take the machine's memory before anything could
be said about it. Each bound is checked as the reader reaches it (the file's size before reading,
an archive's unpacked size before unpacking, a table's rows and columns as they are read, blocks
as they are made), and exceeding one is one line naming the file, the limit and the param to raise.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from pipelines.common.errors import ExtractionError, PipelineError
from pipelines.common.params import DEFAULTS


@dataclass(frozen=True)
class ReadLimits:
    """The bounds of one report file; the defaults are params.yaml's (``common.params.DEFAULTS``)."""

    max_input_bytes: int = DEFAULTS["limits"]["max_input_bytes"]
    max_unpacked_bytes: int = DEFAULTS["limits"]["max_unpacked_bytes"]
    max_table_rows: int = DEFAULTS["limits"]["max_table_rows"]
    max_table_columns: int = DEFAULTS["limits"]["max_table_columns"]
    max_blocks: int = DEFAULTS["limits"]["max_blocks"]

    @classmethod
    def from_params(cls, params: dict[str, Any], source: Path | str = "params.yaml") -> ReadLimits:
        """The ``limits`` section of ``params`` (as ``read_params`` returns it from ``source``)."""
        section = params["limits"]
        values = {}
        for field in fields(cls):
            value = section.get(field.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise PipelineError(
                    f"{source}: limits.{field.name} must be a positive whole number, not {value!r}"
                )
            values[field.name] = value
        return cls(**values)

    def _refuse(self, path: Path, line: int | None, what: str, param: str, unit: str) -> ExtractionError:
        limit = getattr(self, param)
        return ExtractionError(
            path,
            line,
            f"{what}: over limits.{param} = {limit:,} {unit} in params.yaml; raise it to read this file",
        )

    def check_size(self, path: Path, size: int) -> None:
        if size > self.max_input_bytes:
            raise self._refuse(path, None, f"the file is {size:,} bytes", "max_input_bytes", "bytes")

    def check_archive(self, path: Path, raw: bytes) -> None:
        """A zipped format (Word, Excel) unpacks to at most ``max_unpacked_bytes``, read from the
        archive's directory before anything is inflated (a small file can unpack to gigabytes)."""
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile:
            return  # the format's reader names the damage
        if unpacked > self.max_unpacked_bytes:
            raise self._refuse(
                path, None, f"the file unpacks to {unpacked:,} bytes", "max_unpacked_bytes", "bytes"
            )

    def check_rows(self, path: Path, rows: int, where: str, line: int | None = None) -> None:
        """``rows``: how many rows of one table (``where``) have been read so far."""
        if rows > self.max_table_rows:
            raise self._refuse(path, line, f"{where} is too long", "max_table_rows", "rows")

    def check_columns(self, path: Path, columns: int, where: str, line: int | None = None) -> None:
        if columns > self.max_table_columns:
            raise self._refuse(path, line, f"{where} is too wide", "max_table_columns", "columns")

    def check_blocks(self, path: Path, blocks: int, line: int | None = None) -> None:
        """``blocks``: paragraphs, headings, footnotes and tables made so far."""
        if blocks > self.max_blocks:
            raise self._refuse(path, line, "the report is too long", "max_blocks", "paragraphs and tables")


DEFAULT_LIMITS = ReadLimits()
