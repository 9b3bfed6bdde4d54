"""Spreadsheet downloads are byte-stable, so an unchanged package never looks changed to DVC."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipelines.publish.downloads import write_xlsx


def test_xlsx_is_the_same_bytes_when_written_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (name TEXT, value REAL)")
    conn.execute("INSERT INTO t VALUES ('Tỷ lệ hộ nghèo', 4.03)")
    write_xlsx(conn, "t", tmp_path / "first.xlsx")
    later = time.time() + 400 * 24 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    monkeypatch.setattr(
        time, "localtime", lambda seconds=None: time.gmtime(later if seconds is None else seconds)
    )
    write_xlsx(conn, "t", tmp_path / "second.xlsx")
    assert (tmp_path / "first.xlsx").read_bytes() == (tmp_path / "second.xlsx").read_bytes()
    sheet = load_workbook(tmp_path / "first.xlsx").active
    assert [c.value for c in sheet[2]] == ["Tỷ lệ hộ nghèo", 4.03]
