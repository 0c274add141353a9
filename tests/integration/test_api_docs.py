"""/schema: the API documentation is served by the app itself, works offline, and carries the same
security headers as every page."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx
from litestar import Response
from litestar.routes import HTTPRoute

from certify.domain import file_types
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


UPLOADED_TYPES = sorted(file_types.EXTENSIONS)
FILE_ROUTES = {
    "/api/evidence/{evidence_id}": UPLOADED_TYPES,
    "/api/evidence/{evidence_id}/thumbnail": ["image/webp"],
    "/api/material-change-files/{material_file_id}": UPLOADED_TYPES,
    "/api/representatives/{representative_id}/fullmakt": UPLOADED_TYPES,
    "/api/kept-fullmakter/{document_id}/file": UPLOADED_TYPES,
}
"""Downloads of a stored upload: the answer may be any type we accept, so each is documented."""


async def test_every_download_documents_the_types_it_answers_with(
    app: Any, anonymous: httpx.AsyncClient
) -> None:
    document = (await anonymous.get("/schema/openapi.json")).json()
    for path, types in FILE_ROUTES.items():
        ok = document["paths"][path]["get"]["responses"]["200"]
        assert sorted(ok["content"]) == types, path
        assert all(m["schema"] == {"type": "string", "format": "binary"} for m in ok["content"].values())
    for path in ("/api/evidence/{evidence_id}", "/api/evidence/{evidence_id}/thumbnail"):
        assert "304" in document["paths"][path]["get"]["responses"], "If-None-Match answers 304"
    files = [
        (method.lower(), re.sub(r"{(\w+):\w+}", r"{\1}", route.path))
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        if handler.resolve_include_in_schema()
        and handler.parsed_fn_signature.return_type.annotation == Response[bytes]
        for method in handler.http_methods
    ]
    assert len(files) >= len(FILE_ROUTES)
    documented = {(m, p): document["paths"][p][m]["responses"]["200"] for m, p in files}
    as_json = [f"{m} {p}" for (m, p), ok in documented.items() if "application/json" in ok.get("content", {})]
    assert not as_json, "a file is documented as JSON"
