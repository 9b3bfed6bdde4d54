"""Text normalisation shared by extraction, search and the site."""

from __future__ import annotations

import re
import unicodedata

_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
# Runs to collapse, leaving single plain spaces alone so a clean text comes back as the same object.
_SPACE_RUN = re.compile(r"\s{2,}|[^\S ]")
# Markdown emphasis; the footnote markers ``(*)``, ``(**)``, ``(***)`` printed in names are kept.
_EMPHASIS = re.compile(r"(?P<marker>\(\*{1,3}\))|\*\*|\*|__")
_TO_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# A footnote reference in running text (``⁴``, ``⁽²⁰⁾``); "m³" and "km²" are units, not references.
FOOTNOTE_REFERENCE = re.compile(r"(?<![mM])⁽?([⁰¹²³⁴⁵⁶⁷⁸⁹]+)⁾?")


def clean_cell(text: str) -> str:
    """NFC, no HTML tags or Markdown emphasis, single spaces: how a cell is compared and stored.

    A line break inside a cell (``<br>``) separates words, so it becomes a space.
    """
    text = _TAG.sub("", _LINE_BREAK.sub(" ", text))
    text = _EMPHASIS.sub(lambda match: match["marker"] or "", text)
    return _SPACE_RUN.sub(" ", unicodedata.normalize("NFC", text)).strip()


def clean_lines(text: str) -> str:
    """``clean_cell`` for each line of a cell, its line breaks (``<br>``) kept as ``\n``: a cell may
    print two values stacked for two sub-rows. Empty when no line has text."""
    lines = [clean_cell(line) for line in _LINE_BREAK.split(text)]
    return "\n".join(lines) if any(lines) else ""


def fold_diacritics(text: str) -> str:
    """Accent-free lower-case copy: ``Đường`` -> ``duong``, so searches without diacritics match.

    NFKD drops the marks but keeps ``đ``, which has no decomposition, so it is mapped first.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACE.sub(" ", stripped.lower()).strip()


def slugify(text: str) -> str:
    """ASCII identifier from Vietnamese text: ``Cao Bằng`` -> ``cao-bang``."""
    return re.sub(r"[^a-z0-9]+", "-", fold_diacritics(text)).strip("-")


def superscript(number: int | str) -> str:
    """4 (or the digits ``"4"``) -> ``⁴``: a footnote marker as printed."""
    return str(number).translate(_TO_SUPERSCRIPT)


def superscript_number(marker: str) -> int:
    """``⁴`` -> 4, ``²⁰`` -> 20."""
    return int(marker.translate(_FROM_SUPERSCRIPT))


def capitalise(text: str) -> str:
    """First letter upper case, the rest as printed (a name taken from the middle of a sentence)."""
    return text[:1].upper() + text[1:]
