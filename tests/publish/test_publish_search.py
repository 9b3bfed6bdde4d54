"""One search over the site: both languages, accents ranked, "did you mean"."""

from __future__ import annotations

import re
from pathlib import Path

from pipelines.publish.search_plugin import expansions, fold, rank, suggestions

from .conftest import fetch


def _titles(html: str) -> list[str]:
    return re.findall(r'<li><a href="[^"]+">([^<]+)</a>', html)


def test_fold_matches_the_pipeline_fold() -> None:
    from pipelines.common.text import fold_diacritics

    for text in ("Đường giao thông", "Hộ nghèo", "TĂNG TRƯỞNG", "Thu ngân sách"):
        assert fold(text) == fold_diacritics(text)


def test_english_words_expand_to_the_reports_vietnamese() -> None:
    synonyms = {"poverty": ["hộ nghèo"], "gdp": ["grdp"]}
    assert expansions("Poverty rate", synonyms) == ["Poverty rate", "hộ nghèo"]
    assert expansions("GDP", synonyms) == ["GDP", "grdp"]
    assert expansions("gdpx", synonyms) == ["gdpx"]


def test_a_query_with_accents_ranks_exact_matches_first() -> None:
    rows = [
        {"rowid": 1, "kind": "indicator", "text": "Số trường học tăng thêm", "score": -9.0},
        {"rowid": 2, "kind": "indicator", "text": "Tốc độ tăng trưởng GRDP", "score": -1.0},
    ]
    assert [r["rowid"] for r in rank(rows, "tăng trưởng", {1, 2})] == [2, 1]
    # Without accents both match equally and full-text relevance decides.
    assert [r["rowid"] for r in rank(rows, "tang truong", {1, 2})] == [1, 2]


def test_did_you_mean_offers_close_words() -> None:
    assert "poverty" in suggestions("povrty", ["poverty", "lua", "rung"])


def test_search_page_finds_in_both_languages(site_dir: Path) -> None:
    urls = [
        "/search?q=ho+ngheo",
        "/search?q=poverty",
        "/search?q=GDP",
        "/search?q=t%C4%83ng+tr%C6%B0%E1%BB%9Fng",
        "/search?q=lua",
        "/search?q=povrty",
        "/search?q=",
    ]
    pages = {u: r for u, r in fetch(site_dir, *urls).items()}
    assert all(r.status_code == 200 for r in pages.values())
    poverty = _titles(pages["/search?q=ho+ngheo"].text)
    assert "Giảm tỷ lệ hộ nghèo" in poverty and all("hộ nghèo" in t for t in poverty[:3])
    assert "Giảm tỷ lệ hộ nghèo" in _titles(pages["/search?q=poverty"].text)
    assert any("GRDP" in t for t in _titles(pages["/search?q=GDP"].text))
    assert _titles(pages["/search?q=t%C4%83ng+tr%C6%B0%E1%BB%9Fng"].text)[0] == "Tốc độ tăng trưởng GRDP"
    assert "Lúa" in _titles(pages["/search?q=lua"].text)
    assert 'href="/search?q=poverty"' in pages["/search?q=povrty"].text
    assert "Không tìm thấy" in pages["/search?q=povrty"].text


def test_search_results_link_to_pages_that_exist(site_dir: Path) -> None:
    page = fetch(site_dir, "/search?q=ngheo")["/search?q=ngheo"].text
    links = [u.replace("&amp;", "&") for u in re.findall(r'<li><a href="([^"]+)">', page)]
    assert len(links) >= 2
    assert all(r.status_code == 200 for r in fetch(site_dir, *links).values())
