"""A published CSV read back for the derived builders: whole rows, or only the columns they need."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.common.errors import PipelineError
from pipelines.package.derived import TextRows

CSV = 'report_id,indicator_id,name_vi\nr1,r1/1,"Tốc độ tăng, GRDP"\nr1,r1/2,"hai\ndòng"\n'.encode()


def _table(tmp_path: Path) -> TextRows:
    path = tmp_path / "indicators.csv"
    path.write_bytes(CSV)
    return TextRows(path)


def test_select_gives_the_named_columns_in_the_order_asked_as_the_rows_say(tmp_path: Path) -> None:
    rows = _table(tmp_path)
    assert list(rows.select("name_vi", "report_id")) == [
        ("Tốc độ tăng, GRDP", "r1"),
        ("hai\ndòng", "r1"),
    ]
    assert list(rows.select("indicator_id")) == [("r1/1",), ("r1/2",)]
    assert [tuple(row[n] for n in ("name_vi", "report_id")) for row in rows] == list(
        rows.select("name_vi", "report_id")
    )


def test_a_column_the_table_lacks_is_named(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match=r"columns \['breakdown'\] are not in the table"):
        list(_table(tmp_path).select("report_id", "breakdown"))


def test_select_reads_any_published_text_as_the_rows_say_across_batches(tmp_path: Path) -> None:
    """Empty cells stay "", quotes, commas and line breaks survive, and the rows of a table
    longer than one batch come in order (12,000 rows written by the package's CSV writer)."""
    import random

    from pipelines.package.csvio import text_rows_to_csv

    pick = random.Random(16)
    cells = ["", "x", "04", 'a "q"', "c, d", "hai\ndòng", "  ", "5,55", "NA"]
    rows = [[pick.choice(cells) + str(n % 7) * pick.randint(0, 1) for _ in range(4)] for n in range(12_000)]
    path = tmp_path / "t.csv"
    path.write_bytes(text_rows_to_csv(["a", "b", "c", "d"], rows))
    table = TextRows(path)
    assert list(table.select("c", "a")) == [(row[2], row[0]) for row in rows]
    assert [tuple(row[n] for n in ("c", "a")) for row in table] == [(row[2], row[0]) for row in rows]
