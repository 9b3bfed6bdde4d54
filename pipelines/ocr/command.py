"""``page-images``: the pages of scanned reports for the site's source view."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
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
