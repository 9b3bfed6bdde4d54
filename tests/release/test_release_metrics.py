"""``metrics``: the counts ``dvc metrics show`` reports, from a package and a validation summary."""

from __future__ import annotations

import json

from pipelines.cli import main
from tests.release.release_helpers import csv_text

RATIOS = [
    ["report_id", "indicator_id", "consistent"],
    ["r", "r/1", "true"],
    ["r", "r/2", "false"],
    ["r", "r/3", "false"],
    ["r", "r/4", ""],
]
INDICATORS = [["report_id", "indicator_id", "kind"], ["r", "r/I", "section"], ["r", "r/1", "indicator"]]


def _package(root):
    resources = {"reports": [["report_id"], ["r"]], "indicators": INDICATORS, "ratios": RATIOS}
    (root / "data").mkdir(parents=True)
    for name, rows in resources.items():
        (root / "data" / f"{name}.csv").write_text(csv_text(rows), encoding="utf-8")
    descriptor = {"resources": [{"name": n, "path": f"data/{n}.csv"} for n in resources]}
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return root


def test_metrics_count_reports_indicators_and_ratio_verdicts(tmp_path):
    package = _package(tmp_path / "pkg")
    summary = tmp_path / "summary.json"
    summary.write_text(
        json.dumps(
            {
                "passed": True,
                "package": "datapackage.json",
                "integrity": {"evaluated": 3, "failed": 0},
                "suites": {"integrity-reports": {"evaluated": 3, "failed": 0}},
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out" / "metrics.json"
    assert main(["metrics", str(package), "--validation", str(summary), "--out", str(out)]) == 0
    metrics = json.loads(out.read_text(encoding="utf-8"))
    assert metrics["reports"] == 1
    assert metrics["indicators"] == 2
    assert metrics["indicator_kinds"] == {"indicator": 1, "section": 1}
    assert metrics["observations"] == 0
    assert metrics["ratios"] == {"published": 4, "consistent": 1, "inconsistent": 2, "not_judged": 1}
    assert metrics["validation"] == {"passed": True, "integrity": {"evaluated": 3, "failed": 0}}


def test_metrics_bytes_are_stable(tmp_path):
    package = _package(tmp_path / "pkg")
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert main(["metrics", str(package), "--out", str(first)]) == 0
    assert main(["metrics", str(package / "datapackage.json"), "--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_unreadable_validation_summary_is_a_clear_error(tmp_path, capsys):
    package = _package(tmp_path / "pkg")
    missing = tmp_path / "nope.json"
    assert (
        main(["metrics", str(package), "--validation", str(missing), "--out", str(tmp_path / "m.json")]) == 1
    )
    assert "cannot read the validation summary" in capsys.readouterr().err
