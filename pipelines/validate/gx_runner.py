"""Running the suites with Great Expectations: one context, one checkpoint per suite, one run.

GX is imported here only, after analytics are switched off. The context is an ephemeral one made
from ``gx/great_expectations.yml`` (every store in memory): a file context would rewrite its YAML
with every data source and asset at each asset added, a cost that grows with the square of the
suites. Data Docs are built once, after every checkpoint, into ``OUT/data-docs``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable, Set
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import yaml

from pipelines.common.paths import REPO_ROOT
from pipelines.validate.suites import Suite

GX_CONFIG = REPO_ROOT / "gx" / "great_expectations.yml"
MAX_ROWS = 5
PANDAS_SOURCE = "package"
SQL_EXPECTATION = "unexpected_rows_expectation"
# The counting stand-in for SQL_EXPECTATION in a suite's first run (see _counting_expectation).
COUNTED_SQL_EXPECTATION = "unexpected_rows_count_expectation"


@dataclass
class ExpectationOutcome:
    id: str
    type: str
    success: bool
    column: str | None = None
    unexpected_count: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)
    observed: Any = None
    error: str | None = None


@dataclass
class SuiteOutcome:
    suite: str
    kind: str
    blocking: bool
    target: str
    data: str
    expectations: list[ExpectationOutcome] = field(default_factory=list)
    skipped: str | None = None

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [e for e in self.expectations if not e.success]


def _exception_message(info: Any) -> str | None:
    """GX reports exceptions flat ({raised_exception, exception_message}) or keyed by metric id."""
    if not isinstance(info, dict):
        return None
    if "raised_exception" in info:
        return info.get("exception_message") if info.get("raised_exception") else None
    for value in info.values():
        message = _exception_message(value)
        if message:
            return message
    return None


def _clean(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _rows(result: dict[str, Any], key: list[str]) -> list[dict[str, Any]]:
    """The first offending rows, by primary key when the expectation names them."""
    if "details" in result and isinstance(result["details"], dict) and "unexpected_rows" in result["details"]:
        listed = result["details"]["unexpected_rows"] or []
    else:
        listed = result.get("unexpected_index_list") or result.get("partial_unexpected_list") or []
    rows = []
    for row in listed[:MAX_ROWS]:
        if isinstance(row, dict):
            rows.append({str(k): _clean(v) for k, v in row.items()})
        else:
            rows.append({"value": _clean(row)})
    return rows


def outcome_of(expectation_result: Any, key: list[str]) -> ExpectationOutcome:
    config = expectation_result.expectation_config
    result = expectation_result.result or {}
    meta = config.meta or {}
    error = _exception_message(expectation_result.exception_info)
    count = result.get("unexpected_count")
    if count is None and isinstance(result.get("observed_value"), int) and "details" in result:
        count = result["observed_value"]
    observed = result.get("observed_value") if not expectation_result.success else None
    kind = SQL_EXPECTATION if config.type == COUNTED_SQL_EXPECTATION else config.type
    if kind == SQL_EXPECTATION:
        observed = None
    return ExpectationOutcome(
        id=meta.get("id", kind),
        type=kind,
        success=bool(expectation_result.success),
        column=config.kwargs.get("column"),
        unexpected_count=int(count or 0),
        rows=[] if expectation_result.success else _rows(result, key),
        observed=observed,
        error=error,
    )


def _sqlite_tables(path: Path) -> set[str]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {
            r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type IN ('table','view')")
        }
    finally:
        connection.close()


def _project_config(docs_dir: Path) -> dict[str, Any]:
    """The project's GX config with its Data Docs going to ``docs_dir``."""
    config = yaml.safe_load(GX_CONFIG.read_text(encoding="utf-8"))
    site = config["data_docs_sites"]["local_site"]["store_backend"]
    site["base_directory"] = str(docs_dir.resolve()) + os.sep
    return config


def _import_gx() -> Any:
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    import great_expectations as gx
    from great_expectations.execution_engine import pandas_execution_engine

    # GX labels every pandas batch smaller than HASH_THRESHOLD bytes with an MD5 of all its cells
    # (the batch marker pandas_data_fingerprint), which nothing here reads: at 1,000 reports,
    # ~1 s of validate's CPU spent hashing frames read from files the package checksums already.
    pandas_execution_engine.HASH_THRESHOLD = 0
    _counting_expectation()
    return gx


@cache
def _counting_expectation() -> type:
    """GX's UnexpectedRowsExpectation without the rows: its query counted, never listed.

    GX 1.x computes both metrics of an UnexpectedRowsExpectation whatever the result format, so
    each query runs twice, once counted and once for the first rows. Integrity suites pass as a
    rule: they run with this expectation first (defining the class registers it with GX under
    COUNTED_SQL_EXPECTATION), and again as stored only when one fails, to list the rows.
    """
    from great_expectations.expectations.core.unexpected_rows_expectation import (
        UnexpectedRowsExpectation,
    )

    class UnexpectedRowsCountExpectation(UnexpectedRowsExpectation):
        metric_dependencies: ClassVar[tuple[str, ...]] = ("unexpected_rows_query.row_count",)

        def _validate(
            self, metrics: dict, runtime_configuration: Any = None, execution_engine: Any = None
        ) -> dict:
            count = metrics["unexpected_rows_query.row_count"]
            return {"success": count == 0, "result": {"observed_value": count}}

    return UnexpectedRowsCountExpectation


def run_suites(
    suites: list[Suite],
    frames: dict[str, Any],
    sqlite_targets: dict[str, Path],
    out: Path,
    expectation_parameters: dict[str, Any],
    only_on: dict[str, str] | None = None,
) -> list[SuiteOutcome]:
    """Run every suite on its data and build Data Docs into ``out/data-docs``.

    ``frames`` maps pandas targets (resources and derived check tables) to data frames; a suite
    whose target is absent is reported as skipped. ``sqlite_targets`` maps a label (``package``,
    ``db``) to a SQLite file on which every SQL suite runs, except the suites of the tables in
    ``only_on``, which run on the one target it names for them.
    """
    gx = _import_gx()
    out.mkdir(parents=True, exist_ok=True)
    docs_final = out / "data-docs"
    docs_building = out / f".data-docs.{os.getpid()}.tmp"
    shutil.rmtree(docs_building, ignore_errors=True)
    outcomes: list[SuiteOutcome] = []
    try:
        context = gx.get_context(mode="ephemeral", project_config=_project_config(docs_building))
        pandas_source = context.data_sources.add_pandas(PANDAS_SOURCE)
        sql_sources = {
            label: (
                context.data_sources.add_sqlite(
                    f"sqlite-{label}", connection_string=f"sqlite:///{path.resolve()}"
                ),
                _sqlite_tables(path),
            )
            for label, path in sqlite_targets.items()
        }
        for suite in suites:
            meta = suite["meta"]
            if meta["engine"] == "pandas":
                outcomes.append(
                    _run_pandas(gx, context, pandas_source, suite, frames, expectation_parameters)
                )
            else:
                for label, (source, tables) in sql_sources.items():
                    if (only_on or {}).get(meta["target"], label) != label:
                        continue
                    outcomes.append(
                        _run_sql(gx, context, source, label, tables, suite, expectation_parameters)
                    )
        context.build_data_docs()
        shutil.rmtree(docs_final, ignore_errors=True)
        os.replace(docs_building, docs_final)
    finally:
        shutil.rmtree(docs_building, ignore_errors=True)
    return outcomes


def new_outcome(suite: Suite, data: str) -> SuiteOutcome:
    meta = suite["meta"]
    return SuiteOutcome(
        suite=suite["name"],
        kind=meta["kind"],
        blocking=meta["blocking"],
        target=meta["target"],
        data=data,
    )


def table_outcomes(
    suites: list[Suite],
    tables: Set[str],
    label: str,
    expectation: Callable[[str, list[str]], ExpectationOutcome],
    engine: str = "sql",
) -> list[SuiteOutcome]:
    """For each suite of ``engine`` on ``tables``, its outcome on ``label`` without running it
    there: one expectation found otherwise, ``expectation(table, key)``."""
    outcomes = []
    for suite in suites:
        meta = suite["meta"]
        if meta["engine"] == engine and meta["target"] in tables:
            outcome = new_outcome(suite, f"sqlite:{label}" if engine == "sql" else label)
            outcome.expectations.append(expectation(meta["target"], list(meta["key"])))
            outcomes.append(outcome)
    return outcomes


def _checkpoint_run(
    gx: Any,
    context: Any,
    name: str,
    batch_definition: Any,
    suite: Suite,
    result_format: dict,
    run_kwargs: dict,
) -> Any:
    gx_suite = context.suites.add(gx.ExpectationSuite(**{**suite, "name": name}))
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=name, data=batch_definition, suite=gx_suite)
    )
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(name=name, validation_definitions=[definition], result_format=result_format)
    )
    return checkpoint.run(**run_kwargs)


def _collect(outcome: SuiteOutcome, checkpoint_result: Any, key: list[str]) -> SuiteOutcome:
    for validation in checkpoint_result.run_results.values():
        outcome.expectations.extend(outcome_of(r, key) for r in validation.results)
    return outcome


def _run_pandas(
    gx: Any, context: Any, source: Any, suite: Suite, frames: dict, parameters: dict
) -> SuiteOutcome:
    meta = suite["meta"]
    outcome = new_outcome(suite, "package")
    frame = frames.get(meta["target"])
    if frame is None:
        outcome.skipped = f"the package lacks the resources {meta['target']} is built from"
        return outcome
    key = [c for c in meta["key"] if c in frame.columns]
    asset = source.add_dataframe_asset(suite["name"])
    batch_definition = asset.add_batch_definition_whole_dataframe("all")
    run_kwargs = {"batch_parameters": {"dataframe": frame}, "expectation_parameters": parameters}
    name = suite["name"]
    if meta["kind"] == "integrity":
        # Integrity suites pass as a rule: counting is about half the work of listing every
        # offending row, so the rows are listed only when an expectation fails.
        counted = _checkpoint_run(
            gx, context, name, batch_definition, suite, {"result_format": "BASIC"}, run_kwargs
        )
        if counted.success:
            return _collect(outcome, counted, key)
        name = f"{name} (rows)"
    result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": key} if key else "COMPLETE"
    result = _checkpoint_run(gx, context, name, batch_definition, suite, result_format, run_kwargs)
    return _collect(outcome, result, key)


def _run_sql(
    gx: Any, context: Any, source: Any, label: str, tables: set[str], suite: Suite, parameters: dict
) -> SuiteOutcome:
    meta = suite["meta"]
    outcome = new_outcome(suite, f"sqlite:{label}")
    if meta["target"] not in tables:
        outcome.expectations.append(
            ExpectationOutcome(
                id=f"{meta['target']}.table.present.sql",
                type="table_present",
                success=False,
                error=f"the {label} database has no table {meta['target']!r}",
            )
        )
        return outcome
    asset = source.add_table_asset(f"{suite['name']}", table_name=meta["target"])
    batch_definition = asset.add_batch_definition_whole_table("all")
    name, run_kwargs = f"{suite['name']}@{label}", {"expectation_parameters": parameters}
    counting = [
        {**e, "type": COUNTED_SQL_EXPECTATION} if e["type"] == SQL_EXPECTATION else e
        for e in suite["expectations"]
    ]
    counted = _checkpoint_run(
        gx,
        context,
        name,
        batch_definition,
        {**suite, "expectations": counting},
        {"result_format": "BASIC"},
        run_kwargs,
    )
    if counted.success:
        return _collect(outcome, counted, list(meta["key"]))
    result = _checkpoint_run(
        gx, context, f"{name} (rows)", batch_definition, suite, {"result_format": "COMPLETE"}, run_kwargs
    )
    return _collect(outcome, result, list(meta["key"]))
