"""Formats that need LibreOffice: a PDF printed from the Word rendering, legacy .doc, .odt, .xls.

Slow (each conversion starts LibreOffice): the conversions run once per module.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.document.office import convert
from pipelines.document.read import parse_document, read_document, read_parts
from pipelines.extract.report import ExtractedReport, extract_document
from pipelines.synth.formats.spreadsheet import render_xlsx
from pipelines.synth.formats.word import render_docx

pytestmark = pytest.mark.slow

ENCRYPT = (
    'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
    '"DocumentOpenPassword":{"type":"string","value":"secret"}}'
)


def _without_provenance(rows):
    return [{k: v for k, v in row.items() if k not in ("source_line", "source_ref")} for row in rows]


@pytest.fixture(scope="module")
def files(seed_report: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("office")
    model = read_document(seed_report)
    docx = render_docx(model)
    xlsx = render_xlsx(model)
    made = {
        "seed.pdf": convert(Path("seed.docx"), docx, ".docx", "pdf"),
        "seed.doc": convert(Path("seed.docx"), docx, ".docx", "doc:MS Word 97"),
        "seed.odt": convert(Path("seed.docx"), docx, ".docx", "odt"),
        "appendix.xls": convert(Path("seed.xlsx"), xlsx, ".xlsx", "xls:MS Excel 97"),
    }
    for name, data in made.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in made}


@pytest.fixture(scope="module")
def text_form(seed_report: Path) -> ExtractedReport:
    return extract_document(read_document(seed_report), "seed.md")


@pytest.mark.parametrize(("name", "fmt"), [("seed.pdf", "pdf"), ("seed.doc", "doc"), ("seed.odt", "odt")])
def test_every_table_and_footnote_figure_equals_the_text_form(name, fmt, files, text_form) -> None:
    report = extract_document(read_document(files[name]), name)
    assert report.tables["reports"][0]["source_format"] == fmt
    for resource in ("indicators", "observations", "ratios", "crops", "livestock"):
        got = _without_provenance(report.tables[resource])
        assert got and got == _without_provenance(text_form.tables[resource]), resource


def test_pdf_values_carry_the_box_they_were_printed_in(files) -> None:
    import pdfplumber

    report = extract_document(read_document(files["seed.pdf"]), "seed.pdf")
    with pdfplumber.open(files["seed.pdf"]) as pdf:
        for observation in report.tables["observations"]:
            match = re.fullmatch(r"p(\d+):([\d.]+),([\d.]+),([\d.]+),([\d.]+)", observation["source_ref"])
            assert match, observation["source_ref"]
            page = pdf.pages[int(match[1]) - 1]
            x0, top, x1, bottom = (float(v) for v in match.groups()[1:])
            printed = page.crop((x0 - 0.5, top - 0.5, x1 + 0.5, bottom + 0.5)).extract_text()
            assert printed.replace("\n", "").replace(" ", "") == observation["value_printed"]


def test_report_in_two_files_is_one_report(files, tmp_path: Path, text_form) -> None:
    report = extract_document(read_parts(tmp_path / "seed", [files["seed.pdf"], files["appendix.xls"]]), "x")
    assert report.tables["reports"][0]["source_format"] == "pdf+xls"
    assert _without_provenance(report.tables["crops"]) == _without_provenance(text_form.tables["crops"])
    assert report.tables["crops"][0]["source_ref"].startswith("seed.pdf#p")
    spreadsheet = parse_document(files["appendix.xls"], files["appendix.xls"].read_bytes())
    assert spreadsheet.source_format == "xls"
    assert str(spreadsheet.tables[0].cells[0].locator).startswith("Phụ lục!")


def test_encrypted_and_table_less_pdfs_fail_cleanly(tmp_path: Path, capsys) -> None:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("Báo cáo không có bảng.")
    buffer = io.BytesIO()
    document.save(buffer)
    prose = buffer.getvalue()
    cases = {
        "locked.pdf": (
            convert(Path("a.docx"), prose, ".docx", ENCRYPT),
            "encrypted (password-protected) PDF",
        ),
        "prose.pdf": (convert(Path("a.docx"), prose, ".docx", "pdf"), "no appendix table found"),
    }
    for name, (data, problem) in cases.items():
        report = tmp_path / name
        report.write_bytes(data)
        assert main(["extract", str(report), "--out", str(tmp_path / "out")]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"error: {report}: ") and problem in err and err.count("\n") == 1, err
        assert not (tmp_path / "out").exists()
