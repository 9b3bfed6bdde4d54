"""``generate``: write synthetic reports (and what each holds) for tests and benchmarks."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.common.cli import add_command


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers,
        "generate",
        _run,
        help="write synthetic reports in the seed's format, each with a JSON file of its expected rows",
        description="Write COUNT reports OUT/synth-<seed>-<province>-<year>.md for other provinces and years "
        "(shifted years, fresh figures with ratios recomputed at printed precision, rows added and removed, "
        "other page splits, line endings and Unicode normalisations), each with a .truth.json beside it "
        "listing the report facts, indicators, observations and ratios extraction must produce. "
        "The same seed always gives the same bytes.",
    )
    parser.add_argument("--out", type=Path, required=True, help="folder for the reports")
    parser.add_argument("--count", type=int, default=1, help="how many reports (default: 1)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first report (default: 0)")
    parser.add_argument(
        "--inconsistent-share",
        type=float,
        default=0.0,
        help="share of printed ratios made deliberately wrong, recorded as such in the truth (default: 0)",
    )
    parser.add_argument(
        "--crafted-names", action="store_true", help="add indicators whose names carry HTML/script payloads"
    )
    parser.add_argument(
        "--no-mutate", action="store_true", help="keep the seed's rows: no rows added or dropped"
    )
    parser.add_argument("--line-ending", choices=["lf", "crlf", "cr"], help="default: drawn per report")
    parser.add_argument("--normalisation", choices=["nfc", "nfd"], help="default: drawn per report")
    parser.add_argument("--no-truth", action="store_true", help="write the reports only")
    parser.add_argument(
        "--shapes",
        action="store_true",
        help="write indicator tables in other publishers' shapes instead (plans and targets with ranges "
        "and bounds, verdicts, time series, regional breakdowns, English numbers, units in names): "
        "OUT/shape-<seed>-<layout>.md, each with a .truth.json of the cells a reader must find and the "
        ".source.yaml sidecar that makes OUT a folder of sources for extract-all",
    )
    parser.add_argument(
        "--truth-out",
        type=Path,
        help="write the .truth.json files to this folder instead of beside the reports (extract-all reads "
        "every file of a raw folder as a source, so truth kept for a pipeline run must live elsewhere)",
    )

    series = add_command(
        subparsers,
        "generate-series",
        _run_series,
        help="write consecutive years of reports for several provinces, with the series they must give",
        description="Write one report a year for YEARS years and PROVINCES provinces "
        "(OUT/series-<seed>-<province>-<year>.md), whose figures hang together: next year's actual "
        "revises this year's estimate by a known amount, plans are sometimes restated, names vary by "
        "synonyms and budget units between tỷ and triệu đồng. OUT/series.truth.json lists the "
        "crosswalk, revisions and latest figures the pipeline must produce.",
    )
    series.add_argument("--out", type=Path, required=True, help="folder for the reports")
    series.add_argument("--provinces", type=int, default=3, help="how many provinces (default: 3)")
    series.add_argument("--years", type=int, default=4, help="how many consecutive years (default: 4)")
    series.add_argument(
        "--first-year", type=int, default=2022, help="the first report's year (default: 2022)"
    )
    series.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    series.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="PROVINCE",
        help="a province that must be among them",
    )


def _run(args: argparse.Namespace) -> int:
    from pipelines.common.atomic import write_file_atomically
    from pipelines.common.errors import PipelineError
    from pipelines.synth.generator import generate_report, truth_json
    from pipelines.synth.plan import Options

    if args.count < 1 or args.seed < 0:
        raise PipelineError("--count must be at least 1 and --seed non-negative")
    if not 0 <= args.inconsistent_share <= 1:
        raise PipelineError("--inconsistent-share must lie between 0 and 1")
    options = Options(args.inconsistent_share, args.crafted_names, not args.no_mutate)
    nfd = None if args.normalisation is None else args.normalisation == "nfd"
    args.out.mkdir(parents=True, exist_ok=True)
    if args.shapes:
        return _write_shapes(args)
    truth_dir = args.truth_out or args.out
    truth_dir.mkdir(parents=True, exist_ok=True)
    for seed in range(args.seed, args.seed + args.count):
        report = generate_report(seed, options, args.line_ending, nfd)
        write_file_atomically(args.out / f"{report.stem}.md", report.data)
        if not args.no_truth:
            write_file_atomically(truth_dir / f"{report.stem}.truth.json", truth_json(report))
    print(f"{args.out}: {args.count} reports")
    return 0


def _write_shapes(args: argparse.Namespace) -> int:
    from pipelines.common.atomic import write_file_atomically
    from pipelines.common.jsonio import json_bytes
    from pipelines.synth.shapes import generate_table, sidecar

    truth_dir = args.truth_out or args.out
    truth_dir.mkdir(parents=True, exist_ok=True)
    for seed in range(args.seed, args.seed + args.count):
        table = generate_table(seed)
        write_file_atomically(args.out / f"{table.stem}.md", table.data)
        write_file_atomically(args.out / f"{table.stem}.source.yaml", sidecar(table))
        if not args.no_truth:
            write_file_atomically(truth_dir / f"{table.stem}.truth.json", json_bytes(table.truth))
    print(f"{args.out}: {args.count} tables")
    return 0


def _run_series(args: argparse.Namespace) -> int:
    from pipelines.common.atomic import write_file_atomically
    from pipelines.common.errors import PipelineError
    from pipelines.common.jsonio import json_bytes
    from pipelines.synth.series import SeriesGenerator

    if args.provinces < 1 or args.years < 1 or args.seed < 0:
        raise PipelineError("--provinces and --years must be at least 1, --seed non-negative")
    generator = SeriesGenerator(args.seed, args.provinces, args.years, args.first_year, args.include)
    args.out.mkdir(parents=True, exist_ok=True)
    reports = generator.reports()
    for report in reports:
        write_file_atomically(args.out / f"{report.stem}.md", report.data)
    write_file_atomically(args.out / "series.truth.json", json_bytes(generator.truth(), indent=1))
    print(f"{args.out}: {len(reports)} reports")
    return 0
