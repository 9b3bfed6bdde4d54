"""The report's facts (document number, date, issuer, province), read from the appendix caption.

The caption reads ``(Biểu kèm theo Báo cáo số 2960/BC-UBND ngày 14 tháng 11 năm 2022 của
UBND tỉnh Cao Bằng)``; the line(s) above it, after ``Phụ lục``, are the appendix title.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipelines.common.errors import ExtractionError
from pipelines.common.paths import REFERENCE_DIR
from pipelines.common.text import clean_cell, fold_diacritics
from pipelines.extract.document import Document

PROVINCES = REFERENCE_DIR / "provinces.csv"

_CAPTION = re.compile(
    r"Biểu kèm theo\s+(?:Báo cáo|BC)\s+số\s*:?\s*(?P<number>[^\s,]+)\s*,?\s*"
    r"ngày\s+(?P<day>\d{1,2})\s*(?:tháng|/|-)\s*(?P<month>\d{1,2})\s*(?:năm|/|-)\s*(?P<year>\d{4})"
    r"\s+của\s+(?P<issuer>[^)]+)",
    re.IGNORECASE,
)
_ISSUER_PREFIX = re.compile(r"^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+", re.IGNORECASE)
_PROVINCE_PREFIX = re.compile(r"^(?:tỉnh|thành phố|TP\.?)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Province:
    code: str
    name_en: str


@dataclass(frozen=True)
class ReportFacts:
    document_number: str
    issued_date: dt.date
    issuer: str
    province: str
    title: str
    line: int


@cache
def provinces(path: Path = PROVINCES) -> dict[str, Province]:
    """Folded province name -> official code and English name."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            fold_diacritics(row["name_vi"]): Province(row["province_code"], row["name_en"])
            for row in csv.DictReader(handle)
        }


def lookup_province(name: str) -> Province | None:
    return provinces().get(fold_diacritics(name))


def _title(doc: Document, caption_line: int) -> str:
    """Non-empty lines above the caption, back to the "Phụ lục" heading or a blank-separated block."""
    parts: list[str] = []
    for number in range(caption_line - 1, max(caption_line - 8, 0), -1):
        text = clean_cell(doc.line(number))
        if not text:
            if parts:
                break
            continue
        if fold_diacritics(text).startswith("phu luc"):
            break
        parts.insert(0, text)
    return " ".join(parts)


def read_facts(doc: Document, table_line: int) -> ReportFacts:
    """The caption nearest above the appendix table (line ``table_line``)."""
    for number in range(table_line - 1, 0, -1):
        match = _CAPTION.search(clean_cell(doc.line(number)))
        if not match:
            continue
        try:
            issued = dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError as exc:
            raise ExtractionError(doc.path, number, f"the report date is not a valid date: {exc}") from None
        issuer = match["issuer"].strip().rstrip(").").strip()
        province = _PROVINCE_PREFIX.sub("", _ISSUER_PREFIX.sub("", issuer)).strip()
        return ReportFacts(
            document_number=match["number"].rstrip(".,"),
            issued_date=issued,
            issuer=issuer,
            province=province,
            title=_title(doc, number),
            line=number,
        )
    raise ExtractionError(
        doc.path,
        table_line,
        "no caption 'Biểu kèm theo Báo cáo số … ngày … của UBND tỉnh …' above the appendix table",
    )
