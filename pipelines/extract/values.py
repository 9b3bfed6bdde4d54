"""A printed value cell as data: a number, a range, a bound, words, a verdict, a second value.

``Khoảng 45-47`` is the range 45..47 with the qualifier ``khoảng``; ``Trên 90`` the bound 90 with
``trên``; ``-4,13%`` the number -4.13 (the stray ``%`` repeats the unit); ``0,7% (còn 4,33%)`` the
number 0.7 with a second value 4.33 labelled ``còn`` (the level it leaves); ``Xuất siêu`` words;
``Đạt`` a verdict. Numbers are read in the convention the caller decided for the table
(:mod:`pipelines.extract.convention`); a literal that fits both conventions while the table proves
neither is kept with the review reason ``ambiguous_number_format`` rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from pipelines.common.assessment import verdict_code
from pipelines.common.enums import Qualifier, ReviewReason
from pipelines.common.text import clean_cell
from pipelines.extract.convention import Convention, literal_evidence

AMBIGUOUS_NUMBER_FORMAT = ReviewReason.ambiguous_number_format
MALFORMED_NUMBER = ReviewReason.malformed_number

QUALIFIERS = tuple(Qualifier)

# Printed words and symbols -> the normalised qualifier.
_QUALIFIER_WORDS = {
    "khoảng": Qualifier.about,
    "khoang": Qualifier.about,
    "trên": Qualifier.above,
    "hơn": Qualifier.above,
    "dưới": Qualifier.below,
    "tối thiểu": Qualifier.minimum,
    "ít nhất": Qualifier.minimum,
    "tối đa": Qualifier.maximum,
    "không quá": Qualifier.maximum,
}
_QUALIFIER_SYMBOLS = {
    "<=": Qualifier.at_most_symbol,
    ">=": Qualifier.at_least_symbol,
    "≤": Qualifier.at_most_symbol,
    "≥": Qualifier.at_least_symbol,
    "<": Qualifier.less_than,
    ">": Qualifier.greater_than,
}
_QUALIFIER = re.compile(
    r"^(?P<q>"
    + "|".join(re.escape(q) for q in sorted([*_QUALIFIER_WORDS, *_QUALIFIER_SYMBOLS], key=len, reverse=True))
    + r")(?=[\s\d<>≤≥=-]|$)\s*",
    re.IGNORECASE,
)
_LITERAL = r"\d[\d.,]*(?: \d{3})*(?:[.,]\d+)?"
_SIGN = r"[-−–]"
_NUMBER = re.compile(rf"^(?P<sign>{_SIGN})?\s*(?P<lit>{_LITERAL})\s*%?$")
_RANGE = re.compile(rf"^(?P<a>{_LITERAL})\s*%?\s*(?:[-–—]|đến)\s*(?P<b>{_LITERAL})\s*%?$", re.IGNORECASE)
_SECONDARY = re.compile(r"^(?P<main>[^()]+?)\s*\((?P<inner>[^()]+)\)$")
_SECONDARY_LABEL = re.compile(r"^(?P<label>[^\d<>≤≥-]+?)\s+(?=[\d<>≤≥-])")
_NUMBERLIKE = re.compile(r"^[-−–]?[\d.,\s]+%?$")
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


@dataclass(frozen=True)
class Number:
    """One literal read: its value and how many decimals were printed."""

    value: Decimal
    decimals: int


@dataclass(frozen=True)
class CellValue:
    """What a printed value cell holds, in the conventions' terms."""

    printed: str
    value: Decimal | None = None
    value_low: Decimal | None = None
    value_high: Decimal | None = None
    qualifier: str = ""
    value_text: str = ""
    verdict: str | None = None
    decimals: int | None = None
    review_reason: str = ""
    secondary: CellValue | None = None
    secondary_label: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.printed


def printed_text(cell: str) -> str:
    """The cell's visible text: a line break read as a space, markup and emphasis removed, spaces collapsed."""
    return clean_cell(_LINE_BREAK.sub(" ", cell).replace("_", " "))


def read_literal(literal: str, convention: Convention | None) -> Number | str:
    """The number a literal stands for, or the review reason why it cannot be read."""
    evidence = literal_evidence(literal)
    if not evidence.fits:
        return MALFORMED_NUMBER
    if len(evidence.fits) == 1:
        (chosen,) = evidence.fits
    elif convention is not None:
        chosen = convention
    elif "." not in literal and "," not in literal:
        chosen = Convention.VIETNAMESE
    else:
        return AMBIGUOUS_NUMBER_FORMAT
    text = literal.replace(" ", "").replace(chosen.thousands, "")
    whole, _, fraction = text.partition(chosen.value)
    return Number(Decimal(f"{whole}.{fraction}" if fraction else whole), len(fraction))


def parse_value(cell: str, convention: Convention | None) -> CellValue:
    """Read one printed cell; never raises: what cannot be read is kept with a review reason."""
    printed = printed_text(cell)
    if not printed:
        return CellValue(printed="")
    secondary = _SECONDARY.match(printed)
    if secondary and (_NUMBERLIKE.match(secondary["main"].strip()) or _QUALIFIER.match(secondary["main"])):
        main = _parse_plain(secondary["main"], printed, convention)
        inner = secondary["inner"].strip()
        label_match = _SECONDARY_LABEL.match(inner)
        label = label_match["label"].strip().lower() if label_match else ""
        second = _parse_plain(inner[label_match.end() :] if label_match else inner, inner, convention)
        if second.value_low is not None:
            return _with(main, secondary=second, secondary_label=label)
    return _parse_plain(printed, printed, convention)


def _with(value: CellValue, **changes: object) -> CellValue:
    return CellValue(**{**value.__dict__, **changes})


def _parse_plain(text: str, printed: str, convention: Convention | None) -> CellValue:
    text = text.strip()
    qualifier = ""
    match = _QUALIFIER.match(text)
    if match:
        word = match["q"].lower()
        qualifier = _QUALIFIER_SYMBOLS.get(word) or _QUALIFIER_WORDS[word]
        text = text[match.end() :].strip()
    if not text:
        return CellValue(printed=printed, value_text=printed)
    ranged = _RANGE.match(text)
    if ranged:
        low, high = read_literal(ranged["a"], convention), read_literal(ranged["b"], convention)
        if isinstance(low, str) or isinstance(high, str):
            reason = low if isinstance(low, str) else high
            return CellValue(printed=printed, qualifier=qualifier, review_reason=str(reason))
        return CellValue(
            printed=printed,
            value_low=min(low.value, high.value),
            value_high=max(low.value, high.value),
            qualifier=qualifier,
            decimals=max(low.decimals, high.decimals),
        )
    single = _NUMBER.match(text)
    if single:
        number = read_literal(single["lit"], convention)
        if isinstance(number, str):
            return CellValue(printed=printed, qualifier=qualifier, review_reason=number)
        value = -number.value if single["sign"] else number.value
        return CellValue(
            printed=printed,
            value=value,
            value_low=value,
            value_high=value,
            qualifier=qualifier,
            decimals=number.decimals,
        )
    if _NUMBERLIKE.match(text):
        return CellValue(printed=printed, qualifier=qualifier, review_reason=MALFORMED_NUMBER)
    return CellValue(printed=printed, value_text=printed, verdict=verdict_code(printed))
