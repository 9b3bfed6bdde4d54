"""The field catalogue: fields and enums defined once, code using enums by name, rows checked."""

from __future__ import annotations

import ast
import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from pipelines.common.enums import Measure, enum_codes, load_enums
from pipelines.package.csvio import rows_to_csv
from pipelines.package.metadata import load_metadata
from pipelines.package.rows import RowSchemaError, check_row, row_type
from tests.paths import PIPELINES, REPO_ROOT

ENUM_MODULE = PIPELINES / "common" / "enums.py"


def test_every_field_is_defined_once_and_resources_only_override() -> None:
    catalogue = yaml.safe_load((REPO_ROOT / "metadata" / "fields.yaml").read_text(encoding="utf-8"))
    for path in sorted((REPO_ROOT / "metadata" / "resources").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["fields"]:
            name = item if isinstance(item, str) else item["name"]
            assert name in catalogue, f"{path.name}: {name}"
            assert isinstance(item, str) or "type" not in item, f"{path.name}: {name} redefines its type"
    metadata = load_metadata()
    used = {f.name for r in metadata.ordered() for f in r.fields}
    assert used == set(catalogue)
    for resource in metadata.ordered():
        for field in resource.fields:
            assert field.type == catalogue[field.name]["type"]


def test_shared_enums_of_the_conventions_are_declared() -> None:
    assert enum_codes("measure") == ["actual", "preliminary", "estimate", "plan", "target"]
    assert enum_codes("assessment") == ["met", "exceeded", "not_met", "not_assessable"]
    assert {"ocr_low_confidence", "ambiguous_number_format", "fuzzy_match"} <= set(
        enum_codes("review_reason")
    )
    assert {"<", "≤", ">", "≥", "khoảng", "trên", "dưới", "tối thiểu", "tối đa"} == set(
        enum_codes("qualifier")
    )
    assert [str(m) for m in Measure] == enum_codes("measure")


def test_schema_enums_come_from_named_enums() -> None:
    metadata = load_metadata()
    observations = metadata.resource("observations").field("measure")
    assert observations.enum == "measure"
    assert observations.schema_constraints()["enum"] == enum_codes("measure")
    narrative = metadata.resource("narrative_checks").field("measure")
    assert narrative.schema_constraints()["enum"] == enum_codes("appendix_measure")
    assert set(enum_codes("appendix_measure")) <= set(enum_codes("measure"))
    for resource in metadata.ordered():
        for field in resource.fields:
            assert field.enum is None or field.enum in load_enums()


def _copy_metadata(tmp_path: Path) -> Path:
    target = tmp_path / "metadata"
    shutil.copytree(REPO_ROOT / "metadata", target)
    return target


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("no_such_field", "is not defined in fields.yaml"),
        ({"name": "measure", "type": "integer"}, "type"),
        ({"name": "measure", "enum": "no_such_enum"}, "is not declared"),
        ({"name": "measure", "enum": "row_kind"}, "nor a subset"),
    ],
)
def test_a_wrong_field_listing_fails_at_load_time(tmp_path: Path, item: object, message: str) -> None:
    metadata = _copy_metadata(tmp_path)
    path = metadata / "resources" / "observations.yaml"
    resource = yaml.safe_load(path.read_text(encoding="utf-8"))
    resource["fields"].append(item)
    path.write_text(yaml.safe_dump(resource, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_metadata(metadata)


def _bare_codes(path: Path, codes: set[str]) -> list[str]:
    """String constants equal to a code, except dictionary keys, subscripts (column names) and
    docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exempt: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            exempt |= {id(key) for key in node.keys if key is not None}
        elif isinstance(node, ast.Subscript):
            exempt.add(id(node.slice))
        elif isinstance(node, ast.Expr):
            exempt.add(id(node.value))
    return [
        f"{path}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in codes and id(node) not in exempt
    ]


def test_no_bare_measure_strings_in_the_code() -> None:
    codes = set(enum_codes("measure"))
    modules = [path for path in sorted(PIPELINES.rglob("*.py")) if path != ENUM_MODULE]
    found = [hit for path in modules for hit in _bare_codes(path, codes)]
    assert not found, "use pipelines.common.enums.Measure instead of:\n" + "\n".join(found)


def test_the_bare_string_check_finds_one(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text(
        '"""plan"""\n\ndef f(row, m=("plan",)):\n    return row["plan"], {"plan": 1}, m == Measure.plan\n',
        encoding="utf-8",
    )
    assert [hit.rsplit(":", 2)[1] for hit in _bare_codes(module, {"plan"})] == ["3"]


def _observation(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "report_id": "x-2022-1",
        "indicator_id": "x-2022-1/1",
        "measure": Measure.plan,
        "period": 2022,
        "breakdown": "all",
        "value": Decimal("1.5"),
        "value_low": Decimal("1.5"),
        "value_high": Decimal("1.5"),
        "qualifier": None,
        "value_text": None,
        "value_printed": "1,5",
        "decimals": 1,
        "review_reason": None,
        "review_status": None,
        "reviewed_by": None,
        "reviewed_on": None,
        "ocr_confidence": None,
        "column_number": 5,
        "source_line": 42,
        "source_ref": "L42",
    }
    row.update(changes)
    return {k: v for k, v in row.items() if v is not ...}


def test_a_matching_row_is_written() -> None:
    resource = load_metadata().resource("observations")
    text = rows_to_csv(resource, [_observation()]).decode()
    assert text.splitlines()[1] == 'x-2022-1,x-2022-1/1,plan,2022,all,1.5,1.5,1.5,,,"1,5",1,,,,,,5,42,L42'


@pytest.mark.parametrize(
    ("changes", "field", "problem"),
    [
        ({"decimals": ...}, "decimals", "missing"),
        ({"colour": "red"}, "colour", "not in the schema"),
        ({"period": "2022"}, "period", "not a integer"),
        ({"value": True}, "value", "not a number"),
        ({"measure": "guess"}, "measure", "not one of its codes"),
        ({"report_id": None}, "report_id", "required"),
    ],
)
def test_a_row_not_matching_its_schema_fails_naming_resource_field_and_source(
    changes: dict[str, object], field: str, problem: str
) -> None:
    resource = load_metadata().resource("observations")
    with pytest.raises(RowSchemaError) as error:
        rows_to_csv(resource, [_observation(), _observation(**changes)])
    assert error.value.resource == "observations" and error.value.field == field
    assert str(error.value).startswith("observations: row from L42: field ")
    assert problem in str(error.value)


def test_a_compact_row_reads_and_writes_like_the_dict_of_its_fields() -> None:
    resource = load_metadata().resource("observations")
    row = row_type(resource)(**_observation())
    assert dict(row) == _observation() and row == _observation() and list(row) == resource.field_names
    assert row["value"] == Decimal("1.5") and row.get("colour") is None and "value" in row
    row["review_reason"] = "ocr_low_confidence"
    assert row["review_reason"] == "ocr_low_confidence"
    row["review_reason"] = None
    assert not hasattr(row, "__dict__"), "a compact row has no per-row dict"
    assert rows_to_csv(resource, [row]) == rows_to_csv(resource, [_observation()])
    with pytest.raises(KeyError):
        row["colour"] = "red"
    with pytest.raises(TypeError, match="keeps every field"):
        del row["value"]


@pytest.mark.parametrize(
    ("changes", "field", "problem"),
    [({"decimals": ...}, "decimals", "missing"), ({"colour": "red"}, "colour", "not in the schema")],
)
def test_a_compact_row_is_made_with_every_field_and_no_other(
    changes: dict[str, object], field: str, problem: str
) -> None:
    with pytest.raises(RowSchemaError, match=f"observations: row from L42: field '{field}' .*{problem}"):
        row_type(load_metadata().resource("observations"))(**_observation(**changes))


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"period": "2022"}, "not a integer"),
        ({"value": True}, "not a number"),
        ({"measure": "guess"}, "not one of its codes"),
        ({"report_id": None}, "required"),
    ],
)
def test_a_compact_row_is_checked_as_a_dict_is(changes: dict[str, object], problem: str) -> None:
    resource = load_metadata().resource("observations")
    with pytest.raises(RowSchemaError, match=problem):
        rows_to_csv(resource, [row_type(resource)(**_observation(**changes))])


def test_source_ref_names_the_row_when_present() -> None:
    resource = load_metadata().resource("reports")
    row = {f.name: None for f in resource.fields} | {"source_ref": "t1r2c3"}
    with pytest.raises(RowSchemaError, match="row from t1r2c3"):
        check_row(resource, row)


def test_dates_are_typed() -> None:
    resource = load_metadata().resource("reports")
    row = {f.name: "x" for f in resource.fields} | {
        "source_kind": "report",
        "source_line": 3,
        "source_ref": "L3",
        "issued_date": "2022-01-01",
    }
    with pytest.raises(RowSchemaError, match="row from L3: field 'issued_date' holds '2022-01-01'"):
        check_row(resource, row)
    row |= {"issued_date": dt.date(2022, 1, 1), "reporting_year": 2022, "plan_year": 2023}
    check_row(resource, row)
