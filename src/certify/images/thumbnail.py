"""Thumbnails of evidence photos: image bytes in, a small WebP out (pure; CPU-bound, so callers run
it in a thread). A photo of 2048×1536 becomes a few tens of kB for the pages' lists.

Stored photos are already normalised (images/normalised.py); the thumbnail is still turned upright
from the EXIF orientation, for files stored before normalisation existed.
"""

from __future__ import annotations

import io

from PIL import ImageOps

from certify.images.reading import opened

LONGEST_SIDE = 480  # the lists show 160×120 CSS pixels: sharp up to a device pixel ratio of 3
MEDIA_TYPE = "image/webp"
RECIPE = 1
"""Changes whenever the output would: part of the thumbnail's ETag, so browsers fetch the new one."""


def make_thumbnail(data: bytes) -> bytes:
    """A WebP whose longest side is at most LONGEST_SIDE, upright; ImageRefused otherwise."""
    with opened(data) as image:
        image.draft("RGB", (LONGEST_SIDE, LONGEST_SIDE))  # a JPEG is decoded at a fraction of its size
        upright = ImageOps.exif_transpose(image)
        upright.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
        if upright.mode not in ("RGB", "RGBA"):
            alpha = "A" in upright.getbands() or "transparency" in upright.info
            upright = upright.convert("RGBA" if alpha else "RGB")
        out = io.BytesIO()
        upright.save(out, format="WEBP", quality=70, method=4)
        return out.getvalue()
