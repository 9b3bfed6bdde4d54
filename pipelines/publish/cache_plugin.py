"""Datasette plugin copied into the site as ``plugins/chitieu_cache.py``: a response cache.

The published database is immutable, so the answer to a GET of one of its pages never changes
while the server runs; recomputing it (facet counts, a saved query over 100,000 rows, a template)
for every visitor is wasted work. This ASGI wrapper keeps the last responses in a bounded LRU in
memory, keyed by scheme, host and full path with query string (Datasette writes absolute URLs
with the host into its JSON). Only anonymous GETs of an immutable database's pages are cached,
only complete 200 responses without ``Set-Cookie``, ``private`` or ``no-store``, and only up to a
size per response and in total. A replay sends the stored status, headers and body unchanged.
Each path keeps at most ``max_variants_per_path`` entries with a query string (the least
recently used variant of that path goes first), so a visitor adding junk parameters (``?x=1``,
``?x=2`` …) can only evict other variants of the same page, never the pages others read.

Configured under ``plugins.chitieu_cache`` in metadata.json (``max_entries``, ``max_bytes``,
``max_entry_bytes``, ``max_variants_per_path``); ``CHITIEU_RESPONSE_CACHE=0`` in the environment switches it off.
It imports nothing from the project, so the site folder runs anywhere Datasette does.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from datasette import hookimpl

PLUGIN = "chitieu_cache"
SWITCH = "CHITIEU_RESPONSE_CACHE"
DEFAULTS = {
    "max_entries": 1000,
    "max_bytes": 64 * 1024 * 1024,
    "max_entry_bytes": 2 * 1024 * 1024,
    "max_variants_per_path": 16,
}

Message = dict[str, Any]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[dict[str, Any], Callable[[], Awaitable[Message]], Send], Awaitable[None]]


class ResponseCache:
    """Least-recently-used responses, bounded by entry count and by total body bytes."""

    def __init__(
        self, max_entries: int, max_bytes: int, max_entry_bytes: int, max_variants_per_path: int = 16
    ) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.max_entry_bytes = min(max_entry_bytes, max_bytes)
        self.max_variants_per_path = max_variants_per_path
        self.bytes = 0
        self._entries: OrderedDict[bytes, tuple[int, list[tuple[bytes, bytes]], bytes]] = OrderedDict()
        # Per path, its entries that have a query string, least recently used first.
        self._variants: dict[bytes, OrderedDict[bytes, None]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: bytes) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
            variants = self._variants.get(_path_of(key))
            if variants is not None and key in variants:
                variants.move_to_end(key)
        return entry

    def put(self, key: bytes, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        if len(body) > self.max_entry_bytes or self.max_entries <= 0:
            return
        self._remove(key)
        self._entries[key] = (status, headers, body)
        self.bytes += len(body)
        if _query_of(key):
            variants = self._variants.setdefault(_path_of(key), OrderedDict())
            variants[key] = None
            while len(variants) > self.max_variants_per_path:
                self._remove(next(iter(variants)))
        while len(self._entries) > self.max_entries or self.bytes > self.max_bytes:
            self._remove(next(iter(self._entries)))

    def _remove(self, key: bytes) -> None:
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        self.bytes -= len(entry[2])
        path = _path_of(key)
        variants = self._variants.get(path)
        if variants is not None:
            variants.pop(key, None)
            if not variants:
                del self._variants[path]

    def variants(self, path: bytes) -> int:
        """How many entries with a query string ``path`` holds (for the tests and benchmarks)."""
        return len(self._variants.get(path, ()))


def _path_of(key: bytes) -> bytes:
    return key.rpartition(b" ")[0]


def _query_of(key: bytes) -> bytes:
    _, separator, query = key.rpartition(b" ")
    return query if separator else b""


def _header(scope: dict[str, Any], name: bytes) -> bytes | None:
    return next((value for key, value in scope.get("headers", []) if key.lower() == name), None)


def _cacheable_request(scope: dict[str, Any], prefixes: tuple[str, ...]) -> bool:
    if scope["type"] != "http" or scope["method"] != "GET":
        return False
    if _header(scope, b"authorization") is not None or b"ds_actor" in (_header(scope, b"cookie") or b""):
        return False
    path = scope["path"]
    return any(path == p or path.startswith((f"{p}/", f"{p}.")) for p in prefixes)


def _cacheable_response(status: int, headers: list[tuple[bytes, bytes]]) -> bool:
    if status != 200:
        return False
    for key, value in headers:
        name = key.lower()
        if name == b"set-cookie":
            return False
        if name == b"cache-control" and (b"private" in value or b"no-store" in value):
            return False
    return True


def cache_key(scope: dict[str, Any]) -> bytes:
    return b" ".join(
        [
            scope.get("scheme", "http").encode(),
            _header(scope, b"host") or b"",
            scope.get("raw_path") or scope["path"].encode(),
            scope.get("query_string", b""),
        ]
    )


def wrap(app: App, cache: ResponseCache, prefixes: Callable[[], tuple[str, ...]]) -> App:
    """The ASGI app answering cached requests from memory and recording the cacheable ones."""

    async def cached_app(
        scope: dict[str, Any], receive: Callable[[], Awaitable[Message]], send: Send
    ) -> None:
        if not _cacheable_request(scope, prefixes()):
            await app(scope, receive, send)
            return
        key = cache_key(scope)
        hit = cache.get(key)
        if hit is not None:
            status, headers, body = hit
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        started: Message = {}
        chunks: list[bytes] = []
        size = 0
        keep = True

        async def recording_send(message: Message) -> None:
            nonlocal size, keep
            if message["type"] == "http.response.start":
                started.update(message)
                keep = _cacheable_response(message["status"], list(message.get("headers", [])))
            elif message["type"] == "http.response.body" and keep:
                body = message.get("body", b"")
                size += len(body)
                keep = size <= cache.max_entry_bytes
                chunks.append(body)
                if not keep:
                    chunks.clear()
                if keep and not message.get("more_body", False):
                    cache.put(key, started["status"], list(started.get("headers", [])), b"".join(chunks))
            await send(message)

        await app(scope, receive, recording_send)

    return cached_app


def _settings(datasette: Any) -> dict[str, int]:
    config = datasette.plugin_config(PLUGIN) or {}
    return {name: int(config.get(name, default)) for name, default in DEFAULTS.items()}


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[App], App]:
    def prefixes() -> tuple[str, ...]:
        return tuple(
            f"/{name}" for name, db in datasette.databases.items() if not db.is_mutable and not db.is_memory
        )

    def wrapper(app: App) -> App:
        if os.environ.get(SWITCH, "1") == "0":
            return app
        return wrap(app, ResponseCache(**_settings(datasette)), prefixes)

    return wrapper
