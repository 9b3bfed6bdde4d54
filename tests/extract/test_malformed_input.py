"""Malformed reports: one clear message naming file, line and problem; nothing written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pipelines.cli import main


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(_lines(text), start=1) if fragment in line)


def not_utf8(text: str) -> tuple[bytes, int, str]:
    line = _line_of(text, "| 2 | GRDP bình quân")
    broken = _lines(text)
    broken[line - 1] = broken[line - 1].replace("GRDP", "GRDP \udcff")
    data = "\n".join(broken).encode("utf-8", "surrogateescape")
    return data, line, "not UTF-8"


def no_table(text: str) -> tuple[bytes, int | None, str]:
    kept = [line for line in _lines(text) if not line.lstrip().startswith("|")]
    return "\n".join(kept).encode(), None, "no appendix table"


def wrong_cell_count(text: str) -> tuple[bytes, int, str]:
    line = _line_of(text, "| 14 | Tỷ lệ che phủ rừng")
    broken = _lines(text)
    broken[line - 1] = broken[line - 1].replace("| 55,88 |", "| 55,88 | 1 |")
    return "\n".join(broken).encode(), line, "12 cells, the table header has 11"


def text_for_number(text: str) -> tuple[bytes, int, str]:
    line = _line_of(text, "| 11 | Giảm tỷ lệ hộ nghèo")
    broken = _lines(text)
    broken[line - 1] = broken[line - 1].replace("| 4,03 |", "| khoảng 4 |")
    return "\n".join(broken).encode(), line, "text where a number belongs"


def truncated_in_a_row(text: str) -> tuple[bytes, int, str]:
    line = _line_of(text, "| 16 | Số hộ chăn nuôi")
    kept = _lines(text)[:line]
    kept[-1] = kept[-1][: len(kept[-1]) // 2]
    return "\n".join(kept).encode(), line, "cut off"


def truncated_after_header(text: str) -> tuple[bytes, int, str]:
    line = _line_of(text, "| 1 | 2 | 3 | 4 |")
    return "\n".join(_lines(text)[:line]).encode(), line, "no data rows"


CASES: dict[str, Callable[[str], tuple[bytes, int | None, str]]] = {
    "not-utf8": not_utf8,
    "no-table": no_table,
    "wrong-cell-count": wrong_cell_count,
    "text-for-number": text_for_number,
    "truncated-in-a-row": truncated_in_a_row,
    "truncated-after-header": truncated_after_header,
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_report_fails_cleanly_and_writes_nothing(
    case: str, seed_text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, line, problem = CASES[case](seed_text)
    report = tmp_path / "report.md"
    report.write_bytes(data)
    out = tmp_path / "out"

    assert main(["extract", str(report), "--out", str(out)]) == 1

    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    assert problem in err
    where = f"{report}:{line}:" if line else f"{report}:"
    assert where in err
    assert not out.exists()


def test_malformed_report_leaves_a_previous_package_untouched(
    seed_report: Path, seed_text: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert main(["extract", str(seed_report), "--out", str(out)]) == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    broken = tmp_path / "broken.md"
    broken.write_bytes(text_for_number(seed_text)[0])
    assert main(["extract", str(broken), "--out", str(out)]) == 1

    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
