"""Stable JSON: the same document always gives the same bytes (sorted by the writer, UTF-8 kept)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any


def json_text(document: Any, indent: int = 2, default: Callable[[Any], Any] | None = None) -> str:
    """Indented, non-ASCII kept as is, one trailing newline: readable diffs, stable bytes."""
    return json.dumps(document, ensure_ascii=False, indent=indent, default=default) + "\n"


def json_bytes(document: Any, indent: int = 2, default: Callable[[Any], Any] | None = None) -> bytes:
    return json_text(document, indent, default).encode("utf-8")
