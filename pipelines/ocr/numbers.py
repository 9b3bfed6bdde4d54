"""Whether a figure read by OCR is well formed in the table's own number convention.

Misreads of printed figures are mostly separators: ``1.949,545`` read as ``1,949,545`` is a
well-formed English number but not a Vietnamese one. So a table's convention is decided by its
unambiguous cells first, and every figure is then checked against it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

CONVENTIONS = {
    "vi": re.compile(r"^-?\d{1,3}(?:\.\d{3})*(?:,\d+)?$"),
    "en": re.compile(r"^-?\d{1,3}(?:,\d{3})*(?:\.\d+)?$"),
}


def convention(figures: Iterable[str]) -> str | None:
    """``vi`` or ``en``: the convention more of the figures are well formed in only; None when
    nothing tells them apart (integers below 1,000 read the same in both)."""
    votes = {name: 0 for name in CONVENTIONS}
    for text in figures:
        fits = [name for name, pattern in CONVENTIONS.items() if pattern.match(text)]
        if len(fits) == 1:
            votes[fits[0]] += 1
    best = max(votes, key=lambda name: votes[name])
    return best if votes[best] > 0 and list(votes.values()).count(votes[best]) == 1 else None


def well_formed(text: str, table_convention: str | None) -> bool:
    """The figure fits the table's convention (either, when the table has not shown one)."""
    if table_convention is None:
        return any(pattern.match(text) for pattern in CONVENTIONS.values())
    return bool(CONVENTIONS[table_convention].match(text))
