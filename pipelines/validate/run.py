"""One validation run: frictionless, then every suite in one GX context, then the verdict files."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

from pipelines.common.atomic import sha256_file, write_file_atomically
from pipelines.common.errors import PipelineError
from pipelines.common.jsonio import json_bytes
from pipelines.common.params import read_params


def validate(package_path: Path, out: Path, db: Path | None, params_path: Path) -> bool:
    """Validate, write OUT/summary.json, OUT/results.json and OUT/data-docs/; True when publishable."""
    from pipelines.package.reader import read_package
    from pipelines.package.sqlite import load_into_file
    from pipelines.validate.derived import derived_tables
    from pipelines.validate.frictionless_check import validate_package
    from pipelines.validate.gx_runner import run_suites
    from pipelines.validate.package import read_frames
    from pipelines.validate.report import detailed, summarise, terminal_text
    from pipelines.validate.suites import generate_suites, metadata_schemas, outdated_suites, read_suites

    if db is not None and not db.exists():
        raise PipelineError(f"{db}: no such database (run `python -m pipelines build-db` first)")
    package = read_package(package_path)
    params = read_params(params_path)
    suites = read_suites()
    outdated = outdated_suites(generate_suites(metadata_schemas()))
    names = {s["name"] for s in suites}
    outdated += [f"integrity-{r} (missing)" for r in package.schemas if f"integrity-{r}" not in names]
    frictionless = validate_package(package.descriptor_path)
    frames = read_frames(package)
    frames.update(derived_tables(frames, Decimal(str(params["ratios"]["tolerance_pct"]))))
    out.mkdir(parents=True, exist_ok=True)
    targets = {"package": load_into_file(package, out / "package.sqlite")}
    if db is not None:
        targets["db"] = db
    outcomes = run_suites(
        suites,
        frames,
        targets,
        out,
        {"estimate_plan_gap_pct": float(params["quality"]["estimate_plan_gap_pct"])},
    )
    summary = summarise(str(package_path), frictionless, outcomes, outdated)
    # What exactly passed (or failed): promotion and `serve` compare these before publishing.
    summary["checksums"] = {"package": sha256_file(package.descriptor_path)}
    if db is not None:
        summary["checksums"]["database"] = sha256_file(db)
    write_file_atomically(
        out / "results.json", json_bytes(detailed(frictionless, outcomes, outdated), default=str)
    )
    write_file_atomically(out / "summary.json", json_bytes(summary, default=str))
    print(terminal_text(summary, frictionless, outcomes))
    if outdated:
        print(
            f"expectations/ is out of date for {', '.join(outdated)}: "
            "run `python -m pipelines validate --write-suites` and review the diff",
            file=sys.stderr,
        )
    if not summary["passed"]:
        print(
            f"validation failed: nothing was published; the rejected candidate is in {package.root} "
            f"(database: {db or 'not checked'}), the offending rows in {out / 'results.json'}",
            file=sys.stderr,
        )
    return bool(summary["passed"])
