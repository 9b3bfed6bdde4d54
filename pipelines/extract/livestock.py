"""The livestock figures of the husbandry section (``Tổng số trâu: 105.301 con, …``) as typed rows.

They are the body of a footnote referenced under the "Chăn nuôi" heading: one line per animal (or
aquatic products), with the head count, the live-weight meat output and percentages of last year.
"""

from __future__ import annotations

import re

from pipelines.common.reference import name_list
from pipelines.common.text import capitalise, clean_cell
from pipelines.extract.document import Document
from pipelines.extract.figures import NUMBER_TOKEN, figure_rows, read_figures
from pipelines.extract.footnotes import Footnote, best_footnote
from pipelines.extract.warning import ExtractionWarning

HEADING = re.compile(r"chan nuoi")
CUES = re.compile(
    r"(?<!\w)(?:"
    r"(?P<head_count>tổng (?:số|đàn))"
    r"|(?P<meat_output>(?:tổng )?sản lượng thịt)"
    r"|(?P<output>(?:tổng )?sản lượng)"
    r")(?!\w)",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*[+\-–]\s*")


def _item_names() -> re.Pattern[str]:
    names = sorted(name_list("livestock.csv", "item_vi").names, key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(n) for n in names)})(?!\w)", re.IGNORECASE)


def find_item(text: str, line: int, warnings: list[ExtractionWarning]) -> dict[str, str | None]:
    """The animal a line is about, named before its first number; unknown names are kept with a warning."""
    first = NUMBER_TOKEN.search(text)
    head = text[: first.start()] if first else text
    known = _item_names().search(head)
    if known:
        return name_list("livestock.csv", "item_vi").lookup(known[0]) or {}
    name = CUES.sub("", head).split(":")[0].strip(" ,:")
    warnings.append(
        ExtractionWarning(line, "unknown_livestock", f"item {name!r} is not in reference/livestock.csv")
    )
    return {"item_vi": capitalise(name), "item_en": None, "item_code": None}


def _subject(item: dict[str, str | None]) -> dict[str, object]:
    return {"item_vi": item["item_vi"], "item_en": item["item_en"], "item_code": item["item_code"]}


def parse_livestock_lines(
    footnote: Footnote, report_id: str, reporting_year: int
) -> tuple[list[dict[str, object]], list[ExtractionWarning]]:
    """Rows of every line of a footnote body, its opening line included (it holds the first animal)."""
    rows: list[dict[str, object]] = []
    warnings: list[ExtractionWarning] = []
    seen: set[tuple[object, str]] = set()
    for line, raw in footnote.items:
        text = _BULLET.sub("", clean_cell(raw))
        line_warnings: list[ExtractionWarning] = []
        figures = read_figures(text, line, CUES, reporting_year, {}, line_warnings, "livestock")
        if not figures:
            continue
        item = find_item(text, line, line_warnings)
        warnings.extend(line_warnings)
        for figure in figures:
            if (item["item_vi"], figure.metric) in seen:
                warnings.append(
                    ExtractionWarning(
                        line,
                        "livestock_unread",
                        f"{item['item_vi']} {figure.metric} printed twice; kept the first",
                    )
                )
                continue
            seen.add((item["item_vi"], figure.metric))
            rows.extend(figure_rows(report_id, _subject(item), figure, reporting_year, warnings))
    return rows, warnings


def extract_livestock(
    doc: Document, report_id: str, reporting_year: int
) -> tuple[list[dict[str, object]], list[ExtractionWarning]]:
    """Livestock rows of the report; zero rows and a ``livestock_not_found`` warning without the list."""
    missing = ExtractionWarning(
        1, "livestock_not_found", "no livestock list (a footnote under 'Chăn nuôi') was found"
    )
    return best_footnote(
        doc, HEADING, lambda footnote: parse_livestock_lines(footnote, report_id, reporting_year), missing
    )
