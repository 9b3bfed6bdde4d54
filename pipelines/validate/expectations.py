"""The shapes of a stored suite and of one expectation in it (GX Core 1.x's format, no ids)."""

from __future__ import annotations

from typing import Any, Literal

Suite = dict[str, Any]
Kind = Literal["integrity", "source_quality"]


def expectation(type_: str, kwargs: dict[str, Any], check_id: str, why: str) -> dict[str, Any]:
    """One expectation; ``meta.id`` (``resource.column.check``) and ``meta.why`` name it in reports."""
    return {"type": type_, "kwargs": kwargs, "meta": {"id": check_id, "why": why}}


def suite(name: str, kind: Kind, engine: str, target: str, key: list[str], expectations: list) -> Suite:
    """A suite: an ``integrity`` one blocks publishing, a ``source_quality`` one only reports."""
    return {
        "name": name,
        "meta": {
            "kind": kind,
            "blocking": kind == "integrity",
            "engine": engine,
            "target": target,
            "key": key,
        },
        "expectations": expectations,
    }
