"""Which evidence files we accept, recognised from their first bytes (never from the name)."""

from __future__ import annotations

from collections.abc import Mapping

ACCEPTED_LABEL = "en bild (JPEG, PNG, WebP eller HEIC) eller ett PDF-dokument"
HEIC_BRANDS = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"}
)
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/heic"})
BROWSER_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
"""Images a browser can show as a thumbnail (HEIC cannot be shown by most browsers)."""

EXTENSIONS: Mapping[str, str] = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "application/pdf": "pdf",
}


def detect(head: bytes) -> str | None:
    """The media type of a file from its leading bytes, or None when it is not one we accept."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in HEIC_BRANDS:
        return "image/heic"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None
