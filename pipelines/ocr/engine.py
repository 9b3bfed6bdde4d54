"""Tesseract called as a library: the models are loaded once per process and reused for every
cell, instead of one program start (and model load) per cell.

The numeric model is Tesseract's default English one with a digits-and-separators whitelist: on
printed figures it beat the Vietnamese model. Text cells and prose use the Vietnamese model.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from pipelines.common.errors import PipelineError

NUMERIC_WHITELIST = "0123456789.,-"
# Row codes: 1, 4.1, Roman numerals for sections, - and + for components.
CODE_WHITELIST = "0123456789.IVXLC-+"
TEXT_LANGUAGE = "vie"
FIGURE, CODE, TEXT = "figure", "code", "text"
NUMERIC_LANGUAGE = "eng"


@dataclass(frozen=True)
class Reading:
    """What the engine read in one image: the text and its confidence (0-100, the least sure word)."""

    text: str
    confidence: float


@dataclass(frozen=True)
class TextLine:
    """A line of prose on a page: its text, box in pixels (x0, y0, x1, y1) and confidence."""

    text: str
    box: tuple[int, int, int, int]
    confidence: float
    paragraph: int


@lru_cache(maxsize=1)
def tessdata_dir() -> str:
    """Where Debian's Tesseract keeps its models; the error says how to install them."""
    prefix = os.environ.get("TESSDATA_PREFIX")
    candidates = [Path(prefix)] if prefix else []
    executable = shutil.which("tesseract")
    if executable:
        listing = subprocess.run([executable, "--list-langs"], capture_output=True, text=True, check=False)
        found = re.search(r'"([^"]+)"', listing.stdout + listing.stderr)
        if found:
            candidates.append(Path(found.group(1)))
    for folder in candidates:
        if all((folder / f"{lang}.traineddata").is_file() for lang in (TEXT_LANGUAGE, NUMERIC_LANGUAGE)):
            return str(folder)
    raise PipelineError(
        "Tesseract's models are missing: install Debian's tesseract-ocr and tesseract-ocr-vie (make system)"
    )


class Engine:
    """Four configured Tesseract instances: figures, row codes, text cells, whole-page prose."""

    def __init__(self) -> None:
        import tesserocr

        path = tessdata_dir()
        self._numeric = tesserocr.PyTessBaseAPI(
            path=path, lang=NUMERIC_LANGUAGE, psm=tesserocr.PSM.SINGLE_LINE, oem=tesserocr.OEM.LSTM_ONLY
        )
        self._numeric.SetVariable("tessedit_char_whitelist", NUMERIC_WHITELIST)
        self._code = tesserocr.PyTessBaseAPI(
            path=path, lang=NUMERIC_LANGUAGE, psm=tesserocr.PSM.SINGLE_LINE, oem=tesserocr.OEM.LSTM_ONLY
        )
        self._code.SetVariable("tessedit_char_whitelist", CODE_WHITELIST)
        self._text = tesserocr.PyTessBaseAPI(
            path=path, lang=TEXT_LANGUAGE, psm=tesserocr.PSM.SINGLE_BLOCK, oem=tesserocr.OEM.LSTM_ONLY
        )
        self._page = tesserocr.PyTessBaseAPI(
            path=path, lang=TEXT_LANGUAGE, psm=tesserocr.PSM.AUTO, oem=tesserocr.OEM.LSTM_ONLY
        )
        self._ril = tesserocr.RIL
        self._psm = tesserocr.PSM

    @staticmethod
    def _set(api, image: np.ndarray, dpi: int) -> None:
        height, width = image.shape
        image = np.ascontiguousarray(image, dtype=np.uint8)
        api.SetImageBytes(image.tobytes(), width, height, 1, width)
        api.SetSourceResolution(dpi)

    def read_cell(self, image: np.ndarray, dpi: int, kind: str) -> Reading:
        """One cell's text (``kind``: figure, code or text); multi-line text cells come back
        joined by spaces. A text cell that reads as nothing as a block is read again as a single
        character."""
        api = {FIGURE: self._numeric, CODE: self._code, TEXT: self._text}[kind]
        reading = self._recognise(api, image, dpi)
        if not reading.text and kind == TEXT:
            api.SetPageSegMode(self._psm.SINGLE_CHAR)
            try:
                reading = self._recognise(api, image, dpi)
            finally:
                api.SetPageSegMode(self._psm.SINGLE_BLOCK)
        return reading

    def _recognise(self, api, image: np.ndarray, dpi: int) -> Reading:
        self._set(api, image, dpi)
        text = " ".join(api.GetUTF8Text().split())
        confidences = api.AllWordConfidences()
        return Reading(text, float(min(confidences)) if confidences and text else 0.0)

    def read_page(self, image: np.ndarray, dpi: int) -> list[TextLine]:
        """The prose of a page (tables already blanked out) as lines in reading order."""
        api = self._page
        self._set(api, image, dpi)
        api.Recognize()
        lines: list[TextLine] = []
        iterator = api.GetIterator()
        paragraph = 0
        ril = self._ril
        while True:
            if iterator.IsAtBeginningOf(ril.PARA):
                paragraph += 1
            text = iterator.GetUTF8Text(ril.TEXTLINE)
            box = iterator.BoundingBox(ril.TEXTLINE)
            if text and text.strip() and box:
                lines.append(
                    TextLine(" ".join(text.split()), box, iterator.Confidence(ril.TEXTLINE), paragraph)
                )
            if not iterator.Next(ril.TEXTLINE):
                break
        return lines


_ENGINE: Engine | None = None


def engine() -> Engine:
    """This process's engine, created on first use."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = Engine()
    return _ENGINE
