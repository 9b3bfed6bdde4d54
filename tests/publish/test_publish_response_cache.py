"""The response cache of the immutable database (plugins/chitieu_cache.py).

A cached response must be the very bytes Datasette produced, it must stay within its bounds,
and only anonymous GETs of the database's pages that answered 200 may be kept.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from pipelines.publish.cache_plugin import SWITCH, ResponseCache, wrap

PAGES = (
    "/chitieu/observations.json?_size=5",
    "/chitieu/observations?_size=5",
    "/chitieu/indicators.json?_search=ho+ngheo",
    "/chitieu/missed_targets.json",
    "/chitieu/missed_targets",
    "/chitieu/plan_vs_estimate.csv",
)


def _datasette(site: Path) -> Any:
    from datasette.app import Datasette

    return Datasette(config_dir=site)


def _get_all(site: Path, urls: tuple[str, ...], repeat: int = 2) -> list[list[httpx.Response]]:
    async def run() -> list[list[httpx.Response]]:
        datasette = _datasette(site)
        await datasette.invoke_startup()
        return [[await datasette.client.get(url) for _ in range(repeat)] for url in urls]

    return asyncio.run(run())


def test_a_cached_response_is_byte_identical_to_the_uncached_one(
    site_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached = _get_all(site_dir, PAGES)
    for url, (first, second) in zip(PAGES, cached, strict=True):
        assert first.status_code == 200, url
        assert second.content == first.content and list(second.headers.items()) == list(
            first.headers.items()
        ), url
    # The JSON carries Datasette's own query time, so identical bytes mean the second was replayed...
    first, second = cached[0]
    assert first.json()["query_ms"] == second.json()["query_ms"]
    # ...whereas without the cache every answer is computed again.
    monkeypatch.setenv(SWITCH, "0")
    uncached = _get_all(site_dir, PAGES[:1] + PAGES[-1:], repeat=3)
    assert len({r.json()["query_ms"] for r in uncached[0]}) > 1
    assert uncached[1][0].content == cached[-1][1].content


def _serve(app: Any, cache: ResponseCache, requests: list[tuple[str, str, dict[str, str]]]) -> list[int]:
    async def run() -> list[int]:
        transport = httpx.ASGITransport(app=wrap(app, cache, lambda: ("/chitieu",)))
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            return [
                (await client.request(m, url, headers=headers)).status_code for m, url, headers in requests
            ]

    return asyncio.run(run())


def test_only_anonymous_successful_gets_of_the_database_are_cached(
    site_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SWITCH, "0")
    app = _datasette(site_dir).app()
    cache = ResponseCache(max_entries=100, max_bytes=10_000_000, max_entry_bytes=1_000_000)
    statuses = _serve(
        app,
        cache,
        [
            ("GET", "/-/versions.json", {}),
            ("GET", "/", {}),
            ("GET", "/chitieu/no_such_table", {}),
            ("GET", "/chitieu/observations.json", {"cookie": "ds_actor=someone"}),
            ("GET", "/chitieu/observations.json", {"authorization": "Bearer x"}),
            ("HEAD", "/chitieu/observations.json", {}),
            ("POST", "/chitieu/observations", {}),
        ],
    )
    assert statuses[:2] == [200, 200] and statuses[2] == 404
    assert len(cache) == 0
    _serve(app, cache, [("GET", "/chitieu/observations.json", {}), ("GET", "/chitieu/reports.json", {})])
    assert len(cache) == 2


def test_a_response_over_the_entry_limit_is_served_whole_but_not_kept(
    site_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SWITCH, "0")
    app = _datasette(site_dir).app()
    cache = ResponseCache(max_entries=100, max_bytes=10_000_000, max_entry_bytes=2_000)

    async def run() -> bytes:
        transport = httpx.ASGITransport(app=wrap(app, cache, lambda: ("/chitieu",)))
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            return (await client.get("/chitieu/observations.csv?_stream=on")).content

    body = asyncio.run(run())
    assert len(body) > 2_000 and body.count(b"\n") > 100
    assert len(cache) == 0 and cache.bytes == 0


def test_the_cache_is_bounded_by_entries_and_bytes_and_drops_the_least_recently_used() -> None:
    cache = ResponseCache(max_entries=3, max_bytes=100, max_entry_bytes=40)
    for key in (b"a", b"b", b"c"):
        cache.put(key, 200, [], b"x" * 10)
    assert cache.get(b"a") is not None  # a is now the most recently used
    cache.put(b"d", 200, [], b"x" * 10)
    assert len(cache) == 3 and cache.get(b"b") is None and cache.get(b"a") is not None
    cache.put(b"big", 200, [], b"x" * 41)
    assert cache.get(b"big") is None
    for key in (b"e", b"f", b"g"):
        cache.put(key, 200, [], b"x" * 40)
    assert cache.bytes <= 100 and len(cache) == 2
    assert [k for k in (b"a", b"c", b"d", b"e", b"f", b"g") if cache.get(k)] == [b"f", b"g"]
    cache.put(b"g", 200, [], b"y" * 5)
    assert cache.bytes == 45 and cache.get(b"g") == (200, [], b"y" * 5)


def test_junk_parameters_cannot_flush_the_pages_others_read() -> None:
    """A cache-busting visitor (``?x=1``, ``?x=2`` …) evicts only variants of the same path."""
    cache = ResponseCache(
        max_entries=50, max_bytes=10_000_000, max_entry_bytes=1_000, max_variants_per_path=4
    )
    read_by_others = [b"http host /chitieu/observations ", b"http host /chitieu/indicators _sort=name_vi"]
    for key in read_by_others:
        cache.put(key, 200, [], b"page")
    for number in range(1_000):
        cache.put(f"http host /chitieu/observations x={number}".encode(), 200, [], b"junk")
        cache.put(f"http host / x={number}".encode(), 200, [], b"junk")
    assert all(cache.get(key) is not None for key in read_by_others)
    assert cache.variants(b"http host /chitieu/observations") == 4 and cache.variants(b"http host /") == 4
    assert len(cache) == len(read_by_others) + 4 + 4
