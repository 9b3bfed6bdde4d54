"""``params.yaml``: the pipeline's tunables, with defaults so a missing key never breaks a run."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from pipelines.common.errors import PipelineError

DEFAULTS: dict[str, Any] = {
    "ratios": {"tolerance_pct": 0.0},
    "quality": {"estimate_plan_gap_pct": 50.0},
    "limits": {
        "max_input_bytes": 64 * 1024 * 1024,
        "max_unpacked_bytes": 256 * 1024 * 1024,
        "max_table_rows": 30_000,
        "max_table_columns": 200,
        "max_blocks": 100_000,
    },
}


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
