"""The report's facts (document number, date, issuer, province), read from the appendix caption.

The caption reads ``(Biểu kèm theo Báo cáo số 2960/BC-UBND ngày 14 tháng 11 năm 2022 của
UBND tỉnh Cao Bằng)``; the line(s) above it, after ``Phụ lục``, are the appendix title.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipelines.common.errors import ExtractionError
from pipelines.common.reference import name_list
from pipelines.common.text import clean_cell, fold_diacritics
from pipelines.document.model import Document, Paragraph, Table, line_of

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
    line: int | None
    source_ref: str


def lookup_province(name: str) -> Province | None:
    """Official code and English name of a printed province name (reference/provinces.csv)."""
    row = name_list("provinces.csv", "name_vi").lookup(name)
    return Province(row["province_code"], row["name_en"]) if row else None


def _title(before: list[Paragraph]) -> str:
    """Paragraphs just above the caption, back to the "Phụ lục" heading (at most seven)."""
    parts: list[str] = []
    for paragraph in reversed(before[-7:]):
        text = clean_cell(paragraph.text)
        if fold_diacritics(text).startswith("phu luc"):
            break
        parts.insert(0, text)
    return " ".join(parts)


def read_facts(doc: Document, table: Table) -> ReportFacts:
    """The caption nearest above the appendix ``table``; an error naming the table when there is none."""
    facts = caption_facts(doc, table)
    if facts is None:
        raise ExtractionError(
            doc.path,
            line_of(table.locator),
            "no caption 'Biểu kèm theo Báo cáo số … ngày … của UBND tỉnh …' above the appendix table",
        )
    return facts


def caption_facts(doc: Document, table: Table) -> ReportFacts | None:
    """The caption nearest above ``table``, or None when none is printed there."""
    before: list[Paragraph] = []
    for block in doc.blocks:
        if block is table:
            break
        if isinstance(block, Paragraph):
            before.append(block)
    for index in range(len(before) - 1, -1, -1):
        paragraph = before[index]
        match = _CAPTION.search(clean_cell(paragraph.text))
        if not match:
            continue
        line = line_of(paragraph.locator)
        try:
            issued = dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError as exc:
            raise ExtractionError(doc.path, line, f"the report date is not a valid date: {exc}") from None
        issuer = match["issuer"].strip().rstrip(").").strip()
        province = _PROVINCE_PREFIX.sub("", _ISSUER_PREFIX.sub("", issuer)).strip()
        return ReportFacts(
            document_number=match["number"].rstrip(".,"),
            issued_date=issued,
            issuer=issuer,
            province=province,
            title=_title(before[:index]),
            line=line,
            source_ref=str(paragraph.locator),
        )
    return None
