"""The Parquet copy of the package: typed from the Table Schemas, read back by pyarrow and DuckDB
row for row equal to the CSV, its own descriptor valid for frictionless, byte-reproducible, and
a disagreement with the CSV caught by validation with its file and row."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from frictionless import Package, Resource, Schema

from pipelines.package.csvio import read_csv_rows, text_rows_to_csv
from pipelines.package.parquet import convert_cell, parquet_package
from pipelines.validate.parquet_check import check_parquet
from tests.paths import REPO_ROOT

DESCRIPTOR = json.loads((REPO_ROOT / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = [r["name"] for r in DESCRIPTOR["resources"]]
ARROW = {"integer": pa.int64(), "year": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
         "date": pa.date32(), "string": pa.string()}  # fmt: skip


def _resource(name: str) -> dict[str, Any]:
    return next(r for r in DESCRIPTOR["resources"] if r["name"] == name)


def _csv_rows(name: str) -> list[tuple[Any, ...]]:
    """The CSV's rows as the Table Schema types them (independently of pandas' guessing)."""
    resource = _resource(name)
    header, rows = read_csv_rows((REPO_ROOT / resource["path"]).read_bytes())
    fields = resource["schema"]["fields"]
    assert header == [f["name"] for f in fields]
    return [tuple(convert_cell(c, f["type"], {""}) for c, f in zip(row, fields, strict=True)) for row in rows]


@pytest.mark.parametrize("name", RESOURCES)
def test_pyarrow_reads_the_csv_rows_with_the_schema_types(name: str) -> None:
    table = pq.read_table(REPO_ROOT / "data" / "parquet" / f"{name}.parquet")
    fields = _resource(name)["schema"]["fields"]
    assert [(f.name, f.type) for f in table.schema] == [(f["name"], ARROW[f["type"]]) for f in fields]
    assert list(zip(*(table.column(f["name"]).to_pylist() for f in fields), strict=True)) == _csv_rows(name)


@pytest.mark.parametrize("name", RESOURCES)
def test_duckdb_reads_the_csv_rows(name: str) -> None:
    path = REPO_ROOT / "data" / "parquet" / f"{name}.parquet"
    rows = duckdb.connect().execute("SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
    assert rows == _csv_rows(name)


def test_types_and_vietnamese_text_survive_in_duckdb() -> None:
    path = REPO_ROOT / "data" / "parquet" / "reports.parquet"
    connection = duckdb.connect()
    province, code, issued, year = connection.execute(
        "SELECT province, province_code, issued_date, reporting_year FROM read_parquet(?) "
        "WHERE report_id = 'cao-bang-2022-2960-bc-ubnd'",
        [str(path)],
    ).fetchone()
    assert (province, code, issued, year) == ("Cao Bằng", "04", dt.date(2022, 11, 14), 2022)
    types = dict(connection.execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))", [str(REPO_ROOT / "data" / "parquet" / "ratios.parquet")]).fetchall())  # fmt: skip
    assert types["consistent"] == "BOOLEAN" and types["computed_pct"] == "DOUBLE"
    assert types["column_number"] == "BIGINT" and types["formula"] == "VARCHAR"


def test_the_parquet_descriptor_is_a_valid_package_with_the_same_schemas() -> None:
    parquet = json.loads((REPO_ROOT / "data" / "parquet" / "datapackage.json").read_text(encoding="utf-8"))
    assert Package.validate_descriptor(parquet).valid
    assert [r["path"] for r in parquet["resources"]] == [f"{n}.parquet" for n in RESOURCES]
    assert [r["schema"] for r in parquet["resources"]] == [r["schema"] for r in DESCRIPTOR["resources"]]
    assert {r["format"] for r in parquet["resources"]} == {"parquet"}


def test_frictionless_validates_the_parquet_rows_against_the_schemas_and_keys() -> None:
    """Types, constraints, primary and foreign keys of the rows pyarrow reads, checked by frictionless."""
    resources = []
    for name in RESOURCES:
        resource = _resource(name)
        table = pq.read_table(REPO_ROOT / "data" / "parquet" / f"{name}.parquet")
        names = [f["name"] for f in resource["schema"]["fields"]]
        rows = [list(r) for r in zip(*(table.column(n).to_pylist() for n in names), strict=True)]
        schema = Schema.from_descriptor(resource["schema"])
        resources.append(Resource(name=name, data=[names, *rows], schema=schema))
    report = Package(resources=resources).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])[:5]


def test_the_committed_parquet_is_what_the_csv_gives_byte_for_byte() -> None:
    csvs = {r["name"]: (REPO_ROOT / r["path"]).read_bytes() for r in DESCRIPTOR["resources"]}
    built = parquet_package(DESCRIPTOR, csvs)
    again = parquet_package(DESCRIPTOR, csvs)
    assert built == again
    assert set(built) == {f"data/parquet/{n}.parquet" for n in RESOURCES} | {"data/parquet/datapackage.json"}
    for relative, data in built.items():
        assert (REPO_ROOT / relative).read_bytes() == data, (
            f"{relative} is not what `package` writes: rerun dvc repro"
        )


@pytest.fixture
def root_copy(tmp_path: Path) -> Path:
    target = tmp_path / "package"
    shutil.copytree(REPO_ROOT / "data", target / "data", ignore=shutil.ignore_patterns("raw"))
    shutil.copy(REPO_ROOT / "datapackage.json", target / "datapackage.json")
    return target


def _rewrite(path: Path, column: str, row: int, value: Any) -> None:
    table = pq.read_table(path)
    values = table.column(column).to_pylist()
    values[row] = value
    index = table.schema.get_field_index(column)
    table = table.set_column(
        index, table.schema.field(index), pa.array(values, table.schema.field(index).type)
    )
    pq.write_table(table, path)


def test_a_parquet_value_that_disagrees_with_its_csv_is_named_by_file_row_and_line(root_copy: Path) -> None:
    assert check_parquet(root_copy, DESCRIPTOR) == []
    _rewrite(root_copy / "data" / "parquet" / "observations.parquet", "value", 4, 123.5)
    problems = [str(p) for p in check_parquet(root_copy, DESCRIPTOR)]
    assert len(problems) == 1
    assert problems[0].startswith(
        "data/parquet/observations.parquet: row 5 (line 6 of data/observations.csv), field value: Parquet has 123.5"
    )


def _rewrite_csv(path: Path, column: str, row: int, text: str) -> None:
    header, rows = read_csv_rows(path.read_bytes())
    rows[row][header.index(column)] = text
    path.write_bytes(text_rows_to_csv(header, rows))


def test_a_csv_value_that_disagrees_with_its_parquet_is_named_by_file_row_and_line(root_copy: Path) -> None:
    _rewrite_csv(root_copy / "data" / "series.csv", "value", 2, "123.5")
    problems = [str(p) for p in check_parquet(root_copy, DESCRIPTOR)]
    assert len(problems) == 1
    assert problems[0].startswith(
        "data/parquet/series.parquet: row 3 (line 4 of data/series.csv), field value"
    )
    assert problems[0].endswith("the CSV has '123.5'")


def test_a_cell_arrow_does_not_read_is_decided_by_the_package_conversion(root_copy: Path) -> None:
    """Arrow reads only ``true``/``false``; the package's conversion also reads ``True``, the same
    value as the Parquet file's, so the copies agree."""
    _rewrite_csv(root_copy / "data" / "series.csv", "latest", 0, "True")
    assert check_parquet(root_copy, DESCRIPTOR) == []


def test_a_csv_cell_not_of_its_type_is_reported_not_raised(root_copy: Path) -> None:
    """A CSV edited after packaging may hold a cell its type rejects: the comparison names it
    (frictionless then reports the type error), it does not stop validation with a traceback."""
    reports = root_copy / "data" / "reports.csv"
    header, rows = read_csv_rows(reports.read_bytes())
    row = next(n for n, cells in enumerate(rows) if cells[header.index("issued_date")])
    printed = rows[row][header.index("issued_date")]
    day = dt.date.fromisoformat(printed)
    reports.write_text(
        reports.read_text(encoding="utf-8").replace(f",{printed},", f",{day:%d/%m/%Y},", 1), encoding="utf-8"
    )
    problems = [str(p) for p in check_parquet(root_copy, DESCRIPTOR)]
    assert problems == [
        f"data/parquet/reports.parquet: row {row + 1} (line {row + 2} of data/reports.csv), field issued_date: "
        f"Parquet has {day!r}, the CSV has '{day:%d/%m/%Y}'"
    ]


def test_missing_rows_and_retyped_columns_are_reported(root_copy: Path) -> None:
    folder = root_copy / "data" / "parquet"
    table = pq.read_table(folder / "ratios.parquet")
    pq.write_table(table.slice(0, table.num_rows - 2), folder / "ratios.parquet")
    reports = pq.read_table(folder / "reports.parquet")
    index = reports.schema.get_field_index("issued_date")
    retyped = reports.set_column(index, "issued_date", reports.column(index).cast(pa.string()))
    pq.write_table(retyped, folder / "reports.parquet")
    problems = [str(p) for p in check_parquet(root_copy, DESCRIPTOR)]
    assert (
        f"data/parquet/ratios.parquet: {table.num_rows - 2} rows, data/ratios.csv has {table.num_rows}"
        in problems
    )
    assert (
        "data/parquet/reports.parquet: column issued_date is string, the Table Schema asks for date32[day]"
        in problems
    )


@pytest.mark.slow
def test_validation_blocks_a_parquet_copy_that_disagrees(
    root_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipelines.validate.run import validate

    _rewrite(root_copy / "data" / "parquet" / "indicators.parquet", "name_vi", 0, "Chỉ tiêu khác")
    out = tmp_path / "validation"
    assert validate(root_copy / "datapackage.json", out, None, REPO_ROOT / "params.yaml") is False
    printed = capsys.readouterr().out
    assert "Parquet copy: DISAGREES with the CSV" in printed
    assert "data/parquet/indicators.parquet: row 1 (line 2 of data/indicators.csv), field name_vi" in printed
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["passed"] is False and summary["parquet"] == {"errors": 1}
    assert summary["frictionless"]["valid"] is True


TRICKY_SCHEMA = {
    "fields": [
        {"name": "code", "type": "string"},
        {"name": "n", "type": "integer"},
        {"name": "x", "type": "number"},
        {"name": "ok", "type": "boolean"},
        {"name": "day", "type": "date"},
        {"name": "year", "type": "year"},
    ],
    "missingValues": [""],
}
TRICKY_CSV = (
    "code,n,x,ok,day,year\n"
    "04,-7,1949.545,true,2022-11-14,2022\n"
    '"NA",,0.1,false,,\n'
    '"two\nlines, quoted",0,-3.05e-3,,2025-07-01,1999\n'
    '"",12345678901,,true,1970-01-01,2030\n'
    "Cao Bằng,1,1e5,false,2000-02-29,2000\n"
).encode()


@pytest.mark.parametrize("name", RESOURCES)
def test_arrows_csv_reading_gives_the_cell_by_cell_table(name: str) -> None:
    from pipelines.package.parquet import _arrow_table, _table_cell_by_cell

    resource = _resource(name)
    data = (REPO_ROOT / resource["path"]).read_bytes()
    fast = _arrow_table(resource["schema"], data)
    assert fast is not None
    assert fast.equals(_table_cell_by_cell(name, resource["schema"], data), check_metadata=True)


def test_arrow_and_cell_by_cell_agree_on_codes_quotes_newlines_and_missing_cells() -> None:
    from pipelines.package.parquet import _arrow_table, _table_cell_by_cell

    fast = _arrow_table(TRICKY_SCHEMA, TRICKY_CSV)
    assert fast is not None
    assert fast.equals(_table_cell_by_cell("tricky", TRICKY_SCHEMA, TRICKY_CSV), check_metadata=True)
    assert fast.column("code").to_pylist() == ["04", "NA", "two\nlines, quoted", None, "Cao Bằng"]


@pytest.mark.parametrize(
    ("csv", "message"),
    [
        ("code,n,x,ok,day,year\na,1.5,1,true,2022-01-01,2022\n", "data/tricky.csv line 2: field n is not a integer"),
        ("code,n,x,ok,day,year\na,1,1,true,14/11/2022,2022\n", "data/tricky.csv line 2: field day is not a date"),
        ("code,n,x,ok,day,year\na,1,1,TRUE,2022-01-01,2022\nb,1,1,yes,2022-01-01,2022\n",
         "data/tricky.csv line 3: field ok is not a boolean"),
        ("code,n,x,ok,day,year\na,1,1,true\n", "data/tricky.csv line 2: the row has fewer cells than the header"),
        ("code,n,x,ok,year,day\n", "header"),
    ],
)  # fmt: skip
def test_a_csv_arrow_refuses_is_read_cell_by_cell_and_a_bad_cell_named(csv: str, message: str) -> None:
    from pipelines.common.errors import PipelineError
    from pipelines.package.parquet import csv_to_parquet

    with pytest.raises(PipelineError, match=message):
        csv_to_parquet("tricky", TRICKY_SCHEMA, csv.encode())
