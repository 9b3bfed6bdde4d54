"""Hostile or unlucky inputs for the maintainers' commands: formula cells in spreadsheet downloads,
oversized reports, unsafe raw file names, I/O faults, and footnote markers in names.

Each test is the attack as found: it fails on a pipeline that keeps a live formula, accepts an
unbounded input, writes a report named ``..`` into ``build/`` itself, or prints a traceback.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.package.metadata import load_metadata
from pipelines.publish.database import build_database
from pipelines.publish.downloads import excel_cell, write_table_downloads
from pipelines.publish.siteconfig import load_site_config
from pipelines.synth.catalogue import FORMULA_NAMES
from tests.paths import REPO_ROOT, SEED
from tests.support import environment, write_passing_summary


def run(*argv: str, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipelines", *argv], cwd=cwd, env=environment(), capture_output=True, text=True
    )


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


# --- formulas in the spreadsheet downloads ---------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("+cmd /C calc", "'+cmd /C calc"),
        ("-2+3+cmd", "'-2+3+cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-3,21", "-3,21"),
        ("+1.234,5", "+1.234,5"),
        ("-", "-"),
        ("+", "+"),
        ("Giảm tỷ lệ hộ nghèo", "Giảm tỷ lệ hộ nghèo"),
        (-3.21, -3.21),
        (None, None),
    ],
)
def test_excel_cells_that_read_as_formulas_are_quoted(cell: object, written: object) -> None:
    assert excel_cell(cell) == written


def test_a_hostile_report_gives_inert_spreadsheet_downloads(tmp_path: Path) -> None:
    raw, extracted, package = tmp_path / "raw", tmp_path / "extracted", tmp_path / "package"
    assert main(["generate", "--out", str(raw), "--seed", "8", "--crafted-names", "--no-truth"]) == 0
    assert main(["extract-all", str(raw), "--out", str(extracted)]) == 0
    assert main(["package", str(extracted), "--out", str(package)]) == 0
    db = tmp_path / "chitieu.db"
    build_database(package / "datapackage.json", db, load_metadata(), load_site_config())
    write_table_downloads(db, ["indicators", "observations"], tmp_path / "downloads")

    text = (tmp_path / "downloads" / "excel" / "indicators.csv").read_text(encoding="utf-8-sig")
    names = [row["name_vi"] for row in csv.DictReader(io.StringIO(text))]
    published = (package / "data" / "indicators.csv").read_text(encoding="utf-8")
    published_names = [row["name_vi"] for row in csv.DictReader(io.StringIO(published))]
    for formula in FORMULA_NAMES:
        assert formula in published_names, "the package keeps the name as printed"
        assert f"'{formula}" in names, f"{formula!r} is not quoted in the Excel CSV"
    assert not [n for n in names if n[:1] in "=@+-\t\r" and n not in ("-", "+")]
    observations = (tmp_path / "downloads" / "excel" / "observations.csv").read_text(encoding="utf-8-sig")
    assert ",-" in observations or '"-' in observations, "negative numbers stay as printed"

    with zipfile.ZipFile(tmp_path / "downloads" / "xlsx" / "indicators.xlsx") as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "HYPERLINK" in sheet, "XLSX keeps the formula text as a string"


# --- raw report names ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["...md", ".hidden.md", "..md"])
def test_unsafe_raw_names_stop_extract_all_naming_the_file(tmp_path: Path, name: str) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "cao-bang.md").write_bytes(SEED.read_bytes())
    (raw / name).write_bytes(SEED.read_bytes())
    line = one_error_line(run("extract-all", str(raw), "--out", str(tmp_path / "build" / "extracted")))
    assert name in line and "file name" in line
    assert not (tmp_path / "build" / "datapackage.json").exists()


# --- I/O faults: one line naming the path and the operation ----------------------------------


def test_an_unusable_out_folder_is_one_error_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    line = one_error_line(run("extract", str(SEED), "--out", str(blocker / "out")))
    assert str(blocker) in line and "cannot" in line


def test_an_unusable_database_folder_is_one_error_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    line = one_error_line(run("build-db", "datapackage.json", "--out", str(blocker / "site" / "chitieu.db")))
    assert str(blocker) in line and "cannot" in line


def test_a_site_folder_that_cannot_be_written_is_one_error_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    line = one_error_line(run("site", "datapackage.json", "--db", str(SEED), "--out", str(blocker / "site")))
    assert str(blocker) in line


def test_a_promotion_blocked_half_way_is_one_error_line_and_rolled_forward(tmp_path: Path) -> None:
    candidate, out = tmp_path / "candidate", tmp_path / "published"
    assert main(["extract-all", str(SEED.parent), "--out", str(tmp_path / "extracted")]) == 0
    assert main(["package", str(tmp_path / "extracted"), "--out", str(candidate)]) == 0
    validation = tmp_path / "validation"
    write_passing_summary(validation, candidate)
    (out / "data" / "observations.csv" / "in-the-way").mkdir(parents=True)

    line = one_error_line(run("promote", str(candidate), "--validation", str(validation), "--out", str(out)))
    assert "observations.csv" in line and "cannot" in line

    (out / "data" / "observations.csv" / "in-the-way").rmdir()
    (out / "data" / "observations.csv").rmdir()
    assert main(["promote", str(candidate), "--validation", str(validation), "--out", str(out)]) == 0
    assert (out / "datapackage.json").read_bytes() == (candidate / "datapackage.json").read_bytes()


# --- footnote markers ------------------------------------------------------------------------


def test_footnote_markers_stay_in_names(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    row = "| 2 | GRDP bình quân đầu người |"
    assert text.count(row) == 1
    report = tmp_path / "marked.md"
    report.write_text(text.replace(row, "| 2 | GRDP bình quân đầu người (*) và (**) |"), encoding="utf-8")
    assert main(["extract", str(report), "--out", str(tmp_path / "out")]) == 0
    indicators = (tmp_path / "out" / "data" / "indicators.csv").read_text(encoding="utf-8")
    assert "GRDP bình quân đầu người (*) và (**)" in indicators
