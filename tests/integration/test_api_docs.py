"""/schema: the API documentation is served by the app itself, works offline, and carries the same
security headers as every page."""

from __future__ import annotations

import html
import re

import httpx

from certify.web.observability import SECURITY_HEADERS


async def test_the_docs_load_nothing_from_elsewhere_and_carry_the_security_headers(
    anonymous: httpx.AsyncClient,
) -> None:
    response = await anonymous.get("/schema")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S | re.I)
    assert all(re.search(r'src="/[^/]', attrs) and not body.strip() for attrs, body in scripts), scripts
    assert "<style" not in page.lower() and "style=" not in page.lower()
    addresses = re.findall(r'(?:src|href|action)\s*=\s*["\']?([^"\'\s>]+)', page)
    assert addresses and all(a.startswith(("/", "#")) and not a.startswith("//") for a in addresses), (
        addresses
    )
    assert not re.search(r"https?://", page), "no external address at all"
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name


async def test_the_docs_list_every_operation_of_the_openapi_document(anonymous: httpx.AsyncClient) -> None:
    document = (await anonymous.get("/schema/openapi.json")).json()
    page = html.unescape((await anonymous.get("/schema")).text)
    operations = [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in ("get", "post", "put", "patch", "delete")
        if method in item
    ]
    assert len(operations) > 30
    missing = [f"{m} {p}" for m, p in operations if f"{m} {p}" not in page]
    assert not missing
    for name in document["components"]["schemas"]:
        assert f'id="typ-{name}"' in page
    assert "AnswerBody (application/json)" in page, "a body names its type"
