"""``scan``: an honest scan of a printed PDF, for tests and benchmarks."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.common.cli import add_command


def register(subparsers: argparse._SubParsersAction) -> None:
    scan = add_command(
        subparsers,
        "scan",
        _scan,
        help="render an honest scan of a printed PDF (rotation, blur, noise, specks, JPEG)",
        description="Rasterise PDF at DPI and degrade each page as a scanner does (a 0.3-1 degree "
        "rotation, slight blur, noise, a few specks, JPEG quality 70); the same seed gives the same bytes.",
    )
    scan.add_argument("pdf", type=Path, help="the printed PDF")
    scan.add_argument("--out", type=Path, required=True, help="the scan to write (PDF)")
    scan.add_argument("--dpi", type=int, default=200, help="scan resolution (default: 200)")
    scan.add_argument("--seed", type=int, default=0, help="seed of the degradations (default: 0)")
    scan.add_argument("--profile", choices=["standard", "noisy"], default="standard")


def _scan(args: argparse.Namespace) -> int:
    from pipelines.common.atomic import write_file_atomically
    from pipelines.common.errors import PipelineError
    from pipelines.synth.scan import scan_pdf

    if not 150 <= args.dpi <= 600:
        raise PipelineError("--dpi must lie between 150 and 600")
    write_file_atomically(args.out, scan_pdf(args.pdf, args.dpi, args.seed, args.profile))
    print(f"{args.out}: {args.dpi} dpi scan of {args.pdf}")
    return 0
