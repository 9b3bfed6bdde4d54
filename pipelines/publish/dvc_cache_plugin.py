"""Datasette plugin copied into the site as ``plugins/chitieu_dvc.py``: the DVC cache, read-only.

The site's ``static/dvc/`` folder is a DVC remote (``dvc push -r publish``), which Datasette's
static route serves as an HTTP remote at ``/static/dvc/`` for ``dvc pull`` and ``dvc get``. That
route answers every method alike, so a ``dvc push`` to the site would get 200 and believe it had
uploaded: this wrapper refuses anything but GET and HEAD there (405), and marks the objects,
which are named by their checksum and never change, as cacheable for a year.
It imports nothing from the project, so the site folder runs anywhere Datasette does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from datasette import hookimpl

PREFIX = "/static/dvc/"
READ = {"GET", "HEAD"}
IMMUTABLE = b"public, max-age=31536000, immutable"

Message = dict[str, Any]
App = Callable[
    [dict[str, Any], Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]
]


def read_only_cache(app: App) -> App:
    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") != "http" or not scope.get("path", "").startswith(PREFIX):
            await app(scope, receive, send)
            return
        if scope.get("method") not in READ:
            await send(
                {
                    "type": "http.response.start",
                    "status": 405,
                    "headers": [(b"allow", b"GET, HEAD"), (b"content-type", b"text/plain; charset=utf-8")],
                }
            )
            await send({"type": "http.response.body", "body": b"The DVC cache of this site is read-only.\n"})
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
