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
        page.wait_for_url("**/search?q=ho+ngheo*")
        found = page.locator("ol.search-results li a", has_text="Giảm tỷ lệ hộ nghèo")
        assert found.count() >= 1
        page.screenshot(path=str(ARTIFACTS / "site-search-ho-ngheo.png"), full_page=True)
        indicator_url = found.first.get_attribute("href")

        page.goto(f"{server}/chitieu/indicators?_search=ho+ngheo&report_id=cao-bang-2022-2960-bc-ubnd")
        results = page.locator("table.rows-and-columns tbody tr")
        assert results.count() == 1
        page.check("#export input[name=_dl]")
        with page.expect_download() as download_info:
            page.click("#export input[type=submit]")
        download = download_info.value
        rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
        assert [r["name_vi"] for r in rows] == ["Giảm tỷ lệ hộ nghèo"]
        download.save_as(ARTIFACTS / "indicators-ho-ngheo.csv")

        page.goto(f"{server}{indicator_url}")
        page.wait_for_load_state()
        assert "Giảm tỷ lệ hộ nghèo" in page.locator("h1").inner_text()
        figures = page.locator("table.chitieu-figures").inner_text()
        assert "Kế hoạch / plan" in figures and "2023" in figures and "4,0" in figures
        page.screenshot(path=str(ARTIFACTS / "site-indicator.png"), full_page=True)

        page.wait_for_selector("figure.chitieu-chart svg", timeout=15000)
        browser.close()


def test_pages_run_under_the_content_security_policy_without_violations(server: str) -> None:
    """Every kind of page, its scripts and the charts, in Chromium with the site's real headers:
    the console reports no Content-Security-Policy violation."""
    from playwright.sync_api import sync_playwright

    pages = [
        "/",
        "/about",
        "/chitieu",
        "/chitieu/indicators",
        "/chitieu/indicators?_search=ho+ngheo",
        "/chitieu/observations?_facet=period",
        "/chitieu?sql=select+1",
        "/chitieu/missed_targets",
        "/no-such-page",
    ]
    violations: list[str] = []
    recorder = (
        "window.__csp = []; document.addEventListener('securitypolicyviolation', "
        "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )

    def note(text: str) -> None:
        if "Content Security Policy" in text or "unsafe-eval" in text or "EvalError" in text:
            violations.append(f"{page.url}: {text}")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.add_init_script(recorder)
        page.on("console", lambda message: note(message.text))
        page.on("pageerror", lambda error: note(f"{error.name}: {error.message}"))

        def visit(path: str) -> None:
            page.goto(f"{server}{path}")
            page.wait_for_load_state("networkidle")
            violations.extend(f"{path}: {v}" for v in page.evaluate("window.__csp || []"))

        for path in pages:
            visit(path)
        page.goto(f"{server}/")
        charts = [
            page.locator("a.chart-link").nth(i).get_attribute("href")
            for i in range(page.locator("a.chart-link").count())
        ]
        for href in charts[:2]:
            visit(href.removeprefix(server))
        browser.close()
    assert violations == [], "\n".join(violations)
