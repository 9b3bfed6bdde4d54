"""Datasette plugin copied into the site as ``plugins/chitieu_dvc.py``: the DVC cache, read-only.

``serve`` and ``deploy`` mount the published DVC cache (``build/dvc-public``, filled by
``dvc push -r publish``) with Datasette's ``--static dvc:<folder>``, an HTTP remote at ``/dvc/``
for ``dvc pull`` and ``dvc get``. It lives outside the site folder, which every build replaces.
Datasette's static route answers every method alike, so a ``dvc push`` to the site would get a
success and believe it had uploaded: this wrapper answers anything but GET and HEAD there with
405, and marks the objects, which are named by their checksum and never change, as cacheable for
a year. The refusal goes through the inner application as a HEAD of the mount's root (cheap: no
file is read), so it carries the same security headers as every other response of the site.
It imports nothing from the project, so the site folder runs anywhere Datasette does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from datasette import hookimpl

MOUNT = "/dvc/"
READ = {"GET", "HEAD"}
IMMUTABLE = b"public, max-age=31536000, immutable"
REFUSED = b"The DVC cache of this site is read-only: GET and HEAD only.\n"
# Headers of the inner response that describe its body, replaced on a refusal.
BODY_HEADERS = {b"content-type", b"content-length", b"etag", b"last-modified", b"cache-control", b"allow"}

Message = dict[str, Any]
App = Callable[
    [dict[str, Any], Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]
]


def _refuse(app: App, scope: dict[str, Any], receive: Any, send: Any) -> Awaitable[None]:
    """405 with the inner application's own headers (CSP, nosniff, …) but our status and body."""

    async def send_refusal(message: Message) -> None:
        if message["type"] == "http.response.start":
            kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in BODY_HEADERS]
            headers = [
                *kept,
                (b"allow", b"GET, HEAD"),
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(REFUSED)).encode()),
            ]
            await send({"type": "http.response.start", "status": 405, "headers": headers})
        elif not message.get("more_body", False):
            await send({"type": "http.response.body", "body": REFUSED})

    probe = {**scope, "method": "HEAD", "path": MOUNT, "raw_path": MOUNT.encode(), "query_string": b""}
    return app(probe, receive, send_refusal)


def read_only_cache(app: App) -> App:
    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") != "http" or not scope.get("path", "").startswith(MOUNT):
            await app(scope, receive, send)
            return
        if scope.get("method") not in READ:
            await _refuse(app, scope, receive, send)
            return

        async def send_cacheable(message: Message) -> None:
            if message["type"] == "http.response.start" and message.get("status") == 200:
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"cache-control"]
                message = {**message, "headers": [*headers, (b"cache-control", IMMUTABLE)]}
            await send(message)

        await app(scope, receive, send_cacheable)

    return wrapped


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[App], App]:
    return read_only_cache
