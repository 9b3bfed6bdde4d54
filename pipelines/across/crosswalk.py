"""Every printed indicator row matched to a catalogue code, or left unmatched with a suggestion.

Order of trust: a maintainer's reviewed decision (``reference/crosswalk.csv``), then the printed
name equal to the catalogue's or a listed synonym (compared without diacritics, case or
punctuation) with a unit that fits the catalogue's, then nothing. Fuzzy similarity only ever
produces a *suggestion* with its score, for a maintainer to accept in the review file: a wrong
match would put one indicator's figures in another's series, which is worse than no match.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from pipelines.across.units import unit_fit
from pipelines.common.errors import PipelineError
from pipelines.common.indicator_codes import CatalogueEntry, load_catalogue, synonym_table
from pipelines.common.paths import REFERENCE_DIR
from pipelines.common.reference import match_key, read_rows

REVIEWED = REFERENCE_DIR / "crosswalk.csv"
REVIEW_COLUMNS = ("province", "document", "name", "unit", "indicator_code", "method", "score", "reviewed")
SUGGESTION_CUTOFF = 70.0

# How a printed row got its code (or did not).
REVIEWED_METHOD = "reviewed"
NAME, SYNONYM, SUGGESTED, UNMATCHED = "name", "synonym", "suggested", "unmatched"


@dataclass(frozen=True)
class PrintedRow:
    """What a person sees in the document: where, the name and the unit as printed."""

    province: str
    document: str
    name: str
    unit: str


@dataclass(frozen=True)
class Match:
    code: str | None
    method: str
    suggestion: str | None = None
    score: float | None = None
    note: str | None = None


@cache
def reviewed_table(path: Path = REVIEWED) -> dict[PrintedRow, tuple[str | None, bool]]:
    """The maintainers' file: printed row -> (code or None for "no match", reviewed)."""
    if not path.exists():
        return {}
    catalogue = load_catalogue()
    table: dict[PrintedRow, tuple[str | None, bool]] = {}
    for where, row in read_rows(path, REVIEW_COLUMNS):
        code = row["indicator_code"] or None
        if code and code not in catalogue:
            raise PipelineError(f"{where}: {code!r} is not a code of reference/indicators.csv")
        if row["reviewed"] not in ("true", "false"):
            raise PipelineError(f"{where}: reviewed must be true or false, not {row['reviewed']!r}")
        key = PrintedRow(row["province"], row["document"], row["name"], row["unit"])
        if key in table:
            raise PipelineError(f"{where}: this printed row is listed twice")
        table[key] = (code, row["reviewed"] == "true")
    return table


@lru_cache(maxsize=1 << 16)
def _name_key(name: str) -> str:
    """``match_key`` of a printed name; the same names come back in report after report."""
    return match_key(name)


@cache
def _catalogue_names() -> dict[str, str]:
    """Normalised catalogue name -> code, for indicators (headings carry no figures)."""
    return {match_key(e.name_vi): e.code for e in load_catalogue().values() if not e.is_heading}


@cache
def _choices() -> dict[str, str]:
    """Every known spelling (catalogue names and synonyms), normalised -> code."""
    return {**_catalogue_names(), **synonym_table()}


@cache
def suggest(name: str) -> tuple[str, float] | None:
    """The closest known spelling's code and its similarity (0-100), above the cut-off."""
    from rapidfuzz import fuzz, process

    choices = _choices()
    found = process.extractOne(
        match_key(name), list(choices), scorer=fuzz.token_sort_ratio, score_cutoff=SUGGESTION_CUTOFF
    )
    if found is None:
        return None
    spelling, score, _ = found
    code = choices[spelling]
    return code, round(float(score), 1)


def _suggested(printed: PrintedRow, note: str | None = None) -> Match:
    found = suggest(printed.name)
    if found is None:
        return Match(None, UNMATCHED, note=note)
    return Match(None, SUGGESTED, suggestion=found[0], score=found[1], note=note)


def match(
    printed: PrintedRow,
    unit_code: str | None,
    reviewed: dict[PrintedRow, tuple[str | None, bool]] | None = None,
) -> Match:
    """The code of one printed row; ``unit_code`` is the printed unit's code in reference/units.csv.

    ``reviewed`` is the maintainers' file (by default ``reference/crosswalk.csv``).
    """
    catalogue = load_catalogue()
    decided = (reviewed_table() if reviewed is None else reviewed).get(printed)
    if decided is not None and decided[1]:
        return Match(decided[0], REVIEWED_METHOD)
    key = _name_key(printed.name)
    for method, code in ((NAME, _catalogue_names().get(key)), (SYNONYM, synonym_table().get(key))):
        if code is None:
            continue
        entry: CatalogueEntry = catalogue[code]
        fit = unit_fit(printed.unit, unit_code, entry.unit)
        if fit.matches:
            return Match(code, method)
        return Match(None, SUGGESTED, suggestion=code, score=100.0, note=fit.reason)
    return _suggested(printed)
