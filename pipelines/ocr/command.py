"""``read-scans``: every scanned report read once, the reading kept per file; ``page-images``:
the pages of scanned reports for the site's source view."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.common.cli import add_command


def register(subparsers: argparse._SubParsersAction) -> None:
    _register_read(subparsers)
    pages = add_command(
        subparsers,
        "page-images",
        _pages,
        help="write downscaled page images of every scanned report, for the site's source view",
        description="For each scanned PDF in RAW_DIR write OUT/<name>/p<page>.jpg (greyscale, --dpi) and "
        "OUT/<name>/pages.json (each page's size in PDF points), so that a figure's box "
        "p<page>:<x0>,<y0>,<x1>,<y1> can be drawn over its page. Folders of reports no longer in RAW_DIR "
        "are removed.",
    )
    pages.add_argument("raw_dir", type=Path, help="folder of raw reports (data/raw)")
    pages.add_argument("--out", type=Path, required=True, help="folder for the page images")
    pages.add_argument("--dpi", type=int, default=100, help="resolution of the images (default: 100)")


def _pages(args: argparse.Namespace) -> int:
    from pipelines.common.atomic import remove_stale, write_file_atomically
    from pipelines.common.errors import PipelineError
    from pipelines.common.jsonio import json_bytes
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
        write_file_atomically(folder / "pages.json", json_bytes(manifest))
    remove_stale(args.out, wanted, "*/")
    print(f"{args.out}: page images of {len(scans)} scanned reports")
    return 0


def _register_read(subparsers: argparse._SubParsersAction) -> None:
    read = add_command(
        subparsers,
        "read-scans",
        _read,
        help="read every scanned report once (OCR) and keep the reading as JSON; unchanged scans are skipped",
        description="For each scanned PDF in RAW_DIR write OUT/<name>.json: its tables (cells with boxes and "
        "confidences) and prose, with the file's checksum. A scan whose stored reading has the same checksum "
        "is not read again; readings of scans no longer in RAW_DIR are removed.",
    )
    read.add_argument("raw_dir", type=Path, help="folder of raw reports (data/raw)")
    read.add_argument("--out", type=Path, required=True, help="folder for the readings (build/scans)")


def _read(args: argparse.Namespace) -> int:
    from pipelines.common.atomic import remove_stale, write_file_atomically
    from pipelines.ocr.pdfpages import check_scan, inspect_pdf, is_scan
    from pipelines.ocr.reader import scan_blocks
    from pipelines.ocr.store import dump_reading, file_sha256, load_reading, reading_path

    args.out.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for pdf in sorted(args.raw_dir.glob("*.pdf")):
        pages = inspect_pdf(pdf)
        if not is_scan(pages):
            continue
        check_scan(pdf, pages)
        target = reading_path(args.out, pdf)
        wanted.add(target.name)
        sha = file_sha256(pdf)
        if load_reading(target, sha) is not None:
            print(f"{pdf}: unchanged, reading kept")
            continue
        write_file_atomically(target, dump_reading(pdf.name, sha, scan_blocks(pdf)))
        print(f"{pdf}: read ({len(pages)} pages)")
    remove_stale(args.out, wanted, "*.json")
    return 0
