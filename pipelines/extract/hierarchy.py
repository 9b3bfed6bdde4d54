"""The indicator tree of the appendix: sections, numbered indicators, components, "Trong đó:".

Rules (from the printed conventions): Roman numerals are sections; ``1``…``17`` indicators;
``4.1`` sub-indicators; ``-`` and ``+`` components (also a ``+ `` written inside the name cell);
a row without a marker belongs to the row above it at the indicator level (the rows under a
group such as ``7 Giao thông``). A ``Trong đó:`` row carries no values and makes the rows after
it components of the row above it, until a row at the same or a higher level than that row; an
inline ``Trong đó: X`` makes X a component of the row above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from pipelines.common.text import fold_diacritics

_ROMAN = re.compile(r"^(?=[IVXLC])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_NUMBER = re.compile(r"^\d+$")
_DOTTED = re.compile(r"^\d+(\.\d+)+$")
_OF_WHICH = re.compile(r"^trong do\s*:?\s*", re.IGNORECASE)
_NAME_MARKER = re.compile(r"^([+\-–])\s+")


class Marker(Enum):
    """How a row announces its level."""

    SECTION = "section"
    NUMBERED = "numbered"
    DOTTED = "dotted"
    DASH = "dash"
    PLAIN = "plain"
    PLUS = "plus"
    OF_WHICH_INLINE = "of_which_inline"


# Lower rank = higher in the tree; a dotted code adds one level per dot.
_RANK = {
    Marker.SECTION: 0,
    Marker.NUMBERED: 1,
    Marker.DOTTED: 1,
    Marker.DASH: 10,
    Marker.PLAIN: 10,
    Marker.PLUS: 11,
}


@dataclass(frozen=True)
class RowMarker:
    """What the TT and name cells say about a row."""

    marker: Marker | None  # None: a bare "Trong đó:" row
    tt: str
    name: str
    dots: int = 0


def _of_which_name(name: str) -> str | None:
    """The text after a leading "Trong đó:", or None when the name does not start with it."""
    folded = fold_diacritics(name)
    match = _OF_WHICH.match(folded)
    if not match or not (folded.startswith("trong do:") or folded == "trong do"):
        return None
    return name[match.end() :].strip()


def read_marker(tt: str, name: str) -> RowMarker:
    """Classify a row by its TT cell, or by a marker written at the start of its name."""
    of_which = _of_which_name(name)
    if not tt and of_which is not None:
        if not of_which:
            return RowMarker(None, "", "")
        return RowMarker(Marker.OF_WHICH_INLINE, "", of_which)
    if _ROMAN.match(tt):
        return RowMarker(Marker.SECTION, tt, name)
    if _NUMBER.match(tt):
        return RowMarker(Marker.NUMBERED, tt, name)
    if _DOTTED.match(tt):
        return RowMarker(Marker.DOTTED, tt, name, dots=tt.count("."))
    if tt in ("-", "–"):
        return RowMarker(Marker.DASH, "-", name)
    if tt == "+":
        return RowMarker(Marker.PLUS, "+", name)
    inline = _NAME_MARKER.match(name)
    if not tt and inline:
        marker = Marker.PLUS if inline[1] == "+" else Marker.DASH
        return RowMarker(marker, inline[1].replace("–", "-"), name[inline.end() :])
    return RowMarker(Marker.PLAIN, tt, name)


@dataclass
class Node:
    """A kept row placed in the tree; ``path`` becomes the indicator_id's tail."""

    index: int
    marker: RowMarker
    rank: int
    path: str
    parent: Node | None
    children: int = 0


class TreeBuilder:
    """Place rows one at a time, in printed order."""

    def __init__(self) -> None:
        self._stack: list[Node] = []
        self._anchors: list[Node] = []
        self._paths: set[str] = set()
        self._section: Node | None = None

    def of_which(self) -> bool:
        """A bare "Trong đó:" row: the next rows belong to the last placed row. False if there is none."""
        if not self._stack:
            return False
        self._anchors.append(self._stack[-1])
        return True

    @staticmethod
    def _rank(marker: RowMarker) -> int:
        assert marker.marker is not None
        return _RANK[marker.marker] + marker.dots

    def place(self, index: int, marker: RowMarker) -> tuple[Node, bool]:
        """Place a row; the flag says its printed code repeated an earlier one and was disambiguated."""
        kind = marker.marker
        if kind is Marker.OF_WHICH_INLINE or (kind is Marker.PLAIN and self._anchors):
            parent = self._anchors[-1] if kind is Marker.PLAIN else (self._stack[-1] if self._stack else None)
            if parent is not None:
                self._pop_to(parent)
            rank = max(_RANK.get(kind, 0), (parent.rank if parent else 0) + 1)
        else:
            rank = self._rank(marker)
            while self._anchors and rank <= self._anchors[-1].rank:
                self._anchors.pop()
            parent = self._pop_to_rank(rank)
        path, repeated = self._path(marker, parent)
        node = Node(index, marker, rank, path, parent)
        if parent is not None:
            parent.children += 1
        if marker.marker is Marker.SECTION:
            self._section = node
        self._stack.append(node)
        self._paths.add(path)
        return node, repeated

    def _pop_to_rank(self, rank: int) -> Node | None:
        while self._stack and self._stack[-1].rank >= rank:
            self._stack.pop()
        return self._stack[-1] if self._stack else None

    def _pop_to(self, node: Node) -> None:
        while self._stack and self._stack[-1] is not node:
            self._stack.pop()

    def _path(self, marker: RowMarker, parent: Node | None) -> tuple[str, bool]:
        if marker.marker in (Marker.SECTION, Marker.NUMBERED, Marker.DOTTED):
            path = marker.tt
        else:
            base = parent.path if parent else "row"
            path = f"{base}.{parent.children + 1 if parent else len(self._paths) + 1}"
        if path not in self._paths:
            return path, False
        if marker.marker is Marker.NUMBERED and self._section is not None:
            path = f"{self._section.path}.{marker.tt}"
        suffix = 2
        candidate = path
        while candidate in self._paths:
            candidate = f"{path}-{suffix}"
            suffix += 1
        return candidate, True
