"""Tables nobody wrote code for, end to end: ``generate --shapes`` writes sources in other publishers'
shapes (with their sidecars), ``extract-all`` and ``package`` publish them, and every printed cell
of the package equals what the generator drew: measure, year, breakdown, range ends, qualifier,
words, verdicts, second values in parentheses, the name as printed and without its unit."""

from __future__ import annotations

import csv
import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.common.enums import NOT_SPLIT, Measure
from pipelines.common.text import slugify
from pipelines.publish.siteconfig import load_site_config

SEEDS = range(200, 224)
REMAINING_NAME = "mức còn lại"


def _text(value: str) -> str:
    return "" if value == "" else format(Decimal(value).normalize(), "f")


def _rows(package: Path, resource: str) -> list[dict[str, str]]:
    with (package / "data" / f"{resource}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("generated")
    raw, truth = root / "raw", root / "truth"
    args = ["--out", str(raw), "--truth-out", str(truth), "--count", str(len(SEEDS)), "--seed", str(SEEDS[0])]
    assert main(["generate", "--shapes", *args]) == 0
    assert not list(raw.glob("*.truth.json"))
    assert main(["extract-all", str(raw), "--out", str(root / "extracted")]) == 0
    assert main(["package", str(root / "extracted"), "--out", str(root / "package")]) == 0
    return root / "package", truth


def test_every_generated_cell_is_published_as_drawn(published: tuple[Path, Path]) -> None:
    package, truth_dir = published
    # A row's remaining level ("còn 4,33%") is an indicator of its own, printed under the same name.
    indicators = {(r["report_id"], r["name_printed"], r["name_vi"]): r for r in _rows(package, "indicators")}
    observations = {
        (r["indicator_id"], r["measure"], int(r["period"]), r["breakdown"]): r
        for r in _rows(package, "observations")
    }
    verdicts = {r["indicator_id"]: r for r in _rows(package, "verdicts")}
    reports = {r["report_id"]: r for r in _rows(package, "reports")}
    checked = seconds = 0
    for path in sorted(truth_dir.glob("*.truth.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        report_id = slugify(path.name.removesuffix(".truth.json"))
        assert reports[report_id]["source_kind"] == "report_appendix"
        for cell in truth["rows"]:
            indicator = indicators[report_id, cell["name"], cell["name_vi"]]
            assert (indicator["name_vi"], indicator["unit_vi"]) == (cell["name_vi"], cell["unit"])
            if cell["role"] == "verdict" and cell["printed"]:
                verdict = verdicts[indicator["indicator_id"]]
                assert (verdict["verdict_printed"], verdict["verdict"]) == (cell["printed"], cell["verdict"])
            if cell["role"] not in set(Measure):
                continue
            key = (indicator["indicator_id"], cell["role"], cell["period"], cell["breakdown"] or NOT_SPLIT)
            if not cell["printed"]:
                assert key not in observations
                continue
            row = observations[key]
            got = [
                row["value_printed"],
                _text(row["value"]),
                _text(row["value_low"]),
                _text(row["value_high"]),
            ]
            assert got == [cell["printed"], cell["value"], cell["value_low"], cell["value_high"]], key
            assert (row["qualifier"], row["value_text"]) == (cell["qualifier"], cell["value_text"]), key
            assert row["review_reason"] == cell["review_reason"], key
            checked += 1
            if cell["second_label"] == "còn":
                remaining = indicators[report_id, cell["name"], f"{cell['name_vi']}: {REMAINING_NAME}"]
                left = observations[(remaining["indicator_id"], *key[1:])]
                assert (left["value_printed"], _text(left["value"])) == (cell["second"], cell["second_value"])
                seconds += 1
            elif cell["second"]:
                assert f"({cell['second']})" in indicator["note"], (key, indicator["note"])
                seconds += 1
    assert checked > 200 and seconds > 0


@pytest.mark.slow
def test_the_generated_sources_pass_the_package_checks(published: tuple[Path, Path]) -> None:
    package, _ = published
    assert (
        main(["validate", str(package / "datapackage.json"), "--out", str(package.parent / "validation")])
        == 0
    )


def test_targets_met_and_missed_counts_every_judged_target_and_the_flagged_apart(
    published: tuple[Path, Path], tmp_path: Path
) -> None:
    """The site's saved question on the generated sources: per source, met + exceeded + not met +
    not assessable + flagged left out = targets judged; printed verdicts counted beside."""
    package, _ = published
    db = tmp_path / "generated.db"
    assert main(["build-db", str(package / "datapackage.json"), "--out", str(db)]) == 0
    query = next(q for q in load_site_config().queries if q.name == "targets_met_and_missed")
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute(query.sql, {"report_id": ""})]
    assert rows and all(r["source_kind"] == "report_appendix" for r in rows)
    for row in rows:
        parts = ("met", "exceeded", "not_met", "not_assessable", "flagged_left_out")
        assert sum(row[k] for k in parts) == row["judged"], row
    assert sum(r["met"] + r["exceeded"] + r["not_met"] for r in rows) > 0
    assert sum(r["verdicts_printed"] for r in rows) == len(_rows(package, "verdicts"))
    one = rows[0]["report_id"]
    assert [r["report_id"] for r in conn.execute(query.sql, {"report_id": one})] == [one]
