"""Resources derived from the whole package rather than extracted from one report.

A builder receives every extracted resource as rows of text (as published), and the rows of the
builders before it as they built them (typed), and returns its own rows. Those computed across reports run once, when the per-report packages are merged: a report's
own package holds what was extracted from it and the catalogue its indicators' codes refer to,
since anything derived from it alone would be rebuilt at the merge.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping
from operator import itemgetter
from pathlib import Path

from pipelines.across.series import best_rows, crosswalk_rows, revision_rows, series_rows, suggestion_warnings
from pipelines.common.enums import ReviewReason
from pipelines.common.errors import PipelineError
from pipelines.common.indicator_codes import catalogue_rows
from pipelines.package.arrow_csv import python_rows, read_arrow_csv

Rows = Iterable[Mapping[str, object]]
Builder = Callable[[Mapping[str, Rows]], list[dict[str, object]]]

# Built for every package, a report's own included: the indicators' codes refer to it.
EVERY_PACKAGE: dict[str, Builder] = {"indicator_catalogue": lambda _tables: catalogue_rows()}
# Built once, from the merged package, in this order: each may read the ones before it.
ACROSS_REPORTS: dict[str, Builder] = {
    "crosswalk": crosswalk_rows,
    "series": series_rows,
    "series_best": best_rows,
    "revisions": revision_rows,
}
BUILDERS: dict[str, Builder] = {**EVERY_PACKAGE, **ACROSS_REPORTS}

WARNINGS = "warnings"


def flagged_warnings(tables: Mapping[str, Rows]) -> list[dict[str, object]]:
    """The extracted warnings plus one per row a derived resource flagged (a crosswalk suggestion).

    The derived flags are recomputed each time (any listed already are replaced), so the package
    lists each once and never one a maintainer has since decided.
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

    def select(self, *names: str) -> Iterator[tuple[str, ...]]:
        """The named columns of every row, as tuples in that order: a builder that reads a large
        table for a few columns pays no dict per row, and Arrow's reader (in C++) takes only
        those columns out of the text; a file it does not read is read by the csv module."""
        columns = _arrow_columns(self.path, names)
        if columns is not None:
            yield from columns
            return
        with self.path.open(encoding="utf-8", newline="") as handle:
            rows = csv.reader(handle)
            header = next(rows, [])
            missing = [name for name in names if name not in header]
            if missing:
                raise PipelineError(f"columns {missing} are not in the table (it has {header})")
            at = [header.index(name) for name in names]
            yield from (
                (tuple(row[i] for i in at) for row in rows) if len(at) == 1 else map(itemgetter(*at), rows)
            )


def _arrow_columns(path: Path, names: tuple[str, ...]) -> Iterator[tuple[str, ...]] | None:
    """The named columns of a CSV as tuples of text (an empty cell ``""``, as the csv module
    reads it), or None when Arrow does not read the file or it lacks one of them."""
    import pyarrow as pa

    table = read_arrow_csv(path, dict.fromkeys(names, pa.string()), include=list(names))
    if table is None or table.column_names != list(names):
        return None
    return python_rows(table)
