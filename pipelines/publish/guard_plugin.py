"""Datasette plugin copied into the site as ``plugins/chitieu_guard.py``: the site's defences
against hostile visitors (threat model and tests: docs/security.md).

- Bounded SQL, per connection (``prepare_connection``): no value longer than ``MAX_VALUE_BYTES``
  (``SQLITE_LIMIT_LENGTH``), an authorizer that allows reads only (no ``fts3_tokenizer``, no
  ``load_extension``, no ATTACH, no writes, no pragma but the introspection Datasette needs; the
  database file's path reads as NULL), and a cap on the bytes of one result counted by the row
  factory while rows are fetched, so a huge result stops before it is in memory.
- Cheap, plain errors (``handle_exception``, replacing Datasette's handler, which renders a
  ``rich`` traceback with local variables on every error): bilingual pages (or JSON) with
  navigation, never a traceback or a machine path.
- Bounded requests and security headers (``asgi_wrapper``, innermost so the response cache
  stores and replays the headers): only GET/HEAD/OPTIONS (405), a cap on URL length (414),
  duplicate facets dropped and at most ``MAX_FACETS`` (400), and on every response a
  Content-Security-Policy whose ``script-src`` allows the site's own files and, by SHA-256, only
  the inline scripts written in the templates (hashed as each template renders them); never
  'unsafe-inline' and never 'unsafe-eval' (the site's charts need neither).

It imports nothing from the project, so the site folder runs anywhere Datasette does.
"""

from __future__ import annotations

import base64
import contextvars
import hashlib
import html
import json
import re
import sqlite3
import sys
import weakref
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from datasette import Response, hookimpl
from datasette.plugins import pm
from datasette.utils.asgi import Base400
from datasette.views.base import DatasetteError
from markupsafe import Markup

MAX_VALUE_BYTES = 1_000_000
MAX_RESULT_BYTES = 8_000_000
MAX_SQL_BYTES = 100_000
MAX_URL_BYTES = 8_192
MAX_FACETS = 5
FACET_PARAMETERS = ("_facet", "_facet_array", "_facet_date")
METHODS = ("GET", "HEAD", "OPTIONS")
# Datasette's own databases (its catalogue; the private in-memory one of /-/versions), never
# served to visitors here: left alone.
INTERNAL = {"_internal", "_memory"}
DENIED_FUNCTIONS = {"fts3_tokenizer", "load_extension", "readfile", "writefile", "edit"}
# Introspection Datasette runs on its connections (table pages, schema, database page).
ALLOWED_PRAGMAS = {
    "table_info",
    "table_xinfo",
    "index_list",
    "index_info",
    "index_xinfo",
    "foreign_key_list",
    "database_list",
    "schema_version",
    "data_version",
    "function_list",
    "module_list",
    "pragma_list",
    "table_list",
}
SCHEMA_TABLES = {"sqlite_master", "sqlite_schema"}
READS = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_RECURSIVE}

CSP = (
    "default-src 'self'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
# A data block (``type="application/json"``) never runs, so it is neither wrapped nor hashed.
_SCRIPT = re.compile(r"<script\b(?![^>]*type=\"application/json\").*?</script>", re.DOTALL | re.IGNORECASE)
_INLINE_BODY = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
_script_hashes: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("csp_hashes", default=None)


class VisitorError(Exception):
    """A request the site refuses, with its reason in Vietnamese and English."""

    def __init__(self, status: int, vi: str, en: str) -> None:
        super().__init__(en)
        self.status, self.vi, self.en = status, vi, en


TOO_BIG = VisitorError(
    400,
    f"Kết quả quá lớn: mỗi giá trị tối đa {MAX_VALUE_BYTES:,} byte, mỗi kết quả {MAX_RESULT_BYTES:,} byte.",
    f"The result is too large: at most {MAX_VALUE_BYTES:,} bytes per value and "
    f"{MAX_RESULT_BYTES:,} bytes per result.",
)
NOT_ALLOWED = VisitorError(
    400,
    "Câu lệnh này không được phép: trang chỉ cho phép đọc dữ liệu (SELECT).",
    "This statement is not allowed: the site only answers read queries (SELECT).",
)
SQL_TOO_LONG = VisitorError(
    400,
    f"Câu lệnh SQL quá dài (tối đa {MAX_SQL_BYTES:,} byte).",
    f"The SQL is too long (at most {MAX_SQL_BYTES:,} bytes).",
)


# --- bounded SQL -------------------------------------------------------------------------------


def authorize(
    action: int, first: str | None, second: str | None, _db: str | None, _trigger: str | None
) -> int:
    """Reads only; the database file's path is hidden; dangerous functions are refused."""
    if action == sqlite3.SQLITE_READ and first == "pragma_database_list" and second == "file":
        return sqlite3.SQLITE_IGNORE
    if action in READS:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_UPDATE and first in SCHEMA_TABLES:
        # SQLite's own check when a virtual table (FTS5, table-valued pragma) is connected; the
        # immutable, read-only file cannot be written whatever the authorizer says.
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_FUNCTION:
        return sqlite3.SQLITE_DENY if (second or "").lower() in DENIED_FUNCTIONS else sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA and (first or "").lower() in ALLOWED_PRAGMAS:
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | bytes) else 8


def bounded_row_factory() -> Callable[[sqlite3.Cursor, tuple[Any, ...]], sqlite3.Row]:
    """``sqlite3.Row`` rows, refusing once one cursor has fetched more than MAX_RESULT_BYTES."""
    fetched: weakref.WeakKeyDictionary[sqlite3.Cursor, int] = weakref.WeakKeyDictionary()

    def factory(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> sqlite3.Row:
        total = fetched.get(cursor, 0) + sum(_size(value) for value in row)
        if total > MAX_RESULT_BYTES:
            fetched.pop(cursor, None)
            raise TOO_BIG
        fetched[cursor] = total
        return sqlite3.Row(cursor, row)

    return factory


@hookimpl
def prepare_connection(conn: sqlite3.Connection, database: str, datasette: Any) -> None:
    if database in INTERNAL:
        return
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, MAX_SQL_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
    conn.set_authorizer(authorize)
    conn.row_factory = bounded_row_factory()


def _translate(execute: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """The database's ``execute``, turning the refusals of our limits into a VisitorError."""

    async def translated(*args: Any, **kwargs: Any) -> Any:
        try:
            return await execute(*args, **kwargs)
        except sqlite3.DatabaseError as exc:
            message = str(exc)
            if "too big" in message:
                raise TOO_BIG from None
            if "not authorized" in message or "prohibited" in message:
                raise NOT_ALLOWED from None
            if "statement too long" in message:
                raise SQL_TOO_LONG from None
            raise

    return translated


@hookimpl
def startup(datasette: Any) -> None:
    """Our handler replaces Datasette's (which prints a ``rich`` traceback with locals every time)."""
    import datasette.handle_exception as default_handler

    if pm.is_registered(default_handler):
        pm.unregister(default_handler)
    for name, database in datasette.databases.items():
        if name not in INTERNAL:
            database.execute = _translate(database.execute)


# --- cheap, plain errors -----------------------------------------------------------------------

MESSAGES = {
    400: ("Yêu cầu không hợp lệ.", "The request is not valid."),
    403: ("Không được phép.", "Forbidden."),
    404: ("Không tìm thấy trang hoặc dòng dữ liệu này.", "This page or row does not exist."),
    405: ("Phương thức này không được hỗ trợ (chỉ GET).", "This method is not allowed (GET only)."),
    414: ("Địa chỉ quá dài.", "The address is too long."),
    500: ("Lỗi máy chủ; xin thử lại sau.", "Server error; please try again later."),
}
SEARCH_SYNTAX = (
    "Không hiểu cụm từ tìm kiếm; hãy bỏ dấu ngoặc kép hoặc ký tự đặc biệt.",
    "The search could not be understood; remove quotes or special characters.",
)
SLOW = ("Truy vấn chạy quá lâu và đã bị dừng.", "The query took too long and was stopped.")


def classify(exception: BaseException, request: Any) -> tuple[int, str, str, str]:
    """Status, Vietnamese and English reason, and Datasette's own detail (4xx only, escaped later)."""
    if isinstance(exception, VisitorError):
        return exception.status, exception.vi, exception.en, ""
    args = getattr(request, "args", {}) or {}
    if isinstance(exception, Base400 | DatasetteError):
        status = exception.status if isinstance(exception.status, int) else 500
        if isinstance(exception, DatasetteError) and status >= 500:
            status = 400  # raised on purpose for a bad parameter (``_sort`` of no column, …)
        detail = (
            ""
            if getattr(exception, "message_is_html", False)
            else str(exception.args[0] if exception.args else "")
        )
        if getattr(exception, "title", None) == "SQL Interrupted":
            return 400, *SLOW, ""
    elif isinstance(exception, sqlite3.Error):
        status, detail = 400, str(exception)
    else:
        status, detail = 500, ""
    if status == 400 and args.get("_search") is not None and ("fts5" in detail or "MATCH" in detail):
        return 400, *SEARCH_SYNTAX, ""
    if status >= 500:
        detail = ""
    vi, en = MESSAGES.get(status, MESSAGES[500 if status >= 500 else 400])
    return status, vi, en, detail


def error_page(status: int, vi: str, en: str, detail: str) -> str:
    detail_html = (
        f'<p class="chitieu-error-detail"><code>{html.escape(detail[:500])}</code></p>' if detail else ""
    )
    return f"""<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{status} · Chỉ tiêu kinh tế - xã hội</title>
<link rel="stylesheet" href="/-/static/app.css"></head>
<body class="error">
<header><nav><p class="crumbs"><a href="/">Trang chủ / Home</a> · <a href="/chitieu">Dữ liệu / Data</a> ·
<a href="/about">Giới thiệu / About</a></p></nav></header>
<main id="main" class="content">
<h1>Lỗi {status} / Error {status}</h1>
<p lang="vi">{html.escape(vi)}</p>
<p lang="en">{html.escape(en)}</p>
{detail_html}
<p><a href="/">Về trang chủ / Back to the home page</a></p>
</main>
</body>
</html>
"""


def error_body(path: str, status: int, vi: str, en: str, detail: str) -> tuple[bytes, bytes]:
    """The error as JSON for ``.json`` addresses, else as a page; with its content type."""
    if path.endswith(".json"):
        document = {"ok": False, "status": status, "error": en, "error_vi": vi}
        if detail:
            document["detail"] = detail[:500]
        return json.dumps(document, ensure_ascii=False).encode(), b"application/json; charset=utf-8"
    return error_page(status, vi, en, detail).encode(), b"text/html; charset=utf-8"


@hookimpl(tryfirst=True)
def handle_exception(datasette: Any, request: Any, exception: BaseException) -> Response:
    status, vi, en, detail = classify(exception, request)
    if status >= 500:
        # One short line for the maintainers' log, never a traceback with local variables.
        print(
            f"chitieu: {status} {request.path}: {type(exception).__name__}: {str(exception)[:200]}",
            file=sys.stderr,
        )
    body, content_type = error_body(request.path, status, vi, en, detail)
    return Response(body, status=status, content_type=content_type.decode())


# --- inline scripts allowed by hash ------------------------------------------------------------


def _hash_inline_scripts(rendered: str) -> Markup:
    """Template filter: record the SHA-256 of each inline script this template wrote."""
    hashes = _script_hashes.get()
    for match in _INLINE_BODY.finditer(str(rendered)):
        if "src=" not in match["attrs"] and match["body"].strip() and hashes is not None:
            digest = hashlib.sha256(match["body"].encode("utf-8")).digest()
            hashes.append(f"'sha256-{base64.b64encode(digest).decode()}'")
    return Markup(rendered)


def hashing_loader(loader: Any) -> Any:
    """Wraps the template loader: every ``<script>…</script>`` written in a template source is
    wrapped in a filter block that hashes it as rendered. Values interpolated by the template
    are escaped by autoescape, so no script a visitor supplies can reach the hashed list."""
    from jinja2 import BaseLoader

    class HashingLoader(BaseLoader):
        def get_source(self, environment: Any, template: str) -> tuple[str, str | None, Any]:
            source, filename, uptodate = loader.get_source(environment, template)
            wrapped = _SCRIPT.sub(lambda m: "{% filter csp_hash %}" + m.group(0) + "{% endfilter %}", source)
            return wrapped, filename, uptodate

        def list_templates(self) -> list[str]:
            return loader.list_templates()

    return HashingLoader()


@hookimpl
def prepare_jinja2_environment(env: Any, datasette: Any) -> None:
    env.filters["csp_hash"] = _hash_inline_scripts
    env.loader = hashing_loader(env.loader)


# --- bounded requests and headers --------------------------------------------------------------

Message = dict[str, Any]
App = Callable[
    [dict[str, Any], Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]
]


def normalise_facets(query_string: bytes) -> bytes:
    """Duplicate facets dropped; more than MAX_FACETS distinct ones is a VisitorError."""
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    seen: set[tuple[str, str]] = set()
    kept = []
    for key, value in pairs:
        if key in FACET_PARAMETERS:
            if (key, value) in seen:
                continue
            seen.add((key, value))
        kept.append((key, value))
    if len(seen) > MAX_FACETS:
        raise VisitorError(
            400, f"Tối đa {MAX_FACETS} nhóm (facet) mỗi trang.", f"At most {MAX_FACETS} facets per page."
        )
    if len(kept) == len(pairs):
        return query_string
    return urlencode(kept).encode("latin-1")


def refusal(scope: dict[str, Any]) -> VisitorError | None:
    """Why this request is refused before it reaches Datasette, if it is."""
    if scope["method"] not in METHODS:
        return VisitorError(405, *MESSAGES[405])
    if (
        len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string", b""))
        > MAX_URL_BYTES
    ):
        return VisitorError(414, *MESSAGES[414])
    return None


def security_headers(headers: list[tuple[bytes, bytes]], hashes: list[str]) -> list[tuple[bytes, bytes]]:
    names = {name for name, _ in HEADERS} | {b"content-security-policy"}
    kept = [(k, v) for k, v in headers if k.lower() not in names]
    policy = CSP.format(hashes="".join(f" {h}" for h in dict.fromkeys(hashes)))
    return [*kept, (b"content-security-policy", policy.encode()), *HEADERS]


def guard(app: App) -> App:
    async def guarded(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        hashes: list[str] = []
        token = _script_hashes.set(hashes)
        try:

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message = {
                        **message,
                        "headers": security_headers(list(message.get("headers", [])), hashes),
                    }
                await send(message)

            refused = refusal(scope)
            if refused is None:
                try:
                    scope = {**scope, "query_string": normalise_facets(scope.get("query_string", b""))}
                except VisitorError as exc:
                    refused = exc
            if refused is not None:
                body, content_type = error_body(scope["path"], refused.status, refused.vi, refused.en, "")
                headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
                if refused.status == 405:
                    headers.append((b"allow", b", ".join(m.encode() for m in METHODS)))
                await send_with_headers(
                    {"type": "http.response.start", "status": refused.status, "headers": headers}
                )
                await send({"type": "http.response.body", "body": body if scope["method"] != "HEAD" else b""})
                return
            await app(scope, receive, send_with_headers)
        finally:
            _script_hashes.reset(token)

    return guarded


@hookimpl(tryfirst=True)
def asgi_wrapper(datasette: Any) -> Callable[[App], App]:
    # tryfirst: the innermost wrapper, so the response cache around it stores our headers.
    return guard
