"""Fixtures shared across the test suite: the project's own files, never anything outside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.paths import REPO_ROOT, SEED


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def seed_report() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
