"""Straightening a scanned page: the angle that makes text lines and table rules horizontal."""

from __future__ import annotations

import cv2
import numpy as np

# Scanners tilt pages by a degree or two; look a little wider than that.
MAX_SKEW_DEG = 3.0
_WORK_WIDTH = 1000


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Dark pixels as 255 on 0 (Otsu's threshold), the page's ink."""
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def _sharpness(ink: np.ndarray, angle: float) -> float:
    height, width = ink.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    rotated = cv2.warpAffine(ink, matrix, (width, height), flags=cv2.INTER_NEAREST)
    profile = rotated.sum(axis=1, dtype=np.float64)
    return float(np.square(np.diff(profile)).sum())


def skew_angle(gray: np.ndarray) -> float:
    """The rotation (degrees, counter-clockwise positive as OpenCV counts) that levels the page:
    the angle whose row profile of ink is sharpest, searched coarse then fine."""
    scale = min(1.0, _WORK_WIDTH / gray.shape[1])
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = ink_mask(small)
    if not ink.any():
        return 0.0
    best = max(np.arange(-MAX_SKEW_DEG, MAX_SKEW_DEG + 1e-9, 0.25), key=lambda a: _sharpness(ink, a))
    fine = np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05)
    return float(max(fine, key=lambda a: _sharpness(ink, a)))


def rotation(shape: tuple[int, int], angle: float) -> np.ndarray:
    """The 2x3 affine matrix that rotates a page of ``shape`` by ``angle`` about its centre."""
    height, width = shape
    return cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)


def straighten(gray: np.ndarray, angle: float) -> np.ndarray:
    """The page rotated by ``angle``, the uncovered corners filled white."""
    height, width = gray.shape
    return cv2.warpAffine(
        gray, rotation(gray.shape, angle), (width, height), flags=cv2.INTER_CUBIC, borderValue=255
    )


def box_on_original(
    box: tuple[float, float, float, float], shape: tuple[int, int], angle: float
) -> tuple[float, float, float, float]:
    """A box of the straightened page mapped back to the page as scanned (its bounding box)."""
    inverse = cv2.invertAffineTransform(rotation(shape, angle))
    x0, y0, x1, y1 = box
    corners = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=np.float64)
    mapped = corners @ inverse.T
    return (
        float(mapped[:, 0].min()),
        float(mapped[:, 1].min()),
        float(mapped[:, 0].max()),
        float(mapped[:, 1].max()),
    )
