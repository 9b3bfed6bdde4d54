"""The one place tests learn where the project's files are."""

from __future__ import annotations

from pipelines.common.paths import REPO_ROOT

PIPELINES = REPO_ROOT / "pipelines"
RAW_DIR = REPO_ROOT / "data" / "raw"
SEED = RAW_DIR / "cao-bang-2022-kt-xh-report.md"
ROOT_PACKAGE = REPO_ROOT / "datapackage.json"
OTHER_TABLES = REPO_ROOT / "tests" / "data" / "other-tables"
