"""Which number convention a table prints in, decided from its own cells.

Vietnamese tables group thousands with ``.`` and mark decimals with ``,`` (``1.949,5``); tables
converted from English-language software do the opposite (``6,202.7``), and some group with spaces
(``1 033.6``). Many cells prove one convention (``4,8``, ``15.40``, ``1.234,5``); some fit both
(``3.700``, ``10,500``: a thousands group or three decimals). A cell that fits both is read by the
convention its table (or, failing that, its document) proves, and flagged for review when the
evidence is absent or contradictory: never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Convention(Enum):
    """Which character marks decimals."""

    VIETNAMESE = ","
    ENGLISH = "."

    @property
    def thousands(self) -> str:
        return "." if self is Convention.VIETNAMESE else ","


_DIGITS = r"\d+"
_GROUPED_DOT = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_GROUPED_COMMA = re.compile(r"^\d{1,3}(?:,\d{3})+$")
_GROUPED_SPACE = re.compile(r"^\d{1,3}(?: \d{3})+")


@dataclass(frozen=True)
class Evidence:
    """What one numeric literal says: the conventions it fits."""

    fits: frozenset[Convention]

    @property
    def decisive(self) -> bool:
        return len(self.fits) == 1


BOTH = frozenset(Convention)
_VI = frozenset({Convention.VIETNAMESE})
_EN = frozenset({Convention.ENGLISH})


def literal_evidence(literal: str) -> Evidence:
    """The conventions an unsigned numeric literal (digits, ``.``, ``,``, spaces) can be read in.

    ``4,8`` and ``1.234,5`` are Vietnamese; ``15.40``, ``412204.00`` and ``6,202.7`` English;
    ``3.700`` and ``10,500`` fit both; ``123`` fits both; a malformed literal fits neither.
    """
    text = literal.strip()
    if _GROUPED_SPACE.match(text):
        text = text.replace(" ", "")
    if " " in text:
        return Evidence(frozenset())
    if re.fullmatch(_DIGITS, text):
        return Evidence(BOTH)
    fits = set()
    for convention in Convention:
        if _reads_as(text, convention):
            fits.add(convention)
    return Evidence(frozenset(fits))


def _reads_as(text: str, convention: Convention) -> bool:
    decimal, thousands = convention.value, convention.thousands
    whole, _, fraction = text.partition(decimal) if decimal in text else (text, "", "")
    if text.count(decimal) > 1 or (decimal in text and not fraction.isdigit()):
        return False
    if thousands in whole:
        grouped = _GROUPED_DOT if thousands == "." else _GROUPED_COMMA
        return bool(grouped.match(whole))
    return whole.isdigit()


def decide(evidence: Iterable[Evidence]) -> Convention | None:
    """The one convention all decisive literals agree on; None when there is none or they disagree."""
    seen = {next(iter(e.fits)) for e in evidence if e.decisive}
    return seen.pop() if len(seen) == 1 else None
