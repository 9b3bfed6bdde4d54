"""``extract-all``: every file but the sidecars is a report, a sidecar's parts make one report,
and reading is cached per file (only a new or changed report is read again)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.document import read
from pipelines.document.limits import DEFAULT_LIMITS, ReadLimits
from pipelines.document.read import read_document
from pipelines.extract.command import report_files
from pipelines.synth.formats.spreadsheet import render_xlsx
from pipelines.synth.formats.web import render_html

SIDECAR = """title: "Báo cáo"
publisher: "UBND tỉnh Cao Bằng"
license_note: "Văn bản hành chính."
date_added: "2026-11-29"
"""


@pytest.fixture
def raw(tmp_path: Path, seed_report: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    shutil.copy(seed_report, folder / "seed.md")
    (folder / "seed.source.yaml").write_text(SIDECAR, encoding="utf-8")
    (folder / "seed.corrections.yaml").write_text("corrections: []\n", encoding="utf-8")
    model = read_document(seed_report)
    (folder / "web.htm").write_bytes(render_html(model))
    (folder / "body.html").write_bytes(render_html(model))
    (folder / "appendix.xlsx").write_bytes(render_xlsx(model))
    (folder / "two-files.source.yaml").write_text(
        SIDECAR + "parts: [body.html, appendix.xlsx]\n", encoding="utf-8"
    )
    return folder


def test_every_file_but_sidecars_is_a_report_and_parts_make_one(raw: Path) -> None:
    reports = report_files(raw)
    assert {name: [p.name for p in parts] for name, parts in reports.items()} == {
        "seed": ["seed.md"],
        "web": ["web.htm"],
        "two-files": ["body.html", "appendix.xlsx"],
    }


def test_reading_is_cached_per_file(raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []
    real = read.read_document

    def counting(path: Path, limits: ReadLimits = DEFAULT_LIMITS, scans: Path | None = None):
        reads.append(path.name)
        return real(path, limits, scans)

    monkeypatch.setattr(read, "read_document", counting)
    out, cache = tmp_path / "extracted", tmp_path / "cache"
    args = ["extract-all", str(raw), "--out", str(out), "--cache", str(cache)]
    assert main(args) == 0
    assert sorted(reads) == ["appendix.xlsx", "body.html", "seed.md", "web.htm"]
    first = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    reads.clear()
    (raw / "web.htm").write_bytes(
        (raw / "web.htm").read_bytes().replace(b"</body>", "<p>Sửa.</p></body>".encode())
    )
    assert main(args) == 0
    assert reads == ["web.htm"]
    again = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert again.keys() == first.keys()
    assert {k: v for k, v in again.items() if k.parts[0] != "web"} == {
        k: v for k, v in first.items() if k.parts[0] != "web"
    }
    two = (out / "two-files" / "data" / "reports.csv").read_text(encoding="utf-8")
    assert "html+xlsx" in two and "body.html;" in two

    reads.clear()  # a report of several files has one corrections file, named after the report
    (raw / "two-files.corrections.yaml").write_text("corrections: []\n", encoding="utf-8")
    assert main(args) == 0
    assert sorted(reads) == ["appendix.xlsx", "body.html"]
