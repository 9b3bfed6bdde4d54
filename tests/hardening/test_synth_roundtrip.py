"""Generated reports of other provinces and years: extraction finds exactly what the generator wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.cli import main
from pipelines.document.read import parse_document
from pipelines.extract.report import extract_document
from pipelines.synth.generator import generate_report
from pipelines.synth.plan import Options
from pipelines.synth.printing import vietnamese
from tests.hardening.hardening_helpers import compare, frictionless_errors, read_package_tables


def _extract(seed: int, options: Options, line_ending: str | None = None, nfd: bool | None = None):
    report = generate_report(seed, options, line_ending, nfd)
    extracted = extract_document(parse_document(Path(f"{report.stem}.md"), report.data), f"{report.stem}.md")
    return report, extracted


@pytest.mark.parametrize("seed", range(40))
def test_generated_report_extracts_to_its_truth(seed: int) -> None:
    report, extracted = _extract(seed, Options(inconsistent_share=0.1, crafted_names=seed % 4 == 0))
    assert compare(extracted.tables, report.truth) == []


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    share=st.sampled_from([0.0, 0.05, 0.5]),
    mutate=st.booleans(),
    line_ending=st.sampled_from(["lf", "crlf", "cr"]),
    nfd=st.booleans(),
)
def test_any_seed_and_variant_extracts_to_its_truth(
    seed: int, share: float, mutate: bool, line_ending: str, nfd: bool
) -> None:
    report, extracted = _extract(seed, Options(share, mutate=mutate), line_ending, nfd)
    assert compare(extracted.tables, report.truth) == []


def test_the_generator_varies_what_the_seed_fixes() -> None:
    """Across seeds the traits differ: years, provinces, page splits, endings, forms, row counts."""
    reports = [generate_report(seed) for seed in range(30)]
    truths = [r.truth for r in reports]
    assert len({t["report"]["reporting_year"] for t in truths}) > 5
    assert len({t["report"]["province"] for t in truths}) > 10
    assert {t["generator"]["line_ending"] for t in truths} == {"lf", "crlf", "cr"}
    assert {t["generator"]["nfd"] for t in truths} == {True, False}
    assert len({len(t["indicators"]) for t in truths}) > 5
    fragments = {r.data.count(b"| | | | | | | | | | | |") for r in reports}
    assert len(fragments) > 2
    texts = [r.data.decode("utf-8") for r in reports]
    assert any("<i>Trong đó:</i>" in t for t in texts)
    assert any("| + " in t.replace("  ", " ") for t in texts)


def test_deliberately_inconsistent_ratios_are_found_as_such() -> None:
    report, extracted = _extract(7, Options(inconsistent_share=0.5))
    wrong = {
        (r["indicator_id"], r["column_number"])
        for r in report.truth["ratios"]
        if r["deliberately_inconsistent"]
    }
    flagged = {
        (r["indicator_id"], r["column_number"])
        for r in extracted.tables["ratios"]
        if r["consistent"] is False
    }
    assert wrong and wrong == flagged


def test_crafted_names_reach_the_package_as_text() -> None:
    _, extracted = _extract(3, Options(crafted_names=True))
    names = {row["name_vi"] for row in extracted.tables["indicators"]}
    assert 'Chỉ tiêu thử "><img src=x onerror=alert(1)//' in names
    assert "Chỉ tiêu alert('xss') thử nghiệm" in names
    assert not any("<script" in name for name in names)


def test_printing_follows_the_vietnamese_convention() -> None:
    from decimal import Decimal

    assert vietnamese(Decimal("1949.545"), 3).text == "1.949,545"
    assert vietnamese(Decimal("2018"), 0).text == "2.018"
    assert vietnamese(Decimal("2018"), 0, group=False).text == "2018"
    assert vietnamese(Decimal("-3.214"), 2).text == "-3,21"
    assert vietnamese(Decimal("-0.001"), 1).text == "0,0"


def test_generate_then_extract_all_then_package_through_the_cli(tmp_path: Path) -> None:
    raw, extracted, package = tmp_path / "raw", tmp_path / "extracted", tmp_path / "package"
    assert (
        main(["generate", "--out", str(raw), "--count", "4", "--seed", "100", "--inconsistent-share", "0.1"])
        == 0
    )
    # Every file of a raw folder is a report: the truth files go elsewhere.
    truths = tmp_path / "truth"
    truths.mkdir()
    for truth_file in raw.glob("*.truth.json"):
        truth_file.rename(truths / truth_file.name)
    assert main(["extract-all", str(raw), "--out", str(extracted)]) == 0
    assert main(["package", str(extracted), "--out", str(package)]) == 0

    import json

    for truth_file in sorted(truths.glob("*.truth.json")):
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        tables = read_package_tables(extracted / truth_file.name.removesuffix(".truth.json"))
        assert compare(tables, truth) == [], truth_file.name
    merged = read_package_tables(package)
    assert len(merged["reports"]) == 4
    assert frictionless_errors(package / "datapackage.json") == []


def test_same_seed_same_bytes() -> None:
    assert generate_report(11).data == generate_report(11).data
    assert generate_report(11).data != generate_report(12).data
