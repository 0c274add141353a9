"""Every endpoint, called as every role and as a stranger, answers as this table says.

The table is written independently of the guards in the code; a route missing from it fails
the test, so no endpoint can be added without saying who may call it.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from certify.domain.status import Role
from tests.conftest import World
from tests.integration.scenario import Scenario, ok

PUBLIC = "public"
LOGGED_IN = "logged in"
OWNER, INSPECTOR, KOMMUN = "owner", "inspector", "kommun"

# (method, path) -> who may call it. Scoped routes also answer 404 to a stranger of that role.
TABLE: dict[tuple[str, str], set[str]] = {
    ("GET", "/health"): {PUBLIC},
    ("GET", "/ready"): {PUBLIC},
    ("POST", "/api/auth/register"): {PUBLIC},
    ("POST", "/api/auth/login"): {PUBLIC},
    ("POST", "/api/auth/logout"): {OWNER, INSPECTOR, KOMMUN},
    ("GET", "/api/me"): {OWNER, INSPECTOR, KOMMUN},
    ("GET", "/api/checklist"): {PUBLIC},
    ("GET", "/api/kommuner"): {PUBLIC},
    ("POST", "/api/users"): {KOMMUN},
    ("GET", "/api/users"): {KOMMUN},
    ("POST", "/api/businesses"): {OWNER},
    ("GET", "/api/businesses"): {OWNER, INSPECTOR, KOMMUN},
    ("GET", "/api/businesses/{business_id}"): {OWNER, INSPECTOR, KOMMUN},
    ("PATCH", "/api/businesses/{business_id}"): {OWNER, KOMMUN},
    ("POST", "/api/businesses/{business_id}/applications"): {OWNER},
    ("GET", "/api/applications"): {OWNER, INSPECTOR, KOMMUN},
    ("GET", "/api/applications/{application_id}"): {OWNER, INSPECTOR, KOMMUN},
    ("PUT", "/api/applications/{application_id}/answers/{point}"): {OWNER},
    ("PUT", "/api/applications/{application_id}/verdicts/{point}"): {INSPECTOR},
    ("POST", "/api/applications/{application_id}/{action}"): {OWNER, INSPECTOR, KOMMUN},
    ("GET", "/api/applications/{application_id}/events"): {OWNER, INSPECTOR, KOMMUN},
    ("GET", "/api/certificates/{number}"): {PUBLIC},
    ("GET", "/api/certificates/{number}/pdf"): {OWNER, INSPECTOR, KOMMUN},
    ("GET", "/api/certificates/{number}/decal.pdf"): {OWNER, INSPECTOR, KOMMUN},
    ("GET", "/api/public/certified"): {PUBLIC},
    ("GET", "/register.csv"): {PUBLIC},
}
# Routes whose object belongs to someone: a stranger of an allowed role gets 404.
SCOPED = {path for (_, path) in TABLE if "{business_id}" in path or "{application_id}" in path} | {
    "/api/certificates/{number}/pdf",
    "/api/certificates/{number}/decal.pdf",
}
NOT_OURS = {"/schema"}  # Litestar's own OpenAPI routes


def app_routes(app: Any) -> set[tuple[str, str]]:
    routes = set()
    for route in app.routes:
        if route.path.startswith(tuple(NOT_OURS)):
            continue
        path = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)  # {id:int} -> {id}
        for method in getattr(route, "methods", set()) - {"OPTIONS", "HEAD"}:
            routes.add((method, path))
    return routes


def test_every_route_is_in_the_table(app: Any) -> None:
    missing = app_routes(app) - set(TABLE)
    assert not missing, f"say who may call: {sorted(missing)}"
    assert not set(TABLE) - app_routes(app), "the table lists routes that no longer exist"


# Each role tries an action it may do; the case is certified, so the state or a rule refuses it
# (409/422) — what matters here is that no guard does.
ACTION_FOR = {OWNER: "withdraw", INSPECTOR: "approve", KOMMUN: "revoke"}
# Valid bodies, so that a stranger is refused for the object (404), not for the body (400).
BODIES = {
    "/api/applications/{application_id}/answers/{point}": {"status": "fulfilled"},
    "/api/applications/{application_id}/verdicts/{point}": {"verdict": "pass"},
}


def _fill(path: str, s: Scenario, number: str, role: str) -> str:
    return (
        path.replace("{business_id}", str(s.business_id))
        .replace("{application_id}", str(s.case_id))
        .replace("{point}", "1")
        .replace("{action}", ACTION_FOR.get(role, "withdraw"))
        .replace("{number}", number)
    )


@pytest.fixture
async def parties(world: World) -> dict[str, Any]:
    s = await Scenario.create(world)
    case = await s.to_state("certified")
    await world.kommun("2080", "Falu kommun")
    strangers = {
        OWNER: (await world.client_for(Role.owner))[1],
        INSPECTOR: (await world.client_for(Role.inspector))[1],
        KOMMUN: (await world.client_for(Role.kommun, ["2080"]))[1],
    }
    return {
        "scenario": s,
        "number": case["certificate"]["number"],
        "clients": {OWNER: s.owner, INSPECTOR: s.inspector, KOMMUN: s.kommun},
        "strangers": strangers,
        "anonymous": world.new_client(),
    }


async def _call(client: httpx.AsyncClient, method: str, template: str, path: str) -> int:
    if method in {"POST", "PUT", "PATCH"}:
        return (await client.request(method, path, json=BODIES.get(template, {}))).status_code
    return (await client.request(method, path)).status_code


async def test_each_role_gets_what_the_table_says(app: Any, parties: dict[str, Any]) -> None:
    s: Scenario = parties["scenario"]
    problems = []
    for (method, template), allowed in sorted(TABLE.items()):
        if template == "/api/auth/logout":
            continue  # it would end the sessions the rest of the table uses; tested below
        anonymous = await _call(
            parties["anonymous"], method, template, _fill(template, s, parties["number"], "")
        )
        if PUBLIC not in allowed and anonymous != 401:
            problems.append(f"anonymous {method} {template}: {anonymous}, expected 401")
        for role, client in parties["clients"].items():
            path = _fill(template, s, parties["number"], role)
            status = await _call(client, method, template, path)
            if PUBLIC in allowed or role in allowed:
                if status in {401, 403}:
                    problems.append(f"{role} {method} {template}: {status}, expected access")
            elif status != 403:
                problems.append(f"{role} {method} {template}: {status}, expected 403")
            stranger = await _call(parties["strangers"][role], method, template, path)
            if template in SCOPED and role in allowed and stranger != 404:
                problems.append(f"stranger {role} {method} {template}: {stranger}, expected 404")
    assert not problems, "\n".join(problems)


async def test_logout_ends_the_session(parties: dict[str, Any]) -> None:
    owner: httpx.AsyncClient = parties["clients"][OWNER]
    await ok(await owner.post("/api/auth/logout"), 204)
    assert (await owner.get("/api/me")).status_code == 401
