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
        "it; for one scanned file of a report of several, the report's, with references '<file>#p<page>:…') "
        "and list every table cell still up for review: where it is (source_ref), what was read, how "
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
    from pipelines.document.read import read_parts
    from pipelines.extract.scan_review import crop_name, review, template, write_crops
    from pipelines.ocr.corrections import corrections_path
    from pipelines.ocr.pdfpages import check_scan, inspect_pdf, is_scan
    from pipelines.ocr.reader import scan_blocks
    from pipelines.ocr.store import file_sha256, load_reading, reading_path

    report: Path = args.report
    pages = inspect_pdf(report)
    check_scan(report, pages)
    if not is_scan(pages):
        raise ExtractionError(report, None, "not a scanned PDF: its figures are text, nothing to review")
    whole = _report_of(report)
    if whole is None:
        blocks = load_reading(reading_path(args.readings, report), file_sha256(report))
        result = review(report, blocks if blocks is not None else scan_blocks(report))
        open_flags = result.flags
    else:  # one file of a report of several: the report's flags on this file, '<file>#p<page>:…'
        name, parts = whole
        result = review(name, read_parts(name, parts, scans=args.readings).blocks)
        open_flags = [f for f in result.flags if getattr(f.cell.locator, "part", None) == report.name]
    out = args.out or Path("build") / "review" / report.name.split(".")[0]
    write_crops(report, open_flags, out)
    (out / "corrections.template.yaml").write_text(template(open_flags), encoding="utf-8")
    decisions = corrections_path(whole[0] if whole else report)
    print(f"{report}: {len(open_flags)} open flags, {len(result.applied)} decided in {decisions}")
    for stale in result.stale:
        print(
            f"  not applied (line {stale.line}): {stale.source_ref} read {stale.read!r} matches no cell "
            "as read now; decide it again"
        )
    for flag in open_flags:
        confidence = "-" if flag.cell.confidence is None else f"{flag.cell.confidence:.0f}"
        print(
            f"  {flag.source_ref}  read {flag.cell.text!r}  confidence {confidence}  {flag.reason}  "
            f"{out / crop_name(flag)}"
        )
    return 0


def _report_of(part: Path) -> tuple[Path, list[Path]] | None:
    """The report a file is one part of (a sidecar beside it lists it among several 'parts'),
    named as extraction names it, and its files; None for a report of one file."""
    from pipelines.extract.command import report_files

    for name, parts in report_files(part.parent).items():
        if len(parts) > 1 and part.resolve() in {p.resolve() for p in parts}:
            return part.parent / name, parts
    return None
