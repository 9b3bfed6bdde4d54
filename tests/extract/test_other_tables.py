"""Three published tables nobody wrote code for, read through the document model, against their truth.

The tables are published sources of the package (data/raw/, each with its sidecar); their truth
files (tests/data/other-tables/truth/) were checked by hand against the printed pages (see
tests/data/other-tables/README.md); every column but the free-text ``note`` is compared, cell by
cell, and the column roles are those the README lists.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.document.read import read_document
from pipelines.extract.convention import Convention
from pipelines.extract.shapes import ReadTable, read_tables
from pipelines.extract.values import MALFORMED_NUMBER
from tests.paths import OTHER_TABLES, RAW_DIR

TRUTH = OTHER_TABLES / "truth"
EXAMPLES = ["mpi-2021-plan-targets.html", "bac-giang-poverty-2010-2018.html", "mard-2017-12-appendix.md"]
VALUE_ROLES = {"actual", "plan", "estimate", "preliminary", "target", "ratio"}


def _text(number: Decimal | None) -> str:
    return "" if number is None else format(number.normalize(), "f")


def _read(name: str) -> list[ReadTable]:
    return read_tables(read_document(RAW_DIR / name).blocks)


def _flat(tables: list[ReadTable]) -> list[list[str]]:
    return [
        [
            table.label,
            row.row_label,
            row.name,
            row.unit,
            cell.column.label,
            cell.value.printed,
            _text(cell.value.value_low),
            _text(cell.value.value_high),
            cell.value.qualifier,
        ]
        for table in tables
        for row in table.rows
        for cell in row.cells
        if cell.column.role in VALUE_ROLES
    ]


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_cell_equals_the_truth(name: str) -> None:
    with (TRUTH / f"{Path(name).stem}.csv").open(encoding="utf-8", newline="") as handle:
        truth = [row[:9] for row in csv.reader(handle)][1:]
    assert _flat(_read(name)) == truth


def _roles(name: str) -> dict[tuple[str, str], tuple[str, int | None, str]]:
    return {
        (t.label, r.label): (r.role, r.period, r.breakdown) for t in _read(name) for r in t.roles if r.label
    }


def test_column_roles_of_the_national_plan_table() -> None:
    roles = _roles("mpi-2021-plan-targets.html")
    assert roles["1", "Kế hoạch năm 2021 Quốc hội giao"] == ("plan", 2021, "")
    assert roles["1", "Mục tiêu phấn đấu năm 2021 của Chính phủ"] == ("target", 2021, "")
    assert roles["1", "Cơ quan chủ trì theo dõi, đánh giá"][0] == "agency"
    (table,) = _read("mpi-2021-plan-targets.html")
    assert {r.set_by for r in table.roles if r.role in ("plan", "target")} == {"Quốc hội giao", "Chính phủ"}
    assert table.convention is Convention.VIETNAMESE


def test_column_roles_of_the_time_series() -> None:
    roles = _roles("bac-giang-poverty-2010-2018.html")
    assert [roles["1", str(year)] for year in range(2010, 2019)] == [
        ("actual", year, "") for year in range(2010, 2019)
    ]
    (table,) = _read("bac-giang-poverty-2010-2018.html")
    assert table.convention is Convention.ENGLISH


def test_column_roles_of_the_ministry_appendix() -> None:
    roles = _roles("mard-2017-12-appendix.md")
    assert roles["Phụ lục 1", "Thực hiện 2016"] == ("actual", 2016, "")
    assert roles["Phụ lục 1", "Thực hiện 2017"] == ("actual", 2017, "")
    assert roles["Phụ lục 6", "Chính thức 2016 / Chia ra / Miền Bắc"] == ("actual", 2016, "Miền Bắc")
    assert roles["Phụ lục 6", "Ước tính năm 2017 / Tổng số"] == ("estimate", 2017, "Tổng số")
    assert roles["Phụ lục 6", "So sánh (%) / Chia ra / Miền Nam"] == ("ratio", None, "Miền Nam")
    assert roles["Phụ lục 7", "Năm 2016"] == ("actual", 2016, "")
    assert roles["Phụ lục 9", "Ước tính năm 2017"] == ("estimate", 2017, "")
    assert roles["Phụ lục 10", "Thực hiện cùng kỳ"] == ("actual", 2016, "")
    assert roles["Phụ lục 10", "Ước thực hiện 12 tháng năm 2017"] == ("estimate", 2017, "")
    ratios = {
        (t.label, r.label): r for t in _read("mard-2017-12-appendix.md") for r in t.roles if r.role == "ratio"
    }
    same_period = ratios["Phụ lục 1", "% so với / C.kỳ 2016"]
    assert (same_period.numerator.measure, same_period.numerator.period) == ("actual", 2017)
    assert (same_period.denominator.measure, same_period.denominator.period) == ("actual", 2016)
    sowing = ratios["Phụ lục 1", "% so với / Gieo cấy"]
    assert sowing.denominator.period is None and sowing.denominator.opaque
    for key in [("Phụ lục 6", "So sánh (%) / Chia ra / Miền Bắc"), ("Phụ lục 9", "Năm 2017 so với năm 2016 (%)"),
                ("Phụ lục 10", "% so với cùng kỳ")]:  # fmt: skip
        ratio = ratios[key]
        assert (ratio.numerator.measure, ratio.numerator.period) == ("estimate", 2017), key
        assert (ratio.denominator.measure, ratio.denominator.period) == ("actual", 2016), key


def test_the_broken_number_is_kept_for_review_not_read() -> None:
    tables = {t.label: t for t in _read("mard-2017-12-appendix.md")}
    flagged = [
        (row.name, cell.value.printed, cell.value.review_reason)
        for row in tables["Phụ lục 9"].rows
        for cell in row.cells
        if cell.value.review_reason
    ]
    assert flagged == [("Gia cầm", "106, 6", MALFORMED_NUMBER)]
    assert tables["Phụ lục 10"].convention is Convention.ENGLISH
