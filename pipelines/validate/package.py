"""The package under validation as pandas frames of its CSV text (read through ``package.reader``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.common.errors import PipelineError
from pipelines.package.arrow_csv import read_arrow_csv
from pipelines.package.reader import Package


def read_frames(package: Package, leave_out: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Every resource's CSV but ``leave_out``'s as text columns; the schema's missing values
    (default "") become None.

    Reading text rather than letting pandas guess types keeps a wrong value visible as itself,
    so a type expectation can name it, and keeps codes such as ``04`` intact.
    """
    frames = {}
    for name, schema in package.schemas.items():
        if name in leave_out:
            continue
        path = package.resource_path(name)
        if not path.exists():
            raise PipelineError(f"{path}: data of resource {name!r} is missing")
        frame = _text_frame(path, [f["name"] for f in schema["fields"]], schema.get("missingValues", [""]))
        frames[name] = frame.astype(object).where(frame.notna(), None)
    return frames


def _text_frame(path: Path, names: list[str], missing: list[str]) -> Any:
    """The CSV's columns as text, missing values as nulls: read by Arrow (in C++, about half the
    CPU of pandas' own parser on the largest files), or by pandas when Arrow refuses the file or
    its header is not the schema's."""
    import pandas as pd
    import pyarrow as pa

    table = read_arrow_csv(path, dict.fromkeys(names, pa.string()), null_values=missing)
    if table is not None and table.column_names == names:  # else a column Arrow would type by guessing
        return table.to_pandas()
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=missing, encoding="utf-8")
