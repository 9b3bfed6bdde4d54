"""Errors a maintainer can act on: each names the file, the line and the problem."""

from __future__ import annotations

from pathlib import Path


class PipelineError(Exception):
    """A failure caused by input or configuration, reported without a traceback."""


def os_failure(exc: OSError, operation: str) -> PipelineError:
    """One line for an I/O fault: the path (the destination of a rename), the operation, the reason."""
    path = exc.filename2 or exc.filename or "?"
    return PipelineError(f"{path}: cannot {operation}: {exc.strerror or exc}")


class ExtractionError(PipelineError):
    """The source document cannot be read as a report of the supported format."""

    def __init__(self, path: Path | str, line: int | None, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {problem}")
