"""Every page type in a real browser: accessibility (axe-core), phone width, source anchors, the
indicator chart, and downloads that open right (csv with BOM, XLSX)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.publish.test_publish_browser import CHROMIUM, CHROMIUM_FLAGS
from tests.support import serving

pytestmark = pytest.mark.slow

REPORT = "cao-bang-2022-2960-bc-ubnd"
INDICATOR = f"{REPORT}~2F2"
POVERTY = "Giảm tỷ lệ hộ nghèo"
# A report published as a web page: its figures point at table cells (t<table>r<row>c<col>).
WEB_REPORT = "bac-giang-poverty-2010-2018"
# One address of every page type a visitor meets.
PAGES = {
    "home": "/",
    "about": "/about",
    "database": "/chitieu",
    "table": "/chitieu/observations",
    "indicator": f"/chitieu/indicators/{INDICATOR}",
    "indicator with a range target": "/chitieu/indicators/mpi-2021-plan-targets~2F1~2F4",
    "saved query": "/chitieu/missed_targets",
    "search results": "/chitieu/indicators?_search=ho+ngheo",
    "source view": f"/source/{REPORT}#L779",
    "source view of a web page": f"/source/{WEB_REPORT}#t1r3c3",
    "series page": "/series/grdp_growth",
    "validation results": "/validation",
    "error page": "/chitieu/indicators/nope",
}
PHONE = {"width": 390, "height": 844}
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="module")
def server(site_dir: Path) -> Iterator[str]:
    with serving(site_dir) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def _open(browser: object, url: str, viewport: dict[str, int]) -> tuple[object, list[str]]:
    page = browser.new_page(viewport=viewport)  # type: ignore[attr-defined]
    page.set_default_timeout(15000)
    errors: list[str] = []
    # An error page's own status is not a script error: only other failures count.
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and m.location.get("url") != url else None,
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_load_state("load")
    return page, errors


@pytest.mark.parametrize("kind", list(PAGES))
def test_page_has_no_serious_accessibility_violation_and_fits_a_phone(
    server: str, browser: object, kind: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page, errors = _open(browser, server + PAGES[kind], PHONE)
    try:
        assert page.locator("html").get_attribute("lang") == "vi"
        assert page.locator("main").count() == 1
        results = Axe().run(page)
        serious = [
            (v["id"], v["impact"], len(v["nodes"]))
            for v in results.response["violations"]
            if v["impact"] in BLOCKING_IMPACTS
        ]
        assert not serious, f"{kind}: {serious}"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{kind} is {width} px wide at {PHONE['width']} px"
        assert not errors, f"{kind}: console errors {errors}"
    finally:
        page.close()


def test_source_anchor_is_highlighted_on_arrival(server: str, browser: object) -> None:
    page, _ = _open(browser, f"{server}/chitieu/indicators/{INDICATOR}", {"width": 1280, "height": 900})
    try:
        page.locator("table.chitieu-figures a.source-link").first.click()
        page.wait_for_url(f"**/source/{REPORT}#L*")
        line = page.url.rsplit("#", 1)[1]
        target = page.locator(f"tr#{line}")
        assert target.is_visible()
        colour = target.evaluate("el => getComputedStyle(el).backgroundColor")
        assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
        assert page.evaluate("document.querySelector(':target').id") == line
    finally:
        page.close()


def test_a_figure_from_a_web_page_links_to_its_highlighted_table_cell(server: str, browser: object) -> None:
    page, errors = _open(
        browser, f"{server}/chitieu/indicators/{WEB_REPORT}~2F1~2F1", {"width": 1280, "height": 900}
    )
    try:
        link = page.locator("table.chitieu-figures a.source-link").first
        ref = link.get_attribute("href").rsplit("#", 1)[1]
        figure_row = page.locator("table.chitieu-figures tbody tr").first.inner_text()
        assert ref.startswith("t1r")
        link.click()
        page.wait_for_url(f"**/source/{WEB_REPORT}#{ref}")
        cell = page.locator(f"table.source-table td#{ref}")
        assert cell.is_visible() and page.evaluate("document.querySelector(':target').id") == ref
        colour = cell.evaluate("el => getComputedStyle(el).backgroundColor")
        assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
        assert cell.inner_text().strip() in figure_row  # the value as printed, beside the figure
        assert not errors, errors
    finally:
        page.close()


def test_indicator_chart_is_drawn_with_marks_and_no_console_error(server: str, browser: object) -> None:
    for viewport in ({"width": 1280, "height": 900}, PHONE):
        page, errors = _open(browser, f"{server}/chitieu/indicators/{INDICATOR}", viewport)
        try:
            page.wait_for_selector("figure.chitieu-chart svg g.bars rect", timeout=15000)
            bars = page.locator("figure.chitieu-chart svg g.bars rect").count()
            rows = page.locator("table.chitieu-figures tbody tr").count()
            assert bars == rows > 0
            box = page.locator("figure.chitieu-chart svg").last.bounding_box()
            assert box["x"] + box["width"] <= viewport["width"]
            assert not errors, errors
        finally:
            page.close()


def test_filtered_csv_download_has_a_bom_and_opens_with_csv(server: str) -> None:
    response = httpx.get(f"{server}/chitieu/observations.csv?measure=plan&_dl=1&_bom=1&_size=max")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows and {r["measure"] for r in rows} == {"plan"}
    plain = httpx.get(f"{server}/chitieu/observations.csv?measure=plan&_size=max")
    assert not plain.content.startswith("\ufeff".encode())


def test_xlsx_download_opens_with_openpyxl(server: str) -> None:
    import openpyxl

    response = httpx.get(f"{server}/static/downloads/xlsx/observations.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet, notes = workbook.worksheets
    header = [c.value for c in sheet[1]]
    assert "value" in header and "source_line" in header
    # Columns wide enough for their header and values; a sheet saying what each column means.
    assert sheet.column_dimensions["B"].width >= len("cao-bang-2022-2960-bc-ubnd/1")
    meanings = {row[0].value: row[1].value for row in notes.iter_rows(min_row=2)}
    assert set(meanings) == set(header)
    assert all(meanings[c] for c in header), "every column is described"


def test_copy_as_table_puts_the_rows_shown_on_the_clipboard(server: str, browser: object) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        page.goto(f"{server}/chitieu/observations?_size=5&report_id=cao-bang-2022-2960-bc-ubnd")
        page.get_by_role("button", name="Sao chép bảng / Copy as table").click()
        page.wait_for_selector(".copy-table-status:has-text('5 dòng')")
        lines = page.evaluate("navigator.clipboard.readText()").rstrip("\n").split("\n")
        cells = [line.split("\t") for line in lines]
        shown = page.locator("table.rows-and-columns tbody tr").first.locator("td:not([data-copy-skip])")
        assert len(cells) == 6 and cells[0][:3] == ["report_id", "indicator_id", "measure"]
        assert cells[1] == [" ".join(t.split()) for t in shown.all_inner_texts()]
        assert cells[1][0] == "Cao Bằng 2022 · 2960/BC-UBND" and cells[1][1].endswith("(%)")
    finally:
        context.close()
