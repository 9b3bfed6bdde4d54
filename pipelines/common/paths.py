"""Where the repository's own files are: the one place that knows the project's root."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
METADATA_DIR = REPO_ROOT / "metadata"
REFERENCE_DIR = REPO_ROOT / "reference"
