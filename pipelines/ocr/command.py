"""``review``: a scan's open flags, cropped images of them, and a corrections template;
``scan``: an honest scan of a printed PDF, for tests and benchmarks; ``page-images``: the
pages of scanned reports for the site's source view."""

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
    _register_pages(subparsers)


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


def _register_pages(subparsers: argparse._SubParsersAction) -> None:
    pages = subparsers.add_parser(
        "page-images",
        help="write downscaled page images of every scanned report, for the site's source view",
        description="For each scanned PDF in RAW_DIR write OUT/<name>/p<page>.jpg (greyscale, --dpi) and "
        "OUT/<name>/pages.json (each page's size in PDF points), so that a figure's box "
        "p<page>:<x0>,<y0>,<x1>,<y1> can be drawn over its page. Folders of reports no longer in RAW_DIR "
        "are removed.",
    )
    pages.add_argument("raw_dir", type=Path, help="folder of raw reports (data/raw)")
    pages.add_argument("--out", type=Path, required=True, help="folder for the page images")
    pages.add_argument("--dpi", type=int, default=100, help="resolution of the images (default: 100)")
    pages.set_defaults(handler=_pages)


def _pages(args: argparse.Namespace) -> int:
    import json
    import shutil

    from pipelines.common.atomic import write_file_atomically
    from pipelines.common.errors import PipelineError
    from pipelines.ocr.pdfpages import inspect_pdf, is_scan, page_images

    if not 50 <= args.dpi <= 300:
        raise PipelineError("--dpi must lie between 50 and 300")
    scans = [p for p in sorted(args.raw_dir.glob("*.pdf")) if is_scan(inspect_pdf(p))]
    args.out.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for scan in scans:
        name = scan.name.split(".")[0]
        wanted.add(name)
        folder = args.out / name
        sizes = []
        for page, data in page_images(scan, args.dpi):
            write_file_atomically(folder / f"p{page.number}.jpg", data)
            sizes.append(
                {
                    "page": page.number,
                    "width_pt": round(page.width_pt, 1),
                    "height_pt": round(page.height_pt, 1),
                }
            )
        manifest = {"report": scan.name, "dpi": args.dpi, "pages": sizes}
        write_file_atomically(folder / "pages.json", (json.dumps(manifest, indent=2) + "\n").encode())
    for stale in args.out.iterdir():
        if stale.is_dir() and stale.name not in wanted:
            shutil.rmtree(stale)
    print(f"{args.out}: page images of {len(scans)} scanned reports")
    return 0
