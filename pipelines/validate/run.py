"""One validation run: frictionless, then every suite in one GX context, then the verdict files."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from pipelines.common.atomic import sha256_file, write_file_atomically
from pipelines.common.errors import PipelineError

DEFAULTS = {"tolerance_pct": 0.0, "estimate_plan_gap_pct": 50.0}


def read_params(path: Path) -> dict[str, float]:
    """The tunables validation uses, with defaults when params.yaml or a key is absent."""
    data: dict[str, Any] = {}
    if path.exists():
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    ratios, quality = data.get("ratios") or {}, data.get("quality") or {}
    return {
        "tolerance_pct": float(ratios.get("tolerance_pct", DEFAULTS["tolerance_pct"])),
        "estimate_plan_gap_pct": float(
            quality.get("estimate_plan_gap_pct", DEFAULTS["estimate_plan_gap_pct"])
        ),
    }


def _dump(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8")


def validate(package_path: Path, out: Path, db: Path | None, params_path: Path) -> bool:
    """Validate, write OUT/summary.json, OUT/results.json and OUT/data-docs/; True when publishable."""
    from pipelines.validate.checks import derived_tables
    from pipelines.validate.frictionless_check import validate_package
    from pipelines.validate.gx_runner import run_suites
    from pipelines.validate.package import build_sqlite, read_frames, read_package
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
    for name, build in derived_tables(Decimal(str(params["tolerance_pct"]))).items():
        frames[name] = build(frames)
    out.mkdir(parents=True, exist_ok=True)
    targets = {"package": build_sqlite(package, frames, out / "package.sqlite")}
    if db is not None:
        targets["db"] = db
    outcomes = run_suites(
        suites,
        frames,
        targets,
        out,
        {"estimate_plan_gap_pct": params["estimate_plan_gap_pct"]},
    )
    summary = summarise(str(package_path), frictionless, outcomes, outdated)
    # What exactly passed (or failed): promotion and `serve` compare these before publishing.
    summary["checksums"] = {"package": sha256_file(package.descriptor_path)}
    if db is not None:
        summary["checksums"]["database"] = sha256_file(db)
    write_file_atomically(out / "results.json", _dump(detailed(frictionless, outcomes, outdated)))
    write_file_atomically(out / "summary.json", _dump(summary))
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
