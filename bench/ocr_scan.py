"""OCR accuracy and speed on honest scans of the seed report.

Accuracy: the seed's appendix printed by LibreOffice (11 points, 4 pages) scanned at 300 dpi and
at a noisy 200 dpi, and the whole seed report rendered to Word and printed by LibreOffice (its
appendix in 8 points, dense landscape pages) scanned noisy at 200 dpi; each read back and every
appendix figure cell compared with the seed's text: cells exactly right, wrong cells flagged for
review (a silent error is a wrong cell without a flag; flags are the ones extraction publishes:
doubtful readings and cross-checks), right cells flagged.

Speed: each scan's reading time against the bare OCR time of the same pages measured in the same
run (Tesseract's command line, Vietnamese model, one page per process, as many processes as
cores, one thread each): the ratio is the figure to compare between machines.

    python bench/ocr_scan.py [--appendix-only] [--json build/bench/ocr.json]
    python bench/ocr_scan.py --generated 3,11,23   # generated reports: silent errors, flag rate
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines.common.text import clean_cell  # noqa: E402
from pipelines.document.model import Table  # noqa: E402
from pipelines.document.office import convert  # noqa: E402
from pipelines.document.read import parse_document, read_document  # noqa: E402
from pipelines.extract.scan_review import flags  # noqa: E402
from pipelines.extract.table import find_appendix_table  # noqa: E402
from pipelines.ocr.reader import read_pages, to_blocks  # noqa: E402
from pipelines.synth.appendix_pdf import appendix_pdf  # noqa: E402
from pipelines.synth.formats.word import render_docx  # noqa: E402
from pipelines.synth.scan import scan_pdf  # noqa: E402

SEED = ROOT / "data" / "raw" / "cao-bang-2022-kt-xh-report.md"
# (label, printed document, dpi, degradation profile)
SCANS = (
    ("appendix 300 dpi", "appendix", 300, "standard"),
    ("appendix noisy 200 dpi", "appendix", 200, "noisy"),
    ("whole report noisy 200 dpi", "report", 200, "noisy"),
)


def truth_rows() -> list[tuple[str, ...]]:
    """The seed appendix's body rows as printed (header rows and blank rows left out)."""
    rows = find_appendix_table(read_document(SEED))
    return [row.cells for row in rows[3:] if not row.is_empty]


def compare(table: Table, truth: list[tuple[str, ...]], flagged: set[int]) -> dict[str, float]:
    """Figure cells of the read table against the truth, row by row after the header."""
    body = [row for row in table.rows[table.header_rows :] if any(row)]
    cells = {(c.row, c.col): c for c in table.cells}
    counts = dict.fromkeys(("cells", "right", "wrong", "silent", "right_flagged", "rows_misaligned"), 0)
    first_body = table.header_rows
    body_rows = [r for r in range(first_body, table.n_rows) if any(table.rows[r])]
    if len(body) != len(truth):
        counts["rows_misaligned"] = abs(len(body) - len(truth))
    for row_index, expected in zip(body_rows, truth, strict=False):
        for col in range(3, min(len(expected), table.n_cols) - 1):
            want = clean_cell(expected[col])
            cell = cells.get((row_index, col))
            got = cell.text if cell else ""
            if not want and not got:
                continue
            counts["cells"] += 1
            is_flagged = cell is not None and id(cell) in flagged
            if got == want:
                counts["right"] += 1
                counts["right_flagged"] += is_flagged
            else:
                counts["wrong"] += 1
                counts["silent"] += not is_flagged
                print(f"    row {row_index} col {col}: read {got!r}, printed {want!r}, flagged={is_flagged}")
    return counts


def bare_ocr_seconds(scan: Path, workdir: Path) -> float:
    """Tesseract's own command line on every page image of the scan, one thread per process,
    as many processes as cores: the floor our reader's time is compared with."""
    from PIL import Image

    from pipelines.ocr.pdfpages import inspect_pdf, render_page

    images = []
    for page in inspect_pdf(scan):
        path = workdir / f"bare-{page.number}.png"
        Image.fromarray(render_page(scan, page.number, page.dpi)).save(path)
        images.append(path)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def read(path: Path) -> None:
        subprocess.run(["tesseract", str(path), "-", "-l", "vie"], env=env, capture_output=True, check=True)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(read, images))
    return time.perf_counter() - started


def printed(kind: str, workdir: Path) -> Path:
    """The seed printed to PDF: its appendix alone, or the whole report through Word."""
    path = workdir / f"{kind}.pdf"
    if kind == "appendix":
        path.write_bytes(appendix_pdf(truth_rows_with_header(), workdir))
    else:
        docx = render_docx(parse_document(SEED, SEED.read_bytes()))
        path.write_bytes(convert(Path("report.docx"), docx, ".docx", "pdf"))
    return path


def run(workdir: Path, appendix_only: bool) -> dict[str, object]:
    truth = truth_rows()
    results: dict[str, object] = {}
    for label, kind, dpi, profile in SCANS:
        if appendix_only and kind != "appendix":
            continue
        scan = workdir / f"scan-{kind}-{dpi}.pdf"
        scan.write_bytes(scan_pdf(printed(kind, workdir), dpi, seed=14, profile=profile))
        started = time.perf_counter()
        pages = read_pages(scan)
        seconds = time.perf_counter() - started
        blocks = to_blocks(pages)
        tables = [b for b in blocks if isinstance(b, Table)]
        appendix = max(tables, key=lambda t: t.n_rows)
        counts = compare(appendix, truth, {id(flag.cell) for flag in flags(blocks)})
        cells = max(1, counts["cells"])
        bare = bare_ocr_seconds(scan, workdir)
        results[label] = {
            **counts,
            "pages": len(pages),
            "seconds": round(seconds, 1),
            "bare_ocr_seconds": round(bare, 1),
            "ratio_to_bare_ocr": round(seconds / bare, 2),
            "exact_pct": round(100 * counts["right"] / cells, 2),
            "right_flagged_pct": round(100 * counts["right_flagged"] / max(1, counts["right"]), 2),
        }
        print(f"{label}: {results[label]}")
    return results


def generated(workdir: Path, seeds: list[int]) -> dict[str, object]:
    """Generated reports (figures nobody typed) rendered to Word, printed by LibreOffice (8-point
    appendix) and scanned noisy at 200 dpi, extracted as the pipeline publishes them: each figure
    compared with the text rendering's, by measure and period in printed order."""
    from dataclasses import replace

    from pipelines.extract.report import extract_document
    from pipelines.synth.generator import generate_report
    from pipelines.synth.plan import Options

    results: dict[str, object] = {}
    for seed in seeds:
        text = generate_report(seed, Options(0.0, False, False), "lf", False).data
        model = parse_document(Path("report.md"), text)
        printed_pdf = workdir / f"generated-{seed}.pdf"
        printed_pdf.write_bytes(convert(Path("report.docx"), render_docx(model), ".docx", "pdf"))
        scan = workdir / f"scan-generated-{seed}.pdf"
        scan.write_bytes(scan_pdf(printed_pdf, 200, seed=seed, profile="noisy"))
        started = time.perf_counter()
        blocks = to_blocks(read_pages(scan))
        seconds = time.perf_counter() - started
        truth = extract_document(model, "report.md").tables["observations"]
        read = extract_document(replace(model, blocks=blocks, source_format="scan", path=scan), scan.name)
        counts = dict.fromkeys(("figures", "right", "wrong", "silent", "right_flagged", "missing"), 0)
        by_key: dict[tuple[str, str], list[dict]] = {}
        for row in read.tables["observations"]:
            by_key.setdefault((row["measure"], str(row["period"])), []).append(row)
        expected: dict[tuple[str, str], list[dict]] = {}
        for row in truth:
            expected.setdefault((row["measure"], str(row["period"])), []).append(row)
        for key, wanted in expected.items():
            got = by_key.get(key, [])
            counts["missing"] += max(0, len(wanted) - len(got))
            for want, row in zip(wanted, got, strict=False):
                counts["figures"] += 1
                flagged = bool(row["review_reason"])
                if (row["value_printed"] or "") == (want["value_printed"] or ""):
                    counts["right"] += 1
                    counts["right_flagged"] += flagged
                else:
                    counts["wrong"] += 1
                    counts["silent"] += not flagged
                    print(f"    {row['source_ref']}: read {row['value_printed']!r}, printed "
                          f"{want['value_printed']!r}, flagged={flagged}")  # fmt: skip
        results[f"generated seed {seed}, noisy 200 dpi"] = {
            **counts,
            "seconds": round(seconds, 1),
            "right_flagged_pct": round(100 * counts["right_flagged"] / max(1, counts["right"]), 2),
        }
        print(f"generated seed {seed}: {results[f'generated seed {seed}, noisy 200 dpi']}")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--appendix-only", action="store_true", help="skip the whole report (the longest run)"
    )
    parser.add_argument(
        "--generated",
        metavar="SEEDS",
        help="instead, generated reports of these seeds (e.g. 3,11,23), through Word, noisy 200 dpi",
    )
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    with tempfile.TemporaryDirectory() as tmp:
        if args.generated:
            results = generated(Path(tmp), [int(seed) for seed in args.generated.split(",")])
        else:
            results = run(Path(tmp), args.appendix_only)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


def truth_rows_with_header() -> list[tuple[str, ...]]:
    return [row.cells for row in find_appendix_table(read_document(SEED)) if not row.is_empty]


if __name__ == "__main__":
    raise SystemExit(main())
