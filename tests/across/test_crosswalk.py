"""Matching printed rows to codes: reviewed decisions, names, synonyms, never a guess; exact units."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.across.crosswalk import PrintedRow, match, reviewed_table
from pipelines.across.review import merged_review_file, pending
from pipelines.across.units import harmonise, unit_fit
from pipelines.common.errors import PipelineError
from pipelines.extract.units import lookup_unit


def _printed(name: str, unit: str = "%") -> PrintedRow:
    return PrintedRow("Cao Bằng", "1/BC-UBND", name, unit)


def _unit(unit_vi: str) -> str | None:
    found = lookup_unit(unit_vi)
    return found.code if found else None


def _match(name: str, unit: str = "%", reviewed: dict | None = None):
    return match(_printed(name, unit), _unit(unit), reviewed or {})


def test_a_printed_name_matches_without_diacritics_case_or_punctuation() -> None:
    found = _match("TỐC ĐỘ TĂNG TRƯỞNG GRDP.")
    assert (found.code, found.method) == ("grdp_growth", "name")


def test_a_synonym_matches() -> None:
    found = _match("Tốc độ tăng tổng sản phẩm trong tỉnh (GRDP)")
    assert (found.code, found.method) == ("grdp_growth", "synonym")


def test_a_similar_name_is_only_suggested_with_its_score() -> None:
    found = _match("Tốc độ tăng trưởng GRDP toàn tỉnh")
    assert found.code is None
    assert found.method == "suggested" and found.suggestion == "grdp_growth"
    assert found.score is not None and 70 <= found.score < 100


def test_a_name_match_with_a_unit_of_another_kind_is_only_suggested() -> None:
    found = _match("Tỷ lệ hộ nghèo", "hộ")
    assert found.code is None and found.method == "suggested" and found.suggestion == "poverty_rate"
    assert "cannot be converted" in (found.note or "")


def test_nothing_like_a_known_name_stays_unmatched() -> None:
    found = _match("Số vụ cháy rừng được dập tắt kịp thời", "vụ")
    assert (found.code, found.method, found.suggestion) == (None, "unmatched", None)


def test_a_reviewed_decision_wins_and_an_unreviewed_one_is_ignored(tmp_path: Path) -> None:
    review = tmp_path / "crosswalk.csv"
    review.write_text(
        "province,document,name,unit,indicator_code,method,score,reviewed\n"
        "Cao Bằng,1/BC-UBND,Tốc độ tăng trưởng GRDP toàn tỉnh,%,grdp_growth,suggested,90,true\n"
        "Cao Bằng,1/BC-UBND,Tốc độ tăng trưởng GRDP,%,,suggested,,true\n"
        "Cao Bằng,1/BC-UBND,Tỷ lệ thất nghiệp chung,%,urban_unemployment,suggested,80,false\n",
        encoding="utf-8",
    )
    decided = reviewed_table(review)
    assert _match("Tốc độ tăng trưởng GRDP toàn tỉnh", reviewed=decided).method == "reviewed"
    rejected = _match("Tốc độ tăng trưởng GRDP", reviewed=decided)
    assert (rejected.code, rejected.method) == (None, "reviewed"), "a maintainer may refuse a match"
    assert _match("Tỷ lệ thất nghiệp chung", reviewed=decided).code is None


def test_a_review_file_with_an_unknown_code_is_refused(tmp_path: Path) -> None:
    review = tmp_path / "crosswalk.csv"
    review.write_text(
        "province,document,name,unit,indicator_code,method,score,reviewed\nA,1,X,%,no_such_code,name,,true\n",
        encoding="utf-8",
    )
    with pytest.raises(PipelineError, match=r"crosswalk\.csv:2: 'no_such_code' is not a code"):
        reviewed_table(review)


@pytest.mark.parametrize(
    ("printed", "canonical", "value", "expected"),
    [
        ("Triệu đồng", "billion_vnd", "4180000", "4180"),
        ("Tỷ đồng", "million_vnd", "1.5", "1500"),
        ("‰", "pct", "15", "1.5"),
        ("nghìn người", "persons", "12.5", "12500"),
        ("%", "pct", "3.34", "3.34"),
    ],
)
def test_units_convert_exactly(printed: str, canonical: str, value: str, expected: str) -> None:
    fit = unit_fit(printed, _unit(printed), canonical)
    assert fit.matches and fit.factor is not None
    assert harmonise(Decimal(value), fit.factor) == Decimal(expected)


@pytest.mark.parametrize(
    ("printed", "canonical", "reason"),
    [
        ("ha", "pct", "cannot be converted to pct"),
        ("Nghìn lượt", "persons", "not in reference/units.csv"),
        ("", "pct", "no unit printed"),
    ],
)
def test_units_that_do_not_convert_are_refused_with_a_reason(
    printed: str, canonical: str, reason: str
) -> None:
    fit = unit_fit(printed, _unit(printed) if printed else None, canonical)
    assert not fit.matches and reason in (fit.reason or "")


def test_pending_rows_go_to_the_review_file_once_and_keep_maintainers_edits() -> None:
    row = {
        "province": "Cao Bằng",
        "document_number": "1/BC-UBND",
        "name_vi": "Tốc độ tăng trưởng GRDP toàn tỉnh",
        "unit_vi": "%",
        "method": "suggested",
        "suggested_code": "grdp_growth",
        "score": "90.5",
        "series_exclusion": "",
        "source_ref": "L5",
    }
    unmatched = {**row, "name_vi": "Số vụ cháy", "method": "unmatched", "suggested_code": "", "score": ""}
    rows = pending([unmatched, row, row])
    assert [r["method"] for r in rows] == ["suggested", "unmatched"]
    first = merged_review_file("", rows)
    assert first.count("grdp_growth") == 1 and ",false\n" in first
    edited = first.replace("grdp_growth,suggested,90.5,false", "grdp_growth,suggested,90.5,true")
    assert merged_review_file(edited, rows) == edited


def test_the_lineage_joins_the_provinces_reference(tmp_path: Path) -> None:
    from pipelines.across.lineage import lineage_table, successor

    assert lineage_table()["Bắc Kạn"].successor == "Thái Nguyên" and lineage_table()["Bắc Kạn"].merged
    assert successor("Bắc Kạn", "2024-11-30") == "Thái Nguyên"
    assert successor("Thái Nguyên", "2025-12-01") == "Thái Nguyên"
    assert successor("Cao Bằng", "2022-11-14") == "Cao Bằng"
    bad = tmp_path / "lineage.csv"
    bad.write_text(
        "province_code_before,name_before,successor_2025,successor_kind,merged\n"
        "99,Tỉnh Không Có,Hà Nội,tỉnh,yes\n",
        encoding="utf-8",
    )
    with pytest.raises(PipelineError, match=r"lineage\.csv:2: Tỉnh Không Có \(99\) is not a province"):
        lineage_table(bad)


def test_suggested_rows_are_listed_in_warnings_once_and_extraction_warnings_kept() -> None:
    from pipelines.package.csvio import rows_to_csv
    from pipelines.package.derived import flagged_warnings
    from pipelines.package.metadata import load_metadata

    crosswalk = [  # as crosswalk_rows builds them (typed)
        {"report_id": "r1", "indicator_id": "r1/1", "name_vi": "Tốc độ tăng trưởng GRDP toàn tỉnh", "unit_vi": "%",
         "source_ref": "L5", "suggested_code": "grdp_growth", "score": 90.5, "review_reason": "fuzzy_match"},
        {"report_id": "r1", "indicator_id": "r1/2", "name_vi": "GRDP", "unit_vi": "%", "source_ref": "L6",
         "suggested_code": None, "score": None, "review_reason": None},
        {"report_id": "r1", "indicator_id": "r1/3", "name_vi": "Tốc độ tăng GRDP", "unit_vi": "tỷ đồng",
         "source_ref": "L8", "suggested_code": "grdp_growth", "score": 100.0, "review_reason": "fuzzy_match"},
    ]  # fmt: skip
    extracted = {
        "report_id": "r1",
        "source_line": "9",
        "resource": "",
        "row_key": "",
        "source_ref": "L9",
        "code": "unknown_unit",
        "message": "x",
    }
    stale = {**extracted, "source_ref": "L7", "code": "fuzzy_match", "message": "decided since"}
    rows = flagged_warnings({"crosswalk": crosswalk, "warnings": [extracted, stale]})
    assert [(r["source_ref"], r["code"]) for r in rows] == [
        ("L9", "unknown_unit"),
        ("L5", "fuzzy_match"),
        ("L8", "fuzzy_match"),
    ]
    assert "grdp_growth (score 90.5)" in str(rows[1]["message"])
    assert "(score 100)" in str(rows[2]["message"]), "the score as the crosswalk's CSV prints it"
    assert (rows[1]["resource"], rows[1]["row_key"]) == ("crosswalk", "r1 | r1/1")
    rows_to_csv(load_metadata().resources["warnings"], rows)  # every row fits the warnings schema
