"""The log-in throttle and the certificate lookup limit count per client and per account; the
client comes from X-Forwarded-For only when the peer is a trusted proxy."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from certify.domain.status import Role
from tests.conftest import PASSWORD, World
from tests.live_server import ROOT, free_port

SERVE = "from certify.server import run; run('certify.app:asgi', '127.0.0.1', {port}, 1, log_level='warning')"


def client_at(app: Any, address: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(address, 40000)), base_url="https://t"
    )


async def test_failed_logins_to_one_account_from_many_clients_are_throttled(world: World, app: Any) -> None:
    await world.kommun()
    owner = await world.user(Role.owner)
    email = f"owner{world.counter}@example.se"
    assert owner
    for n in range(10):
        async with client_at(app, f"198.51.100.{n + 1}") as guesser:
            wrong = await guesser.post("/api/auth/login", json={"email": email, "password": f"gissning {n}"})
            assert wrong.status_code == 401
    async with client_at(app, "203.0.113.50") as fresh:
        refused = await fresh.post("/api/auth/login", json={"email": email, "password": PASSWORD})
        assert refused.status_code == 429 and refused.headers["retry-after"] == "900"
        other = await fresh.post("/api/auth/login", json={"email": "owner-other@example.se", "password": "x"})
        assert other.status_code == 401, "other accounts are not locked"


class Served:
    """The service as `certify serve` runs it (server.run), in its own process."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "CERTIFY_BASE_URL": self.url, **env}
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVE.format(port=self.port)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(600):
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}")
            time.sleep(0.05)
        raise RuntimeError("the server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def rotating(url: str) -> tuple[list[int], list[int]]:
    """Eleven failed log-ins (each to another account) and 31 lookups, each with a new X-Forwarded-For."""
    with httpx.Client(base_url=url) as client:
        logins = [
            client.post(
                "/api/auth/login",
                json={"email": f"nobody{n}@example.se", "password": "fel lösenord"},
                headers={"X-Forwarded-For": f"203.0.113.{n + 1}"},
            ).status_code
            for n in range(11)
        ]
        lookups = [
            client.get(
                "/api/certificates/BLG-2026-0001", headers={"X-Forwarded-For": f"198.51.100.{n + 1}"}
            ).status_code
            for n in range(31)
        ]
    return logins, lookups


@pytest.fixture
def default_server() -> Iterator[Served]:
    server = Served({"CERTIFY_TRUSTED_PROXIES": ""})
    yield server
    server.stop()


@pytest.fixture
def behind_a_proxy() -> Iterator[Served]:
    server = Served({"CERTIFY_TRUSTED_PROXIES": "127.0.0.1"})
    yield server
    server.stop()


def test_a_forwarded_for_header_from_an_untrusted_peer_changes_nothing(default_server: Served) -> None:
    """By default no peer is a proxy, and uvicorn does not rewrite the client from the header."""
    logins, lookups = rotating(default_server.url)
    assert logins == [401] * 10 + [429]
    assert lookups[-1] == 429


def test_behind_a_trusted_proxy_each_forwarded_client_counts_alone(behind_a_proxy: Served) -> None:
    logins, lookups = rotating(behind_a_proxy.url)
    assert logins == [401] * 11
    assert 429 not in lookups
