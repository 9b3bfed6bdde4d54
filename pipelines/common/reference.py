"""The curated reference lists of ``reference/``: one loader and one rule for matching a name.

A printed name matches an entry when both give the same ``match_key``: without diacritics, case
or punctuation, spaces around "/" removed (``Tạ /ha`` = ``tạ/ha``, ``Thuỷ sản`` = ``Thủy sản``).
A list names its entries in one column and may list other spellings in ``aliases`` (``|``
between them). Lists that are checked as they are read (the indicator catalogue, the crosswalk's
decisions) read their rows through ``read_rows``, which says where each row stands.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipelines.common.errors import PipelineError
from pipelines.common.paths import REFERENCE_DIR
from pipelines.common.text import fold_diacritics

_NOT_NAME = re.compile(r"[^a-z0-9%/]+")
_SLASH = re.compile(r"\s*/\s*")
Row = dict[str, str]


def match_key(text: str) -> str:
    """The form two spellings of one name share; a name of symbols only (``‰``) is its own key."""
    key = _SLASH.sub("/", _NOT_NAME.sub(" ", fold_diacritics(text)).strip())
    return key or fold_diacritics(text)


def read_rows(path: Path, columns: tuple[str, ...] | None = None) -> list[tuple[str, Row]]:
    """Every row of a CSV list as text, with where it stands (``file:line``) for error messages;
    given ``columns``, a file whose header is not exactly those is refused."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if columns is not None and tuple(reader.fieldnames or ()) != columns:
            raise PipelineError(f"{path}:1: columns must be {', '.join(columns)}")
        return [(f"{path}:{reader.line_num}", row) for row in reader]


@cache
def reference_rows(filename: str) -> tuple[Row, ...]:
    """Every row of ``reference/<filename>`` as text."""
    return tuple(row for _, row in read_rows(REFERENCE_DIR / filename))


@dataclass(frozen=True)
class NameList:
    """A reference list looked up by printed name or alias."""

    filename: str
    by_key: dict[str, Row]
    names: tuple[str, ...]

    def lookup(self, printed: str) -> Row | None:
        """The entry of a printed name; None for an empty one."""
        return self.by_key.get(match_key(printed)) if printed.strip() else None


@cache
def name_list(filename: str, name_column: str) -> NameList:
    """``reference/<filename>`` keyed by its ``name_column`` and its ``aliases``."""
    by_key: dict[str, Row] = {}
    names: list[str] = []
    for row in reference_rows(filename):
        for name in [row[name_column], *filter(None, (row.get("aliases") or "").split("|"))]:
            names.append(name)
            by_key.setdefault(match_key(name), row)
    return NameList(filename, by_key, tuple(names))


@cache
def word_list(filename: str, column: str = "word") -> frozenset[str]:
    """A list of words (``reference/<filename>``), as match keys."""
    return frozenset(match_key(row[column]) for row in reference_rows(filename))
