"""Forgot the password: an e-mailed single-use link that expires, throttled, and sent by the kommun."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import lxml.html

from certify.domain.status import Role
from certify.services.clock import now
from certify.services.tokens import token_hash
from certify.tables import Account, OutboxMessage, PasswordReset
from tests.conftest import PASSWORD, World
from tests.integration.pages import submit
from tests.integration.scenario import Scenario, ok

NEW_PASSWORD = "ett helt nytt lösenord"
_LINK = re.compile(r"https://certify\.test\.borlange\.se(/nytt-losenord/[A-Za-z0-9_-]+)")


def _text(html: str) -> str:
    """What a reader sees: the words without their markup (a number may sit in its own <bdi>)."""
    return " ".join(lxml.html.document_fromstring(html).text_content().split())


async def mailed_links(recipient: str) -> list[str]:
    rows = (
        await OutboxMessage.select(OutboxMessage.body_text)
        .where((OutboxMessage.recipient == recipient) & (OutboxMessage.kind == "password_reset"))
        .order_by(OutboxMessage.id)
        .run()
    )
    return [path for r in rows for path in _LINK.findall(r["body_text"])]


async def ask(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await submit(client, "/glomt-losenord", "/glomt-losenord", {"email": email})


async def test_forgotten_password_journey_through_the_pages(world: World) -> None:
    await world.kommun()
    owner_id, logged_in_elsewhere = await world.client_for(Role.owner)
    email = "owner1@example.se"
    visitor = world.new_client()
    assert 'href="/glomt-losenord">Glömt lösenordet?' in (await visitor.get("/logga-in")).text

    known, unknown = await ask(visitor, email), await ask(visitor, "ingen@example.se")
    assert known.status_code == unknown.status_code == 200
    assert "Om det finns ett konto med adressen owner1@example.se" in _text(known.text)
    assert "Om det finns ett konto med adressen ingen@example.se" in _text(unknown.text)
    assert await mailed_links("ingen@example.se") == []
    [link] = await mailed_links(email)
    token = link.rsplit("/", 1)[1]
    stored = await PasswordReset.select(PasswordReset.token_hash).run()
    assert [r["token_hash"] for r in stored] == [token_hash(token)], "only the hash is kept"

    form = await visitor.get(link)
    assert form.status_code == 200 and "För kontot owner1@example.se" in _text(form.text)
    mismatch = await submit(visitor, link, link, {"password": NEW_PASSWORD, "repeat": "något annat"})
    assert mismatch.status_code == 400 and "samma lösenord" in mismatch.text
    done = await submit(visitor, link, link, {"password": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert done.status_code == 303 and done.headers["location"] == "/logga-in?klart=nytt-losenord"
    assert "Lösenordet är bytt" in (await visitor.get(done.headers["location"])).text

    assert (await logged_in_elsewhere.get("/api/me")).status_code == 401, "other sessions ended"
    login = world.new_client()
    old = await login.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert old.status_code == 401
    new = await login.post("/api/auth/login", json={"email": email, "password": NEW_PASSWORD})
    assert new.status_code == 200

    again = await visitor.get(link)
    assert again.status_code == 404 and "redan använts eller gått ut" in again.text
    token_page = await world.new_client().get("/logga-in")
    assert token_page.status_code == 200
    reused = await world.new_client().post(
        "/api/auth/reset-password", json={"token": token, "new_password": "ännu ett lösenord här"}
    )
    assert reused.status_code == 404
    assert owner_id


async def test_a_link_expires_and_using_one_spends_the_others(world: World) -> None:
    await world.kommun()
    account_id = await world.user(Role.owner)
    email = "owner1@example.se"
    client = world.new_client()
    await ok(await client.post("/api/auth/forgot-password", json={"email": email}), 202)
    await ok(await client.post("/api/auth/forgot-password", json={"email": email}), 202)
    first, second = await mailed_links(email)
    await (
        PasswordReset.update({PasswordReset.expires_at: now() - timedelta(seconds=1)})
        .where(PasswordReset.token_hash == token_hash(first.rsplit("/", 1)[1]))
        .run()
    )
    assert (await client.get(first)).status_code == 404
    expired = await client.post(
        "/api/auth/reset-password", json={"token": first.rsplit("/", 1)[1], "new_password": NEW_PASSWORD}
    )
    assert expired.status_code == 404

    await ok(await client.post("/api/auth/forgot-password", json={"email": email}), 202)
    third = (await mailed_links(email))[2]
    await Account.update({Account.must_change_password: True}).where(Account.id == account_id).run()
    await ok(
        await client.post(
            "/api/auth/reset-password", json={"token": third.rsplit("/", 1)[1], "new_password": NEW_PASSWORD}
        ),
        204,
    )
    assert (await client.get(second)).status_code == 404, "every open link of the account is spent"
    me = await world.new_client().post("/api/auth/login", json={"email": email, "password": NEW_PASSWORD})
    assert me.status_code == 200 and not me.json()["must_change_password"]
    short = await client.post("/api/auth/forgot-password", json={"email": "inte en adress"})
    assert short.status_code == 400


async def test_requests_are_throttled_per_address_and_per_client(world: World) -> None:
    await world.kommun()
    await world.user(Role.owner)
    email = "owner1@example.se"
    for _ in range(5):
        await ok(await world.new_client().post("/api/auth/forgot-password", json={"email": email}), 202)
    assert len(await mailed_links(email)) == 3, "the same answer, but no more mails to one address"
    client = world.new_client()
    answers = [
        (await client.post("/api/auth/forgot-password", json={"email": f"x{i}@example.se"})).status_code
        for i in range(6)
    ]
    assert answers == [202] * 5 + [429], "ten a quarter per client, the five above included"
    assert (await ask(world.new_client(), "y@example.se")).status_code == 429


async def test_the_kommun_finds_an_owner_and_sends_a_link(world: World) -> None:
    s = await Scenario.create(world)
    other = await Scenario.create_in(world, s)
    assert other.owner_id == s.owner_id
    page = await s.kommun.get("/kommun/anvandare")
    assert "Owner 1" in page.text and "owner1@example.se" in page.text
    assert "<bdi>Åkes Järn &amp; Färg 1</bdi>, <bdi>Åkes Järn &amp; Färg 102</bdi>" in page.text
    found = await s.kommun.get("/kommun/anvandare", params={"sok": "OWNER1@"})
    assert "Skicka länk för nytt lösenord" in found.text
    missing = await s.kommun.get("/kommun/anvandare", params={"sok": "finns inte"})
    assert "Ingen butiksägare matchar sökningen." in missing.text

    sent = await submit(s.kommun, "/kommun/anvandare", f"/kommun/anvandare/{s.owner_id}/skicka-losenordslank")
    assert sent.status_code == 303
    assert "Länken för nytt lösenord är skickad" in (await s.kommun.get(sent.headers["location"])).text
    [link] = await mailed_links("owner1@example.se")
    outbox = await ok(await s.kommun.get("/api/outbox"))
    assert all(link not in m["body_text"] for m in outbox), "case officers never see a working link"
    await ok(await s.kommun.post(f"/api/users/{s.owner_id}/send-reset-link"), 202)
    assert len(await mailed_links("owner1@example.se")) == 2

    refused_staff = await s.kommun.post(f"/api/users/{s.inspector_id}/send-reset-link")
    assert refused_staff.status_code == 404
    await world.kommun("2080", "Falu kommun")
    _, elsewhere = await world.client_for(Role.kommun, ["2080"])
    assert (await elsewhere.post(f"/api/users/{s.owner_id}/send-reset-link")).status_code == 404
    assert "owner1@example.se" not in (await elsewhere.get("/kommun/anvandare")).text
    assert (await s.owner.post(f"/api/users/{s.owner_id}/send-reset-link")).status_code == 403
