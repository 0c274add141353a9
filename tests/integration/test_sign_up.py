"""Signing up through the API: the same answer whether the address has an account, and throttled."""

from __future__ import annotations

from typing import Any

import httpx

from certify.domain.status import Role
from certify.tables import Account, OutboxMessage
from tests.conftest import PASSWORD, World

NEW_PASSWORD = "ett långt lösenord"


def client_at(app: Any, address: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(address, 40000)), base_url="https://t"
    )


async def register(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post(
        "/api/auth/register", json={"email": email, "password": NEW_PASSWORD, "name": "X"}
    )


async def test_the_answer_does_not_tell_whether_the_address_has_an_account(world: World, app: Any) -> None:
    await world.kommun()
    await world.user(Role.owner)
    async with client_at(app, "198.51.100.1") as a, client_at(app, "198.51.100.2") as b:
        taken, new = await register(a, "owner1@example.se"), await register(b, "ny@example.se")
    assert taken.status_code == new.status_code == 202
    assert taken.content == new.content
    assert sorted(taken.cookies.keys()) == sorted(new.cookies.keys()) == []

    [mail] = await OutboxMessage.select().where(OutboxMessage.recipient == "owner1@example.se").run()
    assert mail["subject"] == "Du har redan ett konto" and "/glomt-losenord" in mail["body_text"]
    assert await Account.count().where(Account.email == "ny@example.se") == 1
    async with client_at(app, "198.51.100.3") as c:
        old = await c.post("/api/auth/login", json={"email": "owner1@example.se", "password": PASSWORD})
        assert old.status_code == 200, "the existing account keeps its password"
        assert (
            await c.post("/api/auth/login", json={"email": "ny@example.se", "password": NEW_PASSWORD})
        ).status_code == 200


async def test_sign_ups_are_throttled_per_client_and_per_address(world: World, app: Any) -> None:
    await world.kommun()
    await world.user(Role.owner)
    async with client_at(app, "203.0.113.7") as one:
        answers = [(await register(one, f"ny{n}@example.se")).status_code for n in range(31)]
    assert answers == [202] * 30 + [429]
    assert await Account.count().where(Account.email == "ny30@example.se") == 0

    for n in range(5):
        async with client_at(app, f"192.0.2.{n + 1}") as someone:
            assert (await register(someone, "owner1@example.se")).status_code == 202
    sent = await OutboxMessage.count().where(OutboxMessage.recipient == "owner1@example.se")
    assert sent == 3, "the address's owner is not flooded with mail"
