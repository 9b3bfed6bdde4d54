"""The csvkit structural check: sound published CSVs pass; each kind of broken file fails with its
file and line, and `validate` stops before anything parses it by type."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipelines.validate.run import validate
from pipelines.validate.structure import as_written, check_csv, check_files

HEADER = ["report_id", "name", "value"]


def _write(tmp_path: Path, data: bytes, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _lines(path: Path) -> list[tuple[int | None, str]]:
    return [(p.line, p.message) for p in check_csv(path, HEADER, "data/t.csv")]


def test_every_published_csv_is_sound(repo_root: Path) -> None:
    descriptor = json.loads((repo_root / "datapackage.json").read_text(encoding="utf-8"))
    files = {
        r["path"]: (repo_root / r["path"], [f["name"] for f in r["schema"]["fields"]])
        for r in descriptor["resources"]
    }
    assert len(files) >= 8
    assert check_files(files) == []
    # Each is passed by the one comparison with what the package writer writes.
    for path, header in files.values():
        data = path.read_bytes()
        assert as_written(data, data.decode("utf-8"), header), path


def test_a_sound_file_with_quoted_commas_and_a_line_break_in_a_cell_passes(tmp_path: Path) -> None:
    path = _write(tmp_path, 'report_id,name,value\na,"Hà Nội, ""thủ đô""",1\nb,"two\nlines",2\n'.encode())
    assert _lines(path) == []


def test_a_ragged_row_is_named_by_file_and_line_after_a_multiline_cell(tmp_path: Path) -> None:
    path = _write(tmp_path, b'report_id,name,value\na,"two\nlines",1\nb,x,2,extra\nc,y\n')
    problems = check_csv(path, HEADER, "data/t.csv")
    assert [(p.line, p.message) for p in problems] == [
        (4, "expected 3 columns, found 4 columns"),
        (5, "expected 3 columns, found 2 columns"),
    ]
    assert str(problems[0]) == "data/t.csv line 4: expected 3 columns, found 4 columns"


def test_a_file_that_is_not_utf8_is_named_with_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "report_id,name,value\na,b,1\nc,Hà Giang,2\n".encode("cp1258"))
    [(line, message)] = _lines(path)
    assert line == 3
    assert message.startswith("not UTF-8: byte 0x") and "column 4" in message


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b"\xef\xbb\xbfreport_id,name,value\na,b,1\n", 1, "byte-order mark"),
        (b"report_id,name\na,b\n", 1, "the Table Schema has"),
        (b"report_id,name,value\na,b,1\nreport_id,name,value\nc,d,2\n", 3, "header row appears again"),
        (b"report_id,name,value\na,b,1\n\nc,d,2\n", 3, "found 0 columns"),
        (b"report_id,name,value\na,b\n", 2, "found 2 columns"),
        (b'report_id,name,value\na,b"c,1\n', 2, "stray or unneeded quoting"),
        (b'report_id,name,value\na,"b"c,1\n', 2, "malformed quoting"),
        (b'report_id,name,value\na,"b,1\n', 2, "malformed quoting"),
        (b'report_id,name,value\na,"b",1\n', 2, "stray or unneeded quoting"),
        (b"report_id,name,value\r\na,b,1\r\n", 1, "CR LF"),
        (b"report_id,name,value\na,b,1", 2, "no line end"),
        (b"", 1, "no header"),
    ],
)
def test_each_structural_fault_is_named_with_its_line(
    tmp_path: Path, data: bytes, line: int, words: str
) -> None:
    problems = _lines(_write(tmp_path, data))
    assert problems, data
    assert problems[0][0] == line
    assert words in problems[0][1]


@pytest.fixture
def root_copy(repo_root: Path, tmp_path: Path) -> Path:
    """The committed root package (descriptor, CSVs, Parquet copy) in a scratch folder."""
    target = tmp_path / "package"
    shutil.copytree(repo_root / "data", target / "data", ignore=shutil.ignore_patterns("raw"))
    shutil.copy(repo_root / "datapackage.json", target / "datapackage.json")
    return target


def test_validate_stops_at_a_ragged_row_naming_file_and_line(
    root_copy: Path, tmp_path: Path, repo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_path = root_copy / "data" / "observations.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[6] = lines[6].rstrip("\n") + ",surplus\n"
    columns = len(lines[0].split(","))
    expected = f"data/observations.csv line 7: expected {columns} columns, found {columns + 1} columns"
    csv_path.write_text("".join(lines), encoding="utf-8")
    out = tmp_path / "validation"
    assert validate(root_copy / "datapackage.json", out, None, repo_root / "params.yaml") is False
    printed = capsys.readouterr().out
    assert expected in printed
    assert "FAILED: publishing is blocked" in printed
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["passed"] is False and summary["structure"]["errors"] == 1
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["structure"] == [expected]


def test_validate_stops_at_a_file_that_is_not_utf8(
    root_copy: Path, tmp_path: Path, repo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_path = root_copy / "data" / "reports.csv"
    csv_path.write_bytes(csv_path.read_text(encoding="utf-8").encode("utf-16"))
    assert validate(root_copy / "datapackage.json", tmp_path / "v", None, repo_root / "params.yaml") is False
    assert "data/reports.csv line 1: not UTF-8: byte 0xff at column 1" in capsys.readouterr().out
