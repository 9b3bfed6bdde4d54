"""The site serves the published DVC cache (a folder outside the site, mounted at /dvc/)
read-only: objects with a year-long cache header and the site's security headers, every other
method refused with 405 (and the same security headers), other static files untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.publish.conftest import fetch

OBJECT = "/dvc/files/md5/ab/cdef0123456789abcdef0123456789"


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    folder = tmp_path / "dvc-public"
    stored = folder / OBJECT.removeprefix("/dvc/")
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"cached output")
    return folder


def test_objects_are_served_read_only_and_cacheable(site_dir: Path, cache: Path) -> None:
    got = fetch(site_dir, OBJECT, dvc=cache)[OBJECT]
    assert got.status_code == 200 and got.content == b"cached output"
    assert got.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "default-src 'self'" in got.headers["content-security-policy"], "the guard's headers stay"
    assert got.headers["x-content-type-options"] == "nosniff"
    assert fetch(site_dir, OBJECT, method="HEAD", dvc=cache)[OBJECT].status_code == 200
    missing = "/dvc/files/md5/ab/0000"
    assert fetch(site_dir, missing, dvc=cache)[missing].status_code == 404

    for method in ("POST", "PUT", "DELETE", "OPTIONS", "PATCH"):
        refused = fetch(site_dir, OBJECT, method=method, dvc=cache, content=b"overwrite")[OBJECT]
        assert refused.status_code == 405, method
        assert refused.headers["allow"] == "GET, HEAD"
        assert "read-only" in refused.text
        assert "content-security-policy" in refused.headers and "cache-control" not in refused.headers
    assert (cache / OBJECT.removeprefix("/dvc/")).read_bytes() == b"cached output"

    other = "/static/downloads/parquet/datapackage.json"
    answer = fetch(site_dir, other, dvc=cache)[other]
    assert answer.status_code == 200 and "immutable" not in answer.headers.get("cache-control", "")


def test_without_a_published_cache_there_is_no_dvc_mount(site_dir: Path, tmp_path: Path) -> None:
    assert fetch(site_dir, OBJECT, dvc=tmp_path / "absent")[OBJECT].status_code == 404
    assert fetch(site_dir, OBJECT, method="PUT", dvc=tmp_path / "absent")[OBJECT].status_code == 405
