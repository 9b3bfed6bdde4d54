"""Reading cached per file: only a report whose bytes changed is read again.

``extract-all --cache DIR`` keeps each report's extracted package under a key made of the
report's bytes (every part, and the report's corrections file), its name, the ratio tolerance, the
reading limits and the extractor's own files (code, metadata, reference lists): when a new report arrives, the others are copied from the cache, and
any change to the extractor makes every key new, so nothing stale is ever reused.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from decimal import Decimal
from functools import cache
from pathlib import Path

from pipelines.common.paths import REPO_ROOT
from pipelines.document.limits import ReadLimits
from pipelines.ocr.corrections import corrections_path

# What extraction depends on besides the report itself.
EXTRACTOR = (
    "pipelines/document",
    "pipelines/ocr",
    "pipelines/extract",
    "pipelines/package",
    "pipelines/common",
    "metadata",
    "reference",
)


@cache
def extractor_fingerprint() -> str:
    digest = hashlib.sha256()
    for folder in EXTRACTOR:
        for path in sorted((REPO_ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(REPO_ROOT).as_posix().encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class ExtractCache:
    """Extracted packages keyed by what produced them."""

    def __init__(self, folder: Path, tolerance: Decimal, limits: ReadLimits) -> None:
        self.folder = folder
        self.tolerance = tolerance
        self.limits = limits

    def key(self, report: Path, parts: list[Path]) -> str:
        """The key of ``report`` read from ``parts``: their bytes, and the report's corrections file
        (named after the report, also when it is published as several files)."""
        digest = hashlib.sha256(extractor_fingerprint().encode())
        digest.update(str(self.tolerance).encode())
        digest.update(repr(self.limits).encode())
        for part in parts:
            digest.update(part.as_posix().encode())
            with part.open("rb") as handle:  # streamed: a report over the size limit is refused later
                digest.update(hashlib.file_digest(handle, "sha256").digest())
        decisions = corrections_path(report)
        if decisions.is_file():
            digest.update(hashlib.sha256(decisions.read_bytes()).digest())
        return digest.hexdigest()

    def restore(self, report: Path, parts: list[Path], target: Path) -> bool:
        """Copy the cached package of ``report`` to ``target``; False when there is none."""
        hit = self.folder / self.key(report, parts)
        if not hit.is_dir():
            return False
        staging = target.with_name(f".{target.name}.restoring")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(hit, staging)
        shutil.rmtree(target, ignore_errors=True)
        os.replace(staging, target)
        return True

    def store(self, report: Path, parts: list[Path], package: Path) -> None:
        """Keep ``package`` (just extracted from ``parts``) for later runs."""
        entry = self.folder / self.key(report, parts)
        if entry.exists():
            return
        staging = self.folder / f".{entry.name}.storing"
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(package, staging)
        os.replace(staging, entry)
