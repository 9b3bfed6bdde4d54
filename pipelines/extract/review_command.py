"""``review``: a scanned report's open flags (what extraction publishes with a review reason),
a cropped image of each flagged cell, and a template of decisions for its corrections file."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.common.cli import add_command


def register(subparsers: argparse._SubParsersAction) -> None:
    review = add_command(
        subparsers,
        "review",
        _review,
        help="list the open review flags of a scanned report and write a cropped image of each flagged cell",
        description="Read a scanned report (OCR), apply its corrections file (<name>.corrections.yaml beside "
        "it) and list every table cell still up for review: where it is (source_ref), what was read, how "
        "sure the reading is and why it is flagged. Writes a PNG of each flagged cell and a template of "
        "corrections entries to OUT.",
    )
    review.add_argument("report", type=Path, help="the scanned report (PDF)")
    review.add_argument("--out", type=Path, help="folder for the images (default: build/review/<name>)")
    review.add_argument(
        "--readings",
        type=Path,
        default=Path("build/scans"),
        help="stored readings (read-scans); the scan is read again only when its reading is missing or stale",
    )


def _review(args: argparse.Namespace) -> int:
    from pipelines.common.errors import ExtractionError
    from pipelines.extract.scan_review import crop_name, review, template, write_crops
    from pipelines.ocr.pdfpages import check_scan, inspect_pdf, is_scan
    from pipelines.ocr.reader import scan_blocks
    from pipelines.ocr.store import file_sha256, load_reading, reading_path

    report: Path = args.report
    pages = inspect_pdf(report)
    check_scan(report, pages)
    if not is_scan(pages):
        raise ExtractionError(report, None, "not a scanned PDF: its figures are text, nothing to review")
    blocks = load_reading(reading_path(args.readings, report), file_sha256(report))
    result = review(report, blocks if blocks is not None else scan_blocks(report))
    out = args.out or Path("build") / "review" / report.name.split(".")[0]
    write_crops(report, result.flags, out)
    (out / "corrections.template.yaml").write_text(template(result.flags), encoding="utf-8")
    print(f"{report}: {len(result.flags)} open flags, {len(result.applied)} decided in the corrections file")
    for stale in result.stale:
        print(
            f"  not applied (line {stale.line}): {stale.source_ref} read {stale.read!r} matches no cell "
            "as read now; decide it again"
        )
    for flag in result.flags:
        confidence = "-" if flag.cell.confidence is None else f"{flag.cell.confidence:.0f}"
        print(
            f"  {flag.source_ref}  read {flag.cell.text!r}  confidence {confidence}  {flag.reason}  "
            f"{out / crop_name(flag)}"
        )
    return 0
