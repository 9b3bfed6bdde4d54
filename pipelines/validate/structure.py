"""Structural check of the published CSV files, before any typed validation reads them.

csvkit's ``csvclean`` checker (``RowChecker`` over agate's reader) finds rows with more or fewer
cells than the header. What it does not check is checked here: the bytes are UTF-8 (no
byte-order mark), there is exactly one header and it is the Table Schema's, and every record is
quoted exactly as the package writer quotes it (no stray or unbalanced quotes, ``\\n`` line
ends). Every problem names the file and the physical line where its record starts.

A file that is byte for byte what the package writer makes of its own records, each as wide as
the schema's header and none a second header, has none of these problems (the writer's output
reads back strictly, and csvkit reads the same records): it is passed after that one comparison,
two passes in C. Any other file goes through every check above, which names the lines.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipelines.package.csvio import text_rows_to_csv

# Problems listed per file; the rest are counted.
MAX_PER_FILE = 20


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file} line {self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Record:
    line: int
    raw: str
    cells: list[str]


def canonical(cells: list[str]) -> str:
    """A record as the package writer (``csv.writer``, minimal quoting, ``\\n``) writes it."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


class _Lines:
    """Physical lines fed to the csv reader, remembering which ones the current record used."""

    def __init__(self, text: str) -> None:
        self._lines = iter(text.splitlines(keepends=True))
        self.consumed: list[str] = []
        self.count = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.consumed.append(line)
        self.count += 1
        return line


def read_records(text: str, name: str) -> tuple[list[Record], Problem | None]:
    """Every record with its first physical line and raw text; a quoting error ends the reading."""
    lines = _Lines(text)
    reader = csv.reader(lines, strict=True)
    records = []
    while True:
        start = lines.count + 1
        lines.consumed = []
        try:
            cells = next(reader)
        except StopIteration:
            return records, None
        except csv.Error as exc:
            return records, Problem(name, start, f"malformed quoting ({exc})")
        records.append(Record(start, "".join(lines.consumed), cells))


def decode(data: bytes, name: str) -> tuple[str | None, Problem | None]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = data[exc.start : exc.start + 1].hex()
        return None, Problem(
            name, line, f"not UTF-8: byte 0x{byte} at column {column} (re-save the file as UTF-8)"
        )
    if text.startswith("\ufeff"):
        return None, Problem(name, 1, "starts with a byte-order mark; published CSV is UTF-8 without BOM")
    return text, None


def length_problems(text: str, name: str, start_lines: dict[int, int]) -> list[Problem]:
    """csvkit's length check (what ``csvclean --length-mismatch`` reports)."""
    import agate
    from csvkit.cleanup import RowChecker

    checker = RowChecker(agate.csv.reader(io.StringIO(text, newline="")), length_mismatch=True)
    for _ in checker.checked_rows():
        pass
    # csvkit numbers an error by the reader's physical line count minus one, i.e. by the line
    # where the record ends, less the header; map it back to where the record starts.
    return [
        Problem(name, start_lines.get(e.line_number + 1, e.line_number + 1), e.msg.lower())
        for e in checker.errors
    ]


def as_written(data: bytes, text: str, expected_header: list[str]) -> bool:
    """Whether the file is exactly what the package writer writes for its records under the
    schema's header, every record as wide as the header and none a second header."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or rows[0] != expected_header:
        return False
    body = rows[1:]
    width = len(expected_header)
    if any(len(row) != width or row == expected_header for row in body):
        return False
    return text_rows_to_csv(expected_header, body) == data


def check_csv(path: Path, expected_header: list[str], name: str | None = None) -> list[Problem]:
    """Every structural problem of one CSV file (empty list: the file is sound)."""
    name = name or str(path)
    data = path.read_bytes()
    text, problem = decode(data, name)
    if problem:
        return [problem]
    assert text is not None
    if as_written(data, text, expected_header):
        return []
    records, quoting = read_records(text, name)
    if not records:
        return [Problem(name, 1, "empty file: no header row")]
    problems = []
    header = records[0]
    if header.cells != expected_header:
        problems.append(Problem(name, 1, f"header is {header.cells}, the Table Schema has {expected_header}"))
    for record in records[1:]:
        if record.cells == header.cells:
            problems.append(Problem(name, record.line, "the header row appears again"))
    problems += length_problems(text, name, {r.line + r.raw.count("\n") - 1: r.line for r in records})
    flagged = {p.line for p in problems}
    for record in records:
        if record.line not in flagged and record.raw != canonical(record.cells):
            problems.append(Problem(name, record.line, _quoting_message(record)))
    if quoting:  # first among its line's problems: it is their cause
        problems.insert(0, quoting)
    return sorted(problems, key=lambda p: p.line or 0)


def _quoting_message(record: Record) -> str:
    if record.raw.endswith("\r\n"):
        return "line ends with CR LF; published CSV uses LF"
    if not record.raw.endswith("\n"):
        return "the last line has no line end"
    if '"' in record.raw:
        return f"stray or unneeded quoting: {record.raw.rstrip()[:120]!r}"
    return f"record differs from the package's CSV dialect: {record.raw.rstrip()[:120]!r}"


def check_files(files: dict[str, tuple[Path, list[str]]]) -> list[Problem]:
    """``{label: (path, header)}`` -> problems, at most ``MAX_PER_FILE`` listed per file."""
    problems = []
    for label, (path, header) in files.items():
        if not path.exists():
            problems.append(Problem(label, None, "file is missing"))
            continue
        found = check_csv(path, header, label)
        problems += found[:MAX_PER_FILE]
        if len(found) > MAX_PER_FILE:
            problems.append(Problem(label, None, f"{len(found) - MAX_PER_FILE} more problems not listed"))
    return problems
