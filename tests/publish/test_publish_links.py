"""Every link works: a crawl of the whole served site, old row addresses, bad ids, the source view."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import httpx
import pytest

from tests.paths import SEED
from tests.publish.conftest import fetch
from tests.support import serving

REPORT = "cao-bang-2022-2960-bc-ubnd"
INDICATOR = f"{REPORT}~2F2"
# Pages whose links the crawl follows only once per path: sort, facet and column-action variants
# of a table page are fetched but not expanded further (their links are the same rows again).
EXPANDED_PARAMS = {"_next", "report_id", "name"}


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"a": "href", "link": "href", "script": "src", "img": "src"}.get(tag)
        for name, value in attrs:
            if name == wanted and value:
                self.links.append(value)


def internal_links(base: str, page_url: str, html: str) -> Iterator[str]:
    parser = Links()
    parser.feed(html)
    for link in parser.links:
        url = urljoin(page_url, link).split("#")[0]
        if url.startswith(base) and url:
            yield url


def expands(url: str) -> bool:
    query = urlsplit(url).query
    names = {part.split("=")[0] for part in query.split("&") if part}
    return names <= EXPANDED_PARAMS


def crawl(base: str, limit: int = 20000) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = [f"{base}/"]
    with httpx.Client(timeout=30) as client:
        while queue:
            url = queue.pop()
            if url in seen:
                continue
            response = client.get(url)
            seen[url] = response.status_code
            assert len(seen) < limit, "the crawl does not end"
            if response.status_code in (301, 302):
                queue.append(urljoin(url, response.headers["location"]))
                continue
            if "text/html" in response.headers.get("content-type", "") and expands(url):
                queue.extend(u for u in internal_links(base, url, response.text) if u not in seen)
    return seen


@pytest.mark.slow
def test_crawl_of_the_whole_site_finds_only_working_links(site_dir: Path) -> None:
    with serving(site_dir) as base:
        seen = crawl(base)
        bad = {url: status for url, status in seen.items() if status not in (200, 301)}
        assert not bad, f"{len(bad)} broken links, for example {sorted(bad.items())[:10]}"
        paths = {urlsplit(u).path for u in seen}
        # The crawl reached every kind of page: tables and their rows, queries, sources, downloads.
        assert f"/chitieu/indicators/{INDICATOR}" in paths
        assert f"/source/{REPORT}" in paths
        assert any(p.startswith("/chitieu/observations/") for p in paths)
        assert any(p.startswith("/static/downloads/xlsx/") for p in paths)
        assert "/chitieu/missed_targets" in paths
        assert len(seen) > 500
        planted = [
            f"{base}/chitieu/indicators/{REPORT}~2Fnope",
            f"{base}/chitieu/reports/nope",
            f"{base}/chitieu/observations/{REPORT},{INDICATOR}",
            f"{base}/chitieu/reports/a,b",
            f"{base}/source/nope",
            f"{base}/no-such-page",
        ]
        assert {u: httpx.get(u).status_code for u in planted} == dict.fromkeys(planted, 404)


def test_old_two_part_indicator_addresses_redirect(site_dir: Path) -> None:
    old = f"/chitieu/indicators/{REPORT},{INDICATOR}"
    responses = fetch(site_dir, old, f"{old}.json?_shape=objects", f"/chitieu/indicators/{INDICATOR}")
    assert responses[old].status_code == 301
    assert responses[old].headers["location"] == f"/chitieu/indicators/{INDICATOR}"
    assert responses[f"{old}.json?_shape=objects"].headers["location"] == (
        f"/chitieu/indicators/{INDICATOR}.json?_shape=objects"
    )
    assert responses[f"/chitieu/indicators/{INDICATOR}"].status_code == 200


def test_indicators_have_a_single_column_key(site_dir: Path) -> None:
    response = fetch(site_dir, "/chitieu/indicators.json?_size=1")["/chitieu/indicators.json?_size=1"]
    assert response.json()["primary_keys"] == ["indicator_id"]


def test_unknown_rows_are_not_found(site_dir: Path) -> None:
    urls = [
        "/chitieu/indicators/nope",
        f"/chitieu/observations/{REPORT}",
        "/chitieu/plan_vs_estimate/1,2",
        "/source/nope",
        f"/source/{REPORT}/p1",
    ]
    assert {u: r.status_code for u, r in fetch(site_dir, *urls).items()} == dict.fromkeys(urls, 404)


def test_source_view_has_an_anchor_per_line_and_figures_link_to_it(
    site_dir: Path, root_package: Path
) -> None:
    raw = (root_package.parent / "data" / "raw" / SEED.name).read_text(encoding="utf-8")
    observations = f"/chitieu/observations?report_id={REPORT}"
    pages = fetch(site_dir, f"/source/{REPORT}", f"/chitieu/indicators/{INDICATOR}", observations)
    source = pages[f"/source/{REPORT}"].text
    assert source.count('<tr id="L') == len(raw.splitlines())
    line_779 = re.search(r'<tr id="L779">.*?<td class="tx">(.*?)</td>', source, re.S).group(1)
    assert "Tốc độ tăng trưởng GRDP" in line_779
    for page in (f"/chitieu/indicators/{INDICATOR}", observations):
        links = re.findall(r'class="source-link" href="([^"]+)"', pages[page].text)
        assert links and all(link.startswith(f"/source/{REPORT}#L") for link in links)


def test_series_figures_link_to_their_place_in_the_source(site_dir: Path) -> None:
    """The series page sends each report's source view once; ``?ref=<source_ref>`` sends a
    figure's link on to its place, the address the other pages link to."""
    import json

    page = fetch(site_dir, "/series/grdp_growth")["/series/grdp_growth"].text
    data = json.loads(
        re.search(r'<script type="application/json" id="series-data">(.*?)</script>', page, re.S)[1]
    )
    assert f"/source/{REPORT}" in [source_view for *_, source_view in data["reports"].values()]
    places = {
        "L779": f"/source/{REPORT}#L779",
        "t1r2c3": f"/source/{REPORT}#t1r2c3",
        "p2:10,20,30,40": f"/source/{REPORT}/p2?box=10,20,30,40",
    }
    urls = {f"/source/{REPORT}?ref={quote(ref)}": place for ref, place in places.items()}
    responses = fetch(site_dir, *urls)
    assert {u: (r.status_code, r.headers.get("location")) for u, r in responses.items()} == {
        u: (302, place) for u, place in urls.items()
    }


def test_the_zip_carries_the_report(site_dir: Path, root_package: Path) -> None:
    zip_path = next((site_dir / "static" / "downloads").glob("*.zip"))
    with zipfile.ZipFile(io.BytesIO(zip_path.read_bytes())) as archive:
        raw = archive.read(f"data/raw/{SEED.name}")
    assert raw == (root_package.parent / "data" / "raw" / SEED.name).read_bytes()
