"""What a reader sees: numbers in the page's style, yes/no, unit names, changes explained, a way to
report a problem, findings on the home page, hashed and compressed static files, BOM on request."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from pipelines.publish.links_plugin import source_url, tilde
from pipelines.publish.plugin import change_of, en_number, format_number, problem_url, table_rows, vi_number
from pipelines.publish.site import write_assets

from .conftest import fetch

REPORT = "cao-bang-2022-2960-bc-ubnd"
POVERTY = f"{REPORT}~2F11"


@pytest.fixture(scope="module")
def document(site_dir: Path) -> dict:
    return json.loads((site_dir / "metadata.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("value", "shown"),
    [(1575.205, "1.575,205"), (8.0, "8"), (5.55, "5,55"), (1234567, "1.234.567"), (-0.5, "-0,5"), (None, "")],
)
def test_numbers_are_written_the_vietnamese_way(value: object, shown: str) -> None:
    assert vi_number(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(1575.205, "1,575.205"), (8.0, "8"), (5.55, "5.55"), (1234567, "1,234,567"), (-0.5, "-0.5"), (None, "")],
)
def test_numbers_in_english_text_are_written_the_english_way(value: object, shown: str) -> None:
    assert en_number(value) == shown
    assert format_number(value, "en") == shown and format_number(value) == vi_number(value)


def test_a_page_shows_english_numbers_in_its_english_text(site_dir: Path) -> None:
    page = fetch(site_dir, f"/chitieu/indicators/{REPORT}~2F5")[f"/chitieu/indicators/{REPORT}~2F5"].text
    pairs = re.findall(r'<td>([\d.]+,\d+) <span class="en" lang="en">\(([\d,]+\.\d+)\)</span>', page)
    assert pairs and all(vi.replace(".", "").replace(",", ".") == en.replace(",", "") for vi, en in pairs)


def test_a_change_is_told_from_the_catalogue_or_the_printed_name() -> None:
    assert change_of("Giảm tỷ lệ hộ nghèo") == "decrease"
    assert change_of("Tăng dân số") == "increase"
    assert change_of("Tỷ lệ hộ nghèo") is None
    assert change_of("Tốc độ tăng trưởng GRDP") is None
    assert change_of("Giảm tỷ lệ hộ nghèo", quantity="rate") is None
    assert change_of("Số hộ thoát nghèo", quantity="change") == "change"


def test_problem_links_carry_the_page_and_the_figure() -> None:
    figure = {"report_id": REPORT, "indicator_id": f"{REPORT}/11", "period": 2023, "source_line": 812}
    mail = problem_url("mailto:data@example.org", "http://site/x", figure)
    assert mail.startswith("mailto:data@example.org?subject=")
    body = unquote(mail.split("&body=", 1)[1])
    assert f"indicator_id: {REPORT}/11" in body and "period: 2023" in body and "source_line: 812" in body
    form = problem_url("https://example.org/issues/new?template=data.yml", "http://site/x", figure)
    query = parse_qs(urlsplit(form).query)
    assert (
        query["template"] == ["data.yml"]
        and query["report_id"] == [REPORT]
        and query["page"] == ["http://site/x"]
    )
    assert problem_url(None, "http://site/x") is None


@pytest.mark.parametrize(
    ("ref", "line", "url"),
    [
        (None, 779, f"/source/{REPORT}#L779"),
        ("L12", None, f"/source/{REPORT}#L12"),
        ("p2:56.7,80.0,120.2,92.4", None, f"/source/{REPORT}/p2?box=56.7,80.0,120.2,92.4"),
        ("t1r5c3", None, f"/source/{REPORT}#t1r5c3"),
        (None, None, None),
    ],
)
def test_every_kind_of_source_ref_has_an_address(ref: str | None, line: int | None, url: str | None) -> None:
    assert source_url(REPORT, ref, line) == url


def test_tilde_encodes_as_datasette_does() -> None:
    from datasette.utils import tilde_encode

    samples = [REPORT, "", "a b/c.d~e", "Sheet 1!D7", "Bắc Kạn", "x%2Fy", *map(chr, range(32, 127))]
    assert [tilde(s) for s in samples] == [tilde_encode(s) for s in samples]


def test_static_files_get_hashed_names_and_gzip_twins(tmp_path: Path) -> None:
    (tmp_path / "in" / "vendor").mkdir(parents=True)
    (tmp_path / "in" / "app.js").write_text("console.log(1);\n")
    (tmp_path / "in" / "vendor" / "LICENSE-x.txt").write_text("licence\n")
    urls = write_assets(tmp_path / "in", tmp_path / "out")
    name = urls["app.js"].rsplit("/", 1)[1]
    assert re.fullmatch(r"app\.[0-9a-f]{12}\.js", name)
    assert gzip.decompress((tmp_path / "out" / f"{name}.gz").read_bytes()) == b"console.log(1);\n"
    assert urls["vendor/LICENSE-x.txt"].endswith("/LICENSE-x.txt")
    (tmp_path / "in" / "app.js").write_text("console.log(2);\n")
    assert write_assets(tmp_path / "in", tmp_path / "out")["app.js"] != urls["app.js"]


def test_static_files_are_served_compressed_and_immutable(site_dir: Path, document: dict) -> None:
    url = document["chitieu"]["assets"]["plot-figure.js"]
    response = fetch(site_dir, url, headers={"accept-encoding": "gzip"})[url]
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert "immutable" in response.headers["cache-control"]
    assert "Plot.plot" in response.text


def test_tables_show_yes_no_unit_names_and_vietnamese_numbers(site_dir: Path) -> None:
    pages = fetch(
        site_dir,
        "/chitieu/ratios?_size=5",
        "/chitieu/indicators?unit=billion_vnd",
        "/chitieu/ratios.json?_size=1",
    )
    ratios = pages["/chitieu/ratios?_size=5"].text
    assert re.search(r'<td class="col-consistent[^"]*">(có / yes|không / no)</td>', ratios)
    assert re.search(r'<td class="col-computed_pct[^"]*">\d+,\d+</td>', ratios)
    assert "tỷ đồng / billion VND" in pages["/chitieu/indicators?unit=billion_vnd"].text
    # JSON keeps the stored values.
    stored = pages["/chitieu/ratios.json?_size=1"].json()
    assert stored["rows"][0][stored["columns"].index("consistent")] in (0, 1, None)


def test_indicator_page_explains_a_change_and_links_each_figure(site_dir: Path) -> None:
    page = fetch(site_dir, f"/chitieu/indicators/{POVERTY}")[f"/chitieu/indicators/{POVERTY}"].text
    assert "Giảm tỷ lệ hộ nghèo" in page
    assert 'class="meaning"' in page and "not a level" in page
    assert page.count('class="report-problem"') >= 2
    assert 'class="chitieu-chart"' in page and "plot.umd" in page


def test_home_page_leads_with_findings_that_link_to_evidence(site_dir: Path) -> None:
    home = fetch(site_dir, "/")["/"].text
    findings = home.split('id="findings-heading"', 1)[1].split("</section>", 1)[0]
    assert f"/chitieu/inconsistent_ratios?report_id={REPORT}" in findings
    assert f"/chitieu/narrative_disagreements?report_id={REPORT}" in findings
    assert f"/source/{REPORT}" in findings
    assert re.search(r">8 tỷ lệ in không khớp", findings)
    assert "plot.umd" not in home and "vega" not in home


def test_filtered_csv_gets_a_bom_only_when_asked(site_dir: Path) -> None:
    with_bom = "/chitieu/observations.csv?measure=plan&_bom=1"
    plain = "/chitieu/observations.csv?measure=plan"
    pages = fetch(site_dir, with_bom, plain, "/chitieu/missed_targets.csv?report_id=&_bom=1")
    assert pages[with_bom].content.startswith(b"\xef\xbb\xbf")
    assert pages[with_bom].content[3:] == pages[plain].content
    assert pages["/chitieu/missed_targets.csv?report_id=&_bom=1"].content.startswith(b"\xef\xbb\xbf")


def test_error_pages_are_bilingual_with_a_way_on(site_dir: Path) -> None:
    response = fetch(site_dir, "/chitieu/indicators/nope")["/chitieu/indicators/nope"]
    assert response.status_code == 404
    assert '<html lang="vi">' in response.text
    assert "Không tìm thấy" in response.text and "does not exist" in response.text
    assert 'href="/"' in response.text and 'href="/about"' in response.text


def test_saved_questions_are_titled_by_their_question_with_a_report_list(
    site_dir: Path, document: dict
) -> None:
    title = document["databases"]["chitieu"]["queries"]["missed_targets"]["title"]
    url = f"/chitieu/missed_targets?report_id={REPORT}"
    page = fetch(site_dir, url)[url].text
    assert f"<title>{title}</title>" in page.replace("&#39;", "'")
    assert re.search(rf'<option value="{REPORT}" selected>Cao Bằng 2022 · 2960/BC-UBND</option>', page)
    assert '<details class="chitieu-sql">' in page and "sql-editor" not in page
    assert "_bom=1" in page and 'class="col-estimate_printed"' in page


def test_tables_show_labels_instead_of_long_keys(site_dir: Path) -> None:
    """Report and indicator keys by their short label and name with unit; a compound key's row
    link is a short "row" link; measures by name; the copy button and its script are on the page."""
    url = f"/chitieu/observations?report_id={REPORT}&_size=3"
    html = fetch(site_dir, url)[url].text
    body = html[html.index("<tbody") :]
    assert f">{REPORT},{REPORT}/1,actual,2021,all<" not in body
    assert f'title="{REPORT},{REPORT}/1,actual,2021,all">dòng' in body
    assert f'title="{REPORT}">Cao Bằng 2022 · 2960/BC-UBND</a>' in body
    assert f'title="{REPORT}/1">Tốc độ tăng trưởng GRDP (%)</a>' in body
    assert "<em>" not in body and "Thực hiện / actual" in body
    assert "data-copy-table" in html and re.search(r'src="/static/assets/copy-table\.[0-9a-f]{12}\.js"', html)


def test_table_rows_draws_each_cell_as_the_template_did() -> None:
    """Body rows drawn in one pass: Datasette's cell classes, values escaped unless already markup,
    a compound key's link cell as the short "row" link, left out of a copied table."""
    from datasette.utils import to_css_class
    from markupsafe import Markup

    link = Markup('<a href="/chitieu/observations/r,r~2F1">r,r/1</a>')
    rows = [
        [
            {
                "column": "Link",
                "value": link,
                "raw": "r,r/1",
                "value_type": "pk",
                "is_special_link_column": True,
            },
            {"column": "value", "value": "1.575,205", "raw": 1575.205, "value_type": "float"},
            {"column": "name <vi>", "value": "a < b & c", "raw": "a < b & c", "value_type": "str"},
            {"column": "report_id", "value": Markup('<a href="/r">R</a>'), "raw": "r", "value_type": "str"},
        ]
    ]
    drawn = str(table_rows(rows))
    assert drawn == (
        '<tr><td class="col-Link type-pk" data-copy-skip>'
        '<a href="/chitieu/observations/r,r~2F1" title="r,r/1">dòng <span lang="en">/ row</span></a></td>'
        '<td class="col-value type-float">1.575,205</td>'
        f'<td class="col-{to_css_class("name <vi>").replace("<", "&lt;").replace(">", "&gt;")} type-str">a &lt; b &amp; c</td>'
        '<td class="col-report_id type-str"><a href="/r">R</a></td></tr>'
    )
    assert table_rows([]) == ""
