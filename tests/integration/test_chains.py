"""Chains and their member shops: an owner creates a chain (and represents it), invites a shop's
owner who accepts for a shop he represents, or adds a shop he represents himself; a shop is in one
chain at most. Who sees what: the chain's representatives every member with its status, a member
shop's owner only his own membership, a kommun only the members in its kommun, nobody else anything."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from certify.domain.org_number import with_check_digit
from certify.domain.status import Role
from certify.services import clock
from certify.tables import Account, ChainInvitation, Event, OutboxMessage
from tests.conftest import PASSWORD, World
from tests.integration.pages import errors_in, submit, token_in
from tests.integration.scenario import Scenario, ok, shop_fields

CHAIN_NUMBER = with_check_digit("556677889")


async def create_chain(
    client: httpx.AsyncClient, number: str = CHAIN_NUMBER, name: str = "Kvartersbutiken"
) -> Any:
    return await ok(await client.post("/api/chains", json={"name": name, "org_number": number}), 201)


async def invitation_token(address: str) -> str:
    rows = (
        await OutboxMessage.select(OutboxMessage.body_text)
        .where((OutboxMessage.kind == "chain_invitation") & (OutboxMessage.recipient == address))
        .order_by(OutboxMessage.id, ascending=False)
        .run()
    )
    line = next(line for line in rows[0]["body_text"].splitlines() if "/kedjeinbjudan/" in line)
    return line.rsplit("/", 1)[1].strip()


async def shop_owner(
    world: World, index: int, kommun: str = "2081", **fields: Any
) -> tuple[Any, httpx.AsyncClient, int]:
    """An owner account with one shop of its own; answers (email, client, business id)."""
    _, client = await world.client_for(Role.owner)
    email = (await ok(await client.get("/api/me")))["email"]
    shop = await ok(
        await client.post("/api/businesses", json=shop_fields(index, kommun_code=kommun, **fields)), 201
    )
    return email, client, shop["id"]


async def test_an_owner_creates_a_chain_with_a_valid_unique_org_number(world: World) -> None:
    await world.kommun()
    _, owner = await world.client_for(Role.owner)
    wrong_digit = CHAIN_NUMBER[:9] + str((int(CHAIN_NUMBER[9]) + 1) % 10)
    bad = await ok(await owner.post("/api/chains", json={"name": "Kedjan", "org_number": wrong_digit}), 400)
    assert bad["extra"] == {"code": "org_number_check_digit", "field": "org_number"}
    chain = await create_chain(owner)
    assert chain["org_number"] == f"{CHAIN_NUMBER[:6]}-{CHAIN_NUMBER[6:]}"
    assert chain["you_represent"] and [r["name"] for r in chain["representatives"]] == ["Owner 1"]
    _, other = await world.client_for(Role.owner)
    taken = await ok(await other.post("/api/chains", json={"name": "Kopia", "org_number": CHAIN_NUMBER}), 409)
    assert taken["extra"]["code"] == "chain_org_number_taken"
    created = await Event.select(Event.action, Event.application).where(Event.action == "chain_created").run()
    assert created == [{"action": "chain_created", "application": None}], "in the audit trail, without a case"


async def test_an_invited_owner_accepts_for_his_own_shop_once(world: World) -> None:
    await world.kommun()
    _, chain_owner = await world.client_for(Role.owner)
    chain = await create_chain(chain_owner)
    email, member, shop_id = await shop_owner(world, 1)
    _, _, other_shop = await shop_owner(world, 2)

    await ok(await chain_owner.post(f"/api/chains/{chain['id']}/invitations", json={"email": email}), 201)
    token = await invitation_token(email)
    assert (await member.get(f"/api/chains/{chain['id']}")).status_code == 404, "not before he accepts"
    not_his = await ok(
        await member.post(f"/api/chain-invitations/{token}/accept", json={"business_id": other_shop}), 404
    )
    assert not_his["extra"]["code"] == "business_not_found"
    joined = await ok(
        await member.post(f"/api/chain-invitations/{token}/accept", json={"business_id": shop_id})
    )
    assert [m["business_id"] for m in joined["members"]] == [shop_id] and not joined["you_represent"]
    again = await ok(
        await member.post(f"/api/chain-invitations/{token}/accept", json={"business_id": shop_id}), 404
    )
    assert again["extra"]["code"] == "chain_invitation_not_found"
    seen = await ok(await chain_owner.get(f"/api/chains/{chain['id']}"))
    assert [(m["business_id"], m["way"]) for m in seen["members"]] == [(shop_id, "invited")]
    actions = {r["action"] for r in await Event.select(Event.action).run()}
    assert {"chain_created", "chain_invited", "chain_joined"} <= actions


async def test_the_invitation_page_lets_the_owner_pick_his_shop(world: World) -> None:
    await world.kommun()
    _, chain_owner = await world.client_for(Role.owner)
    chain = await create_chain(chain_owner)
    refused = await submit(
        chain_owner,
        f"/kedjor/{chain['id']}",
        f"/kedjor/{chain['id']}/bjud-in",
        data={"e-post": "inte en adress"},
    )
    assert refused.status_code == 400 and errors_in(refused.text) == [
        "Skriv en e-postadress, till exempel namn@exempel.se."
    ]
    email, member, shop_id = await shop_owner(world, 1)
    sent = await submit(
        chain_owner, f"/kedjor/{chain['id']}", f"/kedjor/{chain['id']}/bjud-in", data={"e-post": email}
    )
    assert sent.status_code == 303 and sent.headers["location"] == f"/kedjor/{chain['id']}?klart=inbjuden"
    token = await invitation_token(email)
    landing = await member.get(f"/kedjeinbjudan/{token}")
    assert landing.status_code == 200 and "Kvartersbutiken" in landing.text
    accepted = await member.post(
        f"/kedjeinbjudan/{token}", data={"_csrf_token": token_in(landing.text), "butik": str(shop_id)}
    )
    assert (
        accepted.status_code == 303 and accepted.headers["location"] == f"/kedjor/{chain['id']}?klart=medlem"
    )
    assert (await member.get(f"/kedjeinbjudan/{token}")).status_code == 404, "used"
    mine = await member.get(f"/kedjor/{chain['id']}")
    assert "Din butik i kedjan" in mine.text and "Åkes Järn &amp; Färg 1" in mine.text


async def test_a_representative_adds_only_a_shop_he_represents_and_a_shop_is_in_one_chain(
    world: World,
) -> None:
    s = await Scenario.create(world)
    chain = await create_chain(s.owner)
    _, _, stranger_shop = await shop_owner(world, 7)
    refused = await ok(
        await s.owner.post(f"/api/chains/{chain['id']}/members", json={"business_id": stranger_shop}), 404
    )
    assert refused["extra"]["code"] == "business_not_found"
    added = await ok(
        await s.owner.post(f"/api/chains/{chain['id']}/members", json={"business_id": s.business_id}), 201
    )
    assert [(m["business_id"], m["way"]) for m in added["members"]] == [(s.business_id, "own")]
    second = await create_chain(s.owner, with_check_digit("556677111"), "Andra kedjan")
    twice = await ok(
        await s.owner.post(f"/api/chains/{second['id']}/members", json={"business_id": s.business_id}), 409
    )
    assert twice["extra"]["code"] == "shop_already_in_chain"
    # Through an invitation too.
    await ok(
        await s.owner.post(f"/api/chains/{second['id']}/invitations", json={"email": "owner1@example.se"}),
        201,
    )
    token = await invitation_token("owner1@example.se")
    busy = await ok(
        await s.owner.post(f"/api/chain-invitations/{token}/accept", json={"business_id": s.business_id}), 409
    )
    assert busy["extra"]["code"] == "shop_already_in_chain"
    # Out of the first chain, the shop may join the second.
    await ok(await s.owner.delete(f"/api/chains/{chain['id']}/members/{s.business_id}"), 204)
    await ok(
        await s.owner.post(f"/api/chains/{second['id']}/members", json={"business_id": s.business_id}), 201
    )


async def test_representatives_are_added_by_address_and_the_last_cannot_leave(world: World) -> None:
    await world.kommun()
    _, first = await world.client_for(Role.owner)
    chain = await create_chain(first)
    path = f"/api/chains/{chain['id']}"
    last = await ok(await first.delete(f"{path}/representatives/me"), 422)
    assert last["extra"]["code"] == "last_chain_representative"
    unknown = await ok(await first.post(f"{path}/representatives", json={"email": "ingen@example.se"}), 422)
    assert unknown["extra"]["code"] == "chain_account_unknown"
    _, second = await world.client_for(Role.owner)
    added = await ok(await first.post(f"{path}/representatives", json={"email": "owner2@example.se"}))
    assert [r["email"] for r in added["representatives"]] == ["owner1@example.se", "owner2@example.se"]
    assert (await ok(await second.get(path)))["you_represent"]
    await ok(await first.delete(f"{path}/representatives/me"), 204)
    assert (await first.get(path)).status_code == 404, "he left: the chain is out of his sight"
    assert (await ok(await second.get(path)))["you_represent"]


async def test_who_sees_which_members(world: World) -> None:
    """The chain sees all members with status; a member shop's owner only his own; another chain
    nothing; a kommun only its own kommun's members; another kommun and an inspector nothing."""
    s = await Scenario.create(world)  # kommun 2081, its shop will be in the chain
    await world.kommun("2080", "Falu kommun")
    _, chain_owner = await world.client_for(Role.owner)
    chain = await create_chain(chain_owner)
    email_a, owner_a, shop_a = await shop_owner(world, 21, kommun="2080", postal_code="791 71", city="Falun")
    for address, client, shop_id in (
        ("owner1@example.se", s.owner, s.business_id),
        (email_a, owner_a, shop_a),
    ):
        await ok(
            await chain_owner.post(f"/api/chains/{chain['id']}/invitations", json={"email": address}), 201
        )
        token = await invitation_token(address)
        await ok(await client.post(f"/api/chain-invitations/{token}/accept", json={"business_id": shop_id}))
    await s.to_state("certified")

    full = await ok(await chain_owner.get(f"/api/chains/{chain['id']}"))
    by_id = {m["business_id"]: m for m in full["members"]}
    assert set(by_id) == {s.business_id, shop_a}
    assert (
        by_id[s.business_id]["certificate_status"] == "valid"
        and by_id[s.business_id]["case_state"] == "certified"
    )
    assert (
        by_id[s.business_id]["certificate_valid_until"]
        and by_id[s.business_id]["kommun"] == "Borlänge kommun"
    )
    assert by_id[shop_a]["certificate_status"] is None and by_id[shop_a]["case_state"] is None
    page = await chain_owner.get(f"/kedjor/{chain['id']}")
    assert page.status_code == 200 and "Falu kommun" in page.text and "Borlänge kommun" in page.text

    own = await ok(await owner_a.get(f"/api/chains/{chain['id']}"))
    assert [m["business_id"] for m in own["members"]] == [shop_a] and own["representatives"] == []
    assert [c["id"] for c in await ok(await owner_a.get("/api/chains"))] == [chain["id"]]
    assert "Åkes Järn &amp; Färg 1" not in (await owner_a.get(f"/kedjor/{chain['id']}")).text

    _, other_chain_owner = await world.client_for(Role.owner)
    await create_chain(other_chain_owner, with_check_digit("556677222"), "Annan kedja")
    assert (await other_chain_owner.get(f"/api/chains/{chain['id']}")).status_code == 404
    assert (await other_chain_owner.get(f"/kedjor/{chain['id']}")).status_code == 404
    assert (
        await other_chain_owner.post(f"/api/chains/{chain['id']}/invitations", json={"email": "x@example.se"})
    ).status_code == 404
    assert (await other_chain_owner.delete(f"/api/chains/{chain['id']}/members/{shop_a}")).status_code == 404

    kommun_view = await ok(await s.kommun.get("/api/kommun/chains"))
    assert [(c["id"], [m["business_id"] for m in c["members"]]) for c in kommun_view] == [
        (chain["id"], [s.business_id])
    ]
    kommun_page = await s.kommun.get("/kommun/kedjor")
    assert (
        kommun_page.status_code == 200
        and "Kvartersbutiken" in kommun_page.text
        and "Falun" not in kommun_page.text
    )
    _, falun = await world.client_for(Role.kommun, ["2080"])
    assert [
        m["business_id"] for c in await ok(await falun.get("/api/kommun/chains")) for m in c["members"]
    ] == [shop_a]
    await world.kommun("2082", "Annan kommun")
    _, elsewhere = await world.client_for(Role.kommun, ["2082"])
    assert await ok(await elsewhere.get("/api/kommun/chains")) == []
    assert (await s.inspector.get(f"/api/chains/{chain['id']}")).status_code == 403
    assert (await s.inspector.get("/api/kommun/chains")).status_code == 403
    assert (await s.kommun.get(f"/api/chains/{chain['id']}")).status_code == 403


async def test_a_member_shop_owner_takes_his_shop_out(world: World) -> None:
    await world.kommun()
    _, chain_owner = await world.client_for(Role.owner)
    chain = await create_chain(chain_owner)
    email, member, shop_id = await shop_owner(world, 1)
    await ok(await chain_owner.post(f"/api/chains/{chain['id']}/invitations", json={"email": email}), 201)
    await ok(
        await member.post(
            f"/api/chain-invitations/{await invitation_token(email)}/accept", json={"business_id": shop_id}
        )
    )
    out = await submit(member, f"/kedjor/{chain['id']}", f"/kedjor/{chain['id']}/medlemmar/{shop_id}/ta-bort")
    assert out.status_code == 303 and out.headers["location"] == "/kedjor?klart=borttagen"
    assert (await member.get(f"/api/chains/{chain['id']}")).status_code == 404
    assert (await ok(await chain_owner.get(f"/api/chains/{chain['id']}")))["members"] == []
    assert "chain_left" in {r["action"] for r in await Event.select(Event.action).run()}


async def test_the_create_form_names_the_wrong_field(world: World) -> None:
    await world.kommun()
    _, owner = await world.client_for(Role.owner)
    refused = await submit(owner, "/kedjor", "/kedjor", data={"namn": "Kedjan", "organisationsnummer": "12"})
    assert refused.status_code == 400
    assert errors_in(refused.text) == [
        "Organisationsnumret ska ha tio siffror: NNNNNN-NNNN eller NNNNNNNNNN."
    ]
    created = await submit(
        owner, "/kedjor", "/kedjor", data={"namn": "Kedjan", "organisationsnummer": CHAIN_NUMBER}
    )
    assert created.status_code == 303 and created.headers["location"].endswith("?klart=skapad")
    twice = await submit(
        owner, "/kedjor", "/kedjor", data={"namn": "Kedjan", "organisationsnummer": CHAIN_NUMBER}
    )
    assert twice.status_code == 409 and errors_in(twice.text) == [
        "Det finns redan en kedja med det organisationsnumret."
    ]
    listing = await owner.get("/kedjor")
    assert 'href="/kedjor"' in listing.text and "Kedjan" in listing.text


async def test_an_invitation_is_worded_in_the_invited_owners_language_and_expires(world: World) -> None:
    await world.kommun()
    _, chain_owner = await world.client_for(Role.owner)
    chain = await create_chain(chain_owner)
    email, member, shop_id = await shop_owner(world, 1)
    await Account.update({Account.language: "en"}).where(Account.email == email).run()
    await ok(await chain_owner.post(f"/api/chains/{chain['id']}/invitations", json={"email": email}), 201)
    [mail] = await OutboxMessage.select(OutboxMessage.subject).where(OutboxMessage.recipient == email).run()
    assert mail["subject"] == "Invitation: let your shop join the chain Kvartersbutiken"

    token = await invitation_token(email)
    await ChainInvitation.update(
        {ChainInvitation.expires_at: clock.now() - timedelta(seconds=1)}, force=True
    ).run()
    assert (await member.get(f"/kedjeinbjudan/{token}")).status_code == 404
    expired = await ok(
        await member.post(f"/api/chain-invitations/{token}/accept", json={"business_id": shop_id}), 404
    )
    assert expired["extra"]["code"] == "chain_invitation_not_found"
    assert (await ok(await chain_owner.get(f"/api/chains/{chain['id']}")))["members"] == []


async def test_a_chains_last_representative_cannot_close_his_account_until_another_acts(
    world: World,
) -> None:
    await world.kommun()
    _, first = await world.client_for(Role.owner)
    chain = await create_chain(first)
    path = f"/api/chains/{chain['id']}"

    refused = await ok(await first.post("/api/me/close", json={"password": PASSWORD}), 422)
    assert refused["extra"]["code"] == "chain_representative_first"
    assert refused["extra"]["chain_ids"] == [chain["id"]]
    page = await submit(first, "/mitt-konto", "/mitt-konto/stang", {"password": PASSWORD})
    assert page.status_code == 422
    assert errors_in(page.text) == [
        "Du är den enda företrädaren för en kedja. Lägg till en ny företrädare för kedjan innan du "
        "stänger kontot."
    ]
    english = await first.post(
        "/api/me/close", json={"password": PASSWORD}, headers={"Accept-Language": "en"}
    )
    assert "chain" in english.json()["detail"].lower()
    assert (await ok(await first.get("/api/me")))["email"] == "owner1@example.se", "the account is open"
    assert (await ok(await first.get(path)))["you_represent"]

    _, second = await world.client_for(Role.owner)
    await ok(await first.post(f"{path}/representatives", json={"email": "owner2@example.se"}))
    await ok(await first.post("/api/me/close", json={"password": PASSWORD}), 204)
    kept = await ok(await second.get(path))
    assert [r["email"] for r in kept["representatives"]] == ["owner2@example.se"], "he acts for it no more"
    last = await ok(await second.post("/api/me/close", json={"password": PASSWORD}), 422)
    assert last["extra"]["code"] == "chain_representative_first"
