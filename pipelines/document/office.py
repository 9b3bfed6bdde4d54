"""LibreOffice headless, the one converter for the legacy and OpenDocument formats.

Each call runs ``soffice`` with a private, throw-away user profile (so parallel runs never share
one, and nothing of the maintainer's own LibreOffice is touched) and a time limit.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from pipelines.common.errors import ExtractionError

TIMEOUT_SECONDS = 120


def soffice() -> str:
    """The LibreOffice executable; a clear error when it is not installed."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise ExtractionError(
            "soffice", None, "LibreOffice is not installed (make system installs it: libreoffice-*-nogui)"
        )
    return found


def convert(path: Path, raw: bytes, suffix: str, target: str) -> bytes:
    """``raw`` (the bytes of ``path``, saved with ``suffix``) converted by LibreOffice to ``target``
    (``docx``, ``xlsx``, ``pdf``, or a ``pdf:filter`` pair); the converted file's bytes."""
    executable = soffice()
    with tempfile.TemporaryDirectory(prefix="chitieu-office-") as work:
        folder = Path(work)
        source = folder / f"input{suffix}"
        source.write_bytes(raw)
        command = [
            executable,
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            target,
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise ExtractionError(
                path, None, f"LibreOffice did not convert the file in {TIMEOUT_SECONDS} s"
            ) from None
        produced = sorted((folder / "out").glob("input.*")) if (folder / "out").exists() else []
        if done.returncode != 0 or not produced:
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            reason = detail[-1] if detail else f"exit status {done.returncode}"
            raise ExtractionError(path, None, f"LibreOffice could not convert the file: {reason}")
        return produced[0].read_bytes()
