"""A real browser against the real server: search without diacritics, open an indicator, download CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.paths import REPO_ROOT
from tests.support import serving

ARTIFACTS = REPO_ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(site_dir: Path) -> Iterator[str]:
    """``python -m pipelines serve`` as a user runs it, on a free loopback port."""
    with serving(site_dir) as base:
        yield base


def test_server_is_loopback_only_and_immutable(server: str) -> None:
    databases = httpx.get(f"{server}/-/databases.json").json()
    assert [d["is_mutable"] for d in databases if d["name"] == "chitieu"] == [False]
    assert httpx.get(f"{server}/chitieu/indicators.json?_search=duong&_shape=array").json()


def test_browser_search_open_indicator_and_download_csv(server: str) -> None:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make browser)"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(accept_downloads=True, viewport={"width": 1280, "height": 900})
        page.goto(f"{server}/")
        page.fill("#site-search-input", "ho ngheo")
        page.press("#site-search-input", "Enter")
        page.wait_for_url("**/chitieu/indicators?_search=ho+ngheo*")
        results = page.locator("table.rows-and-columns tbody tr")
        assert results.count() == 1
        assert "Giảm tỷ lệ hộ nghèo" in results.first.inner_text()
        page.screenshot(path=str(ARTIFACTS / "site-search-ho-ngheo.png"), full_page=True)

        page.check("#export input[name=_dl]")
        with page.expect_download() as download_info:
            page.click("#export input[type=submit]")
        download = download_info.value
        rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
        assert [r["name_vi"] for r in rows] == ["Giảm tỷ lệ hộ nghèo"]
        download.save_as(ARTIFACTS / "indicators-ho-ngheo.csv")

        results.first.locator("td.col-Link a").click()
        page.wait_for_load_state()
        assert "Giảm tỷ lệ hộ nghèo" in page.locator("h1").inner_text()
        figures = page.locator("table.chitieu-figures").inner_text()
        assert "Kế hoạch / plan" in figures and "2023" in figures and "4,0" in figures
        page.screenshot(path=str(ARTIFACTS / "site-indicator.png"), full_page=True)

        page.goto(f"{server}/")
        page.click("a.chart-link >> nth=0")
        page.wait_for_selector("canvas, svg.marks", timeout=15000)
        page.screenshot(path=str(ARTIFACTS / "site-chart.png"), full_page=True)
        browser.close()
