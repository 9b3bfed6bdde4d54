"""Generated tables in other publishers' shapes: the reader finds exactly what the generator wrote,
and mutated tables never crash it nor produce values outside the conventions."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.common.errors import ExtractionError
from pipelines.document.read import parse_document
from pipelines.extract.shapes import read_tables
from pipelines.extract.values import AMBIGUOUS_NUMBER_FORMAT, MALFORMED_NUMBER, QUALIFIERS
from pipelines.synth.shapes import WORDS, generate_table


def _text(number: Decimal | None) -> str:
    return "" if number is None else format(number.normalize(), "f")


def _read(stem: str, data: bytes) -> list[dict[str, object]]:
    tables = read_tables(parse_document(Path(f"{stem}.md"), data).blocks)
    return [
        {
            "table": table.label,
            "row_label": row.row_label,
            "name": row.name,
            "name_vi": row.name_vi,
            "unit": row.unit,
            "column": cell.column.label,
            "role": cell.column.role,
            "period": cell.column.period,
            "breakdown": cell.column.breakdown,
            "printed": cell.value.printed,
            "value": _text(cell.value.value),
            "value_low": _text(cell.value.value_low),
            "value_high": _text(cell.value.value_high),
            "qualifier": cell.value.qualifier,
            "value_text": cell.value.value_text,
            "verdict": cell.value.verdict or "",
            "second": cell.value.secondary.printed if cell.value.secondary else "",
            "second_label": cell.value.secondary_label,
            "second_value": _text(cell.value.secondary.value) if cell.value.secondary else "",
            "review_reason": cell.value.review_reason,
        }
        for table in tables
        for row in table.rows
        for cell in row.cells
    ]


@pytest.mark.parametrize("seed", range(60))
def test_generated_table_reads_to_its_truth(seed: int) -> None:
    table = generate_table(seed)
    assert _read(table.stem, table.data) == table.truth["rows"]


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_any_seed_reads_to_its_truth(seed: int) -> None:
    table = generate_table(seed)
    assert _read(table.stem, table.data) == table.truth["rows"]


def test_the_generator_covers_the_shapes() -> None:
    truths = [generate_table(seed).truth for seed in range(80)]
    assert {t["layout"] for t in truths} == {"targets", "report", "series", "breakdown"}
    assert {t["unit_at"] for t in truths} == {"column", "name", "line"}
    assert {t["english"] for t in truths} == {True, False}
    rows = [row for t in truths for row in t["rows"]]
    assert {row["qualifier"] for row in rows} >= {"", "khoảng", "trên", "dưới", "≥", "<", "tối thiểu"}
    assert {row["verdict"] for row in rows} == {"", "met", "not_met", "exceeded"}
    assert {row["second_label"] for row in rows if row["second"]} == {"", "còn"}
    assert {row["review_reason"] for row in rows} == {"", "malformed_number", "ambiguous_number_format"}
    assert {row["value_text"] for row in rows} >= set(WORDS)
    pages = [generate_table(seed).data.decode() for seed in range(80)]
    assert any(re.search(r"\d \d{3}\b", row["printed"]) for row in rows)  # thousands grouped by spaces
    assert any(page.count("|---") > 1 for page in pages)  # a page break
    assert any("\n|**CHỈ TIÊU" in page for page in pages)  # the title as the table's first row
    assert {row["role"] for row in rows} == {
        "actual",
        "plan",
        "estimate",
        "preliminary",
        "target",
        "ratio",
        "verdict",
    }
    assert any(row["value_low"] != row["value_high"] for row in rows)
    assert any(row["breakdown"] for row in rows)


def test_a_table_that_proves_no_convention_flags_what_fits_both() -> None:
    page = "|Chỉ tiêu|ĐVT|KH 2024|\n|---|---|---|\n|Thu ngân sách|Tỷ đồng|3.700|\n|Số xã|xã|12|\n"
    (table,) = read_tables(parse_document(Path("page.md"), page.encode()).blocks)
    assert table.convention is None
    first, second = (row.cells[0].value for row in table.rows)
    assert (first.value, first.review_reason) == (None, AMBIGUOUS_NUMBER_FORMAT)
    assert (second.value, second.review_reason) == (Decimal(12), "")


PIECES = ["|", "||", "Col3", "Khoảng", "Trên 9", "1.000,5", "1,000.5", "-", "–", "(còn 2,5%)", "Đạt", "Tổng số",
          "Chia ra", "Đơn vị: tấn", "2019", "%", "<br>", "**", "_", "106, 6", "9" * 300, "Ước TH", "So sánh (%)"]  # fmt: skip


@st.composite
def mutated_tables(draw: st.DrawFn) -> bytes:
    lines = generate_table(draw(st.integers(0, 500))).data.decode("utf-8").split("\n")
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["drop", "double", "insert", "replace_cell"]))
        if edit == "drop" and len(lines) > 1:
            del lines[at]
        elif edit == "double":
            lines.insert(at, lines[at])
        elif edit == "insert":
            lines.insert(at, draw(st.sampled_from(PIECES)))
        elif lines[at].count("|") > 2:
            cells = lines[at].split("|")
            cells[draw(st.integers(1, len(cells) - 2))] = draw(st.sampled_from(PIECES))
            lines[at] = "|".join(cells)
    return "\n".join(lines).encode("utf-8")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated_tables())
def test_mutated_tables_read_or_fail_cleanly_and_values_keep_the_conventions(data: bytes) -> None:
    try:
        tables = read_tables(parse_document(Path("fuzzed.md"), data).blocks)
    except ExtractionError:
        return
    for table in tables:
        for row in table.rows:
            for cell in row.cells:
                value = cell.value
                assert value.qualifier in ("", *QUALIFIERS)
                assert value.review_reason in ("", AMBIGUOUS_NUMBER_FORMAT, MALFORMED_NUMBER)
                if value.value_low is not None:
                    assert value.value_high is not None and value.value_low <= value.value_high
                    assert not value.value_text
                if value.value is not None:
                    assert value.value_low == value.value == value.value_high
                if value.review_reason:
                    assert value.value is None and value.value_low is None


def test_the_generate_command_writes_shape_tables_with_their_truth(tmp_path: Path) -> None:
    import json

    from pipelines.cli import main

    assert main(["generate", "--shapes", "--out", str(tmp_path), "--count", "3", "--seed", "7"]) == 0
    tables = sorted(tmp_path.glob("shape-*.md"))
    assert len(tables) == 3
    for path in tables:
        truth = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))
        assert _read(path.stem, path.read_bytes()) == truth["rows"]
