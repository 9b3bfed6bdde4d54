"""The indicator catalogue: read strictly, directions as the conventions define them, published."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipelines.common.errors import PipelineError
from pipelines.common.indicator_codes import COLUMNS, load_catalogue


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _row(**overrides: str) -> dict[str, str]:
    row = dict(
        indicator_code="x_rate",
        name_vi="Tỷ lệ x",
        name_en="X rate",
        unit="pct",
        quantity="rate",
        direction="lower_is_better",
        headline="false",
        national_code="",
    )
    return {**row, **overrides}


def test_seed_indicators_carry_direction_quantity_and_headline() -> None:
    catalogue = load_catalogue()
    assert catalogue["urban_unemployment"].direction == "lower_is_better"
    assert catalogue["poverty_rate"].direction == "lower_is_better"
    reduction = catalogue["poverty_rate_reduction"]
    assert (reduction.quantity, reduction.direction) == ("change", "higher_is_better")
    assert catalogue["grdp_growth"].headline
    assert catalogue["section_economy"].is_heading and not catalogue["section_economy"].direction
    assert all(not e.national_code for e in catalogue.values()), "never typed from memory"


def test_every_code_the_seed_prints_is_in_the_catalogue(repo_root: Path) -> None:
    with (repo_root / "data" / "indicators.csv").open(encoding="utf-8") as handle:
        seed = "cao-bang-2022-2960-bc-ubnd"
        printed = {
            r["indicator_code"]
            for r in csv.DictReader(handle)
            if r["kind"] == "indicator" and r["report_id"] == seed
        }
    catalogue = load_catalogue()
    assert "" not in printed
    assert all(catalogue[code].direction for code in printed)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"direction": "up"}, "direction 'up' is not one of"),
        ({"quantity": "ratio"}, "quantity 'ratio' is not one of"),
        ({"headline": "yes"}, "headline must be true or false"),
        ({"unit": "furlongs"}, "unit 'furlongs' is not a unit code"),
        ({"indicator_code": "X-1"}, "must be lower-case"),
        ({"direction": ""}, "quantity and direction are given together"),
    ],
)
def test_a_bad_row_is_refused_with_file_and_line(tmp_path: Path, bad: dict[str, str], message: str) -> None:
    path = _write(tmp_path / "indicators.csv", [_row(indicator_code="ok_one", name_vi="Một"), _row(**bad)])
    with pytest.raises(PipelineError, match=rf"indicators.csv:3: .*{message}"):
        load_catalogue(path)


def test_a_code_or_name_listed_twice_is_refused(tmp_path: Path) -> None:
    twice = _write(tmp_path / "a.csv", [_row(), _row(name_vi="Khác")])
    with pytest.raises(PipelineError, match=r"a\.csv:3: indicator_code 'x_rate' is listed twice"):
        load_catalogue(twice)
    same_name = _write(tmp_path / "b.csv", [_row(), _row(indicator_code="y_rate", name_vi="TỶ LỆ X")])
    with pytest.raises(PipelineError, match=r"b\.csv:3: name 'TỶ LỆ X' is already the name of x_rate"):
        load_catalogue(same_name)


def test_the_catalogue_is_published_and_indicators_point_into_it(repo_root: Path) -> None:
    with (repo_root / "data" / "indicator_catalogue.csv").open(encoding="utf-8") as handle:
        published = {r["indicator_code"]: r for r in csv.DictReader(handle)}
    assert published.keys() == load_catalogue().keys()
    assert published["urban_unemployment"]["direction"] == "lower_is_better"
    assert published["grdp_growth"]["headline"] == "true"
