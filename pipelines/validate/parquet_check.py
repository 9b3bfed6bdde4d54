"""The Parquet copy (``data/parquet/``) against the CSV it was made from.

Its descriptor must be a valid Data Package (frictionless) with the root package's resources and
schemas; each file must have the schema's columns with the Arrow types the package writer uses,
and the same rows, in the same order, with the same typed values as the CSV. A difference is
reported with the Parquet row number and the CSV line it should match.

Arrow's CSV reader, told the schema's types and accepting only a subset of what the package's
own conversion accepts (``true``/``false``, ISO dates, the schema's missing values), reads the
CSV first: when its columns equal the Parquet file's, the two agree. Anything else (a cell Arrow
does not read, a difference) goes to the package's own conversion, column by column and then
cell by cell, which decides and names the row.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipelines.package.csvio import read_csv_rows
from pipelines.package.parquet import PARQUET_DIR, arrow_schema, column_values, convert_cell
from pipelines.validate.structure import MAX_PER_FILE, Problem, read_records

DESCRIPTOR = f"{PARQUET_DIR}/datapackage.json"


def _descriptor_problems(root: Path, descriptor: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    from frictionless import Package

    path = root / DESCRIPTOR
    if not path.exists():
        return {}, [Problem(DESCRIPTOR, None, "missing (run `python -m pipelines package`)")]
    try:
        parquet = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return {}, [Problem(DESCRIPTOR, None, f"not a JSON descriptor ({exc})")]
    problems = [
        Problem(DESCRIPTOR, None, f"not a valid data package: {e.message}")
        for e in Package.validate_descriptor(parquet).errors
    ]
    resources = {r.get("name"): r for r in parquet.get("resources", []) if isinstance(r, dict)}
    for resource in descriptor["resources"]:
        mine = resources.get(resource["name"])
        if mine is None:
            problems.append(Problem(DESCRIPTOR, None, f"resource {resource['name']} is missing"))
        elif mine.get("schema") != resource["schema"]:
            problems.append(
                Problem(DESCRIPTOR, None, f"schema of {resource['name']} differs from datapackage.json")
            )
    return resources, problems


def compare_file(root: Path, label: str, csv_name: str, schema: dict[str, Any]) -> list[Problem]:
    """Problems of one Parquet file (``root/label``) against its CSV (``root/csv_name``): columns,
    types, row count, then cell by cell."""
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(root / label)
    except OSError as exc:
        return [Problem(label, None, f"cannot be read as Parquet ({exc})")]
    expected = arrow_schema(schema)
    if table.schema.names != expected.names:
        return [Problem(label, None, f"columns {table.schema.names}, the Table Schema has {expected.names}")]
    problems = [
        Problem(label, None, f"column {f.name} is {f.type}, the Table Schema asks for {e.type}")
        for f, e in zip(table.schema, expected, strict=True)
        if f.type != e.type
    ]
    if problems:
        return problems
    missing = set(schema.get("missingValues", [""]))
    if _arrow_agrees(root / csv_name, expected, table, missing):
        return []
    data = (root / csv_name).read_bytes()
    fields = schema["fields"]
    columns = [table.column(f["name"]).to_pylist() for f in fields]
    if _columns_agree(data, fields, columns, missing):
        return []
    records, _ = read_records(data.decode("utf-8"), csv_name)
    body = records[1:]
    if table.num_rows != len(body):
        problems.append(Problem(label, None, f"{table.num_rows} rows, {csv_name} has {len(body)}"))
    for index, record in enumerate(body[: table.num_rows]):
        for field, column, text in zip(fields, columns, record.cells, strict=False):
            try:
                agrees = column[index] == convert_cell(text, field["type"], missing)
            except (ValueError, KeyError):  # the CSV's own cell is not of its type
                agrees = False
            if not agrees:
                problems.append(
                    Problem(
                        label,
                        None,
                        f"row {index + 1} (line {record.line} of {csv_name}), field {field['name']}: "
                        f"Parquet has {column[index]!r}, the CSV has {text!r}",
                    )
                )
                break
        if len(problems) >= MAX_PER_FILE:
            break
    return problems


def _arrow_agrees(csv_path: Path, expected: Any, table: Any, missing: set[str]) -> bool:
    """Whether Arrow's CSV reader, typed by the schema, reads the CSV as exactly the Parquet
    columns (False on any doubt, including a cell it cannot read or an empty line). Its options
    are set here, not shared with the package writer's reading, so that the check does not
    inherit a mistake of the code it checks."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    try:
        read = pcsv.read_csv(
            csv_path,
            read_options=pcsv.ReadOptions(use_threads=False),
            parse_options=pcsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(
                column_types={f.name: f.type for f in expected},
                null_values=sorted(missing),
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                true_values=["true"],
                false_values=["false"],
            ),
        )
    except (pa.ArrowException, OSError):
        return False
    return read.column_names == expected.names and all(
        read.column(name).equals(table.column(name)) for name in expected.names
    )


def _columns_agree(
    data: bytes, fields: list[dict[str, Any]], columns: list[list[Any]], missing: set[str]
) -> bool:
    """Whether every column equals the CSV's, converted a column at a time (the common case, and
    fast); any doubt (a row count, a cell the type rejects, a difference) goes to the cell-by-cell
    comparison, which names the row."""
    _, rows = read_csv_rows(data)
    if any(len(column) != len(rows) for column in columns) or any(len(row) != len(fields) for row in rows):
        return False
    texts = list(zip(*rows, strict=True)) if rows else [() for _ in fields]
    try:
        return all(
            column_values(texts[i], field["type"], missing) == columns[i] for i, field in enumerate(fields)
        )
    except (ValueError, KeyError):
        return False


def has_parquet(root: Path) -> bool:
    """Whether the package at ``root`` has a Parquet copy (the root package does; per-report ones not)."""
    return (root / PARQUET_DIR).is_dir()


def check_parquet(root: Path, descriptor: dict[str, Any]) -> list[Problem]:
    """Every disagreement between ``data/parquet/`` and the root package at ``root``."""
    resources, problems = _descriptor_problems(root, descriptor)
    for resource in descriptor["resources"]:
        mine = resources.get(resource["name"])
        if mine is None or not isinstance(mine.get("path"), str):
            continue
        label = f"{PARQUET_DIR}/{mine['path']}"
        if not (root / label).exists():
            problems.append(Problem(label, None, "file is missing"))
            continue
        problems += compare_file(root, label, resource["path"], resource["schema"])
    return problems
