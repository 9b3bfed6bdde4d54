"""Page images of scanned reports beside their source on the site, with what OCR read in each cell.

The ``page-images`` stage leaves ``<pages>/<stem>/p<N>.jpg`` and ``pages.json`` (each page's
size in PDF points) per scanned report, and ``read-scans`` leaves the reading of every cell
(its box, text and confidence) in ``<scans>/<stem>.json``. For the report whose source file has
that stem, the site gets ``sources/<report_id>/pages/``: the images and one ``pages.json`` with
the page sizes and, keyed by ``source_ref`` (``p<page>:<x0>,<y0>,<x1>,<y1>``, the cell's box),
the text as read and its confidence, so the source view can show a figure's box on its page
next to the value as read and how sure the reading was.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from pipelines.common.atomic import sha256_file
from pipelines.common.jsonio import json_bytes

MANIFEST = "pages.json"


def stem(file_name: str) -> str:
    """The name the page and scan stages give a report's outputs (``tinh.scan.pdf`` -> ``tinh``)."""
    return Path(file_name).name.split(".")[0]


def cell_readings(scans: Path | None, source: Path) -> dict[str, dict[str, Any]]:
    """``source_ref`` -> {text, confidence} of every table cell OCR read in ``source``; empty when
    there is no reading, or it is of another version of the file."""
    from pipelines.ocr.store import load_reading, reading_path

    if scans is None:
        return {}
    blocks = load_reading(reading_path(scans, source), sha256_file(source))
    readings = {}
    for block in blocks or ():
        for cell in getattr(block, "cells", ()):
            readings[str(cell.locator)] = {"text": cell.text, "confidence": cell.confidence}
    return readings


def copy_page_images(pages: Path | None, scans: Path | None, source: Path, target: Path) -> int:
    """The page images of ``source`` (if it is a scan with images in ``pages``) into ``target``,
    with the manifest the source view reads; returns the number of pages copied."""
    folder = pages / stem(source.name) if pages else None
    if folder is None or not (folder / MANIFEST).is_file():
        return 0
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    target.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for page in manifest.get("pages", []):
        image = folder / f"p{int(page['page'])}.jpg"
        if image.is_file():
            shutil.copyfile(image, target / image.name)
            sizes[str(page["page"])] = {"width_pt": page["width_pt"], "height_pt": page["height_pt"]}
    document = {"pages": sizes, "cells": cell_readings(scans, source)}
    (target / MANIFEST).write_bytes(json_bytes(document))
    return len(sizes)
