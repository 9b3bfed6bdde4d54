"""A printed PDF to an honest scan: pages rasterised, then degraded the way a scanner and a
photocopier degrade them, written back as an image-only PDF.

Every degradation is drawn from a seeded generator, so the same seed always gives the same
bytes. The tests and the benchmark read these scans against the values they were printed from.
"""

from __future__ import annotations

import io
import random
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter


@dataclass(frozen=True)
class Degradation:
    """How hard a scan is: the ranges each page's degradation is drawn from."""

    rotation_deg: tuple[float, float] = (0.3, 1.0)
    blur_px_at_300dpi: tuple[float, float] = (0.4, 0.7)
    noise_sigma: tuple[float, float] = (4.0, 8.0)
    specks: tuple[int, int] = (3, 10)
    jpeg_quality: int = 70


# The scan carries no run time, so the same seed gives the same bytes.
FIXED_DATE = time.gmtime(946684800)

# Both profiles carry every degradation the tests require; "noisy" is a worn photocopy.
PROFILES = {
    "standard": Degradation(),
    "noisy": Degradation(blur_px_at_300dpi=(0.6, 0.9), noise_sigma=(10.0, 16.0), specks=(15, 40)),
}


def rasterise(pdf: Path, dpi: int) -> list[Image.Image]:
    """Every page of a PDF as a greyscale image at ``dpi``."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return [
            page.render(scale=dpi / 72, grayscale=True, may_draw_forms=False).to_pil().convert("L")
            for page in document
        ]
    finally:
        document.close()


def degrade(page: Image.Image, rng: random.Random, dpi: int, profile: Degradation) -> Image.Image:
    """One page after the scanner: a small rotation, blur, sensor noise and a few specks."""
    angle = rng.uniform(*profile.rotation_deg) * rng.choice((-1, 1))
    out = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    out = out.filter(ImageFilter.GaussianBlur(rng.uniform(*profile.blur_px_at_300dpi) * dpi / 300))
    pixels = np.asarray(out, dtype=np.float32)
    noise = np.random.default_rng(rng.getrandbits(32)).normal(
        0.0, rng.uniform(*profile.noise_sigma), pixels.shape
    )
    pixels = pixels + noise
    height, width = pixels.shape
    radius = max(1, round(dpi / 150))
    for _ in range(rng.randint(*profile.specks)):
        y, x = rng.randrange(radius, height - radius), rng.randrange(radius, width - radius)
        pixels[y - radius : y + radius, x - radius : x + radius] = rng.uniform(0, 90)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")


def scan_pages(pages: list[Image.Image], seed: int, dpi: int, profile: Degradation) -> list[Image.Image]:
    rng = random.Random(seed)
    return [degrade(page, rng, dpi, profile) for page in pages]


def image_pdf(pages: list[Image.Image], dpi: int, jpeg_quality: int) -> bytes:
    """An image-only PDF (one JPEG per page, no text layer) whose pages keep the paper size."""
    buffer = io.BytesIO()
    first, *rest = pages
    first.save(
        buffer,
        "PDF",
        save_all=True,
        append_images=rest,
        resolution=float(dpi),
        quality=jpeg_quality,
        creationDate=FIXED_DATE,
        modDate=FIXED_DATE,
    )
    return buffer.getvalue()


def scan_pdf(pdf: Path, dpi: int, seed: int, profile: str = "standard") -> bytes:
    """The bytes of a degraded, image-only scan of ``pdf`` at ``dpi``; the same seed gives the same bytes."""
    chosen = PROFILES[profile]
    return image_pdf(scan_pages(rasterise(pdf, dpi), seed, dpi, chosen), dpi, chosen.jpeg_quality)
