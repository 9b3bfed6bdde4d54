"""A report published as two files, its body as text and its appendix as a scan: the scanned
part is read by OCR like a scan of its own, its doubtful figures are flagged under references
that name the file, the report's corrections file settles them, and ``review`` of the scanned
file lists the same flags."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.document.office import convert
from pipelines.document.read import parse_document
from pipelines.extract.report import extract_document
from pipelines.synth.formats.word import render_docx
from pipelines.synth.generator import generate_report
from pipelines.synth.plan import Options
from pipelines.synth.scan import scan_pdf
from tests.support import confirm_as_read

SIDECAR = """title: "Báo cáo"
publisher: "UBND tỉnh"
license_note: "Văn bản hành chính."
date_added: "2026-11-30"
parts: [than-bao-cao.md, phu-luc.pdf]
"""


def _split(text: str) -> tuple[str, str]:
    """The report's text without its appendix, and the appendix (heading, caption, table)."""
    lines = text.splitlines(keepends=True)
    table = [i for i, line in enumerate(lines) if line.startswith("|")]
    start = max(i for i in range(table[0]) if lines[i].strip() and lines[i].strip().lower() == "phụ lục")
    return "".join(lines[:start] + lines[table[-1] + 1 :]), "".join(lines[start : table[-1] + 1])


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.slow
def test_a_report_of_two_files_with_a_scanned_appendix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = generate_report(7, Options(0.0, False, False), "lf", False).data.decode("utf-8")
    body, appendix = _split(text)
    raw, scans, out = tmp_path / "raw", tmp_path / "scans", tmp_path / "extracted"
    raw.mkdir()
    (raw / "than-bao-cao.md").write_text(body, encoding="utf-8")
    printed = tmp_path / "printed.pdf"
    appendix_model = parse_document(Path("phu-luc.md"), appendix.encode("utf-8"))
    printed.write_bytes(convert(Path("phu-luc.docx"), render_docx(appendix_model), ".docx", "pdf"))
    (raw / "phu-luc.pdf").write_bytes(scan_pdf(printed, 200, seed=5, profile="noisy"))
    (raw / "bao-cao.source.yaml").write_text(SIDECAR, encoding="utf-8")
    truth = extract_document(parse_document(Path("report.md"), text.encode("utf-8")), "report.md").tables

    assert main(["read-scans", str(raw), "--out", str(scans)]) == 0
    extract = ["extract-all", str(raw), "--out", str(out), "--scans", str(scans)]
    assert main(extract) == 0
    package = out / "bao-cao" / "data"
    (report,) = _rows(package / "reports.csv")
    assert report["source_format"] == "text+scan"
    observations = _rows(package / "observations.csv")
    assert len(observations) == len(truth["observations"])
    assert all(o["source_ref"].startswith("phu-luc.pdf#p") for o in observations)
    printed_values = {(o["measure"], str(o["period"]), o["value_printed"]) for o in truth["observations"]}
    wrong = [o for o in observations if (o["measure"], o["period"], o["value_printed"]) not in printed_values]
    assert all(o["review_reason"] for o in wrong), f"published as certain: {wrong}"
    assert all(o["ocr_confidence"] for o in observations if o["value_printed"])
    flagged = [o for o in observations if o["review_reason"]]
    dotted = [i["tt"] for i in truth["indicators"] if "." in (i["tt"] or "")]
    assert dotted and [i["tt"] for i in _rows(package / "indicators.csv") if "." in i["tt"]] == dotted, (
        "row codes such as 4.1 keep their dot (the figures' resolution loses it)"
    )
    warnings = {(w["source_ref"], w["code"]) for w in _rows(package / "warnings.csv")}
    assert {(o["source_ref"], o["review_reason"]) for o in flagged} <= warnings

    capsys.readouterr()
    assert (
        main(["review", str(raw / "phu-luc.pdf"), "--out", str(tmp_path / "crops"), "--readings", str(scans)])
        == 0
    )
    listed = capsys.readouterr().out
    assert "bao-cao.corrections.yaml" in listed
    assert {o["source_ref"] for o in flagged} <= {line.split()[0] for line in listed.splitlines()[1:]}

    decided = next((o for o in flagged if o["value"]), observations[0])
    confirm_as_read(raw / "bao-cao.corrections.yaml", decided)
    assert main(extract) == 0
    again = {o["source_ref"]: o for o in _rows(package / "observations.csv")}
    confirmed = again[decided["source_ref"]]
    assert confirmed["review_status"] == "confirmed" and confirmed["review_reason"] == ""
    assert confirmed["reviewed_by"] == "Nguyễn Văn An" and confirmed["reviewed_on"] == "2026-11-30"
