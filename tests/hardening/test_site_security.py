"""The served site under abuse: read-only SQL, no extensions or attached files, a time limit,
escaped values on every page, and nothing served from outside the site folder.

The site is built from generated reports carrying crafted indicator names (HTML and script) and
served by ``python -m pipelines serve`` on a free loopback port, exactly as users get it.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from pipelines.cli import main
from tests.paths import REPO_ROOT
from tests.support import environment, serving

pytestmark = pytest.mark.slow

DB = "chitieu"
CANARY = "canary-outside-the-site-4f1c9b"
# Raw markup that must never reach a page unescaped (the crafted names of pipelines/synth/catalogue.py).
RAW_PAYLOADS = ("<img src=x onerror", "<script>alert", '"><img', "onmouseover='alert(2)")
ESCAPED_NAME = "&#34;&gt;&lt;img src=x onerror=alert(1)//"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("security")
    raw, extracted, package = base / "raw", base / "extracted", base / "package"
    folder, validation = base / "site", base / "validation"
    assert main(["generate", "--out", str(raw), "--count", "3", "--seed", "40", "--crafted-names"]) == 0
    assert main(["extract-all", str(raw), "--out", str(extracted)]) == 0
    assert main(["package", str(extracted), "--out", str(package)]) == 0
    assert main(["build-db", str(package / "datapackage.json"), "--out", str(folder / f"{DB}.db")]) == 0
    subprocess.run(
        [sys.executable, "-m", "pipelines", "validate", str(package / "datapackage.json"),
         "--db", str(folder / f"{DB}.db"), "--out", str(validation)],
        cwd=REPO_ROOT, env=environment(), check=True, capture_output=True,
    )  # fmt: skip
    assert main(["site", str(package / "datapackage.json"), "--db", str(folder / f"{DB}.db"),
                 "--validation", str(validation), "--out", str(folder)]) == 0  # fmt: skip
    (base / "canary.txt").write_text(CANARY, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serving(site) as url:
        yield url


def sql(base_url: str, query: str, **params: str) -> httpx.Response:
    return httpx.get(f"{base_url}/{DB}.json", params={"sql": query, **params}, timeout=30)


def counts(base_url: str) -> dict[str, int]:
    rows = {}
    for table in ("reports", "indicators", "observations", "ratios"):
        response = sql(base_url, f"select count(*) as n from {table}")
        assert response.status_code == 200, response.text
        rows[table] = response.json()["rows"][0][0]
    return rows


WRITES = (
    "insert into reports (report_id) values ('x')",
    "update indicators set name_vi = 'x'",
    "delete from observations",
    "drop table ratios",
    "create table pwned (x)",
    "with doomed as (select 1) delete from observations",
    "with doomed as (select 1) update indicators set name_vi = 'x'",
    "replace into reports (report_id) values ('x')",
    "pragma writable_schema = 1",
    "vacuum",
    "select 1; delete from observations",
)


@pytest.mark.parametrize("statement", WRITES)
def test_write_statements_are_refused(base_url: str, site: Path, statement: str) -> None:
    before, digest = counts(base_url), hashlib.sha256((site / f"{DB}.db").read_bytes()).hexdigest()
    response = sql(base_url, statement)
    assert response.status_code >= 400 or response.json().get("ok") is False, response.text
    assert counts(base_url) == before
    assert hashlib.sha256((site / f"{DB}.db").read_bytes()).hexdigest() == digest


def test_no_write_endpoints(base_url: str) -> None:
    """Datasette 0.65 has no write API. A POST to a table fails inside Datasette (500, "You may only
    POST to a canned query"); what matters is that no POST succeeds or changes a row."""
    before = counts(base_url)
    for path in (f"/{DB}/-/create", f"/{DB}/reports", f"/{DB}/reports/-/insert", f"/{DB}/reports/x/-/delete",
                 f"/{DB}/-/query", f"/{DB}/missed_targets"):  # fmt: skip
        response = httpx.post(f"{base_url}{path}", json={"rows": [{"report_id": "x"}]}, timeout=10)
        assert not response.is_success, (path, response.status_code)
    assert counts(base_url) == before


def test_attach_is_impossible(base_url: str, tmp_path: Path) -> None:
    target = tmp_path / "attached.db"
    for statement in (f"attach database '{target}' as other", f"attach '{target}' as other"):
        response = sql(base_url, statement)
        assert response.status_code >= 400, response.text
    assert not target.exists()
    listed = sql(base_url, "select name from pragma_database_list").json()["rows"]
    assert [row[0] for row in listed] == ["main"]


def test_load_extension_is_impossible(base_url: str) -> None:
    for statement in (
        "select load_extension('/usr/lib/x86_64-linux-gnu/libsqlite3.so.0')",
        "select load_extension('mod_spatialite')",
    ):
        response = sql(base_url, statement)
        assert response.status_code >= 400, response.text
        assert "not authorized" in response.text or "error" in response.text.lower()


def test_a_slow_query_is_cut_off_by_the_time_limit(base_url: str, site: Path) -> None:
    limit_ms = json.loads((site / "settings.json").read_text(encoding="utf-8"))["sql_time_limit_ms"]
    runaway = "with recursive n(x) as (select 1 union all select x + 1 from n) select count(*) from n"
    for extra in ({}, {"_timelimit": "100000000"}):
        started = time.monotonic()
        response = sql(base_url, runaway, **extra)
        elapsed = time.monotonic() - started
        assert response.status_code == 400, response.text
        assert "too long" in response.text
        assert elapsed < limit_ms / 1000 + 3, elapsed


def _query_params(sql_text: str) -> dict[str, str]:
    return {name: "onerror" for name in re.findall(r"(?<![:\w]):([A-Za-z_]\w*)", sql_text)}


def pages(site: Path) -> list[str]:
    """Every kind of page: home, about, database, each table and view, search, facets, saved queries."""
    metadata = json.loads((site / "metadata.json").read_text(encoding="utf-8"))["databases"][DB]
    urls = ["/", "/about", f"/{DB}", f"/{DB}/indicators?_search=onerror", f"/{DB}/indicators?_search=alert",
            f"/{DB}/indicators?name_vi__contains=img", f"/{DB}/indicators?_facet=name_vi"]  # fmt: skip
    urls += [f"/{DB}/{quote(table)}?_size=max" for table in metadata.get("tables", {})]
    for name, query in metadata.get("queries", {}).items():
        params = "&".join(f"{k}={v}" for k, v in _query_params(query["sql"]).items())
        urls.append(f"/{DB}/{name}?{params}")
    return urls


def test_crafted_names_are_escaped_on_every_page(base_url: str, site: Path) -> None:
    from datasette.utils import path_from_row_pks

    listed = sql(base_url, "select * from indicators where name_vi like '%onerror%'", _shape="objects").json()
    assert listed["rows"], "the crafted names should be in the database"
    keys = httpx.get(f"{base_url}/{DB}/indicators.json?_size=1", timeout=10).json()["primary_keys"]
    rows = [f"/{DB}/indicators/{path_from_row_pks(row, keys, False)}" for row in listed["rows"]]
    urls = pages(site) + rows
    shown = []
    for url in urls:
        response = httpx.get(f"{base_url}{url}", timeout=30)
        assert response.status_code == 200, (url, response.status_code)
        assert "html" in response.headers["content-type"], url
        for payload in RAW_PAYLOADS:
            assert payload not in response.text, f"{url} shows {payload!r} unescaped"
        shown += [url] if ESCAPED_NAME in response.text else []
    assert f"/{DB}/indicators?_search=onerror" in shown
    assert any(url.startswith(f"/{DB}/indicators/") for url in shown), "the row page shows the name"


def raw_get(base_url: str, path: str) -> bytes:
    """A request with the path sent byte for byte (no client-side normalisation of ``..``)."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode("latin-1"))
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


TRAVERSALS = (
    "/static/../../canary.txt",
    "/static/../canary.txt",
    "/static/..%2f..%2fcanary.txt",
    "/static/%2e%2e/%2e%2e/canary.txt",
    "/static/%2e%2e%2f%2e%2e%2fcanary.txt",
    "/static/downloads/../../../canary.txt",
    "/static/..%5c..%5ccanary.txt",
    "/static//etc/passwd",
    "/static/../../../../../../etc/passwd",
    "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/-/static/../../../../../../etc/passwd",
    "/-/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/-/static-plugins/datasette_vega/../../../../../../etc/passwd",
    "/-/static-plugins/datasette_vega/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/chitieu/../../canary.txt",
    "/%2e%2e/%2e%2e/canary.txt",
)


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_file_outside_the_site_is_served(base_url: str, path: str) -> None:
    response = raw_get(base_url, path)
    assert CANARY.encode() not in response
    assert b"root:x:0:0" not in response


def test_the_site_folder_itself_is_served_only_where_published(base_url: str, site: Path) -> None:
    """Downloads are served; the site's configuration files are not files to download."""
    downloads = sorted(p for p in (site / "static" / "downloads").rglob("*") if p.is_file())
    assert downloads
    served = downloads[0].relative_to(site).as_posix()
    assert httpx.get(f"{base_url}/{served}", timeout=30).status_code == 200
    for name in ("settings.json", "inspect-data.json", "metadata.json"):
        assert httpx.get(f"{base_url}/static/../{name}", timeout=10).status_code == 404
        assert raw_get(base_url, f"/static/../{name}").split(b"\r\n", 1)[0].split()[1] in (b"404", b"400")
