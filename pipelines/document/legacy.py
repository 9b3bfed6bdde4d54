"""Legacy Vietnamese encodings (TCVN3/ABC and VNI) detected and converted to Unicode NFC.

Before Unicode, Vietnamese Word documents used 8-bit fonts: ``.VnTime`` (TCVN3, one byte per
accented letter) or ``VNI-Times`` (VNI, a base letter followed by a byte for its marks). The file
stores those bytes as Latin-1/Windows-1252 characters, which read as ``Céng hoµ`` (TCVN3) or
``Coäng hoøa`` (VNI). The font name says which table applies; where there is no font (plain text,
a web page), the characters themselves are scored.
"""

from __future__ import annotations

import re
import unicodedata

# TCVN 5712:1993 VN3, the ".Vn" fonts: one character per letter (lower case; the capitals are the
# same codes in a ".VnTimeH"-style font). Each line: the codes, a space, the letters they stand
# for (after the first two lines, one vowel in its five tones: grave, hook, tilde, acute, dot).
_TCVN3_CODES = """
¡¢£¤¥¦§ ĂÂÊÔƠƯĐ
¨©ª«¬\xad® ăâêôơưđ
µ¶·¸¹ àảãáạ
»¼½¾Æ ằẳẵắặ
ÇÈÉÊË ầẩẫấậ
ÌÎÏÐÑ èẻẽéẹ
ÒÓÔÕÖ ềểễếệ
×ØÜÝÞ ìỉĩíị
ßáâãä òỏõóọ
åæçèé ồổỗốộ
êëìíî ờởỡớợ
ïñòóô ùủũúụ
õö÷øù ừửữứự
úûüýþ ỳỷỹýỵ
"""
_TCVN3 = {
    code: letter
    for line in _TCVN3_CODES.strip("\n").split("\n")
    for code, letter in zip(*line.split(" "), strict=True)
}

_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE = "\u0302", "\u0306"
# VNI Windows: marks typed after the base letter (lower-case and capital forms), and the letters
# that take one byte of their own.
_VNI_MARKS = {
    "ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    "â": _CIRCUMFLEX, "á": _CIRCUMFLEX + _ACUTE, "à": _CIRCUMFLEX + _GRAVE,
    "å": _CIRCUMFLEX + _HOOK, "ã": _CIRCUMFLEX + _TILDE, "ä": _CIRCUMFLEX + _DOT,
    "ê": _BREVE, "é": _BREVE + _ACUTE, "è": _BREVE + _GRAVE,
    "ú": _BREVE + _HOOK, "ü": _BREVE + _TILDE, "ë": _BREVE + _DOT,
}  # fmt: skip
_VNI_LETTERS = {
    "ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ",
}  # fmt: skip
_VNI_VOWEL = "aeiouyAEIOUYơưƠƯ"

TCVN3, VNI = "tcvn3", "vni"
# Letters only Unicode Vietnamese text has: a text holding them is already Unicode.
_UNICODE_VIETNAMESE = re.compile(r"[ăđơưĂĐƠƯ\u1ea0-\u1ef9]")
_TCVN3_ONLY = re.compile(r"[¡¢£¤¥¦§¨©ª«¬\xad®µ¶·¸¹»¼½¾]")
_VNI_PAIR = re.compile(r"[aeouyAEOUY][ùøûõïâáàåãäêéèúüëÙØÛÕÏÂÁÀÅÃÄÊÉÈÚÜË]")


def _vni_tables() -> tuple[dict[str, str], dict[str, str]]:
    marks = dict(_VNI_MARKS)
    marks.update({k.upper(): v for k, v in _VNI_MARKS.items()})
    letters = dict(_VNI_LETTERS)
    letters.update({k.upper(): v.upper() for k, v in _VNI_LETTERS.items()})
    return marks, letters


_VNI_MARK_TABLE, _VNI_LETTER_TABLE = _vni_tables()


def from_tcvn3(text: str, capitals: bool = False) -> str:
    """TCVN3 characters to Unicode NFC; ``capitals`` for the ``H`` fonts (``.VnTimeH``)."""
    converted = "".join(_TCVN3.get(ch, ch) for ch in text)
    return unicodedata.normalize("NFC", converted.upper() if capitals else converted)


def from_vni(text: str) -> str:
    """VNI characters to Unicode NFC: a mark byte joins the vowel before it."""
    out: list[str] = []
    for ch in text:
        if ch in _VNI_MARK_TABLE and out and out[-1][-1:] in _VNI_VOWEL:
            out.append(_VNI_MARK_TABLE[ch])
        elif ch in _VNI_LETTER_TABLE:
            out.append(_VNI_LETTER_TABLE[ch])
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def encoding_of_font(font: str | None) -> str | None:
    """TCVN3 for the ``.Vn…`` fonts, VNI for ``VNI-…`` fonts, None for Unicode fonts."""
    if not font:
        return None
    if font.startswith(".Vn") or font.startswith("Vn"):
        return TCVN3
    if font.upper().startswith("VNI"):
        return VNI
    return None


def guess_encoding(text: str) -> str | None:
    """TCVN3 or VNI when ``text`` (with no font to tell) reads as one of them, else None."""
    if _UNICODE_VIETNAMESE.search(text):
        return None
    tcvn3, vni = len(_TCVN3_ONLY.findall(text)), len(_VNI_PAIR.findall(text))
    if max(tcvn3, vni) < 3:
        return None
    return TCVN3 if tcvn3 >= vni else VNI


def to_unicode(text: str, encoding: str | None, capitals: bool = False) -> str:
    """``text`` converted from ``encoding`` (TCVN3, VNI or None for Unicode)."""
    if encoding == TCVN3:
        return from_tcvn3(text, capitals)
    if encoding == VNI:
        return from_vni(text)
    return text


def is_capitals_font(font: str | None) -> bool:
    """``.VnTimeH``, ``.VnArialH``: TCVN3 fonts that show the lower-case codes as capitals."""
    return bool(font) and font.startswith(".Vn") and font.endswith("H")  # type: ignore[union-attr]
