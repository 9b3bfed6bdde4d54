"""Static downloads beside the site: the whole package as a zip and spreadsheet-friendly tables.

Datasette's own CSV is UTF-8 without a byte-order mark, which Excel opens as mojibake for
Vietnamese text; the ``excel`` CSVs carry the BOM, and the XLSX files keep numbers as numbers
(written by ``pipelines.publish.xlsx``, which is fast on large tables and byte-reproducible).
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

from pipelines.common.errors import PipelineError
from pipelines.publish.xlsx import ZIP_TIMESTAMP, write_sheet


def _write_atomic(path: Path, write: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def package_files(descriptor_path: Path, descriptor: dict[str, Any]) -> list[str]:
    """datapackage.json and every resource file, as paths relative to the descriptor."""
    base = descriptor_path.parent
    paths = ["datapackage.json"]
    for resource in descriptor.get("resources", []):
        resource_paths = resource["path"] if isinstance(resource["path"], list) else [resource["path"]]
        for relative in resource_paths:
            if not (base / relative).is_file():
                raise PipelineError(f"{descriptor_path}: resource file {relative} is missing")
            paths.append(relative)
    return paths


def write_package_zip(descriptor_path: Path, descriptor: dict[str, Any], out: Path) -> None:
    files = package_files(descriptor_path, descriptor)

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for relative in files:
                info = zipfile.ZipInfo(relative, date_time=ZIP_TIMESTAMP)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, (descriptor_path.parent / relative).read_bytes())

    _write_atomic(out, write)


def write_parquet_downloads(descriptor_path: Path, out_dir: Path) -> dict[str, str]:
    """The package's Parquet copy (``data/parquet/``, written by ``package``) beside the other downloads.

    Returns resource name -> path under ``out_dir``; empty when the package has no Parquet copy.
    """
    source = descriptor_path.parent / "data" / "parquet"
    if not (source / "datapackage.json").is_file():
        return {}
    parquet = json.loads((source / "datapackage.json").read_text(encoding="utf-8"))
    written = {}
    for relative in ["datapackage.json", *(r["path"] for r in parquet["resources"])]:
        data = (source / relative).read_bytes()
        _write_atomic(out_dir / "parquet" / relative, lambda tmp, data=data: tmp.write_bytes(data))
        written[relative] = f"parquet/{relative}"
    return {r["name"]: written[r["path"]] for r in parquet["resources"]}


def _rows(conn: sqlite3.Connection, name: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    cursor = conn.execute(f"SELECT * FROM [{name}]")
    return [d[0] for d in cursor.description], cursor.fetchall()


def write_excel_csv(conn: sqlite3.Connection, name: str, out: Path) -> None:
    columns, rows = _rows(conn, name)

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows(rows)

    _write_atomic(out, write)


def write_xlsx(conn: sqlite3.Connection, name: str, out: Path) -> None:
    cursor = conn.execute(f"SELECT * FROM [{name}]")
    columns = [d[0] for d in cursor.description]

    def write(tmp: Path) -> None:
        try:
            write_sheet(tmp, name, columns, cursor)
        except ValueError as exc:
            raise PipelineError(f"XLSX download of {name}: {exc}") from None

    _write_atomic(out, write)


def write_table_downloads(db_path: Path, names: list[str], out_dir: Path) -> dict[str, dict[str, str]]:
    """Per table or view: ``excel/<name>.csv`` (UTF-8 with BOM) and ``xlsx/<name>.xlsx``."""
    written = {}
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        for name in names:
            write_excel_csv(conn, name, out_dir / "excel" / f"{name}.csv")
            write_xlsx(conn, name, out_dir / "xlsx" / f"{name}.xlsx")
            written[name] = {"csv_bom": f"excel/{name}.csv", "xlsx": f"xlsx/{name}.xlsx"}
    return written
