"""Oversized reports (finding 7): refused while reading, in one line naming the file, the limit
and the params.yaml key to raise; what was extracted before stays exactly as it was."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

from pipelines.cli import main
from pipelines.common.errors import ExtractionError
from pipelines.common.params import DEFAULTS
from pipelines.document.limits import ReadLimits
from pipelines.document.read import read_document
from pipelines.document.text import decode_text
from pipelines.synth.formats.spreadsheet import render_xlsx
from pipelines.synth.formats.web import render_html
from pipelines.synth.formats.word import render_docx

LIMITS = DEFAULTS["limits"]


def _params(tmp_path: Path, **limits: int) -> Path:
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump({"limits": limits}), encoding="utf-8")
    return path


def _snapshot(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def raw(tmp_path: Path, seed_report: Path) -> Path:
    """A raw folder holding the seed report, already extracted once into ``tmp_path/extracted``."""
    folder = tmp_path / "raw"
    folder.mkdir()
    shutil.copy(seed_report, folder / "seed.md")
    assert main(["extract-all", str(folder), "--out", str(tmp_path / "extracted")]) == 0
    return folder


def _refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, raw: Path, report: Path, param: str, params: Path
) -> str:
    """Run extract-all over ``raw`` (now holding ``report``): one error line, nothing changed."""
    out = tmp_path / "extracted"
    before = _snapshot(out)
    capsys.readouterr()
    assert main(["extract-all", str(raw), "--out", str(out), "--params", str(params)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith(f"error: {report}"), err
    assert f"limits.{param} = " in err and "in params.yaml; raise it" in err, err
    assert _snapshot(out) == before
    assert not (out / report.stem).exists()
    return err


def test_a_text_table_over_the_default_row_limit_is_refused_at_its_line(
    tmp_path: Path, raw: Path, seed_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = LIMITS["max_table_rows"]
    body = "\n".join(f"| {n} | Chỉ tiêu thử {n} | % | 1,{n % 10} |" for n in range(rows + 10))
    text = f"{seed_text}\n\n| TT | Chỉ tiêu | ĐVT | 2021 |\n|---|---|---|---|\n{body}\n"
    report = raw / "long.md"
    report.write_text(text, "utf-8")
    err = _refused(capsys, tmp_path, raw, report, "max_table_rows", tmp_path / "absent.yaml")
    header = text.splitlines().index("| TT | Chỉ tiêu | ĐVT | 2021 |") + 1
    line = header + 1 + rows  # the header counts as a row; the separator line does not
    assert err.startswith(
        f"error: {report}:{line}: the table is too long: over limits.max_table_rows = {rows:,} rows"
    )


def test_prose_over_the_block_limit_is_refused(
    tmp_path: Path, raw: Path, seed_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    report = raw / "wordy.md"
    report.write_text(
        seed_text + "\n\n" + "\n".join(f"Đoạn văn số {n}." for n in range(3000)) + "\n", "utf-8"
    )
    err = _refused(capsys, tmp_path, raw, report, "max_blocks", _params(tmp_path, max_blocks=2000))
    assert "the report is too long: over limits.max_blocks = 2,000 paragraphs and tables" in err


def test_prose_is_refused_at_the_first_paragraph_over_the_limit_while_it_is_split(tmp_path: Path) -> None:
    report = tmp_path / "wordy.md"
    report.write_text("\n".join(f"Đoạn văn số {n}." for n in range(1, 3001)) + "\n", "utf-8")
    with pytest.raises(ExtractionError) as refused:
        read_document(report, ReadLimits(max_blocks=2000))
    assert refused.value.line == 2001  # paragraph 2,001: the lines after it were never split


def test_table_rows_and_footnote_lists_are_not_counted_as_paragraphs_while_splitting(
    tmp_path: Path,
) -> None:
    table = "| TT | Chỉ tiêu |\n|---|---|\n" + "".join(f"| {n} | Chỉ tiêu {n} |\n" for n in range(20))
    footnote = "¹ Gồm các xã sau:\n" + "".join(f"- Xã {n}\n" for n in range(20))
    lines = decode_text(
        tmp_path / "x.md", f"Mở đầu.\n\n{table}\n{footnote}".encode(), ReadLimits(max_blocks=3)
    )
    assert len(lines) == 46
    report = tmp_path / "x.md"
    report.write_text(f"Mở đầu.\n\n{table}\n{footnote}", "utf-8")
    assert len(read_document(report, ReadLimits(max_blocks=3)).blocks) == 3


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    tmp_path: Path, raw: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = raw / "huge.md"
    with report.open("wb") as handle:  # sparse: nothing of it is ever in memory
        handle.truncate(LIMITS["max_input_bytes"] + 1)
    err = _refused(capsys, tmp_path, raw, report, "max_input_bytes", tmp_path / "absent.yaml")
    assert f"the file is {LIMITS['max_input_bytes'] + 1:,} bytes" in err


def test_a_word_table_over_the_row_limit_is_refused(
    tmp_path: Path, raw: Path, seed_report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = raw / "seed-word.docx"
    report.write_bytes(render_docx(read_document(seed_report)))
    err = _refused(capsys, tmp_path, raw, report, "max_table_rows", _params(tmp_path, max_table_rows=20))
    assert re.search(r": table \d+ is too long: over limits.max_table_rows = 20 rows", err), err


def test_a_spreadsheet_over_the_row_limit_is_refused(
    tmp_path: Path, raw: Path, seed_report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = raw / "appendix.xlsx"
    report.write_bytes(render_xlsx(read_document(seed_report)))
    err = _refused(capsys, tmp_path, raw, report, "max_table_rows", _params(tmp_path, max_table_rows=20))
    assert "sheet " in err and "is too long: over limits.max_table_rows = 20 rows" in err


def test_a_word_file_that_unpacks_beyond_the_limit_is_refused_before_unpacking(
    tmp_path: Path, raw: Path, seed_report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    buffer = io.BytesIO(render_docx(read_document(seed_report)))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", bytes(4 * 1024 * 1024))  # 4 MB of zeros, a few KB packed
    report = raw / "bomb.docx"
    report.write_bytes(buffer.getvalue())
    assert report.stat().st_size < 1024 * 1024
    params = _params(tmp_path, max_unpacked_bytes=2 * 1024 * 1024)
    err = _refused(capsys, tmp_path, raw, report, "max_unpacked_bytes", params)
    assert "the file unpacks to " in err


def test_a_web_table_wider_than_the_limit_is_refused(
    tmp_path: Path, raw: Path, seed_report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    columns = LIMITS["max_table_columns"] + 1
    wide = "<table><tr>" + "<td>x</td>" * columns + "</tr><tr>" + "<td>1</td>" * columns + "</tr></table>"
    page = render_html(read_document(seed_report)).replace(b"</body>", wide.encode() + b"</body>")
    report = raw / "wide.html"
    report.write_bytes(page)
    err = _refused(capsys, tmp_path, raw, report, "max_table_columns", tmp_path / "absent.yaml")
    assert f"is too wide: over limits.max_table_columns = {LIMITS['max_table_columns']} columns" in err


def test_a_limit_that_is_not_a_positive_number_names_the_params_file(
    tmp_path: Path, raw: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    params = tmp_path / "params.yaml"
    params.write_text("limits:\n  max_table_rows: many\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["extract-all", str(raw), "--out", str(tmp_path / "extracted"), "--params", str(params)]) == 1
    err = capsys.readouterr().err
    assert err == f"error: {params}: limits.max_table_rows must be a positive whole number, not 'many'\n"


def test_the_seed_reads_within_the_default_limits(seed_report: Path) -> None:
    doc = read_document(seed_report)
    assert doc.tables and max(t.n_rows for t in doc.tables) < LIMITS["max_table_rows"]
