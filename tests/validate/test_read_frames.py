"""The frames the pandas suites check hold each CSV cell as its text, a missing value as None,
whichever reader parsed the file."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from pipelines.package.reader import read_package
from pipelines.validate.package import read_frames

FIELDS = [{"name": n, "type": t} for n, t in (("code", "string"), ("value", "number"), ("note", "string"))]
# Codes with leading zeros, a quoted comma and line break, a quoted empty cell, a word where a
# number belongs: every one must reach the suites as printed.
CSV = 'code,value,note\n04,5.55,"a, b"\n007,,"two\nlines"\nx,abc,""\n'


def _frames(folder: Path, text: str, fields: list[dict] = FIELDS) -> pd.DataFrame:
    folder.mkdir()
    (folder / "t.csv").write_text(text, encoding="utf-8")
    descriptor = {"resources": [{"name": "t", "path": "t.csv", "schema": {"fields": fields}}]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return read_frames(read_package(folder))["t"]


def _as_pandas_reads_it(folder: Path) -> pd.DataFrame:
    frame = pd.read_csv(folder / "t.csv", dtype=str, keep_default_na=False, na_values=[""])
    return frame.astype(object).where(frame.notna(), None)


def test_cells_are_text_as_printed_and_empty_is_none(tmp_path: Path) -> None:
    frame = _frames(tmp_path / "p", CSV)
    assert frame.to_dict("records") == [
        {"code": "04", "value": "5.55", "note": "a, b"},
        {"code": "007", "value": None, "note": "two\nlines"},
        {"code": "x", "value": "abc", "note": None},
    ]
    assert frame.equals(_as_pandas_reads_it(tmp_path / "p"))


def test_a_header_other_than_the_schemas_is_still_read_as_text(tmp_path: Path) -> None:
    """A column the schema lacks is not typed by guessing: 12 stays the text '12'."""
    text = "code,extra\n04,12\n"
    frame = _frames(tmp_path / "p", text, FIELDS[:1])
    assert frame.to_dict("records") == [{"code": "04", "extra": "12"}]
