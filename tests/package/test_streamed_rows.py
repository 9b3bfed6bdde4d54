"""Rows handed to a package as extraction makes them: the package is the one written from the
same rows held in lists, byte for byte, and a row amended after it was written is rewritten."""

from __future__ import annotations

import copy
from pathlib import Path

from pipelines.common.enums import ReviewReason
from pipelines.document.read import read_document
from pipelines.extract.extracted import CollectedRows, ExtractedReport
from pipelines.extract.report import display_path, extract_document, source_entry
from pipelines.extract.scan_rows import FIGURE_KEY
from pipelines.package.csvio import rows_to_csv
from pipelines.package.metadata import load_metadata
from pipelines.package.writer import PackageWriter, finish_report_package
from tests.hardening.hardening_helpers import snapshot
from tests.paths import SEED


def test_a_streamed_package_is_the_one_written_from_lists(tmp_path: Path, seed_report_package: Path) -> None:
    with PackageWriter(tmp_path / "streamed") as package:
        with package.streams() as streams:
            extracted = extract_document(read_document(SEED), display_path(SEED), sink=streams)
        assert not {"indicators", "observations", "ratios"} & set(extracted.tables), "streamed, not held"
        finish_report_package(
            package, extracted.tables, source_entry(extracted), extracted.issued.isoformat()
        )
    assert snapshot(tmp_path / "streamed") == snapshot(seed_report_package)


def test_an_amended_row_is_rewritten_in_the_streamed_file(
    tmp_path: Path, seed_extracted: ExtractedReport
) -> None:
    observations = copy.deepcopy(seed_extracted.tables["observations"][:40])
    first = observations[7]
    key = (str(first["indicator_id"]), str(first["measure"]), str(first["period"]))
    changes = {key: {"review_reason": ReviewReason.ocr_conflicts_elsewhere}}

    with PackageWriter(tmp_path / "streamed") as package:
        with package.streams() as streams:
            for row in observations:
                streams.add("observations", row)
            streams.amend("observations", FIGURE_KEY, changes)
        written = package.publication.path("data/observations.csv").read_bytes()
        assert package.publication.written["data/observations.csv"].size == len(written)

    held = CollectedRows()
    for row in observations:
        held.add("observations", row)
    held.amend("observations", FIGURE_KEY, changes)
    expected = rows_to_csv(load_metadata().resources["observations"], held.tables["observations"])
    assert written == expected
    assert expected.count(b"ocr_conflicts_elsewhere") == 1
