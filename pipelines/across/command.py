"""``crosswalk``: the printed indicator rows that wait for a maintainer's decision."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.common.cli import add_command


def register(subparsers: argparse._SubParsersAction) -> None:
    crosswalk = add_command(
        subparsers,
        "crosswalk",
        _run,
        help="list printed indicator rows that are unmatched or only suggested, with scores",
        description="Read the package's crosswalk and list every printed row without a code: fuzzy or "
        "unit-doubtful suggestions with their similarity scores, then unmatched rows. Suggestions "
        "are never used until a maintainer accepts them in reference/crosswalk.csv (reviewed=true).",
    )
    crosswalk.add_argument(
        "package", type=Path, nargs="?", default=Path("."), help="the package folder (default: .)"
    )
    crosswalk.add_argument(
        "--write",
        type=Path,
        metavar="REVIEW_CSV",
        help="add the pending rows to this review file (normally reference/crosswalk.csv), reviewed=false",
    )


def _run(args: argparse.Namespace) -> int:
    from pipelines.across.review import listing, merged_review_file, pending, read_crosswalk
    from pipelines.common.atomic import write_file_atomically
    from pipelines.common.errors import PipelineError

    try:
        rows = pending(read_crosswalk(args.package))
    except OSError as exc:
        raise PipelineError(f"{args.package}: cannot read the crosswalk: {exc.strerror}") from None
    sys.stdout.write(listing(rows))
    if args.write:
        existing = args.write.read_text(encoding="utf-8") if args.write.exists() else ""
        write_file_atomically(args.write, merged_review_file(existing, rows).encode("utf-8"))
        print(f"wrote {args.write}", file=sys.stderr)
    return 0
