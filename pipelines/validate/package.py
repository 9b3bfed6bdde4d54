"""The package under validation as pandas frames of its CSV text (read through ``package.reader``)."""

from __future__ import annotations

from typing import Any

from pipelines.common.errors import PipelineError
from pipelines.package.reader import Package


def read_frames(package: Package) -> dict[str, Any]:
    """Every resource's CSV as text columns; the schema's missing values (default "") become None.

    Reading text rather than letting pandas guess types keeps a wrong value visible as itself,
    so a type expectation can name it, and keeps codes such as ``04`` intact.
    """
    import pandas as pd

    frames = {}
    for name, schema in package.schemas.items():
        path = package.resource_path(name)
        if not path.exists():
            raise PipelineError(f"{path}: data of resource {name!r} is missing")
        missing = schema.get("missingValues", [""])
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=missing, encoding="utf-8")
        frames[name] = frame.astype(object).where(frame.notna(), None)
    return frames
