"""The owner's own pages: change the shop's details, download my data, close my account."""

from __future__ import annotations

import json

from certify.domain.status import Role
from certify.tables import Account, Event
from tests.conftest import PASSWORD, World
from tests.integration.pages import errors_in, submit
from tests.integration.scenario import Scenario, ok

EDITED = {
    "name": "Åkes Järn & Färg i Centrum",
    "street_address": "Stationsgatan 3",
    "postal_code": "784 34",
    "city": "Borlänge",
    "area": "Resecentrum",
    "phone": "0243-99 88 77",
    "email": "Kontakt@Akes.example.se",
    "chain": "",
    "cash_free": "ja",
}


async def _updates(business_id: int) -> list[list[str]]:
    rows = (
        await Event.select(Event.detail)
        .where((Event.business == business_id) & (Event.action == "business_updated"))
        .output(load_json=True)
        .run()
    )
    return [r["detail"]["fields"] for r in rows]


async def test_the_owner_changes_the_shops_details(world: World) -> None:
    s = await Scenario.create(world)
    shop_page = await s.owner.get(f"/butiker/{s.business_id}")
    assert f'href="/butiker/{s.business_id}/andra"' in shop_page.text
    path = f"/butiker/{s.business_id}/andra"
    form = await s.owner.get(path)
    assert form.status_code == 200 and 'value="784 33"' in form.text and 'name="org_number"' not in form.text

    wrong = await submit(s.owner, path, path, {**EDITED, "postal_code": "7843", "city": ""})
    assert wrong.status_code == 400
    assert errors_in(wrong.text) == [
        "Skriv postnumret med 5 siffror, till exempel 784 33.",
        "Skriv orten.",
    ]
    assert 'value="Stationsgatan 3"' in wrong.text, "what was typed is kept"

    saved = await submit(s.owner, path, path, EDITED)
    assert (
        saved.status_code == 303 and saved.headers["location"] == f"/butiker/{s.business_id}?klart=uppgifter"
    )
    assert "Butikens uppgifter är sparade." in (await s.owner.get(saved.headers["location"])).text
    shop = await ok(await s.owner.get(f"/api/businesses/{s.business_id}"))
    assert (shop["name"], shop["street_address"], shop["postal_code"], shop["area"]) == (
        "Åkes Järn & Färg i Centrum",
        "Stationsgatan 3",
        "78434",
        "Resecentrum",
    )
    assert shop["email"] == "kontakt@akes.example.se" and shop["cash_free"] is True
    assert await _updates(s.business_id) == [sorted(k for k in EDITED if k not in {"chain", "city"})]

    untouched = await submit(s.owner, path, path, {**EDITED, "postal_code": "78434"})
    assert untouched.status_code == 303
    assert len(await _updates(s.business_id)) == 1, "nothing changed, nothing recorded"

    stranger = (await world.client_for(Role.owner))[1]
    assert (await stranger.get(path)).status_code == 404
    kommun = await s.kommun.get(path)
    assert kommun.status_code == 403


async def test_the_owner_downloads_their_data_from_the_pages(world: World) -> None:
    s = await Scenario.create(world)
    await ok(await s.answer(2, comment="Kim har gått utbildningen."))
    account = await s.owner.get("/mitt-konto")
    assert account.status_code == 200 and "owner1@example.se" in account.text
    assert 'href="/mitt-konto/mina-uppgifter.json"' in account.text
    assert 'href="/mitt-konto"' in (await s.owner.get("/mina-butiker")).text

    download = await s.owner.get("/mitt-konto/mina-uppgifter.json")
    assert download.status_code == 200
    assert download.headers["content-disposition"] == 'attachment; filename="mina-uppgifter.json"'
    data = json.loads(download.content)
    assert data["account"]["email"] == "owner1@example.se"
    assert [shop["name"] for shop in data["shops"]] == ["Åkes Järn & Färg 1"]
    assert [a["comment"] for a in data["answers"]] == ["Kim har gått utbildningen."]
    assert data == await ok(await s.owner.get("/api/me/data")), "the same as the API's"


async def test_the_owner_closes_the_account_from_the_pages(world: World) -> None:
    s = await Scenario.create(world)
    close = "/mitt-konto/stang"
    wrong = await submit(s.owner, "/mitt-konto", close, {"password": "fel lösenord"})
    assert wrong.status_code == 422 and errors_in(wrong.text) == ["Lösenordet stämmer inte."]
    still_open = await submit(s.owner, "/mitt-konto", close, {"password": PASSWORD})
    assert still_open.status_code == 422
    assert errors_in(still_open.text) == ["Dra först tillbaka dina pågående ansökningar."]
    await ok(await s.act(s.owner, "withdraw"))

    closed = await submit(s.owner, "/mitt-konto", close, {"password": PASSWORD})
    assert closed.status_code == 303 and closed.headers["location"] == "/?klart=konto-stangt"
    assert "Ditt konto är stängt." in (await s.owner.get("/?klart=konto-stangt")).text
    assert (await s.owner.get("/api/me")).status_code == 401
    again = await world.new_client().post(
        "/api/auth/login", json={"email": "owner1@example.se", "password": PASSWORD}
    )
    assert again.status_code == 401
    row = await Account.select(Account.name, Account.active).where(Account.id == s.owner_id).first().run()
    assert row == {"name": "Stängt konto", "active": False}
