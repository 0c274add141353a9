"""The JSON API takes JSON bodies only (415 otherwise); uploads keep multipart, pages keep forms.

A page on another site can make a browser POST `text/plain`, a form or multipart without asking
first; none of these may reach a JSON endpoint."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest

from certify.domain.status import Role
from certify.services import accounts
from tests.conftest import PASSWORD, World
from tests.integration.pages import PNG
from tests.integration.scenario import Scenario, ok

CROSS_SITE_BODIES: dict[str, dict[str, Any]] = {
    "text/plain": {"content": b'{"email": "x@example.se"}', "headers": {"content-type": "text/plain"}},
    "form": {"data": {"email": "x@example.se"}},
    "multipart": {"files": {"email": ("x", b"x@example.se", "text/plain")}},
    "no type": {"content": b'{"email": "x@example.se"}', "headers": {"content-type": ""}},
}


def json_body_routes(app: Any) -> list[tuple[str, str]]:
    """Every (method, path) whose handler declares a JSON body, with its parameters filled in."""
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            data = handler.parsed_fn_signature.parameters.get("data")
            media_type = getattr(data.kwarg_definition, "media_type", None) if data else None
            if data is not None and media_type == "application/json":
                path = re.sub(r"\{\w+:int\}", "1", route.path).replace("{action:str}", "submit")
                found.extend((method, path) for method in handler.http_methods)
    return sorted(found)


def refused(response: httpx.Response) -> None:
    assert response.status_code == 415, f"{response.request.url}: {response.status_code} {response.text}"
    body = response.json()
    assert body["extra"]["code"] == "not_json"
    assert body["detail"] == "Innehållet måste skickas som JSON, med Content-Type: application/json."


async def test_every_json_endpoint_refuses_other_content_types(world: World, app: Any) -> None:
    await Scenario.create(world)
    _, kommun = await world.client_for(Role.kommun)
    routes = json_body_routes(app)
    assert ("POST", "/api/auth/login") in routes and ("PUT", "/api/applications/1/answers/1") in routes
    assert len(routes) >= 11
    for method, path in routes:
        for body in CROSS_SITE_BODIES.values():
            refused(await kommun.request(method, path, **body))


async def test_a_text_plain_login_is_refused_and_json_still_logs_in(world: World) -> None:
    user = await accounts.get_user(await world.user(Role.owner))
    client = world.new_client()
    body = json.dumps({"email": user.email, "password": PASSWORD})
    refused(await client.post("/api/auth/login", content=body, headers={"content-type": "text/plain"}))
    assert "certify_session" not in client.cookies
    response = await client.post(
        "/api/auth/login", content=body, headers={"content-type": "application/json; charset=utf-8"}
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("kind", ["text/plain", "form", "multipart"])
async def test_a_body_less_api_action_refuses_a_cross_site_body(world: World, kind: str) -> None:
    s = await Scenario.create(world)
    other = await world.user(Role.inspector)
    refused(await s.kommun.post(f"/api/users/{other}/deactivate", **CROSS_SITE_BODIES[kind]))
    users = await ok(await s.kommun.get("/api/users"))
    assert next(u for u in users if u["id"] == other)["active"], "the account was not touched"
    done = await s.kommun.post(f"/api/users/{other}/deactivate")
    assert done.status_code == 200, "without a body it still works"


async def test_uploads_keep_multipart_and_an_empty_action_needs_no_type(world: World) -> None:
    s = await Scenario.create(world)
    upload = await s.owner.post(
        f"/api/applications/{s.case_id}/evidence",
        params={"point": 1},
        files={"file": ("kassa.png", PNG, "image/png")},
    )
    assert upload.status_code == 201, upload.text
    await s.answer_all()
    assert (await s.owner.post(f"/api/applications/{s.case_id}/submit")).status_code == 200
