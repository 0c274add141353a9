"""What a reader sees the same way everywhere: formats, names of states, times, sizes and grammar."""

from __future__ import annotations

import httpx


async def test_every_page_links_a_favicon_that_is_served(anonymous: httpx.AsyncClient) -> None:
    start = await anonymous.get("/")
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in start.text
    icon = await anonymous.get("/static/favicon.svg")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.startswith("<svg")
