"""The site through Datasette's in-process client: every page, table, saved query and download."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
from markupsafe import escape

from pipelines.common.errors import PipelineError
from pipelines.package.metadata import load_metadata
from pipelines.publish.site import build_site
from pipelines.publish.siteconfig import load_site_config

from .conftest import fetch


@pytest.fixture(scope="module")
def document(site_dir: Path) -> dict:
    return json.loads((site_dir / "metadata.json").read_text(encoding="utf-8"))


def test_home_and_about_pages(site_dir: Path, document: dict) -> None:
    pages = fetch(site_dir, "/", "/about", "/chitieu")
    assert all(r.status_code == 200 for r in pages.values())
    home = pages["/"].text
    info = document["chitieu"]
    assert escape(info["title_vi"]) in home and escape(info["title_en"]) in home
    assert f"<strong>{info['version']}</strong>" in home and info["created"] in home
    assert 'action="/search"' in home and "2960/BC-UBND" in home
    assert "/chitieu/headline_achievement" in home
    assert info["package_zip"] in home and 'href="/validation"' in home
    assert "passed the integrity validation" in home
    about = pages["/about"].text
    assert "ước thực hiện" in about and "estimates" in about
    assert "/chitieu/inconsistent_ratios" in about and escape(info["citation"]) in about


def test_every_table_and_view_in_html_json_and_csv(site_dir: Path, document: dict) -> None:
    tables = document["databases"]["chitieu"]["tables"]
    urls = [f"/chitieu/{name}{suffix}" for name in tables for suffix in ("", ".json", ".csv")]
    responses = fetch(site_dir, *urls)
    for url, response in responses.items():
        assert response.status_code == 200, url
    for name, entry in tables.items():
        assert escape(entry["description"].split(" / ")[0]) in responses[f"/chitieu/{name}"].text
        rows = list(csv.DictReader(io.StringIO(responses[f"/chitieu/{name}.csv"].text)))
        assert set(rows[0]) >= set(entry["columns"]) if rows else True


def test_every_saved_query_runs(site_dir: Path, document: dict) -> None:
    queries = document["databases"]["chitieu"]["queries"]
    urls = [f"/chitieu/{name}{suffix}" for name in queries for suffix in ("", ".json?_shape=array", ".csv")]
    responses = fetch(site_dir, *urls)
    for url, response in responses.items():
        assert response.status_code == 200, (url, response.text[:300])
    for name in queries:
        # report_id is optional (empty: all reports or the latest one); other parameters are not.
        # Revisions need two reports of one province: the seed alone has none (tests/across has them).
        if set(queries[name].get("params", [])) <= {"report_id"} and name != "largest_revisions":
            assert responses[f"/chitieu/{name}.json?_shape=array"].json(), f"{name} returns no rows"
    # The chart library is loaded only where charts are (indicator pages), never on query pages.
    assert "plot.umd" not in responses["/chitieu/headline_achievement"].text
    chart = responses["/chitieu/headline_achievement.json?_shape=array"].json()
    assert all(row["indicator"] for row in chart)


def test_saved_query_answers(site_dir: Path) -> None:
    responses = fetch(
        site_dir,
        "/chitieu/missed_targets.json?_shape=array",
        "/chitieu/inconsistent_ratios.json?_shape=array",
        "/chitieu/indicator_across_reports.json?_shape=array&name=ho+ngheo",
        "/chitieu/indicator_across_reports.json?_shape=array&name=h%E1%BB%99+ngh%C3%A8o",
        "/chitieu/indicator_across_reports.json?_shape=array&name=%22%29+OR",
    )
    missed = {r["name_vi"] for r in responses["/chitieu/missed_targets.json?_shape=array"].json()}
    assert "Tốc độ tăng trưởng GRDP" in missed and "GRDP bình quân đầu người" in missed
    inconsistent = responses["/chitieu/inconsistent_ratios.json?_shape=array"].json()
    assert inconsistent and all(r["difference_pct_points"] != 0 for r in inconsistent)
    plain = responses["/chitieu/indicator_across_reports.json?_shape=array&name=ho+ngheo"].json()
    assert plain and "Giảm tỷ lệ hộ nghèo" in {r["name_vi"] for r in plain}
    assert all("hộ nghèo" in r["name_vi"] for r in plain)
    assert (
        plain
        == responses["/chitieu/indicator_across_reports.json?_shape=array&name=h%E1%BB%99+ngh%C3%A8o"].json()
    )
    assert responses["/chitieu/indicator_across_reports.json?_shape=array&name=%22%29+OR"].status_code == 200


@pytest.mark.parametrize(
    ("plain", "accented"), [("ho ngheo", "hộ nghèo"), ("duong", "đường"), ("thu ngan sach", "thu ngân sách")]
)
def test_table_search_without_diacritics(site_dir: Path, plain: str, accented: str) -> None:
    urls = [f"/chitieu/indicators.json?_shape=array&_col=name_vi&_search={q}" for q in (plain, accented)]
    first, second = (r.json() for r in fetch(site_dir, *urls).values())
    assert first and first == second


def test_downloads(site_dir: Path, document: dict, root_package: Path) -> None:
    info = document["chitieu"]
    urls = [info["package_zip"], "/chitieu.db", "/validation"]
    for files in info["downloads"].values():
        urls += list(files.values())
    responses = fetch(site_dir, *urls)
    for url, response in responses.items():
        assert response.status_code == 200, url
    archive = zipfile.ZipFile(io.BytesIO(responses[info["package_zip"]].content))
    descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor == json.loads(root_package.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        assert archive.read(resource["path"]) == (root_package.parent / resource["path"]).read_bytes()
    excel = responses[info["downloads"]["indicators"]["csv_bom"]].content
    assert excel.startswith(b"\xef\xbb\xbf") and "Giảm tỷ lệ hộ nghèo".encode() in excel
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(responses[info["downloads"]["observations"]["xlsx"]].content))
    sheet = workbook["observations"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[:6] == [
        "report_id",
        "indicator_id",
        "indicator_name_vi",
        "indicator_name_en",
        "indicator_unit_vi",
        "measure",
    ]
    assert header[header.index("value") + 1] == "flagged"
    assert isinstance(sheet.cell(row=2, column=header.index("value") + 1).value, float | int)
    first = {
        name: c.value for name, c in zip(header, next(sheet.iter_rows(min_row=2, max_row=2)), strict=True)
    }
    with sqlite3.connect(site_dir / "chitieu.db") as conn:
        named = conn.execute(
            "SELECT name_vi, unit_vi FROM indicators WHERE indicator_id = ?", [first["indicator_id"]]
        ).fetchone()
    assert (first["indicator_name_vi"], first["indicator_unit_vi"]) == named
    columns = dict(workbook["columns"].iter_rows(min_row=2, values_only=True))
    assert columns["indicator_name_vi"] and columns["flagged"]


def test_flagged_figures_are_marked_in_the_spreadsheet_downloads(site_db: Path, tmp_path: Path) -> None:
    import csv
    import shutil

    from openpyxl import load_workbook

    from pipelines.publish.downloads import write_table_downloads

    db = tmp_path / "flagged.db"
    shutil.copyfile(site_db, db)
    with sqlite3.connect(db) as conn:
        flagged = conn.execute("SELECT rowid FROM observations ORDER BY rowid LIMIT 1 OFFSET 2").fetchone()[0]
        conn.execute(
            "UPDATE observations SET review_reason = 'ocr_low_confidence' WHERE rowid = ?", [flagged]
        )
    write_table_downloads(db, ["observations"], tmp_path / "out")
    with (tmp_path / "out" / "excel" / "observations.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    marks = [row["flagged"] for row in rows]
    assert marks[2] == "⚑ cần xem lại / flagged: ocr_low_confidence"
    assert [m for i, m in enumerate(marks) if i != 2] == [""] * (len(rows) - 1)
    sheet = load_workbook(tmp_path / "out" / "xlsx" / "observations.xlsx")["observations"]
    header = [c.value for c in sheet[1]]
    shaded = [
        row[0].row
        for row in sheet.iter_rows(min_row=2)
        if row[header.index("value")].fill.fgColor.rgb == "FFFFE58F"
    ]
    assert shaded == [4]
    assert sheet.cell(row=4, column=header.index("flagged") + 1).value == marks[2]


def test_serving_is_read_only_and_bounded(site_dir: Path) -> None:
    responses = fetch(
        site_dir,
        "/-/databases.json",
        "/-/settings.json",
        "/chitieu.json?sql=DELETE+FROM+reports",
        "/chitieu.json?sql=WITH+x+AS+(SELECT+1)+DELETE+FROM+reports",
        "/chitieu.json?sql=SELECT+COUNT(*)+AS+n+FROM+observations&_shape=array",
    )
    database = next(d for d in responses["/-/databases.json"].json() if d["name"] == "chitieu")
    assert database["is_mutable"] is False and database["hash"]
    settings = responses["/-/settings.json"].json()
    assert settings["sql_time_limit_ms"] == load_site_config().settings.sql_time_limit_ms
    assert settings["allow_download"] is True and settings["max_returned_rows"] > 0
    assert responses["/chitieu.json?sql=DELETE+FROM+reports"].status_code == 400
    assert responses["/chitieu.json?sql=WITH+x+AS+(SELECT+1)+DELETE+FROM+reports"].status_code == 400
    assert (
        responses["/chitieu.json?sql=SELECT+COUNT(*)+AS+n+FROM+observations&_shape=array"].json()[0]["n"] > 0
    )
    still = fetch(site_dir, "/chitieu/reports.json?_shape=array")
    assert len(still["/chitieu/reports.json?_shape=array"].json()) >= 1


def test_publishing_stops_on_a_failed_or_missing_validation(
    site_db: Path, root_package: Path, tmp_path: Path
) -> None:
    failed = tmp_path / "validation"
    failed.mkdir()
    (failed / "summary.json").write_text(json.dumps({"passed": False}), encoding="utf-8")
    with pytest.raises(PipelineError, match="validation failed"):
        build_site(root_package, site_db, tmp_path / "site", load_metadata(), load_site_config(), failed)
    with pytest.raises(PipelineError, match="no validation summary"):
        build_site(root_package, site_db, tmp_path / "site", load_metadata(), load_site_config(), tmp_path)
    assert not (tmp_path / "site").exists()


def test_indicator_page_is_headed_by_its_name_and_table_pages_fold_column_descriptions(
    site_dir: Path,
) -> None:
    from datasette.utils import tilde_encode

    search = "/chitieu/indicators.json?_search=ho+ngheo&report_id=cao-bang-2022-2960-bc-ubnd&_shape=array"
    indicator = fetch(site_dir, search)[search].json()[0]
    row_url = f"/chitieu/indicators/{tilde_encode(indicator['indicator_id'])}"
    pages = fetch(site_dir, row_url, "/chitieu/observations", "/chitieu/plan_vs_estimate")
    heading = pages[row_url].text.split("<h1", 1)[1].split("</h1>", 1)[0]
    assert "Giảm tỷ lệ hộ nghèo" in heading and indicator["indicator_id"] not in heading
    assert "chitieu-figures" in pages[row_url].text
    for url in ("/chitieu/observations", "/chitieu/plan_vs_estimate"):
        page = pages[url].text
        details = page.split('<details class="chitieu-columns">', 1)[1].split("</details>", 1)[0]
        assert "<dt><code>report_id</code></dt>" in details, url


def test_validation_results_are_a_page_of_the_site_that_loads_nothing_from_elsewhere(site_dir: Path) -> None:
    """Great Expectations' Data Docs load scripts and styles from CDNs (blank offline); the site
    shows the same results on its own page instead and does not publish the Data Docs."""
    pages = fetch(site_dir, "/validation", "/static/data-docs/index.html", "/about")
    page = pages["/validation"]
    assert page.status_code == 200
    assert not re.search(r'(src="|<link[^>]*href=")(https?:)?//', page.text)
    assert "integrity-reports" in page.text and "source_quality-crop_balance" in page.text
    assert "crops.balanced" in page.text and "Ngô" in page.text and "1/1 đạt" in page.text
    assert pages["/static/data-docs/index.html"].status_code == 404
    assert 'href="/validation"' in pages["/about"].text
