"""``review``: a scan's open flags, cropped images of them, and a corrections template;
``scan``: an honest scan of a printed PDF, for tests and benchmarks."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    review = subparsers.add_parser(
        "review",
        help="list the open review flags of a scanned report and write a cropped image of each flagged cell",
        description="Read a scanned report (OCR), apply its corrections file (<name>.corrections.yaml beside "
        "it) and list every table cell still up for review: where it is (source_ref), what was read, how "
        "sure the reading is and why it is flagged. Writes a PNG of each flagged cell and a template of "
        "corrections entries to OUT.",
    )
    review.add_argument("report", type=Path, help="the scanned report (PDF)")
    review.add_argument("--out", type=Path, help="folder for the images (default: build/review/<name>)")
    review.set_defaults(handler=_review)

    scan = subparsers.add_parser(
        "scan",
        help="render an honest scan of a printed PDF (rotation, blur, noise, specks, JPEG)",
        description="Rasterise PDF at DPI and degrade each page as a scanner does (a 0.3-1 degree "
        "rotation, slight blur, noise, a few specks, JPEG quality 70); the same seed gives the same bytes.",
    )
    scan.add_argument("pdf", type=Path, help="the printed PDF")
    scan.add_argument("--out", type=Path, required=True, help="the scan to write (PDF)")
    scan.add_argument("--dpi", type=int, default=200, help="scan resolution (default: 200)")
    scan.add_argument("--seed", type=int, default=0, help="seed of the degradations (default: 0)")
    scan.add_argument("--profile", choices=["standard", "noisy"], default="standard")
    scan.set_defaults(handler=_scan)


def _review(args: argparse.Namespace) -> int:
    from pipelines.common.errors import ExtractionError
    from pipelines.ocr.pdfpages import check_scan, inspect_pdf, is_scan
    from pipelines.ocr.reader import scan_blocks
    from pipelines.ocr.review import crop_name, review, template, write_crops

    report: Path = args.report
    pages = inspect_pdf(report)
    check_scan(report, pages)
    if not is_scan(pages):
        raise ExtractionError(report, None, "not a scanned PDF: its figures are text, nothing to review")
    result = review(report, scan_blocks(report))
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


def _scan(args: argparse.Namespace) -> int:
    from pipelines.common.atomic import write_file_atomically
    from pipelines.common.errors import PipelineError
    from pipelines.synth.scan import scan_pdf

    if not 150 <= args.dpi <= 600:
        raise PipelineError("--dpi must lie between 150 and 600")
    write_file_atomically(args.out, scan_pdf(args.pdf, args.dpi, args.seed, args.profile))
    print(f"{args.out}: {args.dpi} dpi scan of {args.pdf}")
    return 0
