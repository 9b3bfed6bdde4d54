"""The package as Parquet: one typed file per resource under ``data/parquet/``, with its own descriptor.

Types come from each resource's Table Schema, so a researcher's DuckDB or pandas gets integers,
doubles, dates and booleans without guessing (and codes such as ``04`` stay text). The files
are built in memory from the published CSV bytes and handed to the same all-or-nothing publish
as the CSVs, so the two never disagree; fixed writer options make them byte-reproducible.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pipelines.common.errors import PipelineError
from pipelines.common.jsonio import json_bytes
from pipelines.package.arrow_csv import read_arrow_csv
from pipelines.package.csvio import read_csv_rows

PARQUET_DIR = "data/parquet"
MEDIATYPE = "application/vnd.apache.parquet"
# Written into the file; pinned so the same data always gives the same bytes.
WRITER_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 9,
    "version": "2.6",
    "data_page_version": "1.0",
    "use_dictionary": True,
    "write_statistics": True,
    "store_schema": True,
}
BOOLEAN_TEXT = {"true": True, "false": False}


# Table Schema types Arrow's CSV reader types (see arrow_type).
ARROW_READABLE = frozenset({"integer", "year", "number", "boolean", "date", "string"})


def arrow_type(field_type: str) -> Any:
    """The Arrow type of a Table Schema field type (``number`` is a double, ``year`` an integer)."""
    import pyarrow as pa

    types = {
        "integer": pa.int64(),
        "year": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
        "string": pa.string(),
    }
    if field_type not in types:
        raise PipelineError(f"no Parquet type for Table Schema type {field_type!r}")
    return types[field_type]


def convert_cell(text: str, field_type: str, missing: set[str]) -> Any:
    """A CSV cell as the Python value Parquet stores for the field's type (None when missing)."""
    if text in missing:
        return None
    if field_type in ("integer", "year"):
        return int(text)
    if field_type == "number":
        return float(text)
    if field_type == "boolean":
        return BOOLEAN_TEXT[text.lower()]
    if field_type == "date":
        return dt.date.fromisoformat(text)
    return text


def column_values(texts: Sequence[str], field_type: str, missing: set[str]) -> list[Any]:
    """``convert_cell`` over a whole column at once (the per-row cost of a large package); raises
    what it raises on the first cell it rejects."""
    if field_type == "string" or field_type not in CONVERTERS:
        return [None if text in missing else text for text in texts]
    convert = CONVERTERS[field_type]
    return [None if text in missing else convert(text) for text in texts]


CONVERTERS: dict[str, Callable[[str], Any]] = {
    "integer": int,
    "year": int,
    "number": float,
    "boolean": lambda text: BOOLEAN_TEXT[text.lower()],
    "date": dt.date.fromisoformat,
}


def arrow_schema(schema: dict[str, Any]) -> Any:
    import pyarrow as pa

    return pa.schema(
        [
            pa.field(
                f["name"],
                arrow_type(f["type"]),
                nullable=not (f.get("constraints") or {}).get("required", False),
            )
            for f in schema["fields"]
        ]
    )


def csv_to_parquet(name: str, schema: dict[str, Any], data: bytes) -> bytes:
    """One resource's CSV bytes as Parquet bytes, typed from its Table Schema.

    Arrow's own CSV reader parses the columns (in C++: the per-cell cost of a large package);
    a CSV it does not take as the schema says is converted cell by cell instead, which gives
    the same values for every CSV both accept and names the file, line and field of a bad one.
    """
    import pyarrow.parquet as pq

    table = _arrow_table(schema, data)
    if table is None:
        table = _table_cell_by_cell(name, schema, data)
    buffer = io.BytesIO()
    pq.write_table(table, buffer, **WRITER_OPTIONS)
    return buffer.getvalue()


def _arrow_table(schema: dict[str, Any], data: bytes) -> Any:
    """The CSV read by Arrow with the schema's types, or None when Arrow refuses it (or it starts
    with a byte-order mark, which the cell-by-cell reading does not drop)."""
    import pyarrow as pa

    read = read_typed_csv(schema, data)
    if read is None:
        return None
    return pa.Table.from_arrays(read.columns, schema=arrow_schema(schema))


def read_typed_csv(schema: dict[str, Any], data: bytes, as_text: frozenset[str] = frozenset()) -> Any:
    """CSV bytes read by Arrow's reader (in C++) with the schema's types, fields of the types in
    ``as_text`` kept as text; None when Arrow does not take the file as the schema says (a cell
    its type rejects, another header, a byte-order mark, a type Arrow has no reading for)."""
    import pyarrow as pa

    fields = schema["fields"]
    kinds = [f.get("type", "string") for f in fields]
    if data.startswith(codecs.BOM_UTF8) or not set(kinds) <= ARROW_READABLE:
        return None
    read = read_arrow_csv(
        data,
        {
            f["name"]: pa.string() if kind in as_text else arrow_type(kind)
            for f, kind in zip(fields, kinds, strict=True)
        },
        null_values=list(schema.get("missingValues", [""])),
    )
    if read is None or read.column_names != [f["name"] for f in fields]:
        return None
    return pa.Table.from_arrays([column.combine_chunks() for column in read.columns], names=read.column_names)


def _table_cell_by_cell(name: str, schema: dict[str, Any], data: bytes) -> Any:
    import pyarrow as pa

    header, rows = read_csv_rows(data)
    names = [f["name"] for f in schema["fields"]]
    if header != names:
        raise PipelineError(f"data/{name}.csv: header {header} differs from its Table Schema {names}")
    missing = set(schema.get("missingValues", [""]))
    short = next((n for n, row in enumerate(rows, start=2) if len(row) < len(names)), None)
    if short is not None:
        raise PipelineError(f"data/{name}.csv line {short}: the row has fewer cells than the header")
    texts = list(zip(*rows, strict=False)) if rows else [() for _ in names]
    columns = []
    for index, field in enumerate(schema["fields"]):
        try:
            columns.append(column_values(texts[index], field["type"], missing))
        except (ValueError, KeyError):
            raise _cell_error(name, field, texts[index], missing) from None
    return pa.Table.from_arrays(
        [pa.array(v, type=arrow_type(f["type"])) for v, f in zip(columns, schema["fields"], strict=True)],
        schema=arrow_schema(schema),
    )


def _cell_error(name: str, field: dict[str, Any], texts: Sequence[str], missing: set[str]) -> PipelineError:
    """The first cell of a column its field's type rejects, by CSV line."""
    for number, text in enumerate(texts, start=2):
        try:
            convert_cell(text, field["type"], missing)
        except (ValueError, KeyError) as exc:
            return PipelineError(
                f"data/{name}.csv line {number}: field {field['name']} is not a {field['type']}: {exc}"
            )
    return PipelineError(f"data/{name}.csv: field {field['name']} is not a {field['type']}")


def parquet_descriptor(descriptor: dict[str, Any]) -> dict[str, Any]:
    """The root descriptor with every resource pointing at its Parquet file (same schemas, keys).

    No ``hash``/``bytes``: frictionless 5 reads Parquet through pandas and never counts its bytes,
    so it would report every declared checksum as unmatched.
    """
    resources = []
    for resource in descriptor["resources"]:
        entry = {k: v for k, v in resource.items() if k not in ("encoding", "hash", "bytes", "schema")}
        entry.update(
            path=f"{resource['name']}.parquet",
            format="parquet",
            mediatype=MEDIATYPE,
            schema=resource["schema"],
        )
        resources.append(entry)
    return {**descriptor, "resources": resources}


def parquet_package(descriptor: dict[str, Any], csvs: dict[str, bytes]) -> dict[str, bytes]:
    """``{relative path: bytes}`` for ``data/parquet/``: every resource's file and their descriptor."""
    files = {
        r["name"]: csv_to_parquet(r["name"], r["schema"], csvs[r["name"]]) for r in descriptor["resources"]
    }
    out = {f"{PARQUET_DIR}/{name}.parquet": data for name, data in files.items()}
    out[f"{PARQUET_DIR}/datapackage.json"] = json_bytes(parquet_descriptor(descriptor))
    return out


def read_parquet_copy(root: Path) -> dict[str, bytes]:
    """The Parquet copy of the package at ``root``: ``{relative path: bytes}`` of its descriptor and
    every file it lists; empty when the package has none."""
    descriptor_path = root / PARQUET_DIR / "datapackage.json"
    if not descriptor_path.is_file():
        return {}
    try:
        data = descriptor_path.read_bytes()
        files = {f"{PARQUET_DIR}/datapackage.json": data}
        for resource in json.loads(data).get("resources", []):
            relative = resource.get("path")
            if not isinstance(relative, str) or "/" in relative or relative.startswith("."):
                raise PipelineError(
                    f"{descriptor_path}: resource {resource.get('name')!r} has an unsafe path"
                )
            files[f"{PARQUET_DIR}/{relative}"] = (root / PARQUET_DIR / relative).read_bytes()
    except OSError as exc:
        raise PipelineError(f"{exc.filename}: cannot read the Parquet copy: {exc.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError) as exc:
        raise PipelineError(f"{descriptor_path}: not a JSON descriptor ({exc})") from None
    return files


def parquet_checksum(files: dict[str, bytes]) -> str:
    """One SHA-256 over the Parquet copy (names and contents): what validation passed, promotion checks."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()
