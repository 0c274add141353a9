"""Property-based fuzzing of the whole HTTP API from its OpenAPI schema, with each role's
session and without one: no 5xx, every status and body as documented."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from certify.domain.status import Role
from tests.conftest import PASSWORD, World
from tests.integration.scenario import Scenario
from tests.live_server import LiveServer

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))


def _fuzz(url: str, cookie: str | None) -> subprocess.CompletedProcess[str]:
    command = [
        SCHEMATHESIS,
        "run",
        f"{url}/schema/openapi.json",
        "--checks",
        CHECKS,
        "--max-examples",
        "8",
        "--phases",
        "examples,coverage,fuzzing",
        "--seed",
        "20261125",
        "--exclude-path",
        "/api/auth/logout",
        "--request-timeout",
        "30",
        "--no-color",
        "--suppress-health-check",
        "all",
    ]
    if cookie:
        command += ["--header", f"Cookie: certify_session={cookie}"]
    # Its own working directory: schemathesis keeps a cache there that must not land in the repository.
    with tempfile.TemporaryDirectory(prefix="certify-fuzz-") as cwd:
        return subprocess.run(command, capture_output=True, text=True, check=False, timeout=600, cwd=cwd)


async def test_the_api_survives_fuzzing_as_every_role(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("scheduled")
    certified = await Scenario.create_in(world, s)
    await certified.to_state("certified")
    server = LiveServer().start()
    try:
        emails = {
            Role.owner: "owner1@example.se",
            Role.inspector: "inspector2@example.se",
            Role.kommun: "kommun3@example.se",
        }
        cookies: dict[str, str | None] = {"anonymous": None}
        async with httpx.AsyncClient(base_url=server.url) as client:
            for role, email in emails.items():
                client.cookies.clear()
                response = await client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
                assert response.status_code == 200, response.text
                cookies[role.value] = client.cookies["certify_session"]
        for role, cookie in cookies.items():
            result = await asyncio.to_thread(_fuzz, server.url, cookie)
            assert result.returncode == 0, f"as {role}:\n{result.stdout[-6000:]}"
    finally:
        server.stop()
