"""Publishing is all or nothing; an interrupted publish is discarded or finished by the next run."""

from __future__ import annotations

import json
from pathlib import Path

from pipelines.common.atomic import MANIFEST, STAGING, publish_files, recover


def test_publish_writes_every_file(tmp_path: Path) -> None:
    publish_files(tmp_path, {"data/a.csv": b"a\n", "datapackage.json": b"{}"}, last="datapackage.json")
    assert (tmp_path / "data/a.csv").read_bytes() == b"a\n"
    assert not (tmp_path / STAGING).exists()


def test_interrupted_before_commit_leaves_old_files(tmp_path: Path) -> None:
    publish_files(tmp_path, {"data/a.csv": b"old\n"})
    staging = tmp_path / STAGING / "data"
    staging.mkdir(parents=True)
    (staging / "a.csv").write_bytes(b"half-wri")
    recover(tmp_path)
    assert (tmp_path / "data/a.csv").read_bytes() == b"old\n"
    assert not (tmp_path / STAGING).exists()


def test_interrupted_after_commit_is_rolled_forward(tmp_path: Path) -> None:
    publish_files(tmp_path, {"data/a.csv": b"old\n", "datapackage.json": b"old"})
    staging = tmp_path / STAGING
    (staging / "data").mkdir(parents=True)
    (staging / "datapackage.json").write_bytes(b"new")
    (staging / MANIFEST).write_text(json.dumps(["data/a.csv", "datapackage.json"]))
    recover(tmp_path)
    assert (tmp_path / "datapackage.json").read_bytes() == b"new"
    assert (tmp_path / "data/a.csv").read_bytes() == b"old\n"
