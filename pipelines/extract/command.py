"""``extract`` and ``extract-all``: reports to Frictionless packages in directories of their own."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pipelines.common.cli import add_command, add_params
from pipelines.common.params import read_params
from pipelines.document.limits import ReadLimits


def register(subparsers: argparse._SubParsersAction) -> None:
    one = add_command(
        subparsers,
        "extract",
        _run_one,
        help="extract one report into DIR/datapackage.json and DIR/data/*.csv",
        description="Extract every table of one report into a Frictionless data package. "
        "On malformed input nothing is written and the error names the file and line.",
    )
    one.add_argument(
        "report",
        type=Path,
        help="the report: text (.md/.txt), Word (.docx/.doc), OpenDocument (.odt), PDF (with a text layer, "
        "or scanned: read by OCR), web page (.html) or Excel (.xlsx/.xls); the format is recognised from "
        "the content",
    )
    one.add_argument("--out", type=Path, required=True, help="directory for the package")
    _scans_option(one)
    add_params(one)

    many = add_command(
        subparsers,
        "extract-all",
        _run_all,
        help="extract every report of a folder, one package per report",
        description="Extract each report of RAW_DIR into OUT/<name>/: every file except the sidecars "
        "(<name>.source.yaml, <name>.corrections.yaml) is a report, in any supported format; a sidecar "
        "listing 'parts' makes those files one report named after it. Packages of reports no longer "
        "in RAW_DIR are removed, so a removed report disappears from the merged package.",
    )
    many.add_argument("raw_dir", type=Path, help="folder of raw reports (default layout: data/raw)")
    many.add_argument("--out", type=Path, required=True, help="folder for the per-report packages")
    add_params(many)
    many.add_argument(
        "--cache",
        type=Path,
        help="folder of packages already extracted, keyed by each report's bytes and the extractor's "
        "own files: a report that did not change is copied from there instead of read again",
    )
    _scans_option(many)


def _scans_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scans",
        type=Path,
        help="folder of stored scan readings (read-scans' output): a scanned PDF read there already "
        "is not read by OCR again",
    )


@dataclass(frozen=True)
class Settings:
    """What extraction takes from params.yaml: the ratio tolerance and the reading limits."""

    tolerance: Decimal
    limits: ReadLimits


def _settings(params_path: Path) -> Settings:
    params = read_params(params_path)
    return Settings(
        Decimal(str(params["ratios"]["tolerance_pct"])), ReadLimits.from_params(params, params_path)
    )


def _extract_to(
    name: Path, parts: list[Path], out: Path, settings: Settings, scans: Path | None = None
) -> None:
    from pipelines.document.read import read_parts
    from pipelines.extract.report import display_path, extract_document, source_entry
    from pipelines.extract.warning import emit
    from pipelines.package.writer import PackageWriter, finish_report_package

    source_file = ";".join(display_path(part) for part in parts)
    with PackageWriter(out) as package:
        # The appendix's rows are written as they are made; the document model is handed over,
        # not held here, so extraction can free it once its tables are read.
        with package.streams() as streams:
            extracted = extract_document(
                read_parts(name, parts, settings.limits, scans), source_file, settings.tolerance, streams
            )
        emit(source_file, extracted.warnings)
        source = source_entry(extracted)
        # A source without a printed date has a sidecar, whose date_added stamps the package.
        issued = extracted.issued.isoformat() if extracted.issued else source["date_added"]
        finish_report_package(package, extracted.tables, source, issued)


def report_files(raw_dir: Path) -> dict[str, list[Path]]:
    """Report name -> its files: every file but the sidecars, grouped by the sidecars' ``parts``."""
    from pipelines.common.errors import PipelineError
    from pipelines.package.sources import is_sidecar, read_sidecar

    files = sorted(p for p in raw_dir.iterdir() if p.is_file())
    for path in files:
        if path.name.startswith("."):
            raise PipelineError(
                f"{path}: unsafe file name {path.name!r}: a raw report's name must not start with a dot; rename it"
            )
    reports: dict[str, list[Path]] = {}
    claimed: set[Path] = set()
    for sidecar in (p for p in files if p.name.endswith(".source.yaml")):
        name = sidecar.name.removesuffix(".source.yaml")
        facts = read_sidecar(raw_dir / name)
        if facts and facts.parts:
            parts = [raw_dir / part for part in facts.parts]
            missing = [part.name for part in parts if not part.is_file()]
            if missing:
                raise PipelineError(f"{sidecar}: parts not found beside it: {', '.join(missing)}")
            reports[name] = parts
            claimed.update(parts)
    for path in files:
        if is_sidecar(path) or path in claimed:
            continue
        if path.stem in reports:
            raise PipelineError(f"{path}: another report in {raw_dir} is also named {path.stem!r}")
        reports[path.stem] = [path]
    return reports


def _run_one(args: argparse.Namespace) -> int:
    _extract_to(args.report, [args.report], args.out, _settings(args.params), args.scans)
    return 0


def _run_all(args: argparse.Namespace) -> int:
    from pipelines.common.atomic import remove_stale
    from pipelines.common.errors import PipelineError

    reports = report_files(args.raw_dir)
    if not reports:
        raise PipelineError(f"{args.raw_dir}: no reports to extract")
    settings = _settings(args.params)
    for name, parts in reports.items():
        target = args.out / name
        report = args.raw_dir / name if len(parts) > 1 else parts[0]
        if args.cache is not None:
            from pipelines.extract.cache import ExtractCache

            cache = ExtractCache(args.cache, settings.tolerance, settings.limits)
            if cache.restore(report, parts, target):
                continue
        _extract_to(report, parts, target, settings, args.scans)
        if args.cache is not None:
            cache.store(report, parts, target)
    remove_stale(args.out, reports, "*/")
    return 0
