"""Reading a raw report: bytes in, NFC lines out, with the file's checksum."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pipelines.common.errors import ExtractionError


@dataclass(frozen=True)
class Document:
    """A report's text as lines; ``lines[0]`` is line 1 of the raw file."""

    path: Path
    lines: tuple[str, ...]
    sha256: str

    def line(self, number: int) -> str:
        """The text of 1-based line ``number``."""
        return self.lines[number - 1]


def decode_report(path: Path, raw: bytes) -> Document:
    """Decode UTF-8 (a BOM is allowed), split on any line ending, normalise to NFC."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ExtractionError(
            path, line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ExtractionError(path, line, "binary content (NUL byte) in a text report")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    normalised = tuple(unicodedata.normalize("NFC", line) for line in lines)
    return Document(path=path, lines=normalised, sha256=hashlib.sha256(raw).hexdigest())


def read_report(path: Path, max_bytes: int | None = None) -> Document:
    """Read a report file; a missing, unreadable or oversized file is an ExtractionError.

    At most ``max_bytes`` + 1 bytes are read, so an oversized file never fills the memory.
    """
    try:
        with path.open("rb") as handle:
            raw = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    except OSError as exc:
        raise ExtractionError(path, None, f"cannot read the file: {exc.strerror}") from None
    if max_bytes is not None and len(raw) > max_bytes:
        raise ExtractionError(
            path, None, f"the file is larger than {max_bytes:,} bytes (limits.max_input_bytes in params.yaml)"
        )
    return decode_report(path, raw)
