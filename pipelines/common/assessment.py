"""Was a target met? One direction-aware answer for the site, the verdicts and the saved questions.

A target is printed as a number (``7,5``), a range (``7,5-8,0``), a bound (``Trên 90``, ``< 7,6``,
``Tối thiểu 95``) or an approximation (``Khoảng 6,5``). The rules (docs/decisions.md):

- a range is met when the value lies inside it (ends included); outside it, the indicator's
  direction says whether the value went past the good end (``exceeded``) or fell short (``not_met``);
  with no direction, outside a range is ``not_met``;
- a bound is met when the value lies on the right side of it (``trên``/``>`` strictly above,
  ``tối thiểu``/``≥`` at or above, ``dưới``/``<`` strictly below, ``tối đa``/``≤`` at or below), and
  ``not_met`` otherwise; a bound is never "exceeded": being far above "more than 90" is still meeting it;
- a single number (bare or ``khoảng``) is met when equal; otherwise the direction decides: the better
  side is ``exceeded``, the worse side ``not_met``; with no direction (``neither``, unknown) a
  different value cannot be judged and is ``not_assessable``;
- a value flagged for review, a missing value or a missing target is ``not_assessable``.
"""

from __future__ import annotations

from decimal import Decimal

from pipelines.common.enums import Assessment, Direction, Qualifier
from pipelines.common.text import fold_diacritics

MET = Assessment.met
EXCEEDED = Assessment.exceeded
NOT_MET = Assessment.not_met
NOT_ASSESSABLE = Assessment.not_assessable
ASSESSMENTS = tuple(Assessment)

HIGHER_IS_BETTER = Direction.higher_is_better
LOWER_IS_BETTER = Direction.lower_is_better

_STRICTLY_ABOVE = {Qualifier.greater_than, Qualifier.above}
_AT_OR_ABOVE = {Qualifier.at_least_symbol, Qualifier.minimum}
_STRICTLY_BELOW = {Qualifier.less_than, Qualifier.below}
_AT_OR_BELOW = {Qualifier.at_most_symbol, Qualifier.maximum}

_VERDICT_WORDS = {
    "dat": MET,
    "vuot": EXCEEDED,
    "vuot ke hoach": EXCEEDED,
    "vuot chi tieu": EXCEEDED,
    "khong dat": NOT_MET,
    "chua dat": NOT_MET,
    # English, where a table is bilingual
    "met": MET,
    "achieved": MET,
    "exceeded": EXCEEDED,
    "not met": NOT_MET,
    "not achieved": NOT_MET,
}


def assess(
    value: Decimal | None,
    *,
    target_low: Decimal | None,
    target_high: Decimal | None,
    qualifier: str | None = None,
    direction: str | None = None,
    flagged: bool = False,
) -> str:
    """The assessment code of ``value`` against a target printed as ``qualifier`` + ``target_low``..``target_high``.

    ``qualifier`` is one of the conventions' normalised qualifiers (or empty); ``direction`` is the
    indicator's ``higher_is_better`` / ``lower_is_better`` / ``neither`` (or unknown); ``flagged`` is
    true when the value (or the target) carries a ``review_reason``.
    """
    if flagged or value is None or (target_low is None and target_high is None):
        return NOT_ASSESSABLE
    low = target_low if target_low is not None else target_high
    high = target_high if target_high is not None else target_low
    assert low is not None and high is not None
    if low > high:
        low, high = high, low
    qualifier = (qualifier or "").strip()

    if low != high:
        return _outside_band(value, low, high, direction)
    if qualifier in _STRICTLY_ABOVE:
        return MET if value > low else NOT_MET
    if qualifier in _AT_OR_ABOVE:
        return MET if value >= low else NOT_MET
    if qualifier in _STRICTLY_BELOW:
        return MET if value < low else NOT_MET
    if qualifier in _AT_OR_BELOW:
        return MET if value <= low else NOT_MET
    if value == low:
        return MET
    if direction == HIGHER_IS_BETTER:
        return EXCEEDED if value > low else NOT_MET
    if direction == LOWER_IS_BETTER:
        return EXCEEDED if value < low else NOT_MET
    return NOT_ASSESSABLE


def _outside_band(value: Decimal, low: Decimal, high: Decimal, direction: str | None) -> str:
    if low <= value <= high:
        return MET
    if direction == HIGHER_IS_BETTER and value > high:
        return EXCEEDED
    if direction == LOWER_IS_BETTER and value < low:
        return EXCEEDED
    return NOT_MET


def verdict_code(printed: str) -> str | None:
    """``Đạt`` -> met, ``Vượt`` -> exceeded, ``Không đạt``/``Chưa đạt`` -> not_met; None for other text."""
    return _VERDICT_WORDS.get(fold_diacritics(printed).strip(" .:;!"))
