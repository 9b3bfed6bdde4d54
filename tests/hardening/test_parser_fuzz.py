"""Fuzzing the extractor: every input extracts or fails with one clean ExtractionError.

Inputs are the seed report and generated reports mutated line by line and cell by cell, plus
random bytes and random text. Never another exception, never a hang (hypothesis deadline), and
through the CLI never a partial package: a failed run leaves the output folder as it was.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pipelines.cli import main
from pipelines.common.errors import ExtractionError
from pipelines.document.read import parse_document
from pipelines.extract.report import extract_document
from pipelines.package.csvio import rows_to_csv
from pipelines.package.metadata import load_metadata
from pipelines.synth.generator import generate_report
from tests.hardening.hardening_helpers import package_hashes_hold, snapshot
from tests.paths import SEED

PATH = Path("fuzzed.md")
SOURCES = [SEED.read_bytes(), generate_report(5).data, generate_report(8).data]
PIECES = st.sampled_from(
    ["|", "| |", "||", "\r", "\n", "\r\n", "Trong đó:", "<i>", "</i>", "-", "+", ",", ".", "7=6/4", "1.2.3",
     "IV", "Ước TH năm 2022", "KH 2023", "\x00", "\ufeff", "\u0301", "−", "1.000,5", "9" * 400, "<", ">"]
)  # fmt: skip


@st.composite
def mutated_reports(draw: st.DrawFn) -> bytes:
    """A source report with 1-4 edits: lines dropped, doubled, swapped or cut; cells replaced; text inserted."""
    text = draw(st.sampled_from(SOURCES)).decode("utf-8")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    table = [i for i, line in enumerate(lines) if line.lstrip().startswith("|")] or [0]
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.sampled_from(table)) if draw(st.booleans()) else draw(st.integers(0, len(lines) - 1))
        at = min(at, len(lines) - 1)
        edit = draw(st.sampled_from(["drop", "double", "swap", "cut", "cell", "insert", "tail"]))
        if edit == "drop" and len(lines) > 1:
            del lines[at]
        elif edit == "double":
            lines.insert(at, lines[at])
        elif edit == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif edit == "cut":
            lines[at] = lines[at][: draw(st.integers(0, max(len(lines[at]) - 1, 0)))]
        elif edit == "cell" and lines[at].count("|") > 2:
            cells = lines[at].split("|")
            index = draw(st.integers(1, len(cells) - 2))
            cells[index] = draw(st.one_of(PIECES, st.text(max_size=12)))
            lines[at] = "|".join(cells)
        elif edit == "insert":
            position = draw(st.integers(0, len(lines[at])))
            piece = draw(st.one_of(PIECES, st.text(max_size=8)))
            lines[at] = lines[at][:position] + piece + lines[at][position:]
        elif edit == "tail":
            lines = lines[: at + 1]
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 9)) == 0:
        cut = draw(st.integers(0, len(data)))
        data = data[:cut]
    return data


def check_extraction(data: bytes) -> None:
    """Extract; success must give rows the schemas accept, failure one clean ExtractionError."""
    try:
        extracted = extract_document(parse_document(PATH, data), PATH.name)
    except ExtractionError as error:
        event("fails cleanly")
        assert str(error).startswith(f"{PATH}"), str(error)
        assert error.problem and "\n" not in str(error)
        lines = data.count(b"\n") + data.count(b"\r") + 1
        assert error.line is None or 1 <= error.line <= lines, (error.line, lines)
        return
    event("extracts")
    assert extracted.tables["indicators"] and extracted.tables["reports"]
    for resource in load_metadata().ordered():
        rows_to_csv(resource, extracted.tables.get(resource.name, []))


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_reports())
def test_mutated_reports_extract_or_fail_cleanly(data: bytes) -> None:
    check_extraction(data)


@settings(max_examples=150, deadline=2000)
@given(st.binary(max_size=2048))
def test_random_bytes_fail_cleanly(data: bytes) -> None:
    check_extraction(data)


@settings(max_examples=150, deadline=2000)
@given(st.text(alphabet=st.sampled_from("| -+\n\r,.0123456789TtChỉiêuKHƯớc:IV<>đ "), max_size=600))
def test_table_shaped_noise_fails_cleanly(text: str) -> None:
    check_extraction(("| TT | Chỉ tiêu | Đơn vị tính |\n" + text).encode("utf-8"))


@pytest.fixture(scope="module")
def published(seed_package: Path) -> Path:
    return seed_package


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=mutated_reports())
def test_cli_never_leaves_partial_output(
    data: bytes, published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A failed extract leaves a previous package byte for byte; a successful one writes a whole package."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "out"
        for path, content in snapshot(published).items():
            (out / path).parent.mkdir(parents=True, exist_ok=True)
            (out / path).write_bytes(content)
        report = Path(scratch) / "report.md"
        report.write_bytes(data)
        before = snapshot(out)
        capsys.readouterr()
        code = main(["extract", str(report), "--out", str(out)])
        err = capsys.readouterr().err
        assert "Traceback" not in err
        if code == 0:
            assert package_hashes_hold(out)
            assert not (out / ".publish-staging").exists()
        else:
            assert code == 1
            errors = [line for line in err.splitlines() if line.startswith("error:")]
            assert len(errors) == 1 and errors[0].startswith(f"error: {report}"), err
            assert snapshot(out) == before
