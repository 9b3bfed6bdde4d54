"""Every check that is not read straight off a Table Schema, declared once: its name, the table it
runs on and the builder of that table, the key naming an offending row, its expectations and its
severity (``integrity`` blocks publishing, ``source_quality`` reports on the source document).

Keys of tables that are resources come from the field catalogue; the suites in ``expectations/``
and the tables the runner builds both come from this list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd

from pipelines.package.metadata import load_metadata
from pipelines.validate import checks
from pipelines.validate.expectations import Kind, Suite, expectation, suite

Builder = Callable[[checks.Frames, Decimal], pd.DataFrame | None]


def _key(resource: str) -> list[str]:
    return list(load_metadata().resource(resource).primary_key)


@dataclass(frozen=True)
class DerivedCheck:
    suite_name: str
    kind: Kind
    target: str
    key: Callable[[], list[str]]
    expectations: list[dict[str, Any]]
    # None: the target is a resource of the package, checked as published.
    build: Builder | None = None
    # Resources the check needs; without them its suite is not generated.
    requires: frozenset[str] = field(default_factory=frozenset)

    def applies_to(self, resources: set[str]) -> bool:
        return self.requires <= resources

    def suite(self) -> Suite:
        return suite(self.suite_name, self.kind, "pandas", self.target, self.key(), self.expectations)


def _true_on_every_row(
    build: Callable[[checks.Frames], pd.DataFrame | None],
    key: Callable[[], list[str]],
    column: str,
    name: str,
    description: str,
) -> DerivedCheck:
    """A source-quality check of the table ``build`` makes (named after it): ``column`` is "true"
    on every row."""
    return DerivedCheck(
        f"source_quality-{build.__name__}",
        "source_quality",
        build.__name__,
        key,
        [
            expectation(
                "expect_column_values_to_be_in_set",
                {"column": column, "value_set": ["true"]},
                name,
                description,
            )
        ],
        lambda frames, _: build(frames),
    )


DERIVED_CHECKS: tuple[DerivedCheck, ...] = (
    DerivedCheck(
        "integrity-ratio-recomputation",
        "integrity",
        "ratio_recomputation",
        lambda: _key("ratios"),
        [
            expectation(
                "expect_column_pair_values_to_be_equal",
                {"column_A": "consistent", "column_B": "recomputed_consistent", "ignore_row_if": "neither"},
                "ratios.consistent.recomputed",
                "Recomputed with interval arithmetic from the observations and their printed decimals, "
                "the ratio's verdict (true, false, or unknown) matches the published flag.",
            ),
            expectation(
                "expect_column_pair_values_to_be_equal",
                {
                    "column_A": "published_pct",
                    "column_B": "published_printed_value",
                    "ignore_row_if": "neither",
                },
                "ratios.published_pct.matches_printed",
                "The published percentage is the printed literal read as a number.",
            ),
            expectation(
                "expect_column_values_to_be_between",
                {"column": "computed_pct_error", "min_value": 0, "max_value": 1e-6},
                "ratios.computed_pct.recomputed",
                "computed_pct is numerator / denominator * 100 of the observations, to 6 decimals.",
            ),
        ],
        checks.ratio_recomputation,
        frozenset({"ratios", "observations"}),
    ),
    DerivedCheck(
        "source_quality-ratios",
        "source_quality",
        "ratios",
        lambda: _key("ratios"),
        [
            expectation(
                "expect_column_values_to_not_be_in_set",
                {"column": "consistent", "value_set": ["false", "False", "FALSE", "0"]},
                "ratios.published_ratio.producible",
                "The printed figures, anywhere within their printed precision, can produce the "
                "published ratio. Rows listed here are ratios the report's own figures cannot give.",
            )
        ],
    ),
    DerivedCheck(
        "source_quality-verdicts",
        "source_quality",
        "verdicts",
        lambda: _key("verdicts"),
        [
            expectation(
                "expect_column_values_to_not_be_in_set",
                {"column": "figures_agree", "value_set": ["false", "False", "FALSE", "0"]},
                "verdicts.printed_verdict.agrees_with_figures",
                "A verdict the source prints (Đạt, Không đạt, Vượt) says what its own figures say, "
                "assessed by the project's one direction-aware rule. Rows listed here are verdicts the "
                "figures contradict.",
            )
        ],
    ),
    DerivedCheck(
        "source_quality-review",
        "source_quality",
        "observations",
        lambda: _key("observations"),
        [
            expectation(
                "expect_column_values_to_be_null",
                {"column": "review_reason"},
                "observations.figure.settled",
                "Every figure was read with confidence or settled by a person. Rows listed here carry a "
                "review reason (a doubtful reading of a scan, an ambiguous number) until the report's "
                "corrections file settles them; they are published, marked, and kept out of counts.",
            )
        ],
    ),
    DerivedCheck(
        "source_quality-pct_shares",
        "source_quality",
        "pct_shares",
        lambda: _key("observations"),
        [
            expectation(
                "expect_column_values_to_be_between",
                {"column": "value", "min_value": 0, "max_value": 100},
                "observations.pct_share.within_0_100",
                "A share in percent (unit pct, name beginning 'Tỷ lệ') lies in [0, 100]. "
                "Growth rates and changes are not shares and are not checked.",
            )
        ],
        lambda frames, _: checks.pct_shares(frames),
    ),
    DerivedCheck(
        "source_quality-estimate_vs_plan",
        "source_quality",
        "estimate_vs_plan",
        checks.estimate_vs_plan_key,
        [
            expectation(
                "expect_column_values_to_be_between",
                {
                    "column": "gap_pct",
                    "min_value": 0,
                    "max_value": {"$PARAMETER": "estimate_plan_gap_pct"},
                },
                "observations.estimate.near_plan",
                "The estimate of the reporting year is within quality.estimate_plan_gap_pct percent "
                "of that year's plan (params.yaml).",
            )
        ],
        lambda frames, _: checks.estimate_vs_plan(frames),
    ),
    _true_on_every_row(
        checks.crop_balance,
        checks.crop_balance_key,
        "balanced",
        "crops.area_yield_output.balanced",
        "Area (ha) x yield (tạ/ha) / 10 can give the output (tấn) within printed precision.",
    ),
    _true_on_every_row(
        checks.pct_of_plan,
        lambda: checks.PCT_OF_PLAN_KEY,
        "agrees",
        "crops.pct_of_plan.recomputed",
        "A printed '% of plan' can be produced by the printed actual and plan values.",
    ),
    DerivedCheck(
        "source_quality-narrative",
        "source_quality",
        "narrative_checks",
        lambda: _key("narrative_checks"),
        [
            expectation(
                "expect_column_values_to_not_be_in_set",
                {"column": "agrees", "value_set": ["no"]},
                "narrative_checks.statement.agrees",
                "A number stated in the report's text agrees with the appendix figure it restates.",
            )
        ],
    ),
)


def derived_tables(frames: checks.Frames, tolerance_pct: Decimal) -> dict[str, pd.DataFrame | None]:
    """The check tables the suites name as their ``target`` (None when the package lacks what one
    needs, and its suite is then reported as skipped)."""
    return {c.target: c.build(frames, tolerance_pct) for c in DERIVED_CHECKS if c.build is not None}
