"""The site serves its DVC cache folder (static/dvc/) read-only: objects with a year-long cache
header, every writing method refused, other static files untouched by the rule."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.publish.conftest import fetch

OBJECT = "/static/dvc/files/md5/ab/cdef0123456789abcdef0123456789"


def test_objects_are_served_read_only_and_cacheable(site_dir: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(site_dir, site)
    stored = site / OBJECT.removeprefix("/")
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"cached output")

    got = fetch(site, OBJECT)[OBJECT]
    assert got.status_code == 200 and got.content == b"cached output"
    assert got.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert fetch(site, "/static/dvc/files/md5/ab/0000")["/static/dvc/files/md5/ab/0000"].status_code == 404

    posted = fetch(site, OBJECT, method="POST", content=b"overwrite")[OBJECT]
    assert posted.status_code == 405 and posted.headers["allow"] == "GET, HEAD"
    assert stored.read_bytes() == b"cached output"

    other = "/static/downloads/parquet/datapackage.json"
    assert "immutable" not in fetch(site, other)[other].headers.get("cache-control", "")
