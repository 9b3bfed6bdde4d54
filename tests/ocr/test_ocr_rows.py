"""What the published rows say about a scan's readings: review reasons on the figures, a row kept
for a figure that could not be read, decisions from the corrections file recorded, and every
open flag listed among the warnings. Tables are given as OCR reads them (no engine needed)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from pipelines.common.enums import ReviewReason
from pipelines.document.model import Document, LineRef, Paragraph
from pipelines.document.read import in_part
from pipelines.extract.appendix import read_appendix
from pipelines.extract.columns import read_layout
from pipelines.extract.extracted import CollectedRows
from pipelines.extract.report import APPENDIX
from pipelines.extract.scan_rows import (
    STALE_CORRECTION,
    ScanCertainty,
    flag_statement_conflicts,
    scan_certainty,
)
from pipelines.extract.table import TableRow, table_rows
from tests.ocr.test_ocr_corrections import _row, _table


def _appendix(report: Path, rows: list[TableRow], certainty: ScanCertainty) -> SimpleNamespace:
    """The appendix's rows (collected as extraction hands them over) and its warnings."""
    sink = CollectedRows()
    layout = read_layout(str(report), rows)
    warnings = read_appendix(str(report), "r", layout, rows, Decimal("0.1"), certainty, sink.add)
    return SimpleNamespace(**{name: sink.tables.get(name, []) for name in APPENDIX}, warnings=warnings)


def _rows(tmp_path: Path, corrections: str | None = None) -> tuple[dict, dict, list]:
    table = _table(
        [
            _row("1", "Thu ngân sách", "Tỷ đồng", ("2/74", 40.0), "2.018", ("4.180", 70.0), "207,1", ""),
            _row("2", "Tỷ lệ hộ nghèo", "%", ("", 0.0), "4,0", "4,0", "100,0", ""),
        ]
    )
    report = tmp_path / "tinh.pdf"
    if corrections is not None:
        (tmp_path / "tinh.corrections.yaml").write_text(corrections, encoding="utf-8")
    model, certainty = scan_certainty(Document(report, "scan", "0" * 64, (table,)))
    rows = table_rows(model, model.tables[0])
    tables = _appendix(report, rows, certainty)
    observations = {(o["indicator_id"], o["period"], o["measure"]): o for o in tables.observations}
    ratios = {r["indicator_id"]: r for r in tables.ratios}
    return observations, ratios, certainty.warnings()


def test_doubtful_figures_are_published_with_their_reason(tmp_path: Path) -> None:
    observations, ratios, warnings = _rows(tmp_path)
    unread = observations[("r/1", 2021, "actual")]
    assert unread["value"] is None and unread["value_printed"] == "2/74" and unread["decimals"] is None
    assert unread["review_reason"] == ReviewReason.ocr_low_confidence and unread["ocr_confidence"] == 40.0
    estimate = observations[("r/1", 2022, "estimate")]
    assert (
        estimate["value"] == Decimal("4180") and estimate["review_reason"] == ReviewReason.ocr_low_confidence
    )
    sure = observations[("r/1", 2022, "plan")]
    assert sure["review_reason"] is None and sure["ocr_confidence"] == 96.0
    assert ratios["r/1"]["review_reason"] == ReviewReason.ocr_low_confidence
    # a printed cell that could not be read at all keeps its row, empty, with its reason
    blank = observations[("r/2", 2021, "actual")]
    assert blank["value"] is None and blank["value_printed"] is None
    assert blank["review_reason"] == ReviewReason.ocr_unreadable
    flagged = {(w.source_ref, w.code) for w in warnings}
    assert {
        (o["source_ref"], o["review_reason"]) for o in observations.values() if o["review_reason"]
    } <= flagged
    assert all(w.source_ref and w.source_ref.startswith("p1:") for w in warnings)


def test_decisions_are_applied_and_recorded(tmp_path: Path) -> None:
    before, _, _ = _rows(tmp_path)
    unread, estimate = before[("r/1", 2021, "actual")], before[("r/1", 2022, "estimate")]
    observations, ratios, warnings = _rows(
        tmp_path,
        f"""corrections:
  - source_ref: "{unread["source_ref"]}"
    read: "2/74"
    value: "2,74"
    by: Nguyễn Văn An
    date: 2026-11-29
  - source_ref: "{estimate["source_ref"]}"
    read: "4.180"
    value: "4.180"
    by: Trần Thị Bình
    date: 2026-11-30
  - source_ref: "p9:1.0,1.0,2.0,2.0"
    read: "7"
    value: "7"
    by: Trần Thị Bình
    date: 2026-11-30
""",
    )
    corrected = observations[("r/1", 2021, "actual")]
    assert corrected["value"] == Decimal("2.74") and corrected["value_printed"] == "2,74"
    assert corrected["review_reason"] is None and corrected["review_status"] == "corrected"
    assert corrected["reviewed_by"] == "Nguyễn Văn An"
    assert corrected["reviewed_on"] == datetime.date(2026, 11, 29)
    confirmed = observations[("r/1", 2022, "estimate")]
    assert confirmed["review_status"] == "confirmed" and confirmed["review_reason"] is None
    assert confirmed["ocr_confidence"] == 70.0  # as read, before the decision
    assert {w.code for w in warnings} == {ReviewReason.ocr_unreadable, STALE_CORRECTION}
    assert ratios["r/1"]["review_reason"] is None


def test_words_confirmed_as_printed_are_the_rows_words(tmp_path: Path) -> None:
    before, _, _ = _rows(tmp_path)
    unread = before[("r/1", 2021, "actual")]
    observations, _, _ = _rows(
        tmp_path,
        f"""corrections:
  - source_ref: "{unread["source_ref"]}"
    read: "2/74"
    value: "2/74"
    by: Nguyễn Văn An
    date: 2026-11-29
""",
    )
    words = observations[("r/1", 2021, "actual")]
    assert words["value"] is None and words["value_text"] == "2/74" and words["review_reason"] is None
    assert words["review_status"] == "confirmed"


def test_a_doubtful_figure_the_text_states_otherwise_is_flagged(tmp_path: Path) -> None:
    observations, _, _ = _rows(tmp_path)
    check = {"agrees": "no", "indicator_id": "r/1", "number_printed": "4.108"}
    checks = [
        {**check, "measure": "estimate", "period": 2022},  # read with 70, already flagged
        {**check, "measure": "plan", "period": 2022},  # read surely: the source's own discrepancy
        {**check, "indicator_id": "r/2", "measure": "plan", "period": 2022, "agrees": "yes"},
    ]
    scanned = {(o["indicator_id"], o["measure"], o["period"]): o for o in observations.values()}
    assert flag_statement_conflicts(checks, scanned) == ([], {})
    doubtful = observations[("r/2", 2022, "estimate")]
    doubtful["ocr_confidence"] = 75.0
    (warning,), changes = flag_statement_conflicts(
        [{**check, "indicator_id": "r/2", "measure": "estimate", "period": 2022}], scanned
    )
    assert doubtful["review_reason"] == ReviewReason.ocr_conflicts_elsewhere
    assert changes == {("r/2", "estimate", "2022"): {"review_reason": ReviewReason.ocr_conflicts_elsewhere}}
    assert warning.source_ref == doubtful["source_ref"] and "4.108" in warning.message


def test_a_flagged_ratio_is_confirmed_the_same_way(tmp_path: Path) -> None:
    """A printed ratio read unsurely is flagged on its own cell; a maintainer's decision on it is
    recorded on the ratio row with the same columns as on a figure."""
    table = _table([_row("1", "Tỷ lệ hộ nghèo", "%", "4,2", "4,0", "4,0", ("100,0", 50.0), "")])
    report = tmp_path / "tinh.pdf"
    model, certainty = scan_certainty(Document(report, "scan", "0" * 64, (table,)))
    rows = table_rows(model, model.tables[0])
    (flagged,) = _appendix(report, rows, certainty).ratios
    assert flagged["review_reason"] == ReviewReason.ocr_low_confidence and flagged["ocr_confidence"] == 50.0
    assert flagged["review_status"] is None and flagged["reviewed_by"] is None

    (tmp_path / "tinh.corrections.yaml").write_text(
        f"""corrections:
  - source_ref: "{flagged["source_ref"]}"
    read: "100,0"
    value: "100,0"
    by: Nguyễn Văn An
    date: 2026-11-30
""",
        encoding="utf-8",
    )
    model, certainty = scan_certainty(Document(report, "scan", "0" * 64, (table,)))
    rows = table_rows(model, model.tables[0])
    (ratio,) = _appendix(report, rows, certainty).ratios
    assert ratio["review_reason"] is None and ratio["review_status"] == "confirmed"
    assert ratio["reviewed_by"] == "Nguyễn Văn An" and ratio["reviewed_on"] == datetime.date(2026, 11, 30)
    assert ratio["ocr_confidence"] == 50.0 and ratio["published_printed"] == "100,0"
    assert certainty.warnings() == []


def test_a_scanned_part_of_a_report_of_several_files_is_reviewed_too(tmp_path: Path) -> None:
    """A report published as a text body and a scanned appendix: the appendix's doubtful figures
    are flagged under their '<file>#p<page>:…' source_ref, and the report's corrections file
    (named after the report) settles them by that reference."""
    table = _table([_row("1", "Thu ngân sách", "Tỷ đồng", ("2/74", 40.0), "2.018", "2.100", "104,1", "")])
    body = Paragraph("Báo cáo tình hình kinh tế - xã hội.", LineRef(1))
    blocks = (body, in_part("phu-luc.pdf", table))
    report = tmp_path / "bao-cao"

    def published(corrections: str | None = None) -> tuple[dict, list]:
        if corrections is not None:
            (tmp_path / "bao-cao.corrections.yaml").write_text(corrections, encoding="utf-8")
        model, certainty = scan_certainty(Document(report, "text+scan", "0;1", blocks))
        rows = table_rows(model, model.tables[0])
        tables = _appendix(report, rows, certainty)
        return {(o["period"], o["measure"]): o for o in tables.observations}, certainty.warnings()

    observations, warnings = published()
    unread = observations[(2021, "actual")]
    assert unread["source_ref"].startswith("phu-luc.pdf#p1:")
    assert unread["review_reason"] == ReviewReason.ocr_low_confidence and unread["ocr_confidence"] == 40.0
    assert {w.source_ref for w in warnings} == {unread["source_ref"]}

    observations, warnings = published(
        f"""corrections:
  - source_ref: "{unread["source_ref"]}"
    read: "2/74"
    value: "2,74"
    by: Nguyễn Văn An
    date: 2026-11-30
  - source_ref: "{unread["source_ref"].replace("phu-luc.pdf", "khac.pdf")}"
    read: "2/74"
    value: "2,74"
    by: Nguyễn Văn An
    date: 2026-11-30
"""
    )
    corrected = observations[(2021, "actual")]
    assert corrected["value"] == Decimal("2.74") and corrected["review_status"] == "corrected"
    assert corrected["review_reason"] is None
    assert [w.code for w in warnings] == [STALE_CORRECTION], (
        "a decision about another file's box is not applied"
    )


def test_a_scanned_row_whose_name_was_lost_is_kept_flagged(tmp_path: Path) -> None:
    """A row with figures but no readable name, and a 'Trong đó:' row read with figures, stop a
    typed report; in a scan the row is kept, without a name, its figures flagged."""
    table = _table(
        [
            _row("1", "Thu ngân sách", "Tỷ đồng", "1.949", "2.018", "2.100", "104,1", ""),
            _row("", ("", 0.0), "Tỷ đồng", "436", "450", "460", "102,2", ""),
            _row("", "Trong đó:", "", "12", "", "", "", ""),
        ]
    )
    report = tmp_path / "tinh.pdf"
    model, certainty = scan_certainty(Document(report, "scan", "0" * 64, (table,)))
    rows = table_rows(model, model.tables[0])
    tables = _appendix(report, rows, certainty)
    unnamed = [i for i in tables.indicators if i["name_vi"] is None]
    assert len(unnamed) == 2 and all(i["kind"] == "indicator" for i in unnamed)
    assert unnamed[1]["parent_id"] == unnamed[0]["indicator_id"], "'Trong đó:' figures: a component"
    ids = {i["indicator_id"] for i in unnamed}
    figures = [o for o in tables.observations if o["indicator_id"] in ids]
    assert [o["value_printed"] for o in figures] == ["436", "450", "460", "12"]
    assert all(o["review_reason"] == ReviewReason.ocr_unreadable_name for o in figures)
    (ratio,) = [r for r in tables.ratios if r["indicator_id"] in ids]
    assert ratio["review_reason"] == ReviewReason.ocr_unreadable_name
    listed = {(w.source_ref, w.code) for w in tables.warnings}
    assert {(o["source_ref"], ReviewReason.ocr_unreadable_name) for o in [*figures, ratio]} <= listed
    named = [o for o in tables.observations if o["indicator_id"] == "r/1"]
    assert named and not any(o["review_reason"] for o in named)

    name_cell = next(c for c in table.cells if c.row == 4 and c.col == 1)
    (tmp_path / "tinh.corrections.yaml").write_text(
        f"""corrections:
  - source_ref: "{name_cell.locator}"
    read: ""
    value: "Thu nội địa"
    by: Nguyễn Văn An
    date: 2026-11-30
""",
        encoding="utf-8",
    )
    model, certainty = scan_certainty(Document(report, "scan", "0" * 64, (table,)))
    rows = table_rows(model, model.tables[0])
    tables = _appendix(report, rows, certainty)
    named = {i["name_vi"]: i["indicator_id"] for i in tables.indicators}
    assert "Thu nội địa" in named, "a name nothing could be read from is typed in by hand"
    assert not any(
        o["review_reason"] for o in tables.observations if o["indicator_id"] == named["Thu nội địa"]
    )
