"""Thumbnails of evidence photos: image bytes in, a small WebP out (pure; CPU-bound, so callers run
it in a thread). A phone photo of 4000×3000 (7 MB) becomes a few tens of kB for the pages' lists.

The original is not touched (its EXIF is a later issue); the thumbnail is turned upright from the
EXIF orientation, and Pillow refuses images with more pixels than its decompression-bomb limit.
"""

from __future__ import annotations

import io
from enum import StrEnum

from PIL import Image, ImageOps

LONGEST_SIDE = 480  # the lists show 160×120 CSS pixels: sharp up to a device pixel ratio of 3
MEDIA_TYPE = "image/webp"
RECIPE = 1
"""Changes whenever the output would: part of the thumbnail's ETag, so browsers fetch the new one."""
_FORMATS = ("JPEG", "PNG", "WEBP")  # what file_types accepts as browser images; nothing else is parsed


class Refusal(StrEnum):
    too_many_pixels = "too_many_pixels"
    unreadable = "unreadable"


class ThumbnailRefused(Exception):
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


def pixel_limit() -> int:
    """Pillow's own decompression-bomb limit (about 89 million pixels unless configured)."""
    return Image.MAX_IMAGE_PIXELS or 89_478_485


def make_thumbnail(data: bytes) -> bytes:
    """A WebP whose longest side is at most LONGEST_SIDE, upright; ThumbnailRefused otherwise."""
    try:
        with Image.open(io.BytesIO(data), formats=_FORMATS) as image:
            if image.width * image.height > pixel_limit():
                raise ThumbnailRefused(Refusal.too_many_pixels)
            image.draft("RGB", (LONGEST_SIDE, LONGEST_SIDE))  # a JPEG is decoded at a fraction of its size
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
            if upright.mode not in ("RGB", "RGBA"):
                alpha = "A" in upright.getbands() or "transparency" in upright.info
                upright = upright.convert("RGBA" if alpha else "RGB")
            out = io.BytesIO()
            upright.save(out, format="WEBP", quality=70, method=4)
            return out.getvalue()
    except (
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:  # a warning raised as an error
        raise ThumbnailRefused(Refusal.too_many_pixels) from exc
    except (OSError, ValueError, EOFError, SyntaxError) as exc:  # what Pillow raises for a broken file
        raise ThumbnailRefused(Refusal.unreadable) from exc
