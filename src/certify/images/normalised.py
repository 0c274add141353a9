"""The one form in which an uploaded photo is stored: upright, no larger than needed, and without
what the camera wrote about it (pure; CPU-bound, so callers run it in a thread).

A phone photo arrives as 4000×3000 pixels and 3–8 MB, turned by an EXIF orientation flag, with the
shop's GPS position, the phone's serial number and maker notes in its metadata. Only the pixels and
the colour profile are kept: the picture is turned upright, its longest side is brought down to the
installation's limit (CERTIFY_IMAGE_MAX_PX), and it is encoded anew in its own format, so nothing
of the original file but the picture reaches the database. A JPEG becomes a progressive JPEG at
quality 85, a WebP a WebP at quality 85, and a PNG stays a lossless PNG (screenshots and scanned
pages keep their sharp text; transparency survives). A HEIC, which most browsers cannot show,
becomes a JPEG.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps

from certify.images.reading import opened

QUALITY = 85  # JPEG and WebP: no visible loss at 100 % on a phone, a fraction of the camera's bytes
OUTPUT_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "HEIF": "JPEG"}  # source → stored
MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_RESIZABLE_MODES = frozenset({"L", "LA", "RGB", "RGBA", "CMYK"})  # others resize poorly (P: nearest)
_KEPT_INFO = ("transparency",)  # what a PNG needs to draw its palette; everything else is metadata


@dataclass(frozen=True, slots=True)
class Normalised:
    data: bytes
    media_type: str
    width: int
    height: int


_METADATA_INFO = ("exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "mp", "mpinfo")
"""What `normalise` never writes: a stored image carrying any of it was stored before normalising."""


def needs_normalising(data: bytes, max_px: int) -> bool:
    """Whether a stored image is not yet in the stored form (uploaded before every upload was
    normalised): larger than max_px, a HEIC, or carrying EXIF, GPS, XMP, comments or maker notes.
    False for an image `normalise` made, so a second cleanup run re-encodes nothing (a JPEG loses
    a little each time it is encoded). Reads the header only; ImageRefused for broken files."""
    with opened(data) as image:
        return (
            image.format not in MEDIA_TYPES
            or max(image.size) > max_px
            or bool(image.getexif())
            or any(key in image.info for key in _METADATA_INFO)
        )


def normalise(data: bytes, max_px: int) -> Normalised:
    """The picture re-encoded upright, longest side at most max_px, with no EXIF, GPS, XMP, maker
    notes or comments (the ICC profile stays, so colours stay); ImageRefused for bombs and broken
    files."""
    with opened(data) as image:
        output_format = OUTPUT_FORMATS[str(image.format)]
        icc_profile = image.info.get("icc_profile")
        image.draft(None, (max_px, max_px))  # a large JPEG is decoded at a fraction of its size
        picture: Image.Image = image
        if max(picture.size) > max_px:  # scaled first, so that turning it moves fewer pixels
            if picture.mode not in _RESIZABLE_MODES:
                picture = picture.convert("RGBA" if picture.has_transparency_data else "RGB")
            picture.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
        picture = ImageOps.exif_transpose(picture)  # the EXIF data still rides along in `info`
        picture.info = {key: picture.info[key] for key in _KEPT_INFO if key in picture.info}
        out = io.BytesIO()
        _encode(picture, output_format, out, icc_profile)
        return Normalised(
            data=out.getvalue(),
            media_type=MEDIA_TYPES[output_format],
            width=picture.width,
            height=picture.height,
        )


def _encode(picture: Image.Image, output_format: str, out: io.BytesIO, icc_profile: bytes | None) -> None:
    """No `exif=` or `xmp=` is passed, so Pillow writes none."""
    profile = {"icc_profile": icc_profile} if icc_profile else {}
    if output_format == "JPEG":
        if picture.mode not in ("L", "RGB", "CMYK"):  # a HEIC may carry alpha or 16 bits a channel
            picture = picture.convert("RGB")
        picture.save(out, format="JPEG", quality=QUALITY, optimize=True, progressive=True, **profile)
    elif output_format == "WEBP":
        picture.save(out, format="WEBP", quality=QUALITY, method=4, **profile)
    else:
        picture.save(out, format="PNG", **profile)
