"""A report's appendix table printed to PDF (HTML table -> LibreOffice), ruled like a Word table:
the printed document a scan is made from."""

from __future__ import annotations

import html
import shutil
import subprocess
from pathlib import Path

from pipelines.common.errors import PipelineError

_STYLE = (
    "table{border-collapse:collapse;font-family:'Liberation Serif';font-size:11pt}"
    "td{border:1px solid black;padding:2px}"
)


def appendix_html(rows: list[tuple[str, ...]], title: str = "PHỤ LỤC") -> str:
    body = "\n".join(
        "<tr>" + "".join(f'<td valign="middle">{html.escape(cell)}</td>' for cell in row) + "</tr>"
        for row in rows
    )
    return (
        f'<html><head><meta charset="utf-8"><style>{_STYLE}</style></head><body><p>{html.escape(title)}</p>'
        f'<table border="1" cellspacing="0" cellpadding="3" width="100%">{body}</table></body></html>'
    )


def appendix_pdf(rows: list[tuple[str, ...]], workdir: Path) -> bytes:
    """The PDF bytes of the table, printed by LibreOffice headless in ``workdir``."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise PipelineError("LibreOffice is not installed: install libreoffice-writer-nogui (make system)")
    source = workdir / "appendix.html"
    source.write_text(appendix_html(rows), encoding="utf-8")
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{workdir}/lo-profile", "--headless",
         "--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(workdir),
         str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return (workdir / "appendix.pdf").read_bytes()
