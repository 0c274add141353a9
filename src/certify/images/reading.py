"""Opening an uploaded image without trusting it: only the formats we accept are parsed, and a
picture with more pixels than the decompression-bomb limit is refused before it is decoded.

HEIC (an iPhone's photos) is read through pillow-heif's plug-in, registered with Pillow on first
use; libheif applies the file's own rotation while decoding, so a HEIC comes out upright."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from functools import cache

import pillow_heif
from PIL import Image

FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")  # what file_types accepts as images; nothing else is parsed


class Refusal(StrEnum):
    too_many_pixels = "too_many_pixels"
    unreadable = "unreadable"


class ImageRefused(Exception):
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


def pixel_limit() -> int:
    """Pillow's own decompression-bomb limit (about 89 million pixels unless configured)."""
    return Image.MAX_IMAGE_PIXELS or 89_478_485


@cache
def _read_heif() -> None:
    """Pillow learns HEIF once, when the first image is opened (not as a side effect of an import)."""
    pillow_heif.register_heif_opener()


@contextmanager
def opened(data: bytes) -> Iterator[Image.Image]:
    """The image, header read and pixel count checked; ImageRefused when it is a bomb or broken.
    Errors while the caller decodes it inside the block are turned into refusals too."""
    _read_heif()
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            if image.width * image.height > pixel_limit():
                raise ImageRefused(Refusal.too_many_pixels)
            yield image
    except (
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:  # a warning raised as an error
        raise ImageRefused(Refusal.too_many_pixels) from exc
    except (OSError, ValueError, EOFError, SyntaxError) as exc:  # what Pillow raises for a broken file
        raise ImageRefused(Refusal.unreadable) from exc
