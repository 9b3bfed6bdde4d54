"""One entry point: a report file, in any supported format, read into the document model."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from pipelines.common.errors import ExtractionError
from pipelines.document.detect import detect_format
from pipelines.document.join import join_split_tables
from pipelines.document.model import Block, Document

# A provincial report with its appendix is a few MB even as a scan; far larger is a mistake.
MAX_BYTES = 64 * 1024 * 1024

Reader = Callable[[Path, bytes], tuple[Block, ...]]


def _text(path: Path, raw: bytes) -> tuple[Block, ...]:
    from pipelines.document.text import decode_text, text_blocks

    return text_blocks(path, decode_text(path, raw))


def _readers() -> dict[str, Reader]:
    """Format -> reader; readers import their libraries only when their format is met."""
    return {"text": _text}


def read_document(path: Path, max_bytes: int = MAX_BYTES) -> Document:
    """Read ``path`` whatever its format; an ExtractionError (``file: problem``) on bad input."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ExtractionError(
                path, None, f"the file is {size:,} bytes, over the {max_bytes:,}-byte limit for a report"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise ExtractionError(path, None, f"cannot read the file: {exc.strerror}") from None
    return parse_document(path, raw)


def parse_document(path: Path, raw: bytes) -> Document:
    """The document model of ``raw`` (the bytes of ``path``), format recognised from the content."""
    source_format = detect_format(str(path), raw)
    reader = _readers().get(source_format)
    if reader is None:
        raise ExtractionError(path, None, f"{source_format} files cannot be read yet")
    blocks = join_split_tables(reader(path, raw))
    return Document(path, source_format, hashlib.sha256(raw).hexdigest(), blocks)
