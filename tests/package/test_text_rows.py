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
