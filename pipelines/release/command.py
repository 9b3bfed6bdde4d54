"""``diff``, ``release`` and ``metrics``: reviewing and versioning what the pipeline publishes."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from pipelines.common.cli import add_command, add_package


def register(subparsers: argparse._SubParsersAction) -> None:
    diff = add_command(
        subparsers,
        "diff",
        _diff,
        help="compare two versions of the package (git revisions or package paths)",
        description="Report rows added and removed and values changed, matched by each resource's "
        "primary key, plus schema and metadata changes and the version bump they call for. "
        "OLD and NEW are package paths (a directory or its datapackage.json) or git revisions "
        "(tag, branch, commit; REV:path/to/datapackage.json for a package elsewhere), read without a checkout.",
    )
    diff.add_argument("old", help="the earlier version, e.g. v0.1.0")
    diff.add_argument("new", help="the later version, e.g. HEAD or . for the working tree")
    diff.add_argument("--format", choices=["markdown", "json"], default="markdown")
    diff.add_argument(
        "--limit", type=int, default=50, help="rows shown per detail table in Markdown (0: all; default 50)"
    )
    diff.add_argument(
        "--repo", type=Path, default=Path("."), help="git repository for revisions (default: .)"
    )

    release = add_command(
        subparsers,
        "release",
        _release,
        help="bump the package version and write the CHANGELOG entry with the diff",
        description="Compare the working-tree package with the latest release tag (v*), bump "
        "`version` in metadata/package.yaml (major: incompatible schema change or rows removed; "
        "minor: new data; patch: corrections) and add a CHANGELOG.md entry holding the diff "
        "summary. Then run `dvc repro`, commit, and tag as printed.",
    )
    release.add_argument("--bump", choices=["major", "minor", "patch"], help="default: the suggested bump")
    release.add_argument("--since", help="the previous release (default: the latest v* tag)")
    release.add_argument("--date", type=dt.date.fromisoformat, help="release date (default: today)")
    release.add_argument("--repo", type=Path, default=Path("."), help="the project root (default: .)")

    metrics = add_command(
        subparsers,
        "metrics",
        _metrics,
        help="write the counts that `dvc metrics show` reports",
        description="Count reports, indicators, observations, published and inconsistent ratios "
        "in a package and copy the verdicts of the validation summary, as JSON.",
    )
    add_package(metrics, default=None)
    metrics.add_argument("--validation", type=Path, help="validation summary.json to include")
    metrics.add_argument("--out", type=Path, required=True, help="metrics file to write")


def _diff(args: argparse.Namespace) -> int:
    from pipelines.release.diff import diff_packages
    from pipelines.release.render import diff_json, diff_markdown
    from pipelines.release.source import read_release_package

    diff = diff_packages(read_release_package(args.old, args.repo), read_release_package(args.new, args.repo))
    if args.format == "json":
        sys.stdout.write(diff_json(diff))
    else:
        sys.stdout.write(diff_markdown(diff, limit=args.limit or None))
    return 0


def _release(args: argparse.Namespace) -> int:
    from pipelines.release.workflow import prepare_release

    prepared = prepare_release(args.repo, args.bump, args.since, args.date or dt.date.today())
    for warning in prepared.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"Version {prepared.old_version} -> {prepared.version}; CHANGELOG.md entry added.")
    print("Next:")
    for step in prepared.next_steps:
        print(f"  {step}")
    return 0


def _metrics(args: argparse.Namespace) -> int:
    import json

    from pipelines.common.errors import PipelineError
    from pipelines.release.metrics import metrics_json
    from pipelines.release.source import read_directory_package
    from pipelines.release.version import write_atomic

    summary = None
    if args.validation is not None:
        try:
            summary = json.loads(args.validation.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise PipelineError(f"{args.validation}: cannot read the validation summary ({exc})") from exc
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(args.out, metrics_json(read_directory_package(args.package), summary))
    return 0
