"""What the log says about refusals and faults: a CSRF refusal is a 403, a real fault is logged with
its traceback under the request id the client was given, and the client never sees the fault."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from litestar import get

from certify.domain.status import Role
from certify.web.guards import PUBLIC
from certify.web.observability import SECURITY_HEADERS, JsonLineFormatter
from tests.conftest import World

SECRET_DETAIL = "database password is hunter2"


@pytest.fixture
def log_lines() -> Iterator[list[dict[str, Any]]]:
    """Everything the app logs under `certify`, as the JSON lines the log collector gets."""
    lines: list[dict[str, Any]] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(json.loads(JsonLineFormatter().format(record)))  # type: ignore[method-assign]
    logger = logging.getLogger("certify")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


def request_line(lines: list[dict[str, Any]], response: httpx.Response) -> dict[str, Any]:
    mine = [
        x for x in lines if x["message"] == "request" and x["request_id"] == response.headers["x-request-id"]
    ]
    assert len(mine) == 1, lines
    return mine[0]


def has_security_headers(response: httpx.Response) -> bool:
    return all(response.headers.get(name) == value for name, value in SECURITY_HEADERS.items())


async def test_a_csrf_refusal_is_logged_as_403_with_the_usual_headers(
    world: World, log_lines: list[dict[str, Any]]
) -> None:
    await world.kommun()
    _, owner = await world.client_for(Role.owner)
    response = await owner.post("/butiker/ny", data={"name": "Utan token"})
    assert response.status_code == 403
    assert "Sidan hade legat öppen för länge" in response.text
    assert request_line(log_lines, response)["status"] == 403
    assert has_security_headers(response)
    assert not any(x["level"] == "error" for x in log_lines)


@get("/api/prov/fel", opt=PUBLIC, include_in_schema=False)
async def failing_api() -> dict[str, str]:
    raise RuntimeError(SECRET_DETAIL)


@get("/prov/fel", opt=PUBLIC, include_in_schema=False)
async def failing_page() -> str:
    raise RuntimeError(SECRET_DETAIL)


@pytest.mark.parametrize("path", ["/api/prov/fel", "/prov/fel"])
async def test_a_fault_is_logged_with_its_traceback_and_the_client_gets_only_the_request_id(
    app: Any, anonymous: httpx.AsyncClient, log_lines: list[dict[str, Any]], path: str
) -> None:
    app.register(failing_api)
    app.register(failing_page)
    response = await anonymous.get(path)
    assert response.status_code == 500
    request_id = response.headers["x-request-id"]
    assert request_id in response.text
    assert SECRET_DETAIL not in response.text and "Traceback" not in response.text
    if path.startswith("/api/"):
        assert response.json()["extra"] == {"code": "internal_error", "request_id": request_id}
    else:
        assert "Något gick fel" in response.text and has_security_headers(response)
    errors = [x for x in log_lines if x["level"] == "error"]
    assert len(errors) == 1
    assert errors[0]["request_id"] == request_id and errors[0]["path"] == path
    assert "Traceback" in errors[0]["exception"] and SECRET_DETAIL in errors[0]["exception"]
    assert "failing_" in errors[0]["exception"], "the traceback names the function that failed"
    assert request_line(log_lines, response)["status"] == 500


async def test_an_address_no_route_matches_is_logged_and_has_the_headers(
    anonymous: httpx.AsyncClient, log_lines: list[dict[str, Any]]
) -> None:
    response = await anonymous.get("/finns-inte")
    assert response.status_code == 404
    assert request_line(log_lines, response)["status"] == 404
    assert has_security_headers(response)
