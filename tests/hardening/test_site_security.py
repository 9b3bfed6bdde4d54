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
    assert (
        main(["generate", "--out", str(raw), "--count", "3", "--seed", "40", "--crafted-names", "--no-truth"])
        == 0
    )
    assert main(["extract-all", str(raw), "--out", str(extracted)]) == 0
    assert main(["package", str(extracted), "--out", str(package)]) == 0
    candidate = base / f"{DB}.db"
    assert main(["build-db", str(package / "datapackage.json"), "--out", str(candidate)]) == 0
    subprocess.run(
        [sys.executable, "-m", "pipelines", "validate", str(package / "datapackage.json"),
         "--db", str(candidate), "--out", str(validation)],
        cwd=REPO_ROOT, env=environment(), check=True, capture_output=True,
    )  # fmt: skip
    assert main(["site", str(package / "datapackage.json"), "--db", str(candidate),
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


def test_a_slow_query_is_cut_off_by_the_time_limit(base_url: str) -> None:
    """The runaway query never ends by itself: an answer at all (within the client's timeout)
    means the time limit stopped it; ``_timelimit`` cannot raise the limit."""
    runaway = "with recursive n(x) as (select 1 union all select x + 1 from n) select count(*) from n"
    for extra in ({}, {"_timelimit": "100000000"}):
        response = sql(base_url, runaway, **extra)
        assert response.status_code == 400, response.text
        assert "too long" in response.text and "quá lâu" in response.text


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


# --- bounded SQL (finding: one huge value, a huge result, fts3_tokenizer) ----------------------


@pytest.mark.parametrize(
    "query",
    [
        "select randomblob(1000000000)",
        "select randomblob(300000000) union all select randomblob(300000000)",
        "select zeroblob(999999) || zeroblob(999999)",
        "select randomblob(900000) as x from observations",
    ],
)
def test_huge_values_and_results_are_refused_in_both_languages(base_url: str, query: str) -> None:
    response = sql(base_url, query)
    assert response.status_code == 400, response.text[:300]
    assert len(response.content) < 10_000
    body = response.json()
    assert "too large" in body["error"] and "quá lớn" in body["error_vi"]
    page = httpx.get(f"{base_url}/{DB}", params={"sql": query}, timeout=30)
    assert page.status_code == 400 and "quá lớn" in page.text and "too large" in page.text


@pytest.mark.parametrize(
    "query",
    [
        "select fts3_tokenizer('simple')",
        "select hex(fts3_tokenizer('simple'))",
        "select fts3_tokenizer('simple', x'4142434445464748')",
        "select load_extension('libsqlite3')",
    ],
)
def test_fts3_tokenizer_can_neither_leak_nor_overwrite(base_url: str, query: str) -> None:
    response = sql(base_url, query)
    assert response.status_code == 400
    assert "not allowed" in response.json()["error"] and "không được phép" in response.json()["error_vi"]
    search = httpx.get(f"{base_url}/{DB}/indicators.json", params={"_search": "alert", "_shape": "array"})
    assert search.status_code == 200 and search.json(), "full-text search still works for everyone"


def test_the_database_path_is_not_readable(base_url: str, site: Path) -> None:
    rows = sql(base_url, "select * from pragma_database_list").json()["rows"]
    assert rows == [[0, "main", None]]


def test_no_absolute_machine_path_in_any_response(base_url: str, site: Path) -> None:
    machine = str(site.resolve().parent)
    urls = [*pages(site)[:12], "/-/databases.json", "/-/plugins.json", "/-/versions.json", "/-/settings.json",
            "/-/metadata.json", f"/{DB}.json", "/nothing", f"/{DB}/nothing.json"]  # fmt: skip
    for url in urls:
        response = httpx.get(f"{base_url}{url}", timeout=30)
        assert machine not in response.text, f"{url} shows the site's absolute path"


# --- cheap, plain errors; methods; request bounds ----------------------------------------------


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("//evil.example", 404),
        ("/nothing-here", 404),
        (f"/{DB}/no_such_table", 404),
        (f"/{DB}/indicators?_sort=nonexistent", 400),
        (f"/{DB}/indicators?_sort_desc=nonexistent", 400),
        (f"/{DB}/indicators?_search=%22", 400),
        (f"/{DB}/indicators/only-one-part", 404),
        (f"/{DB}/indicators/no-such-report,no-such-indicator,third-part", 404),
        (f"/{DB}/indicators?_size=-1", 400),
    ],
)
def test_errors_are_plain_bilingual_pages_with_navigation(base_url: str, path: str, status: int) -> None:
    response = raw_get(base_url, path)
    head, _, body = response.partition(b"\r\n\r\n")
    assert head.split(b" ")[1] == str(status).encode(), head
    text = body.decode("utf-8", "replace")
    assert f"Lỗi {status}" in text and f"Error {status}" in text
    assert 'href="/"' in text and "Traceback" not in text and "site-packages" not in text
    if "_search" in path:
        assert "search could not be understood" in text and "tìm kiếm" in text


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "TRACE"])
def test_methods_other_than_reading_get_405(base_url: str, method: str) -> None:
    response = httpx.request(method, f"{base_url}/{DB}/indicators", timeout=10)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, OPTIONS"


def test_an_error_flood_leaves_the_log_small(site: Path, tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    with serving(site, log=log) as url:
        before = log.stat().st_size
        for number in range(40):
            httpx.get(f"{url}/missing-{number}", timeout=10)
            httpx.get(f"{url}/{DB}/indicators", params={"_sort": f"nothing{number}"}, timeout=10)
        grown = log.stat().st_size - before
    assert grown / 80 < 300, f"{grown} bytes of log for 80 errors"


def test_repeated_facets_are_dropped_and_their_number_bounded(base_url: str) -> None:
    repeated = "&".join(["_facet=value_printed"] * 350)  # 7 KB: within the URL cap
    response = httpx.get(f"{base_url}/{DB}/observations.json?{repeated}&_size=1", timeout=60)
    assert response.status_code == 200
    assert len(response.content) < 2_000_000
    assert "value_printed" in response.json()["facet_results"]
    many = "&".join(
        f"_facet={c}" for c in ("measure", "period", "value", "value_printed", "decimals", "report_id")
    )
    refused = httpx.get(f"{base_url}/{DB}/observations.json?{many}", timeout=30)
    assert refused.status_code == 400 and "facets" in refused.json()["error"]


def test_overlong_addresses_are_refused(base_url: str) -> None:
    response = httpx.get(f"{base_url}/{DB}/observations?x={'a' * 12_000}", timeout=30)
    assert response.status_code == 414
    assert "quá dài" in response.text


# --- security headers -------------------------------------------------------------------------


def _script_src(policy: str) -> str:
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    return directives["script-src"]


@pytest.mark.parametrize(
    "path",
    ["/", "/about", f"/{DB}", f"/{DB}/indicators", f"/{DB}/indicators.json", f"/{DB}.json?sql=select+1",
     "/-/static/app.css", "/nothing", f"/{DB}/indicators?_sort=nothing"],
)  # fmt: skip
def test_every_response_carries_the_security_headers(base_url: str, path: str) -> None:
    response = httpx.get(f"{base_url}{path}", timeout=30)
    headers = response.headers
    script_src = _script_src(headers["content-security-policy"])
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"]
