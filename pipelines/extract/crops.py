"""The crop list of the cultivation section (``+ Cây lúa: Gieo trồng được …``) as typed rows.

The list is the body of a footnote referenced under the "Trồng trọt" heading; each item names a
crop and prints, in varying words, area, yield and output with the plan after a slash.
"""

from __future__ import annotations

import re

from pipelines.common.reference import name_list
from pipelines.common.text import capitalise, clean_cell
from pipelines.extract.document import Document
from pipelines.extract.figures import figure_rows, read_figures
from pipelines.extract.footnotes import Footnote, best_footnote
from pipelines.extract.warning import ExtractionWarning

HEADING = re.compile(r"trong trot")
# Most specific first: "diện tích trồng hiện có" is an existing area, not a planting.
CUES = re.compile(
    r"(?<!\w)(?:"
    r"(?P<existing_area>diện tích (?:trồng )?hiện có)"
    r"|(?P<harvest_area>diện tích (?:cho )?thu hoạch)"
    r"|(?P<new_planting>(?:diện tích )?trồng mới)"
    r"|(?P<spread_area>diện tích mọc lan)"
    r"|(?P<unexploited_area>diện tích chưa (?:cho )?khai thác)"
    r"|(?P<planted_area>(?:diện tích )?(?:gieo )?trồng(?: được)?)"
    r"|(?P<yield>năng suất)"
    r"|(?P<output>sản lượng)"
    r")(?!\w)",
    re.IGNORECASE,
)
DEFAULT_UNITS = {
    "existing_area": "ha",
    "harvest_area": "ha",
    "new_planting": "ha",
    "spread_area": "ha",
    "unexploited_area": "ha",
    "planted_area": "ha",
    "yield": "tạ/ha",
}
_BULLET = re.compile(r"^\s*[+\-–]\s*")
_CROP_PREFIX = re.compile(r"^cây\s+", re.IGNORECASE)
_SCOPE = re.compile(r"\s*\(([^)]*)\)\s*")


def split_item(text: str) -> tuple[str, str, str]:
    """``+ Cây Dâu tằm (huyện Bảo Lạc): Diện tích …`` -> (``Dâu tằm``, ``huyện Bảo Lạc``, body)."""
    text = _BULLET.sub("", clean_cell(text))
    cue = CUES.search(text)
    stops = [i for i in (text.find(":"), text.find(",")) if i >= 0]
    if cue:
        stops.append(cue.start())
    cut = min(stops) if stops else len(text)
    name = text[:cut].strip()
    scope = _SCOPE.search(name)
    if scope:
        name = (name[: scope.start()] + " " + name[scope.end() :]).strip()
    name = _CROP_PREFIX.sub("", name).strip()
    return name, scope[1] if scope else "", text[cut:].lstrip(":, ")


def _crop(name: str, line: int, warnings: list[ExtractionWarning]) -> tuple[dict[str, str], list[str]]:
    """The curated entry for a printed crop name; unknown names are kept with a warning."""
    known = name_list("crops.csv", "crop_vi").lookup(name)
    if known is None:
        warnings.append(
            ExtractionWarning(line, "unknown_crop", f"crop {name!r} is not in reference/crops.csv")
        )
        return {"crop_vi": capitalise(name), "crop_en": None, "crop_code": None}, []
    notes = [] if known["crop_vi"].casefold() == name.casefold() else [f"crop printed as {name!r}"]
    return known, notes


def _subject(crop: dict[str, str]) -> dict[str, object]:
    return {"crop_vi": crop["crop_vi"], "crop_en": crop["crop_en"], "crop_code": crop["crop_code"]}


def parse_crop_items(
    footnote: Footnote, report_id: str, reporting_year: int
) -> tuple[list[dict[str, object]], list[ExtractionWarning]]:
    """Rows of every list item of a footnote body (its opening line is only the list's title)."""
    rows: list[dict[str, object]] = []
    warnings: list[ExtractionWarning] = []
    seen: set[str] = set()
    for line, text in footnote.items[1:]:
        name, scope, body = split_item(text)
        if not name:
            warnings.append(ExtractionWarning(line, "crop_unread", "list item without a crop name"))
            continue
        crop, notes = _crop(name, line, warnings)
        if crop["crop_vi"] in seen:
            warnings.append(
                ExtractionWarning(line, "crop_unread", f"crop {name!r} listed twice; kept the first")
            )
            continue
        seen.add(crop["crop_vi"])
        if scope:
            notes.append(f"scope as printed: {scope}")
        for figure in read_figures(body, line, CUES, reporting_year, DEFAULT_UNITS, warnings, "crop"):
            rows.extend(
                figure_rows(report_id, _subject(crop), figure, reporting_year, warnings, tuple(notes))
            )
    return rows, warnings


def extract_crops(
    doc: Document, report_id: str, reporting_year: int
) -> tuple[list[dict[str, object]], list[ExtractionWarning]]:
    """Crop rows of the report; zero rows and a ``crops_not_found`` warning when there is no list."""

    def parse(footnote: Footnote) -> tuple[list[dict[str, object]], list[ExtractionWarning]]:
        if len(footnote.items) < 2:
            return [], []
        return parse_crop_items(footnote, report_id, reporting_year)

    missing = ExtractionWarning(
        1, "crops_not_found", "no crop list (a footnote list under 'Trồng trọt') was found"
    )
    return best_footnote(doc, HEADING, parse, missing)
