"""Derived checks are declared once: each suite's table is built, and carries the suite's key."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pipelines.package.reader import read_package
from pipelines.validate.derived import DERIVED_CHECKS, derived_tables
from pipelines.validate.package import read_frames
from pipelines.validate.suites import generate_suites, metadata_schemas


def test_every_derived_suite_comes_from_the_declarations() -> None:
    names = {s["name"] for s in generate_suites(metadata_schemas())}
    assert {c.suite_name for c in DERIVED_CHECKS} <= names
    resources = set(metadata_schemas())
    for check in DERIVED_CHECKS:
        assert (check.build is None) == (check.target in resources), check.suite_name


def test_each_table_is_built_with_its_key_columns(seed_package: Path) -> None:
    frames = read_frames(read_package(seed_package))
    tables = derived_tables(frames, Decimal(0))
    for check in DERIVED_CHECKS:
        table = tables.get(check.target, frames.get(check.target))
        assert table is not None, check.target
        assert list(table.columns[: len(check.key())]) == check.key() or set(check.key()) <= set(
            table.columns
        )
