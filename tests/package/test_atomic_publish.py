"""Publishing is all or nothing; an interrupted publish is discarded or finished by the next run."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.common.atomic import MANIFEST, STAGING, Publication, Written, publish_files, recover
from pipelines.common.errors import ExtractionError
from pipelines.package.writer import PackageWriter


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


def test_a_streamed_file_is_hashed_as_written(tmp_path: Path) -> None:
    publication = Publication(tmp_path)
    with publication.open("data/a.csv") as handle:
        for n in range(100_000):  # more than one buffer's worth, written piece by piece
            handle.write(f"{n}\n".encode())
    content = publication.path("data/a.csv").read_bytes()
    assert publication.written["data/a.csv"] == Written(hashlib.sha256(content).hexdigest(), len(content))
    publication.commit()
    assert (tmp_path / "data/a.csv").read_bytes() == content


def test_a_package_that_fails_while_streaming_leaves_the_old_one(tmp_path: Path) -> None:
    publish_files(tmp_path, {"data/reports.csv": b"old\n", "datapackage.json": b"old"})

    def rows() -> Iterator[dict[str, object]]:
        raise ExtractionError("report.md", 12, "text where a number belongs")
        yield {}

    with pytest.raises(ExtractionError), PackageWriter(tmp_path) as package:
        package.write("reports", rows())
    assert (tmp_path / "data/reports.csv").read_bytes() == b"old\n"
    assert (tmp_path / "datapackage.json").read_bytes() == b"old"
    assert not (tmp_path / STAGING).exists()
