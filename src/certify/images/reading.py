"""Opening an uploaded image without trusting it: only the formats we accept are parsed, and a
picture with more pixels than the decompression-bomb limit is refused before it is decoded."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum

from PIL import Image

FORMATS = ("JPEG", "PNG", "WEBP")  # what file_types accepts as browser images; nothing else is parsed


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


@contextmanager
def opened(data: bytes) -> Iterator[Image.Image]:
    """The image, header read and pixel count checked; ImageRefused when it is a bomb or broken.
    Errors while the caller decodes it inside the block are turned into refusals too."""
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
