"""What a PDF's pages are made of: images (a scan), text (a printed PDF), or neither; and each
page rasterised at the resolution it was scanned at."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipelines.common.errors import ExtractionError
from pipelines.document.pdf import open_pdf

# Below this a scan's figures are not readable with any confidence worth publishing.
MIN_DPI = 150
# Images covering less of a page than this are logos or stamps, not a scanned page.
MIN_PAGE_COVER = 0.5
WEB_JPEG_QUALITY = 60


@dataclass(frozen=True)
class PageInfo:
    """One page: size in points, the resolution of its scanned image (0 when it has none), and
    whether it carries a text layer (printed text, or someone else's OCR over the image)."""

    number: int
    width_pt: float
    height_pt: float
    dpi: int
    has_text: bool


def inspect_pdf(path: Path, raw: bytes | None = None) -> list[PageInfo]:
    """Every page's size, scan resolution and text layer (of ``raw``, the bytes of ``path``, when
    given)."""
    import pypdfium2.raw as pdfium_c

    document = open_pdf(path, raw)
    try:
        pages = []
        for index, page in enumerate(document):
            width, height = page.get_size()
            dpi = 0
            for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
                left, bottom, right, top = image.get_bounds()
                if (right - left) * (top - bottom) < MIN_PAGE_COVER * width * height:
                    continue
                px_width, _ = image.get_px_size()
                dpi = max(dpi, round(px_width / ((right - left) / 72)))
            has_text = page.get_textpage().count_chars() > 0
            pages.append(PageInfo(index + 1, width, height, dpi, has_text))
        return pages
    finally:
        document.close()


def is_scan(pages: list[PageInfo]) -> bool:
    """A PDF is a scan when its pages are images, whether or not someone added a text layer."""
    return bool(pages) and all(page.dpi > 0 for page in pages)


def check_scan(path: Path, pages: list[PageInfo]) -> None:
    """The one-line errors for what cannot be read: no pages, neither text nor image, too coarse."""
    if not pages:
        raise ExtractionError(path, None, "the PDF has no pages")
    for page in pages:
        if page.dpi == 0 and not page.has_text:
            raise ExtractionError(
                path, None, f"page {page.number} is neither text nor a scanned image: nothing to read"
            )
        if 0 < page.dpi < MIN_DPI:
            raise ExtractionError(
                path,
                None,
                f"page {page.number} is scanned at {page.dpi} dpi; at least {MIN_DPI} dpi is needed "
                "to read figures reliably (rescan the document)",
            )


def render_page(path: Path, number: int, dpi: int) -> np.ndarray:
    """Page ``number`` (1-based) as a greyscale array at ``dpi``: the image as printed, so an
    invisible text layer added by someone else's OCR plays no part."""
    document = open_pdf(path)
    try:
        bitmap = document[number - 1].render(scale=dpi / 72, grayscale=True, may_draw_forms=False)
        return np.array(bitmap.to_pil().convert("L"))
    finally:
        document.close()


def page_images(path: Path, dpi: int) -> list[tuple[PageInfo, bytes]]:
    """Every page of a scan as a greyscale JPEG at ``dpi`` (downscaled for the web), with its
    size in points, so a box in points can be drawn on it at any display size."""
    import io

    from PIL import Image

    out = []
    for page in inspect_pdf(path):
        image = Image.fromarray(render_page(path, page.number, dpi), mode="L")
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=WEB_JPEG_QUALITY, optimize=True)
        out.append((page, buffer.getvalue()))
    return out
