"""The site folder's swap where the kernel cannot exchange two paths in one step: two renames.

A kill between them leaves the published folder missing and the previous version beside it
(``.<name>.old``); ``recover_directory``, which ``serve`` and the next ``site`` run call first,
brings the previous version back. The exchange itself is kill-tested through ``dvc repro`` in
tests/hardening/test_publication_gate.py; this is the state the fallback's crash leaves.
"""

from __future__ import annotations

import os
from pathlib import Path

from pipelines.common.atomic import recover_directory, swap_directory


def _folder(path: Path, text: str) -> Path:
    path.mkdir()
    (path / "chitieu.db").write_text(text, encoding="utf-8")
    return path


def test_a_swap_killed_between_its_two_renames_is_undone(tmp_path: Path) -> None:
    site = _folder(tmp_path / "site", "old")
    new = _folder(tmp_path / ".site.new", "new")
    os.replace(site, tmp_path / ".site.old")  # the first rename; the kill comes before the second
    assert not site.exists()

    recover_directory(site)
    assert (site / "chitieu.db").read_text(encoding="utf-8") == "old"
    assert not (tmp_path / ".site.old").exists()

    swap_directory(new, site)  # the next run completes
    assert (site / "chitieu.db").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_swap_killed_after_both_renames_keeps_the_new_folder(tmp_path: Path) -> None:
    site = _folder(tmp_path / "site", "old")
    new = _folder(tmp_path / ".site.new", "new")
    os.replace(site, tmp_path / ".site.old")
    os.replace(new, site)  # both renames done; the kill comes before the old version is removed

    recover_directory(site)
    assert (site / "chitieu.db").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
