"""Errors a maintainer can act on: each names the file, the line and the problem."""

from __future__ import annotations

from pathlib import Path


class PipelineError(Exception):
    """A failure caused by input or configuration, reported without a traceback."""


class ExtractionError(PipelineError):
    """The source document cannot be read as a report of the supported format."""

    def __init__(self, path: Path | str, line: int | None, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {problem}")
