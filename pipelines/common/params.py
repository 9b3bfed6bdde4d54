"""``params.yaml``: the pipeline's tunables, with defaults so a missing key never breaks a run."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipelines.common.errors import PipelineError

DEFAULTS: dict[str, Any] = {
    "ratios": {"tolerance_pct": 0.0},
    "quality": {"estimate_plan_gap_pct": 50.0},
    "limits": {"max_input_bytes": 20_000_000, "max_table_rows": 50_000},
}


@dataclass(frozen=True)
class Limits:
    """What extraction accepts from one raw report (``limits`` in params.yaml)."""

    max_input_bytes: int = DEFAULTS["limits"]["max_input_bytes"]
    max_table_rows: int = DEFAULTS["limits"]["max_table_rows"]


DEFAULT_LIMITS = Limits()


def read_limits(path: Path) -> Limits:
    limits = read_params(path)["limits"]
    try:
        return Limits(int(limits["max_input_bytes"]), int(limits["max_table_rows"]))
    except (KeyError, TypeError, ValueError):
        raise PipelineError(
            f"{path}: limits.max_input_bytes and limits.max_table_rows must be integers"
        ) from None


def read_params(path: Path) -> dict[str, Any]:
    """Defaults overlaid with the file's sections (when the file exists)."""
    params = copy.deepcopy(DEFAULTS)
    if not path.exists():
        return params
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise PipelineError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(loaded, dict):
        raise PipelineError(f"{path}: expected a mapping of sections")
    for section, values in loaded.items():
        if isinstance(values, dict) and isinstance(params.get(section), dict):
            params[section].update(values)
        else:
            params[section] = values
    return params
