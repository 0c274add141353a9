"""Many photos uploaded at once are decoded a few at a time, so their pictures never all take the
memory together (services/evidence.py, IMAGES_AT_ONCE)."""

from __future__ import annotations

import asyncio
import io
import threading
import time

import pytest
from PIL import Image

from certify.images import normalised
from certify.services import evidence
from certify.services.evidence import IMAGES_AT_ONCE, UploadLimits


async def test_at_most_a_few_pictures_are_decoded_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    real = normalised.normalise
    lock, inside, most = threading.Lock(), [0], [0]

    def watched(data: bytes, max_px: int) -> normalised.Normalised:
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        try:
            time.sleep(0.05)  # long enough for every waiting upload to try to come in
            return real(data, max_px)
        finally:
            with lock:
                inside[0] -= 1

    monkeypatch.setattr(normalised, "normalise", watched)
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 30, 30)).save(out, format="JPEG")
    limits = UploadLimits(max_bytes=1_000_000, max_per_case=20, image_max_px=100)
    checked = await asyncio.gather(
        *(evidence.checked_upload(out.getvalue(), f"{n}.jpg", limits, field="file") for n in range(8))
    )
    assert most[0] == IMAGES_AT_ONCE
    assert all(Image.open(io.BytesIO(c.data)).size == (100, 67) for c in checked)
