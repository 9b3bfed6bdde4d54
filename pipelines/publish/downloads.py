"""Static downloads beside the site: the whole package as a zip and spreadsheet-friendly tables.

Datasette's own CSV is UTF-8 without a byte-order mark, which Excel opens as mojibake for
Vietnamese text; the ``excel`` CSVs carry the BOM, and the XLSX files keep numbers as numbers
(written by ``pipelines.publish.xlsx``, which is fast on large tables and byte-reproducible).
A spreadsheet runs a cell that reads as a formula, so the ``excel`` CSVs quote such text cells
with a leading ``'``; the XLSX files write every text as an inline string, never a formula.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

from pipelines.common.atomic import write_atomically_with
from pipelines.common.errors import PipelineError
from pipelines.package.parquet import PARQUET_DIR
from pipelines.publish.xlsx import ZIP_TIMESTAMP, column_widths, write_sheet

# Rows read to size the XLSX columns.
WIDTH_SAMPLE = 500

# A signed number as printed (``-3,21``, ``+1.234,5``, ``-12%``): not a formula, kept as it is.
_SIGNED_NUMBER = re.compile(r"[+-]\s?\d[\d.,\s]*%?")
_FORMULA_START = ("=", "@", "\t", "\r", "+", "-")
_ROW_MARKERS = ("-", "+")


def excel_cell(value: Any) -> Any:
    """A text cell a spreadsheet would read as a formula, prefixed with ``'``; anything else as is."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_START) or value in _ROW_MARKERS:
        return value
    if value[0] in "+-" and _SIGNED_NUMBER.fullmatch(value):
        return value
    return f"'{value}"


def package_files(descriptor_path: Path, descriptor: dict[str, Any]) -> list[str]:
    """datapackage.json, every resource file and every source report, relative to the descriptor."""
    base = descriptor_path.parent
    paths = ["datapackage.json"]
    for resource in descriptor.get("resources", []):
        resource_paths = resource["path"] if isinstance(resource["path"], list) else [resource["path"]]
        for relative in resource_paths:
            if not (base / relative).is_file():
                raise PipelineError(f"{descriptor_path}: resource file {relative} is missing")
            paths.append(relative)
    paths += [
        part for source in published_sources(descriptor_path, descriptor) for part in source_parts(source)
    ]
    return list(dict.fromkeys(paths))


def source_parts(source: dict[str, Any]) -> list[str]:
    """The files of a source: one, or those of a report published as several (``a.md;b.pdf``)."""
    return [part for part in str(source.get("file") or "").split(";") if part]


def published_sources(descriptor_path: Path, descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    """The package's sources whose report files lie where ``file`` says, relative to the descriptor.

    A package built outside the repository (from reports in another folder) has no raw files
    beside it; its sources are then described but not republished.
    """
    return [
        source
        for source in descriptor.get("sources", [])
        if source_parts(source)
        and source.get("report_id")
        and all((descriptor_path.parent / part).is_file() for part in source_parts(source))
    ]


def write_package_zip(descriptor_path: Path, descriptor: dict[str, Any], out: Path) -> None:
    files = package_files(descriptor_path, descriptor)

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for relative in files:
                info = zipfile.ZipInfo(relative, date_time=ZIP_TIMESTAMP)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, (descriptor_path.parent / relative).read_bytes())

    write_atomically_with(out, write)


def write_parquet_downloads(files: dict[str, bytes], out_dir: Path) -> dict[str, str]:
    """The package's Parquet copy (``data/parquet/``: descriptor and files) under ``out_dir/parquet``.

    Returns resource name -> path relative to ``out_dir``; empty when the package has no Parquet copy.
    """
    if not files:
        return {}
    for relative, data in files.items():
        target = out_dir / "parquet" / Path(relative).name
        write_atomically_with(target, lambda tmp, data=data: tmp.write_bytes(data))
    descriptor = json.loads(files[f"{PARQUET_DIR}/datapackage.json"])
    return {r["name"]: f"parquet/{r['path']}" for r in descriptor["resources"]}


# Added beside an indicator's id in the downloads, so a spreadsheet row says what the figure is.
INDICATOR_LABELS = {
    "indicator_name_vi": ("name_vi", "Tên chỉ tiêu / Indicator name (Vietnamese), from indicators."),
    "indicator_name_en": ("name_en", "Indicator name (English), from indicators."),
    "indicator_unit_vi": ("unit_vi", "Đơn vị / Unit of the figures, as printed, from indicators."),
}
# Added after ``value`` where a row can carry a review reason: flagged figures marked in the sheet.
FLAG_COLUMN = "flagged"
FLAG_TEXT = "⚑ cần xem lại / flagged: "
FLAG_DESCRIPTION = (
    "Cần xem lại / Flagged: set when the figure is kept for review (review_reason says why); "
    "flagged figures are left out of counts of targets met."
)


def download_query(conn: sqlite3.Connection, name: str) -> tuple[str, dict[str, str]]:
    """The SELECT of a table's spreadsheet downloads and the descriptions of the columns it adds:
    the indicator's name and unit beside ``indicator_id``, a ``flagged`` mark beside ``value``."""
    columns = [row[1] for row in conn.execute(f"PRAGMA table_info([{name}])")]
    has_indicators = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'indicators'"
    ).fetchone()
    labelled = bool(has_indicators) and name != "indicators" and "indicator_id" in columns
    labelled = labelled and "name_vi" not in columns
    selected, added = [], {}
    for column in columns:
        selected.append(f"t.[{column}]")
        if column == "indicator_id" and labelled:
            for alias, (source, description) in INDICATOR_LABELS.items():
                selected.append(f"i.[{source}] AS [{alias}]")
                added[alias] = description
        if column == "value" and "review_reason" in columns:
            selected.append(
                f"CASE WHEN t.review_reason <> '' THEN '{FLAG_TEXT}' || t.review_reason END AS [{FLAG_COLUMN}]"
            )
            added[FLAG_COLUMN] = FLAG_DESCRIPTION
    join = " LEFT JOIN indicators i ON i.indicator_id = t.indicator_id" if labelled else ""
    return f"SELECT {', '.join(selected)} FROM [{name}] t{join} ORDER BY t.rowid", added


def write_excel_csv(conn: sqlite3.Connection, name: str, out: Path) -> None:
    cursor = conn.execute(download_query(conn, name)[0])
    columns = [d[0] for d in cursor.description]

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows([excel_cell(value) for value in row] for row in cursor)

    write_atomically_with(out, write)


def write_xlsx(
    conn: sqlite3.Connection, name: str, out: Path, descriptions: dict[str, str] | None = None
) -> None:
    """The table as XLSX: columns as wide as their header and first rows, flagged rows shaded, and
    a sheet of what each column means (``descriptions``: column -> text, as on the site)."""
    sql, added = download_query(conn, name)
    cursor = conn.execute(sql)
    columns = [d[0] for d in cursor.description]
    sample = cursor.fetchmany(WIDTH_SAMPLE)
    widths = column_widths(columns, sample)
    meaning = {**(descriptions or {}), **added}
    notes = [(c, meaning.get(c, "")) for c in columns]
    marked = columns.index(FLAG_COLUMN) if FLAG_COLUMN in columns else None

    def write(tmp: Path) -> None:
        try:
            write_sheet(
                tmp,
                name,
                columns,
                itertools.chain(sample, cursor),
                widths=widths,
                notes=notes,
                marked=marked,
            )
        except ValueError as exc:
            raise PipelineError(f"XLSX download of {name}: {exc}") from None

    write_atomically_with(out, write)


def download_paths(names: list[str]) -> dict[str, dict[str, str]]:
    """Per table or view, where its downloads are, relative to the downloads folder."""
    return {name: {"csv_bom": f"excel/{name}.csv", "xlsx": f"xlsx/{name}.xlsx"} for name in names}


def write_table_downloads(
    db_path: Path, names: list[str], out_dir: Path, descriptions: dict[str, dict[str, str]] | None = None
) -> dict[str, dict[str, str]]:
    """Per table or view: ``excel/<name>.csv`` (UTF-8 with BOM) and ``xlsx/<name>.xlsx``."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        for name in names:
            write_excel_csv(conn, name, out_dir / "excel" / f"{name}.csv")
            write_xlsx(conn, name, out_dir / "xlsx" / f"{name}.xlsx", (descriptions or {}).get(name))
    return download_paths(names)
