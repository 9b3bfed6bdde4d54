"""Release notes speak in indicator codes: best figures that appeared, changed or disappeared."""

from __future__ import annotations

from pipelines.package.reader import Package
from pipelines.release.codes import code_changes
from pipelines.release.diff import diff_packages
from pipelines.release.render import diff_markdown

HEADER = ["indicator_code", "province", "period", "measure", "value", "unit", "review_reason"]


def _package(label: str, *rows: tuple[str, ...]) -> Package:
    text = "\n".join(",".join(row) for row in [tuple(HEADER), *rows]) + "\n"
    resource = {
        "name": "series_best",
        "path": "data/series_best.csv",
        "schema": {"fields": [{"name": h} for h in HEADER], "primaryKey": HEADER[:3]},
    }
    return Package(label, {"resources": [resource]}, {"data/series_best.csv": text}.__getitem__)


def test_an_estimate_replaced_by_the_actual_is_said_in_codes() -> None:
    old = _package(
        "v1",
        ("grdp_growth", "Cao Bằng", "2022", "estimate", "5.55", "pct", ""),
        ("poverty_rate", "Cao Bằng", "2021", "actual", "20.1", "pct", ""),
    )
    new = _package(
        "v2",
        ("grdp_growth", "Cao Bằng", "2022", "actual", "5.1", "pct", ""),
        ("grdp_growth", "Cao Bằng", "2023", "plan", "6", "pct", ""),
    )
    assert code_changes(old, new) == [
        "grdp_growth, Cao Bằng 2022: estimate 5.55 → actual 5.1 pct",
        "grdp_growth, Cao Bằng 2023: plan 6 pct (new)",
        "poverty_rate, Cao Bằng 2021: actual 20.1 pct no longer published",
    ]
    notes = diff_markdown(diff_packages(old, new))
    assert "- grdp_growth, Cao Bằng 2022: estimate 5.55 → actual 5.1 pct" in notes


def test_an_unchanged_best_figure_is_not_listed() -> None:
    row = ("grdp_growth", "Cao Bằng", "2022", "actual", "5.1", "pct", "")
    assert code_changes(_package("a", row), _package("b", row)) == []
