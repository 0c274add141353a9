"""Driving the HTML pages like a browser: fetch the form for its CSRF token, post, follow."""

from __future__ import annotations

import io
import re
from typing import Any

import httpx
import pikepdf
from PIL import Image

_TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')


def _picture(image_format: str) -> bytes:
    """A real small picture: uploaded images are decoded and encoded anew, so a header is not enough.
    The PNG is already in its normalised form (stored byte for byte as sent)."""
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (40, 120, 60)).save(out, format=image_format)
    return out.getvalue()


PNG = _picture("PNG")
JPEG = _picture("JPEG")
WEBP = _picture("WEBP")


def _blank_pdf() -> bytes:
    """A real one-page PDF: uploads are parsed, so a PDF header alone is not enough."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


PDF = _blank_pdf()


def token_in(html: str) -> str:
    match = _TOKEN.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


async def submit(
    client: httpx.AsyncClient,
    form_page: str,
    action: str,
    data: dict[str, Any] | None = None,
    files: list[tuple[str, tuple[str, bytes, str]]] | None = None,
) -> httpx.Response:
    """GET the page holding the form (for the token), then POST the form as a browser would."""
    page = await client.get(form_page)
    assert page.status_code == 200, f"{form_page}: {page.status_code}"
    body = {"_csrf_token": token_in(page.text), **(data or {})}
    return await client.post(action, data=body, files=files)


def errors_in(html: str) -> list[str]:
    """The texts of the error summary's items."""
    summary = html.split('class="error-summary"', 1)
    if len(summary) < 2:
        return []
    items = re.findall(r"<li>(.*?)</li>", summary[1].split("</div>", 1)[0], re.S)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in items]
