"""One validation run: frictionless, then every suite in one GX context, then the verdict files."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from pipelines.common.atomic import sha256_file, write_file_atomically
from pipelines.common.errors import PipelineError
from pipelines.common.jsonio import json_bytes
from pipelines.common.params import read_params


def _csv_structure(package: Any, leave_out: frozenset[str]) -> list[Any]:
    """csvkit's structural check of every CSV of the package but ``leave_out`` (file and line of
    each problem)."""
    from pipelines.validate.structure import check_files

    return check_files(
        {
            r["path"]: (package.root / r["path"], [f["name"] for f in package.schemas[r["name"]]["fields"]])
            for r in package.descriptor["resources"]
            if r["name"] not in leave_out
        }
    )


def _block_on_structure(package_path: Path, out: Path, problems: list[Any]) -> None:
    """Verdict files and terminal text when a CSV is not sound: nothing parses it by type."""
    summary = {"passed": False, "package": str(package_path), "structure": {"errors": len(problems)}}
    out.mkdir(parents=True, exist_ok=True)
    write_file_atomically(out / "results.json", json_bytes({"structure": [str(p) for p in problems]}))
    write_file_atomically(out / "summary.json", json_bytes(summary))
    print("CSV structure (csvkit): INVALID", *(f"  - {p}" for p in problems), sep="\n")
    print("FAILED: publishing is blocked")
    print(
        f"validation failed: nothing was published; the rejected candidate is in {package_path.parent}",
        file=sys.stderr,
    )


def _parquet_text(problems: list[Any] | None) -> str:
    if problems is None:
        return "Parquet copy: none in this package"
    if not problems:
        return "Parquet copy: agrees with the CSV"
    return "\n".join(["Parquet copy: DISAGREES with the CSV", *(f"  - {p}" for p in problems)])


def _derived(schemas: dict[str, dict[str, Any]]) -> frozenset[str]:
    """Resources built in the package from the others."""
    from pipelines.validate.suites import derived_resources

    return derived_resources() & schemas.keys()


def _rows_left_to_suites(schemas: dict[str, dict[str, Any]]) -> set[str]:
    """Derived resources whose rows the suites check in full: frictionless checks their
    descriptor, size and hash but does not read them again."""
    from pipelines.validate.frictionless_check import suites_check_rows

    return {name for name in _derived(schemas) if suites_check_rows(schemas[name])}


def validate(package_path: Path, out: Path, db: Path | None, params_path: Path) -> bool:
    """Validate, write OUT/summary.json, OUT/results.json and OUT/data-docs/; True when publishable."""
    from pipelines.package.reader import read_package
    from pipelines.package.sqlite import load_into_file
    from pipelines.validate.derived import derived_tables
    from pipelines.validate.frictionless_check import validate_package
    from pipelines.validate.gx_runner import run_suites
    from pipelines.validate.package import read_frames
    from pipelines.validate.report import detailed, summarise, terminal_text
    from pipelines.validate.same_bytes import checked_on_database, rendered_suites, typed_on_database
    from pipelines.validate.same_rows import compared_suites
    from pipelines.validate.suites import generate_suites, metadata_schemas, outdated_suites, read_suites

    if db is not None and not db.exists():
        raise PipelineError(f"{db}: no such database (run `python -m pipelines build-db` first)")
    package = read_package(package_path)
    # The derived resources' SQL suites run once: on the published database when its tables of
    # them give back their CSVs byte for byte (same_bytes), else on validation's own copy, with
    # the database's tables then compared with that copy row for row (same_rows).
    derived = _derived(package.schemas)
    on_db = checked_on_database(db, package, derived)
    structure = _csv_structure(package, leave_out=on_db)
    if structure:
        _block_on_structure(package_path, out, structure)
        return False
    from pipelines.package.parquet import parquet_checksum, read_parquet_copy
    from pipelines.validate.parquet_check import check_parquet, has_parquet

    parquet = check_parquet(package.root, package.descriptor) if has_parquet(package.root) else None
    params = read_params(params_path)
    suites = read_suites()
    outdated = outdated_suites(generate_suites(metadata_schemas()))
    names = {s["name"] for s in suites}
    outdated += [f"integrity-{r} (missing)" for r in package.schemas if f"integrity-{r}" not in names]
    frictionless = validate_package(package.descriptor_path, _rows_left_to_suites(package.schemas))
    # Of the tables checked on the database, those whose SQL suite also runs their CSV suite's
    # checks, on the typed values: their CSVs are not read into frames.
    typed = typed_on_database(suites, on_db)
    frames = read_frames(package, leave_out=typed)
    frames.update(derived_tables(frames, Decimal(str(params["ratios"]["tolerance_pct"]))))
    out.mkdir(parents=True, exist_ok=True)
    targets = {"package": load_into_file(package, out / "package.sqlite", leave_out=on_db)}
    if db is not None:
        targets["db"] = db
    outcomes = run_suites(
        [s for s in suites if not (s["meta"]["engine"] == "pandas" and s["meta"]["target"] in typed)],
        frames,
        targets,
        out,
        {"estimate_plan_gap_pct": float(params["quality"]["estimate_plan_gap_pct"])},
        only_on={name: "db" if name in on_db else "package" for name in derived},
    )
    outcomes += rendered_suites(suites, on_db, typed, "package")
    if db is not None:
        outcomes += compared_suites(suites, derived - on_db, db, targets["package"], "db")
    summary = summarise(str(package_path), frictionless, outcomes, outdated)
    summary["structure"] = {"errors": 0}
    summary["parquet"] = None if parquet is None else {"errors": len(parquet)}
    summary["passed"] = summary["passed"] and not parquet
    # What exactly passed (or failed): promotion and `serve` compare these before publishing.
    summary["checksums"] = {"package": sha256_file(package.descriptor_path)}
    if parquet == []:
        summary["checksums"]["parquet"] = parquet_checksum(read_parquet_copy(package.root))
    if db is not None:
        summary["checksums"]["database"] = sha256_file(db)
    results = {**detailed(frictionless, outcomes, outdated), "parquet": [str(p) for p in parquet or []]}
    write_file_atomically(out / "results.json", json_bytes(results, default=str))
    write_file_atomically(out / "summary.json", json_bytes(summary, default=str))
    print("CSV structure (csvkit): sound")
    print(_parquet_text(parquet))
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
