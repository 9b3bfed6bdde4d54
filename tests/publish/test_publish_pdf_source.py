"""A report published as a PDF with a text layer and no page images: a figure's link to its box
on a page lands on the cell of the drawn document that box was read from.

The seed is rendered to Word by the project's renderer and printed to PDF by LibreOffice (slow),
read and extracted as the pipeline does; the committed package is republished with that PDF as
the Cao Bằng report's source and one figure's ``source_ref`` as the extraction wrote it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from datasette.utils import tilde_encode

from pipelines.document.office import convert
from pipelines.document.read import read_document
from pipelines.extract.report import extract_document
from pipelines.synth.formats.word import render_docx

from .conftest import fetch, republish

pytestmark = pytest.mark.slow
REPORT = "cao-bang-2022-2960-bc-ubnd"
PDF_NAME = "cao-bang-2022.pdf"
# The figure of the committed package whose source_ref is taken from the PDF.
FIGURE = (f"{REPORT}/1", "actual", "2021")


def test_a_figure_of_a_pdf_without_page_images_links_to_its_cell_of_the_drawn_document(
    seed_report: Path, tmp_path: Path
) -> None:
    raw = tmp_path / "package" / "data" / "raw"
    raw.mkdir(parents=True)
    pdf = raw / PDF_NAME
    pdf.write_bytes(convert(Path("seed.docx"), render_docx(read_document(seed_report)), ".docx", "pdf"))
    extracted = extract_document(read_document(pdf), pdf.name)
    figure = next(
        row
        for row in extracted.tables["observations"]
        if (row["indicator_id"], row["measure"], str(row["period"])) == FIGURE
    )
    ref = figure["source_ref"]
    page, box = ref[1:].split(":")
    site = republish(
        tmp_path,
        REPORT,
        [pdf],
        lambda row: (
            {**row, "source_ref": ref, "source_line": ""}
            if (row["indicator_id"], row["measure"], row["period"]) == FIGURE
            else row
        ),
    )
    assert not (site / "static" / "sources" / REPORT / "pages").exists()

    rows = f"/chitieu/observations?source_ref={quote(ref)}"
    link = f"/source/{REPORT}/p{page}?box={box}"
    view = f"/source/{REPORT}"
    responses = fetch(site, rows, link, view)
    assert link in responses[rows].text  # type: ignore[attr-defined]
    redirect = responses[link]
    assert redirect.status_code == 302  # type: ignore[attr-defined]
    assert redirect.headers["location"] == f"{view}#{tilde_encode(ref)}"  # type: ignore[attr-defined]
    drawn = responses[view].text  # type: ignore[attr-defined]
    cell = drawn.split(f' id="{tilde_encode(ref)}"', 1)
    assert len(cell) == 2, f"no anchor {ref} in the drawn PDF"
    assert cell[1].split(">", 1)[1].startswith(figure["value_printed"])
