"""The site offers the package's Parquet copy: linked from the home page, served as the same bytes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.paths import REPO_ROOT
from tests.publish.conftest import fetch


def test_every_parquet_file_and_its_descriptor_are_downloads_linked_from_the_home_page(
    site_dir: Path,
) -> None:
    parquet = json.loads((REPO_ROOT / "data" / "parquet" / "datapackage.json").read_text(encoding="utf-8"))
    urls = ["/static/downloads/parquet/datapackage.json"] + [
        f"/static/downloads/parquet/{r['path']}" for r in parquet["resources"]
    ]
    responses = fetch(site_dir, "/", *urls)
    home = responses["/"].text
    for url in urls:
        assert f'href="{url}"' in home, url
        assert responses[url].status_code == 200, url
        assert responses[url].content == (REPO_ROOT / "data" / "parquet" / url.rsplit("/", 1)[1]).read_bytes()
