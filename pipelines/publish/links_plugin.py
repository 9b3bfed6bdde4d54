"""Datasette plugin copied into the site as ``plugins/chitieu_links.py``: addresses that keep working.

- Old row addresses redirect to the new ones: ``indicators`` was keyed by ``(report_id,
  indicator_id)`` before version 1.0.0; ``/<db>/indicators/<report>,<indicator>`` now answers
  301 to ``/<db>/indicators/<indicator>``.
- A row address with the wrong number of key parts is a 404, not a server error (Datasette 0.65
  runs the lookup with a missing parameter). The key sizes come from ``row_keys`` in the
  ``chitieu`` metadata, written by the site build from the Table Schemas.
- ``/source/<report_id>`` shows the published report, one anchor per line (``#L779``) and the
  line an address points at highlighted (CSS ``:target``). A web page, Word or OpenDocument
  file, spreadsheet or PDF text is shown as its paragraphs and tables, each cell and paragraph
  anchored by its ``source_ref`` (``#t1r3c3``, ``#Sheet!D7`` tilde-encoded; a PDF box address
  redirects to its anchor); a scanned report's pages are shown at ``/source/<report_id>/p<page>``
  with the figure's box (``?box=x0,y0,x1,y1`` in PDF points from the top left) drawn over the
  page, beside the text OCR read there, its confidence and the figures published from it.
  ``source_url`` is the one mapping from a figure to these addresses (the Jinja filter
  ``source_url``); the table cells' links are drawn with it by ``plugins/chitieu_site.py``, which
  holds the site's one ``render_cell`` hook.
It imports nothing from the project, so the site folder runs anywhere Datasette does.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from datasette import hookimpl
from datasette.utils import tilde_encode
from datasette.utils.asgi import NotFound, Response

# Renamed or re-keyed tables: table -> number of key parts of the old address.
OLD_ROW_KEYS = {"indicators": 2}
TEXT_SUFFIXES = {".md", ".txt", ".html", ".htm"}
SOURCES_FOLDER = "sources"
# Beside a report in several files: a folder per file with its page images or document model.
PARTS_FOLDER = "parts"
# Beside a source neither text nor scanned: its blocks and cells, each with its source_ref
# (written by the site build, pipelines/publish/document_view.py).
DOCUMENT_MANIFEST = "document.json"
BOX = re.compile(r"^\d+(\.\d+)?(,\d+(\.\d+)?){3}$")
PART = r"[^/.,]+"


LINE_REF = re.compile(r"^L(\d+)$")
PART_REF = re.compile(r"^(?P<part>[^#]+)#(?P<inner>.+)$")
PAGE_REF = re.compile(r"^p(\d+):(\d+(?:\.\d+)?(?:,\d+(?:\.\d+)?){3})$")


# The characters Datasette's tilde encoding keeps: a key made only of them (as report ids are)
# is its own encoding, with no loop over its bytes (a series page lists hundreds of reports).
PLAIN = re.compile(r"[A-Za-z0-9_-]*")


def tilde(value: str) -> str:
    """Datasette's tilde encoding of ``value`` (as in its row addresses)."""
    return value if PLAIN.fullmatch(value) else tilde_encode(value)


@lru_cache(maxsize=4096)
def _source_base(report_id: str) -> str:
    """The source view's address of one report (a page lists many figures of each report)."""
    return f"/source/{tilde(report_id)}"


def source_url(report_id: str | None, source_ref: str | None = None, source_line: Any = None) -> str | None:
    """Where a figure was printed, as an address of the source view (CONVENTIONS' ``source_ref``).

    ``L<line>`` and a bare ``source_line`` go to the line's anchor; ``p<page>:<box>`` to the page
    image with the box; table cells (``t1r2c3``) and spreadsheet cells (``Sheet!D7``) to an anchor
    of that name, which a source view of that document carries. ``<file>#<ref>`` (a report in
    several files) goes to the same place in the view of that file (``?part=<file>``).
    """
    if not report_id:
        return None
    base = _source_base(str(report_id))
    ref = str(source_ref or "")
    part = PART_REF.match(ref)
    query = ""
    if part:
        query, ref = f"part={quote(part['part'])}", part["inner"]
    page = PAGE_REF.match(ref)
    if page:
        return f"{base}/p{page.group(1)}?{'&'.join(filter(None, (query, f'box={page.group(2)}')))}"
    base += f"?{query}" if query else ""
    line = LINE_REF.match(ref)
    if line:
        return f"{base}#L{line.group(1)}"
    if ref:
        return f"{base}#{tilde(ref)}"
    if source_line not in (None, ""):
        return f"{base}#L{int(source_line)}"
    return None


def _info(datasette: Any) -> dict[str, Any]:
    return datasette.metadata("chitieu") or {}


def wrong_arity_pattern(database: str, table: str, parts: int) -> str:
    """A row address of ``table`` whose key does not have exactly ``parts`` parts."""
    exact = rf"(?:{PART},){{{parts - 1}}}{PART}(?:\.\w+)?$"
    return rf"^/(?P<database>{re.escape(database)})/(?P<table>{re.escape(table)})/(?!{exact})(?P<pks>{PART}(?:,{PART})*)(?:\.\w+)?$"


async def _redirect_old_row(request: Any) -> Response:
    new = f"/{request.url_vars['database']}/{request.url_vars['table']}/{request.url_vars['new']}"
    new += request.url_vars.get("format") or ""
    if request.query_string:
        new += f"?{request.query_string}"
    return Response.redirect(new, status=301)


async def _not_found(request: Any) -> Response:
    raise NotFound(f"No row {request.url_vars['pks']} in {request.url_vars['table']}")


def sources_dir(datasette: Any) -> Path | None:
    """The folder the site build copied the raw reports into (under the ``static`` mount)."""
    for mount, folder in datasette.static_mounts:
        if mount == "static":
            return Path(folder) / SOURCES_FOLDER
    return None


def source_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


async def _source(datasette: Any, request: Any) -> Response:
    report_id = request.url_vars["report"]
    database = datasette.get_database(_info(datasette).get("database"))
    report = (
        await database.execute(
            "SELECT report_id, title, province, document_number, issued_date, reporting_year, "
            "source_file, source_sha256 FROM reports WHERE report_id = ?",
            [report_id],
        )
    ).first()
    folder = sources_dir(datasette)
    if report is None or folder is None:
        raise NotFound(f"No report {report_id}")
    names = [Path(part).name for part in (report["source_file"] or "").split(";") if part]
    if not names or not all((folder / report_id / name).is_file() for name in names):
        raise NotFound(f"The source of {report_id} is not published")
    page = request.url_vars.get("page")
    ref = request.args.get("ref")
    if ref and page is None:
        # A figure's place by its locator (the series page links its figures so): one rule, here.
        return Response.redirect(str(source_url(report_id, ref)))
    context: dict[str, Any] = {"database": database.name, "report": dict(report), "page": page}
    context["parts"] = names if len(names) > 1 else []
    part = request.args.get("part") if len(names) > 1 else None
    if len(names) > 1 and part is None and page is None:
        html = await datasette.render_template(
            ["chitieu-source.html"], context, request=request, view_name="source"
        )
        return Response.html(html)  # a report in several files: the list of its files
    if part is not None and part not in names:
        raise NotFound(f"{report_id} has no file {part}")
    name = part or names[0]
    path = folder / report_id / name
    # Page images and the document model of a file of a report in several files live in its own folder.
    view = folder / report_id / PARTS_FOLDER / name if part else folder / report_id
    document = _document(view)
    text = path.suffix.lower() in TEXT_SUFFIXES and document is None
    box = request.args.get("box") or ""
    query = f"?part={quote(part)}" if part else ""
    if page is not None and document is not None and BOX.match(box):
        # A PDF's text layer has no page images: its boxes are anchors of the document view.
        ref = _box_ref(page, box)
        return Response.redirect(f"/source/{tilde(report_id)}{query}#{tilde(ref)}")
    context |= {
        "part": part,
        "part_query": query,
        "file_url": f"/static/{SOURCES_FOLDER}/{report_id}/{name}",
        "file_name": name,
        "file_sha256": dict(zip(names, (report["source_sha256"] or "").split(";"), strict=False)).get(name),
        "lines": source_lines(path) if text and page is None else [],
        "blocks": document["blocks"] if document is not None and page is None else [],
    }
    pages = _pages(view)
    context["page_count"] = len(pages.get("pages", {}))
    if page is not None:
        context.update(await _page_view(database, folder, view, pages, report_id, part, page, box))
    html = await datasette.render_template(
        ["chitieu-source.html"], context, request=request, view_name="source"
    )
    return Response.html(html)


def _document(folder: Path) -> dict[str, Any] | None:
    """The document model the site build wrote beside a source that is neither text nor a scan."""
    manifest = folder / DOCUMENT_MANIFEST
    return json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else None


def _box_ref(page: str, box: str) -> str:
    """The ``source_ref`` of a box on a page, as the readers print it."""
    x0, y0, x1, y1 = (float(v) for v in box.split(","))
    return f"p{int(page)}:{x0:.1f},{y0:.1f},{x1:.1f},{y1:.1f}"


def _pages(folder: Path) -> dict[str, Any]:
    """The manifest the site build wrote beside a scanned report: page sizes and cell readings."""
    manifest = folder / "pages" / "pages.json"
    return json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else {}


async def _page_view(
    database: Any,
    sources: Path,
    folder: Path,
    pages: dict[str, Any],
    report_id: str,
    part: str | None,
    page: str,
    box: str,
) -> dict[str, Any]:
    """Page ``page`` of a scanned report (or of its file ``part``) with the figure at ``box``: the
    image and its size in points (the box is drawn in the same units), the text OCR read there
    and its confidence, and the published figures read from that box. ``pages`` is the manifest
    beside the images in ``folder`` (``_pages``), read once per request."""
    size = pages.get("pages", {}).get(str(int(page)))
    image = folder / "pages" / f"p{int(page)}.jpg"
    if size is None or not image.is_file():
        raise NotFound(f"No image of page {page} of {report_id}")
    view: dict[str, Any] = {
        "page_image": f"/static/{SOURCES_FOLDER}/{image.relative_to(sources).as_posix()}",
        "page_size": size,
        "box": None,
        "reading": None,
        "figures": [],
    }
    if BOX.match(box):
        x0, y0, x1, y1 = (float(v) for v in box.split(","))
        ref = _box_ref(page, box)
        view["box"] = {"x": x0, "y": y0, "width": max(x1 - x0, 1.0), "height": max(y1 - y0, 1.0)}
        view["reading"] = pages.get("cells", {}).get(ref)
        figures = await database.execute(
            "SELECT o.*, i.name_vi, i.name_en, i.unit_vi FROM observations o "
            "JOIN indicators i ON i.indicator_id = o.indicator_id WHERE o.report_id = ? AND o.source_ref = ?",
            [report_id, f"{part}#{ref}" if part else ref],
        )
        view["figures"] = [dict(r) for r in figures.rows]
    return view


VALIDATION_FOLDER = "validation"
# Validation kinds as the summary names them, with their labels.
VALIDATION_KINDS = {
    "integrity": "Kiểm định toàn vẹn / integrity checks",
    "source_quality": "Chất lượng nguồn / source quality",
}


async def _validation(datasette: Any, request: Any) -> Response:
    """The validation results the site was built with (summary and every failed expectation with
    its first rows), as a page of the site: nothing loaded from elsewhere."""
    folder = sources_dir(datasette)
    folder = folder.parent / VALIDATION_FOLDER if folder else None
    if folder is None or not (folder / "summary.json").is_file():
        raise NotFound("This site was built without validation results")
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    results = (
        (folder / "results.json").read_text(encoding="utf-8") if (folder / "results.json").is_file() else "{}"
    )
    suites = [
        {**suite, "anchor": re.sub(r"[^a-z0-9_-]+", "-", f"{suite['suite']}-{suite.get('data', '')}".lower())}
        for suite in json.loads(results).get("suites", [])
    ]
    context = {"summary": summary, "suites": suites, "kinds": VALIDATION_KINDS}
    html = await datasette.render_template(
        ["chitieu-validation.html"], context, request=request, view_name="validation"
    )
    return Response.html(html)


ASSET_TYPES = {
    ".js": "application/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
}
IMMUTABLE = "public, max-age=31536000, immutable"


async def _asset(datasette: Any, request: Any) -> Response:
    """A hashed static file: gzipped when the browser accepts it, cached for a year."""
    name = request.url_vars["name"]
    folder = sources_dir(datasette)
    path = folder.parent / "assets" / name if folder else None
    if path is None or not path.is_file() or name.endswith(".gz"):
        raise NotFound(f"No asset {name}")
    headers = {"cache-control": IMMUTABLE, "vary": "Accept-Encoding"}
    zipped = path.with_name(f"{name}.gz")
    if "gzip" in request.headers.get("accept-encoding", "") and zipped.is_file():
        headers["content-encoding"] = "gzip"
        path = zipped
    content_type = ASSET_TYPES.get(Path(name).suffix, "application/octet-stream")
    return Response(path.read_bytes(), status=200, headers=headers, content_type=content_type)


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    info = _info(datasette)
    database = info.get("database") or "chitieu"
    routes: list[tuple[str, Any]] = [
        (r"^/static/assets/(?P<name>[A-Za-z0-9._-]+)$", _asset),
        (r"^/source/(?P<report>[^/]+)$", _source),
        (r"^/validation$", _validation),
        (r"^/source/(?P<report>[^/]+)/p(?P<page>\d{1,5})$", _source),
    ]
    for table, parts in OLD_ROW_KEYS.items():
        if info.get("row_keys", {}).get(table, parts) != parts:
            old = rf"^/(?P<database>{re.escape(database)})/(?P<table>{table})/{PART}(?:,{PART}){{{parts - 2}}},(?P<new>{PART})(?P<format>\.\w+)?$"
            routes.append((old, _redirect_old_row))
    for table, parts in info.get("row_keys", {}).items():
        routes.append((wrong_arity_pattern(database, table, parts), _not_found))
    return routes


def _has_source(datasette: Any, report_id: Any) -> bool:
    """Whether the site publishes this report's source (its folder; listed once per server)."""
    known = datasette.__dict__.get("_chitieu_sources")
    if known is None:
        folder, found = sources_dir(datasette), set()
        if folder is not None and folder.is_dir():
            with os.scandir(folder) as entries:
                found = {entry.name for entry in entries if entry.is_dir()}
        known = datasette._chitieu_sources = frozenset(found)
    return bool(report_id) and str(report_id) in known


@hookimpl
def prepare_jinja2_environment(env: Any, datasette: Any) -> None:
    def published_source_url(report_id: Any, source_ref: Any = None, source_line: Any = None) -> str | None:
        return source_url(report_id, source_ref, source_line) if _has_source(datasette, report_id) else None

    def published_source_view(report_id: Any) -> str | None:
        """The report's source view, which sends ``?ref=<source_ref>`` on to that place."""
        return _source_base(str(report_id)) if _has_source(datasette, report_id) else None

    env.filters["source_url"] = published_source_url
    env.filters["source_view"] = published_source_view
    env.filters["tilde"] = lambda value: tilde(str(value))


BOM = "\ufeff".encode()


def _wants_bom(scope: dict[str, Any]) -> bool:
    if scope.get("type") != "http" or not scope.get("path", "").endswith(".csv"):
        return False
    return any(part in (b"_bom=1", b"_bom=on") for part in scope.get("query_string", b"").split(b"&"))


@hookimpl
def asgi_wrapper() -> Any:
    """``….csv?_bom=1``: Datasette's CSV (of a filtered table or a query) with a UTF-8 byte-order
    mark, so that Excel reads Vietnamese text as UTF-8. Without ``_bom`` the CSV is unchanged."""

    def wrap(app: Any) -> Any:
        async def with_bom(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if not _wants_bom(scope):
                await app(scope, receive, send)
                return
            state = {"first": True, "csv": False}

            async def bom_send(message: dict[str, Any]) -> None:
                if message["type"] == "http.response.start":
                    headers = [
                        (k, v) for k, v in message.get("headers", []) if k.lower() != b"content-length"
                    ]
                    state["csv"] = message["status"] == 200
                    message = {**message, "headers": headers}
                elif message["type"] == "http.response.body" and state["first"] and state["csv"]:
                    state["first"] = False
                    message = {**message, "body": BOM + message.get("body", b"")}
                await send(message)

            await app(scope, receive, bom_send)

        return with_bom

    return wrap
