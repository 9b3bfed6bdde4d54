"""Reading published formats: how fast, and how exactly, against the text form in the same run.

The seed (and generated reports) are rendered by the project's renderers to Word, web page, Excel
and, through LibreOffice, a PDF printed from the Word file, legacy .doc, .odt and .xls; each is
extracted in a fresh read and compared with the text form: every appendix cell (figures and
printed ratios), every crop and livestock figure. Times are per report, reading plus extraction;
the baseline is the text form's own extraction time measured in the same run.

    python bench/formats.py [--generated N] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines.document.office import convert  # noqa: E402
from pipelines.document.read import parse_document, read_document  # noqa: E402
from pipelines.extract.report import ExtractedReport, extract_document  # noqa: E402
from pipelines.synth.formats.spreadsheet import render_xlsx  # noqa: E402
from pipelines.synth.formats.web import render_html  # noqa: E402
from pipelines.synth.formats.word import render_docx  # noqa: E402

SEED = ROOT / "data" / "raw" / "cao-bang-2022-kt-xh-report.md"
# LibreOffice converts these first (the exception for .doc; .odt and .xls go the same way).
TARGETS = {"doc": 10.0, "odt": 10.0, "xls": 10.0}
SPREADSHEETS = ("xlsx", "xls")
DEFAULT_TARGET = 3.0


def _cells(report: ExtractedReport) -> dict[tuple, object]:
    """Every figure a report yields, keyed by what it is (not where it was printed)."""
    cells: dict[tuple, object] = {}
    for o in report.tables["observations"]:
        cells[("obs", o["indicator_id"], o["measure"], o["period"])] = (o["value"], o["value_printed"])
    for r in report.tables["ratios"]:
        cells[("ratio", r["indicator_id"], r["column_number"])] = r["published_printed"]
    for resource in ("crops", "livestock"):
        for row in report.tables[resource]:
            key = tuple(
                v for k, v in row.items() if k not in ("value", "value_printed", "source_line", "source_ref")
            )
            cells[(resource, *map(str, key))] = (row["value"], row["value_printed"])
    return cells


def _renderings(text: bytes, folder: Path, office: bool) -> dict[str, tuple[str, bytes]]:
    model = parse_document(folder / "report.md", text)
    docx, xlsx = render_docx(model), render_xlsx(model)
    out = {
        "docx": ("report.docx", docx),
        "html": ("report.html", render_html(model)),
        "xlsx": ("report.xlsx", xlsx),
    }
    if office:
        out["pdf"] = ("report.pdf", convert(Path("r.docx"), docx, ".docx", "pdf"))
        out["doc"] = ("report.doc", convert(Path("r.docx"), docx, ".docx", "doc:MS Word 97"))
        out["odt"] = ("report.odt", convert(Path("r.docx"), docx, ".docx", "odt"))
        out["xls"] = ("report.xls", convert(Path("r.xlsx"), xlsx, ".xlsx", "xls:MS Excel 97"))
    return out


def _compare(name: str, text: bytes, folder: Path, office: bool) -> list[dict]:
    started = time.perf_counter()
    base = extract_document(parse_document(folder / "report.md", text), "report.md")
    baseline = time.perf_counter() - started
    expected = _cells(base)
    expected_appendix = {k for k in expected if k[0] in ("obs", "ratio")}
    results = []
    for fmt, (filename, data) in _renderings(text, folder, office).items():
        path = folder / filename
        path.write_bytes(data)
        started = time.perf_counter()
        report = extract_document(read_document(path), filename)
        seconds = time.perf_counter() - started
        got = _cells(report)
        wanted = (
            expected
            if fmt not in SPREADSHEETS
            else {k: v for k, v in expected.items() if k in expected_appendix}
        )
        same = sum(got.get(k) == v for k, v in wanted.items())
        results.append(
            {
                "report": name,
                "format": fmt,
                "cells": len(wanted),
                "identical": same,
                "extra": len(set(got) - set(wanted)),
                "seconds": round(seconds, 3),
                "text_seconds": round(baseline, 3),
                "target_seconds": TARGETS.get(fmt, DEFAULT_TARGET),
            }
        )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--generated", type=int, default=2, help="generated reports in Word/HTML/Excel (default 2)"
    )
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    from pipelines.synth.generator import generate_report
    from pipelines.synth.plan import Options

    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="chitieu-bench-") as work:
        folder = Path(work)
        rows += _compare("seed", SEED.read_bytes(), folder, office=True)
        for seed in range(args.generated):
            report = generate_report(seed, Options(), "lf", False)
            rows += _compare(report.stem, report.data, folder, office=False)
    print(
        f"{'report':<40} {'format':<6} {'identical':>14} {'time':>8} {'text':>7} {'ratio':>7} {'target':>7}"
    )
    failed = False
    for row in rows:
        share = 100 * row["identical"] / row["cells"] if row["cells"] else 100.0
        ok = row["identical"] == row["cells"] and row["extra"] == 0 and row["seconds"] < row["target_seconds"]
        failed |= not ok
        print(
            f"{row['report'][:40]:<40} {row['format']:<6} {row['identical']:>5}/{row['cells']:<4} {share:5.1f}%"
            f" {row['seconds']:>7.2f}s {row['text_seconds']:>6.2f}s {row['seconds'] / max(row['text_seconds'], 1e-6):>6.1f}x"
            f" {'<' + str(row['target_seconds']) + 's':>7} {'ok' if ok else 'MISSED'}"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
