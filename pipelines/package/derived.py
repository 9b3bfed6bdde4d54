"""Resources derived from the whole package rather than extracted from one report.

A builder receives every extracted resource as rows of text (as published) and returns its own
rows. The same builders run for one report's package and for the merged package, so a single
report's package is complete on its own and the merged one is computed across all reports.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from pipelines.across.series import best_rows, crosswalk_rows, revision_rows, series_rows, suggestion_warnings
from pipelines.common.enums import ReviewReason
from pipelines.common.indicator_codes import catalogue_rows

Rows = Iterable[dict[str, str]]
Builder = Callable[[Mapping[str, Rows]], list[dict[str, object]]]

# In the order they are built: each may read the ones before it.
BUILDERS: dict[str, Builder] = {
    "indicator_catalogue": lambda _tables: catalogue_rows(),
    "crosswalk": crosswalk_rows,
    "series": series_rows,
    "series_best": best_rows,
    "revisions": revision_rows,
}

WARNINGS = "warnings"


def flagged_warnings(tables: Mapping[str, Rows]) -> list[dict[str, object]]:
    """The extracted warnings plus one per row a derived resource flagged (a crosswalk suggestion).

    The derived flags are recomputed each time: those a report's own package listed are replaced,
    so the merged package lists each once and never one a maintainer has since decided.
    """
    derived = suggestion_warnings(tables["crosswalk"])
    codes = {str(w["code"]) for w in derived} | {str(ReviewReason.fuzzy_match)}
    kept = [{k: (v or None) for k, v in w.items()} for w in tables[WARNINGS] if w["code"] not in codes]
    for row in kept:
        row["source_line"] = int(row["source_line"]) if row["source_line"] else None
    return kept + derived


class TextRows:
    """A published CSV file as rows of text keyed by column, read again on each pass: a builder
    reads a table once or twice, and holding every row of a large table as dicts would cost
    many times the CSV's own size."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __iter__(self) -> Iterator[dict[str, str]]:
        with self.path.open(encoding="utf-8", newline="") as handle:
            yield from csv.DictReader(handle)
