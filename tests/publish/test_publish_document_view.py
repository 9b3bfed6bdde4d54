"""The source view of a non-text report: every place a published row points at is an anchor.

The seed is rendered by the project's renderers into Word, web page and Excel, extracted as the
pipeline does, and drawn as the site build draws it (``document.json``); each row's
``source_ref`` must name a cell or paragraph of that drawing, which the template turns into the
element id the row's link (``source_url``) points at.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.document.read import read_document
from pipelines.extract.report import extract_document
from pipelines.publish.document_view import MANIFEST, write_document_view
from pipelines.synth.formats.spreadsheet import render_xlsx
from pipelines.synth.formats.web import render_html
from pipelines.synth.formats.word import render_docx

RENDERERS = {"docx": render_docx, "html": render_html, "xlsx": render_xlsx}
# Formats LibreOffice makes from the Word rendering (slow: one conversion each).
CONVERTED = ("pdf", "odt")


def _rendered(fmt: str, seed_report: Path) -> bytes:
    from pipelines.document.office import convert

    model = read_document(seed_report)
    if fmt in RENDERERS:
        return RENDERERS[fmt](model)
    return convert(Path("seed.docx"), render_docx(model), ".docx", fmt)


def _anchors(blocks: list[dict]) -> list[str]:
    refs = []
    for block in blocks:
        if block["kind"] == "table":
            refs += [cell["ref"] for row in block["rows"] for cell in row]
        elif block["kind"] == "footnote":
            refs += [p["ref"] for p in block["paragraphs"]]
        else:
            refs.append(block["ref"])
    return refs


@pytest.mark.parametrize(
    "fmt", [*sorted(RENDERERS), *(pytest.param(f, marks=pytest.mark.slow) for f in CONVERTED)]
)
def test_every_published_row_points_at_an_anchor_of_the_drawn_source(
    fmt: str, seed_report: Path, tmp_path: Path
) -> None:
    source = tmp_path / f"seed.{fmt}"
    source.write_bytes(_rendered(fmt, seed_report))
    assert write_document_view(source, tmp_path / "view")
    view = json.loads((tmp_path / "view" / MANIFEST).read_text(encoding="utf-8"))
    assert view["format"] == fmt
    anchors = _anchors(view["blocks"])
    assert len(anchors) == len(set(anchors)), "an anchor drawn twice"
    extracted = extract_document(read_document(source), source.name)
    refs = {row["source_ref"] for rows in extracted.tables.values() for row in rows if row.get("source_ref")}
    observations = {row["source_ref"] for row in extracted.tables["observations"]}
    assert observations and observations <= refs
    assert refs - set(anchors) == set()


def test_text_reports_are_drawn_as_their_lines_not_as_a_model(seed_report: Path, tmp_path: Path) -> None:
    assert not write_document_view(seed_report, tmp_path / "view")
    assert not (tmp_path / "view").exists()
