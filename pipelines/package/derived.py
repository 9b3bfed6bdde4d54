"""Resources derived from the whole package rather than extracted from one report.

A builder receives every extracted resource as rows of text (as published) and returns its own
rows. The same builders run for one report's package and for the merged package, so a single
report's package is complete on its own and the merged one is computed across all reports.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping

from pipelines.across.series import best_rows, crosswalk_rows, revision_rows, series_rows
from pipelines.common.indicator_codes import catalogue_rows

Rows = list[dict[str, str]]
Builder = Callable[[Mapping[str, Rows]], list[dict[str, object]]]

# In the order they are built: each may read the ones before it.
BUILDERS: dict[str, Builder] = {
    "indicator_catalogue": lambda _tables: catalogue_rows(),
    "crosswalk": crosswalk_rows,
    "series": series_rows,
    "series_best": best_rows,
    "revisions": revision_rows,
}


def text_rows(data: bytes) -> Rows:
    """A published CSV as rows of text keyed by column."""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
