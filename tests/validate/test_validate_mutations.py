"""Corrupted copies of the real outputs fail the integrity suite, naming the expectation that caught them."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pipelines.validate.run import validate

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def extracted(seed_package: Path) -> Path:
    """The seed report through the real extraction (copied before each change)."""
    return seed_package


def _edit_csv(path: Path, edit: Callable[[list[dict[str, str]]], list[dict[str, str]]]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = list(reader.fieldnames or []), list(reader)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(edit(rows))
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _run(package: Path, out: Path, repo_root: Path) -> tuple[bool, set[str], dict]:
    passed = validate(package / "datapackage.json", out, None, repo_root / "params.yaml")
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    failed = {e["id"] for s in results["suites"] if s["blocking"] for e in s["failed"]}
    return passed, failed, results


@pytest.fixture
def copy(extracted: Path, tmp_path: Path) -> Path:
    target = tmp_path / "package"
    shutil.copytree(extracted, target)
    return target


def test_untouched_outputs_pass(copy: Path, tmp_path: Path, repo_root: Path) -> None:
    passed, failed, results = _run(copy, tmp_path / "validation", repo_root)
    assert failed == set()
    assert passed
    assert results["frictionless"]["valid"]
    summary = json.loads((tmp_path / "validation" / "summary.json").read_text(encoding="utf-8"))
    assert summary["passed"] and summary["integrity"]["failed"] == 0
    assert summary["source_quality"]["findings"] > 0  # the seed's unproducible ratios are reported
    assert (tmp_path / "validation" / "data-docs" / "index.html").exists()


def _first(rows: list[dict[str, str]], **match: str) -> dict[str, str]:
    return next(r for r in rows if all(r[k] == v for k, v in match.items()))


def _wrong_type(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    rows[0]["value"] = "ba mươi"
    return rows


def _duplicate_key(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [*rows, dict(rows[3])]


def _indicator_loses_values(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    target = rows[0]["indicator_id"]
    return [r for r in rows if r["indicator_id"] != target]


def _period_outside_report(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    _first(rows, measure="plan", period="2023")["period"] = "2031"
    return rows


def _altered_ratio(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    row = _first(rows, consistent="true")
    row["published_printed"], row["published_pct"] = "150,0", "150"
    return rows


def _unit_outside_list(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    _first(rows, unit="pct")["unit"] = "furlongs"
    return rows


def _two_latest(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """A second latest vintage for the first row's key, printed in another row of the report."""
    return [*rows, {**rows[0], "indicator_id": rows[1]["indicator_id"], "period": rows[0]["period"]}]


def _newer_vintage_not_latest(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """A newer figure for the first row's key that is not marked latest."""
    newer = {
        **rows[0],
        "indicator_id": rows[1]["indicator_id"],
        "report_date": "2099-01-01",
        "latest": "false",
    }
    return [*rows, newer]


def _code_outside_catalogue(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    rows[0]["indicator_code"] = "no_such_code"
    return rows


def _score_over_100(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    rows[0]["score"] = "250"
    return rows


def _series_value_in_words(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    rows[0]["value"] = "ba mươi"
    return rows


def _suggestion_used(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    rows[0]["method"] = "suggested"
    return rows


def _range_upside_down(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    rows[0]["value"], rows[0]["value_low"], rows[0]["value_high"] = "", "9", "8"
    return rows


def _number_and_words(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    rows[0]["value_text"] = "Xuất siêu"
    return rows


def _value_off_its_ends(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    rows[0]["value_high"] = "999999"
    return rows


def _qualifier_outside_list(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    rows[0]["qualifier"] = "cỡ"
    return rows


MUTATIONS = [
    ("observations", _wrong_type, "observations.value.type"),
    ("observations", _duplicate_key, "observations.primary_key.unique"),
    ("observations", _duplicate_key, "observations.primary_key.unique.sql"),
    ("observations", _indicator_loses_values, "indicators.kind_indicator.has_observation.sql"),
    ("observations", _period_outside_report, "observations.period.within_report_years.sql"),
    ("ratios", _altered_ratio, "ratios.consistent.recomputed"),
    ("indicators", _unit_outside_list, "indicators.unit.in_set"),
    ("series", _two_latest, "series.latest.one_per_key.sql"),
    ("series", _newer_vintage_not_latest, "series.latest.newest.sql"),
    ("series", _code_outside_catalogue, "series.foreign_key.indicator_code.sql"),
    ("crosswalk", _suggestion_used, "crosswalk.code.only_when_matched.sql"),
    ("crosswalk", _score_over_100, "crosswalk.score.range.sql"),
    ("series", _series_value_in_words, "series.value.type"),
    ("observations", _range_upside_down, "observations.value_range.ordered.sql"),
    ("observations", _number_and_words, "observations.value_text.only_without_value.sql"),
    ("observations", _value_off_its_ends, "observations.value.is_both_ends.sql"),
    ("observations", _qualifier_outside_list, "observations.qualifier.in_set"),
]


@pytest.mark.parametrize(("resource", "mutate", "expected"), MUTATIONS, ids=[m[2] for m in MUTATIONS])
def test_corruption_fails_the_right_expectation(
    copy: Path, tmp_path: Path, repo_root: Path, resource: str, mutate: Callable, expected: str
) -> None:
    _edit_csv(copy / "data" / f"{resource}.csv", mutate)
    passed, failed, results = _run(copy, tmp_path / "validation", repo_root)
    assert not passed
    assert expected in failed, failed
    if expected.endswith(".sql"):
        # SQL suites count first; a failure runs the suite again to name the offending rows.
        [found] = [e for s in results["suites"] for e in s["failed"] if e["id"] == expected]
        assert found["type"] == "unexpected_rows_expectation"
        assert found["unexpected_count"] >= 1 and found["rows"], found


def test_content_checks_alone_catch_corruption_without_hashes(
    copy: Path, tmp_path: Path, repo_root: Path
) -> None:
    descriptor_path = copy / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        resource.pop("hash", None)
        resource.pop("bytes", None)
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    _edit_csv(copy / "data" / "indicators.csv", _unit_outside_list)
    _edit_csv(copy / "data" / "ratios.csv", _altered_ratio)
    passed, failed, results = _run(copy, tmp_path / "validation", repo_root)
    assert not passed
    assert {"indicators.unit.in_set", "ratios.consistent.recomputed"} <= failed
    assert all(e["type"] not in ("hash-count", "byte-count") for e in results["frictionless"]["errors"])


def test_a_revision_that_changes_nothing_fails(copy: Path, tmp_path: Path, repo_root: Path) -> None:
    with (copy / "data" / "series.csv").open(encoding="utf-8", newline="") as handle:
        first = next(csv.DictReader(handle))
    side = {
        k: first[k] for k in ("measure", "value", "report_id", "indicator_id", "report_date", "source_ref")
    }
    revision = {
        **{k: first[k] for k in ("indicator_code", "province", "period", "unit")},
        **{f"earlier_{k}": v for k, v in side.items()},
        **{f"later_{k}": v for k, v in side.items()},
        "change": "0",
        "review_reason": "",
    }
    _edit_csv(copy / "data" / "revisions.csv", lambda rows: [*rows, revision])
    passed, failed, _ = _run(copy, tmp_path / "validation", repo_root)
    assert not passed
    assert {"revisions.values_differ.sql", "revisions.later_is_newer.sql"} <= failed, failed
