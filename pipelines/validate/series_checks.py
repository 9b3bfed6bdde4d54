"""Integrity of the across-report resources (crosswalk, series, best figures, revisions), as SQL.

Each check returns the offending rows; an empty result passes. ``{batch}`` is the checked table.
"""

from __future__ import annotations

SERIES_KEY = "indicator_code, province, period, measure"

CHECKS: dict[str, list[tuple[str, str, str]]] = {
    "crosswalk": [
        (
            "crosswalk.code.only_when_matched.sql",
            "A row has a code exactly when it was matched (reviewed, name, synonym); a suggestion is never used.",
            "SELECT report_id, indicator_id, method, indicator_code FROM {batch} WHERE "
            "(method IN ('suggested', 'unmatched')) = (indicator_code IS NOT NULL)",
        ),
        (
            "crosswalk.suggestion.scored.sql",
            "A suggested row names its candidate code and score, and is flagged for review.",
            "SELECT report_id, indicator_id FROM {batch} WHERE method = 'suggested' AND "
            "(suggested_code IS NULL OR score IS NULL OR review_reason IS NULL)",
        ),
    ],
    "series": [
        (
            "series.latest.one_per_key.sql",
            "Exactly one vintage is latest per code, province, period and measure.",
            f"SELECT {SERIES_KEY}, SUM(latest) AS latest_rows FROM {{batch}} "
            f"GROUP BY {SERIES_KEY} HAVING SUM(latest) <> 1",
        ),
        (
            "series.latest.confirmed_first.sql",
            "A flagged figure is never the latest while a confirmed one exists for its key.",
            "SELECT DISTINCT s.report_id, s.indicator_id, s.measure, s.period FROM {batch} AS s "
            "JOIN series AS c ON c.indicator_code = s.indicator_code AND c.province = s.province "
            "AND c.period = s.period AND c.measure = s.measure AND c.review_reason IS NULL "
            "WHERE s.latest = 1 AND s.review_reason IS NOT NULL",
        ),
        (
            "series.latest.newest.sql",
            "No figure of the same standing (confirmed or flagged) comes from a newer report than the latest.",
            # One pass over the newest date per key and standing: a self-join row by row is
            # quadratic within a code (minutes at 1,000 reports).
            "SELECT s.report_id, s.indicator_id, s.measure, s.period FROM {batch} AS s "
            "JOIN (SELECT indicator_code, province, period, measure, review_reason IS NULL AS confirmed, "
            "MAX(report_date) AS newest FROM series GROUP BY 1, 2, 3, 4, 5) AS m "
            "ON m.indicator_code = s.indicator_code AND m.province = s.province AND m.period = s.period "
            "AND m.measure = s.measure AND m.confirmed = (s.review_reason IS NULL) "
            "WHERE s.latest = 1 AND s.report_date < m.newest",
        ),
        (
            "series.code.matched_in_crosswalk.sql",
            "Every series figure comes from a printed row the crosswalk matched to the same code.",
            "SELECT s.report_id, s.indicator_id, s.indicator_code FROM {batch} AS s "
            "LEFT JOIN crosswalk AS x ON x.report_id = s.report_id AND x.indicator_id = s.indicator_id "
            "AND x.indicator_code = s.indicator_code AND x.series_exclusion IS NULL "
            "WHERE x.indicator_id IS NULL",
        ),
    ],
    "series_best": [
        (
            "series_best.is_a_latest_vintage.sql",
            "Every best figure is a latest vintage of the series.",
            "SELECT b.indicator_code, b.province, b.period FROM {batch} AS b LEFT JOIN series AS s "
            "ON s.report_id = b.report_id AND s.indicator_id = b.indicator_id AND s.measure = b.measure "
            "AND s.period = b.period AND s.latest = 1 WHERE s.indicator_id IS NULL",
        ),
    ],
    "revisions": [
        (
            "revisions.values_differ.sql",
            "A revision is only recorded where the two values differ, and change is their difference.",
            "SELECT later_report_id, later_indicator_id, later_measure, period FROM {batch} "
            "WHERE earlier_value = later_value OR abs(later_value - earlier_value - change) > 1e-9",
        ),
        (
            "revisions.later_is_newer.sql",
            "The revising report is a different, not older, report than the revised one.",
            "SELECT later_report_id, later_indicator_id, later_measure, period FROM {batch} "
            "WHERE earlier_report_id = later_report_id OR later_report_date < earlier_report_date",
        ),
    ],
}
