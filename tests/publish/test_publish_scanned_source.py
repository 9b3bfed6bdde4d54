"""A scanned report on the site: its pages shown in the source view, the figure's box drawn over
the page beside what OCR read there and how sure it was.

The scan is generated (pipelines.synth.scan, a ruled table the tests draw) and read by the real
stages (``read-scans``, ``page-images``); the package is the committed one with its report's
source replaced by that scan and one figure said to be read from a cell of it.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from pipelines.cli import main as cli
from pipelines.ocr.store import load_reading, reading_path
from pipelines.synth.scan import PROFILES, image_pdf, scan_pages
from tests.ocr.drawn import ruled_page
from tests.paths import ROOT_PACKAGE

from .conftest import fetch, republish

pytestmark = pytest.mark.slow
SCAN_NAME = "tinh-2022-scan.pdf"
# The report of the committed package whose source the scan stands in for, and its figure read from it.
REPORT = "cao-bang-2022-2960-bc-ubnd"
FIGURE = (f"{REPORT}/1", "actual", "2021")


# The scan as the report's one file, or as the second file of a report in two (its text, then the scan).
LAYOUTS = ("one file", "two files")


@pytest.fixture(scope="module", params=LAYOUTS)
def scanned(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    work = tmp_path_factory.mktemp("scanned")
    raw = work / "package" / "data" / "raw"
    raw.mkdir(parents=True)
    text_file = next(
        r["file"]
        for r in json.loads(ROOT_PACKAGE.read_text(encoding="utf-8"))["sources"]
        if r["report_id"] == REPORT
    )
    text_name = Path(text_file).name
    parts = request.param == "two files"
    if parts:
        shutil.copyfile(ROOT_PACKAGE.parent / text_file, raw / text_name)
    scan = raw / SCAN_NAME
    scan.write_bytes(image_pdf(scan_pages([ruled_page(200)], 5, 200, PROFILES["standard"]), 200, 70))
    assert cli(["read-scans", str(raw), "--out", str(work / "scans")]) == 0
    assert cli(["page-images", str(raw), "--out", str(work / "pages"), "--dpi", "72"]) == 0
    blocks = load_reading(reading_path(work / "scans", scan))
    assert blocks is not None
    cell = next(c for b in blocks for c in getattr(b, "cells", ()) if re.fullmatch(r"[\d.,]+", c.text))
    ref = str(cell.locator)

    figure_ref = f"{SCAN_NAME}#{ref}" if parts else ref
    site = republish(
        work,
        REPORT,
        [raw / text_name, scan] if parts else [scan],
        lambda row: (
            {**row, "source_ref": figure_ref, "source_line": "", "ocr_confidence": f"{cell.confidence:g}"}
            if (row["indicator_id"], row["measure"], row["period"]) == FIGURE
            else {**row, "source_ref": f"{text_name}#{row['source_ref']}"}
            if parts and row["report_id"] == REPORT
            else row
        ),
        (work / "pages", work / "scans"),
    )
    view = f"{REPORT}/parts/{SCAN_NAME}" if parts else REPORT
    return {"site": site, "cell": cell, "ref": ref, "report_id": REPORT, "view": view, "parts": parts,
            "query": f"part={SCAN_NAME}&" if parts else "", "text_name": text_name}  # fmt: skip


def test_the_site_carries_the_page_images_and_the_readings(scanned: dict[str, object]) -> None:
    folder = Path(str(scanned["site"])) / "static" / "sources" / str(scanned["view"]) / "pages"
    assert (folder / "p1.jpg").is_file()
    manifest = json.loads((folder / "pages.json").read_text(encoding="utf-8"))
    assert manifest["pages"]["1"]["width_pt"] == pytest.approx(595.4, abs=0.5)
    cell = scanned["cell"]
    assert manifest["cells"][scanned["ref"]] == {"text": cell.text, "confidence": cell.confidence}  # type: ignore[attr-defined]


def test_a_figure_from_a_scan_links_to_its_box_on_its_page(scanned: dict[str, object]) -> None:
    site, report_id, ref = Path(str(scanned["site"])), str(scanned["report_id"]), str(scanned["ref"])
    page, box = ref[1:].split(":")
    published_ref = f"{SCAN_NAME}#{ref}" if scanned["parts"] else ref
    rows = f"/chitieu/observations?source_ref={quote(published_ref)}"
    table = fetch(site, rows)[rows]
    link = f"/source/{report_id}/p{page}?{scanned['query']}box={box}"
    assert link.replace("&", "&amp;") in table.text  # type: ignore[attr-defined]

    responses = fetch(site, link, f"/source/{report_id}/p99", f"/source/{report_id}")
    view = responses[link]
    assert view.status_code == 200  # type: ignore[attr-defined]
    html = view.text  # type: ignore[attr-defined]
    x0, y0, x1, y1 = (float(v) for v in box.split(","))
    assert f'<image href="/static/sources/{scanned["view"]}/pages/p{page}.jpg"' in html
    assert f'<rect class="box" x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}"' in html
    cell = scanned["cell"]
    assert f"<code>{cell.text}</code>" in html  # type: ignore[attr-defined]
    assert f"{round(cell.confidence)}/100" in html  # type: ignore[attr-defined]
    assert "Số liệu công bố" in html and "Tốc độ tăng trưởng GRDP" in html
    assert f"certainty</span> {round(cell.confidence)}/100" in html  # type: ignore[attr-defined]
    image = fetch(site, f"/static/sources/{scanned['view']}/pages/p{page}.jpg")
    assert next(iter(image.values())).status_code == 200  # type: ignore[attr-defined]
    assert responses[f"/source/{report_id}/p99"].status_code == 404  # type: ignore[attr-defined]
    if not scanned["parts"]:
        assert f'href="/source/{report_id}/p1"' in responses[f"/source/{report_id}"].text  # type: ignore[attr-defined]


def test_a_report_in_two_files_shows_each_file_and_links_into_the_right_one(
    scanned: dict[str, object],
) -> None:
    if not scanned["parts"]:
        pytest.skip("the report is one file")
    site, report_id, text_name = (
        Path(str(scanned["site"])),
        str(scanned["report_id"]),
        str(scanned["text_name"]),
    )
    listing, text, scan, unknown = (
        f"/source/{report_id}",
        f"/source/{report_id}?part={text_name}",
        f"/source/{report_id}?part={SCAN_NAME}",
        f"/source/{report_id}?part=other.pdf",
    )
    rows = f"/chitieu/observations?source_ref={quote(text_name + '#L779')}"
    responses = fetch(site, listing, text, scan, unknown, rows, f"/static/sources/{report_id}/{SCAN_NAME}")
    assert f'href="/source/{report_id}?part={text_name}"' in responses[listing].text  # type: ignore[attr-defined]
    assert f'href="/source/{report_id}?part={SCAN_NAME}"' in responses[listing].text  # type: ignore[attr-defined]
    assert '<tr id="L779">' in responses[text].text  # type: ignore[attr-defined]
    assert f'href="/source/{report_id}/p1?part={SCAN_NAME}"' in responses[scan].text  # type: ignore[attr-defined]
    assert responses[unknown].status_code == 404  # type: ignore[attr-defined]
    assert f"/source/{report_id}?part={text_name}#L779" in responses[rows].text  # type: ignore[attr-defined]
    assert responses[f"/static/sources/{report_id}/{SCAN_NAME}"].status_code == 200  # type: ignore[attr-defined]
