"""Maintainers' decisions in <name>.corrections.yaml, the cross-checks that flag conflicting
figures, and the review command that lists what is still open."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.common.enums import ReviewReason
from pipelines.common.errors import ExtractionError
from pipelines.document.model import BoxRef, Cell, Table
from pipelines.extract.scan_checks import (
    CONFLICTS_ELSEWHERE,
    CONFLICTS_WITH_RATIO,
    CONFLICTS_WITH_SUM,
    conflicts,
    prose_numbers,
)
from pipelines.extract.scan_review import flags, review
from pipelines.ocr.corrections import apply_corrections, corrections_path, load_corrections
from pipelines.synth.scan import PROFILES, image_pdf, scan_pages
from tests.ocr.drawn import ruled_page

HEADER = [
    ["TT", "Chỉ tiêu", "Đơn vị tính", "Thực hiện 2021", "Năm 2022", "", "", "Ghi chú"],
    ["", "", "", "", "KH 2022", "Ước TH năm 2022", "Ước TH năm 2022 so với KH 2022 (%)", ""],
    ["1", "2", "3", "4", "5", "6", "7=6/5", "8"],
]


def _table(body: list[list[tuple[str, float | None]]]) -> Table:
    """A table as OCR reads it: header read surely, body cells with the given confidences."""
    cells = []
    rows = [[(text, 96.0 if text else None) for text in row] for row in HEADER] + body
    for r, row in enumerate(rows):
        for c, (text, confidence) in enumerate(row):
            box = BoxRef(1, 50.0 + 60 * c, 100.0 + 20 * r, 105.0 + 60 * c, 118.0 + 20 * r)
            cells.append(Cell(r, c, text, box, confidence=confidence))
    return Table(tuple(cells), header_rows=3)


def _row(*cells: str | tuple[str, float]) -> list[tuple[str, float | None]]:
    """Cells as read: an empty cell has no reading, the others are sure unless given."""
    return [(c, 96.0 if c else None) if isinstance(c, str) else c for c in cells]


def test_a_ratio_the_read_figures_cannot_give_flags_the_three_cells() -> None:
    table = _table([_row("1", "Thu ngân sách", "Tỷ đồng", "1.949", "2.018", ("4.780", 88.0), "207,1", "")])
    found = conflicts(table)
    flagged = {cell.text for cell in table.cells if id(cell) in found}
    assert flagged == {"2.018", "4.780", "207,1"}
    assert set(found.values()) == {CONFLICTS_WITH_RATIO}


def test_a_conflict_among_sure_cells_is_the_sources_own() -> None:
    table = _table([_row("1", "Thu ngân sách", "Tỷ đồng", "1.949", "2.018", "4.780", "207,1", "")])
    assert conflicts(table) == {}


def test_a_sure_figure_whose_other_punctuation_gives_the_ratio_is_flagged() -> None:
    """``1.909`` read surely as ``1,909``: the printed 86,2 % cannot come from it, and would with
    the separator swapped; so would it with ``2.215`` read as ``2,215``: both are flagged."""
    table = _table([_row("16", "Số hộ", "hộ", "2.600", "2.215", "1,909", "86,2", "")])
    found = conflicts(table)
    assert {cell.text for cell in table.cells if id(cell) in found} == {"2.215", "1,909"}
    assert set(found.values()) == {CONFLICTS_WITH_RATIO}


def test_the_same_figure_printed_elsewhere_with_other_punctuation() -> None:
    prose = prose_numbers(["Số hộ chăn nuôi tăng thêm 1.909 hộ, đạt 86,2% kế hoạch; 1.322 ha lúa."])
    table = _table([_row("16", "Số hộ", "hộ", "13,22", "2.215", "1,909", "", "")])
    found = conflicts(table, prose)
    assert {cell.text: found[id(cell)] for cell in table.cells if id(cell) in found} == {
        "1,909": CONFLICTS_ELSEWHERE
    }
    agreeing = _table([_row("16", "Số hộ", "hộ", "2.600", "2.215", "1.909", "", "")])
    assert conflicts(agreeing, prose) == {}


def test_components_adding_up_to_more_than_their_total() -> None:
    table = _table(
        [
            _row("5", "Thu ngân sách", "Tỷ đồng", "1.949,545", "2.018", "4.180", "207,1", ""),
            _row("", "Trong đó:", "", "", "", "", "", ""),
            _row("-", "Thu thuế xuất, nhập khẩu", "Tỷ đồng", "436", "230", "2.600", "", ""),
            _row("-", "Thu nội địa", "Tỷ đồng", ("7.494,686", 70.0), "1.788", "1.575,205", "", ""),
        ]
    )
    found = conflicts(table)
    assert {cell.text for cell in table.cells if id(cell) in found} == {"1.949,545", "436", "7.494,686"}
    assert set(found.values()) == {CONFLICTS_WITH_SUM}


def test_components_read_surely_exceeding_a_sure_total_are_the_sources_own() -> None:
    """The sure components alone already exceed the sure total: an unsure component cannot be
    the cause, so the family is not flagged for it (as when every cell is sure)."""
    table = _table(
        [
            _row("5", "Thu ngân sách", "Tỷ đồng", "1.949,545", "2.018", "4.180", "207,1", ""),
            _row("", "Trong đó:", "", "", "", "", "", ""),
            _row("-", "Thu thuế xuất, nhập khẩu", "Tỷ đồng", "2.436", "230", "2.600", "", ""),
            _row("-", "Thu nội địa", "Tỷ đồng", ("7.494,686", 70.0), "1.788", "1.575,205", "", ""),
        ]
    )
    assert conflicts(table) == {}


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_corrections_confirm_and_correct_cells(tmp_path: Path) -> None:
    table = _table([_row("1", "Thu", "Tỷ đồng", ("1,949,545", 30.0), ("2.018", 70.0), "4.180", "207,1", "")])
    wrong, unsure = table.covering(3, 3), table.covering(3, 4)
    decisions = _write(
        tmp_path / "r.corrections.yaml",
        f"""corrections:
  - source_ref: "{wrong.locator}"
    read: "1,949,545"
    value: "1.949,545"
    by: Nguyễn Văn An
    date: 2026-11-29
  - source_ref: "{unsure.locator}"
    read: "2.018"
    value: "2.018"
    by: Trần Thị Bình
    date: "2026-11-30"
    note: checked against the signed copy
""",
    )
    loaded = load_corrections(decisions)
    assert [c.status for c in loaded] == ["corrected", "confirmed"]
    assert loaded[1].date == datetime.date(2026, 11, 30) and loaded[1].line == 7
    assert len(flags((table,))) == 2
    blocks, applied, stale = apply_corrections((table,), loaded)
    assert not stale and [a.source_ref for a in applied] == [str(wrong.locator), str(unsure.locator)]
    decided = blocks[0]
    assert decided.covering(3, 3).text == "1.949,545"
    assert flags(blocks) == []


def test_a_decision_about_another_reading_is_not_applied(tmp_path: Path) -> None:
    table = _table([_row("1", "Thu", "Tỷ đồng", ("1.949,545", 60.0), "2.018", "4.180", "207,1", "")])
    cell = table.covering(3, 3)
    moved = BoxRef(1, cell.locator.x0 + 1, cell.locator.y0 - 1, cell.locator.x1, cell.locator.y1)
    decisions = _write(
        tmp_path / "r.corrections.yaml",
        f"""corrections:
  - {{source_ref: "{moved}", read: "1,949,545", value: "1.949,545", by: An, date: 2026-11-29}}
  - {{source_ref: "{moved}", read: "1.949,545", value: "1.949,545", by: An, date: 2026-11-29}}
""",
    )
    _, applied, stale = apply_corrections((table,), load_corrections(decisions))
    assert [c.read for c in stale] == ["1,949,545"], "a box found again a point away still matches"
    assert [a.correction.read for a in applied] == ["1.949,545"]


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        (
            "corrections:\n  - source_ref: p1:1,2,3,4\n    read: '1'\n    value: '2'\n    by: An\n",
            2,
            "lacks date",
        ),
        (
            "corrections:\n  - {source_ref: L12, read: '1', value: '2', by: An, date: 2026-11-29}\n",
            2,
            "not a scan box",
        ),
        (
            "corrections:\n  - {source_ref: 'p1:1,2,3,4', read: '1', value: '2', by: An, date: 29/11/2026}\n",
            2,
            "YYYY-MM-DD",
        ),
        ("corrections:\n  - {source_ref: 'p1:1,2,3,4', colour: red}\n", 2, "unknown field 'colour'"),
        ("fixes: []\n", 1, "unknown key 'fixes'"),
        ("corrections: [\n", 2, "not a readable YAML"),
    ],
)
def test_a_bad_corrections_file_names_its_line(tmp_path: Path, text: str, line: int, problem: str) -> None:
    path = _write(tmp_path / "r.corrections.yaml", text)
    with pytest.raises(ExtractionError, match=problem) as error:
        load_corrections(path)
    assert error.value.line == line
    assert "\n" not in str(error.value).split(": ", 1)[0]


def test_corrections_file_sits_beside_the_report() -> None:
    assert corrections_path(Path("data/raw/cao-bang.scan.pdf")) == Path("data/raw/cao-bang.corrections.yaml")


def test_review_command_lists_open_flags_and_writes_crops(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dpi = 200
    scan = tmp_path / "report.pdf"
    scan.write_bytes(
        image_pdf(scan_pages([ruled_page(dpi, smudge=True)], 3, dpi, PROFILES["noisy"]), dpi, 70)
    )
    out = tmp_path / "review"
    assert main(["review", str(scan), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    first_line, *listed = printed.splitlines()
    assert first_line.startswith(f"{scan}: {len(listed)} open flags, 0 decided")
    crops = sorted(out.glob("*.png"))
    assert len(crops) == len(listed) >= 1, "the smudged figure is up for review"
    template = (out / "corrections.template.yaml").read_text(encoding="utf-8")
    entries = template.count("source_ref:")
    assert entries == len(listed)
    # The maintainer confirms every flag: nothing is left open.
    decisions = template.replace('by: ""', "by: An").replace('date: ""', "date: 2026-11-29")
    corrections_path(scan).write_text(decisions, encoding="utf-8")
    assert main(["review", str(scan), "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith(f"{scan}: 0 open flags, {entries} decided")


def test_review_of_a_printed_pdf_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    document.save(tmp_path / "blank.pdf")
    assert main(["review", str(tmp_path / "blank.pdf")]) == 1
    assert "neither text nor a scanned image" in capsys.readouterr().err


def test_review_keeps_flags_apart_from_decisions(tmp_path: Path) -> None:
    table = _table([_row("1", "Thu", "Tỷ đồng", ("1,949,545", 30.0), "2.018", "4.180", "207,1", "")])
    result = review(tmp_path / "none.pdf", (table,))
    assert [flag.cell.text for flag in result.flags] == ["1,949,545"]
    assert result.applied == [] and result.stale == []


def test_a_comma_read_where_the_row_prints_thousands_dots_is_doubtful() -> None:
    doubtful = _table([_row("16", "Số hộ", "hộ", "1.150", "1.160", "1,172", "", "")])
    found = conflicts(doubtful)
    assert {cell.text: found[id(cell)] for cell in doubtful.cells if id(cell) in found} == {
        "1,172": ReviewReason.ambiguous_number_format
    }
    decimals = _table([_row("16", "Số hộ", "tỷ đồng", "1,150", "1.160,250", "1,172", "", "")])
    assert conflicts(decimals) == {}
