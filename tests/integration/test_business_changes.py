"""A certified shop's name and address are what was inspected: the owner's change of them waits for
the kommun, and until the kommun accepts it the public check and the open register show the
certificate's own name and address (both databases)."""

from __future__ import annotations

import csv
import html
import importlib
import io
from typing import Any

import httpx

from certify.domain.status import Role
from certify.services import certificates
from certify.tables import Account, Certificate, Event, OutboxMessage
from certify.web.api.certificates import REGISTER_COLUMNS
from tests.conftest import World
from tests.integration.pages import submit
from tests.integration.scenario import Scenario, ok

RENAMED = {
    "name": "Falska Guldbutiken",
    "street_address": "Annan gata 1",
    "postal_code": "781 70",
    "city": "Falun",
}


async def public_views(anonymous: httpx.AsyncClient, number: str) -> list[str]:
    """The shop as the verify page, the lookup and the register (API and CSV) show it."""
    page = html.unescape((await anonymous.get(f"/verify/{number}")).text)
    lookup = await ok(await anonymous.get(f"/api/certificates/{number}"))
    [listed] = await ok(await anonymous.get("/api/public/certified"))
    [row] = csv.DictReader(
        io.StringIO((await anonymous.get("/register.csv")).content.decode("utf-8-sig")), delimiter=";"
    )
    return [
        page,
        " ".join(str(lookup[k]) for k in ("shop_name", "street_address", "postal_code", "city")),
        " ".join(str(listed[k]) for k in ("shop_name", "street_address", "postal_code", "city")),
        " ".join(row[REGISTER_COLUMNS[k]] for k in ("shop_name", "street_address", "postal_code", "city")),
    ]


async def certified(world: World) -> tuple[Scenario, str, dict[str, Any]]:
    s = await Scenario.create(world)
    number = (await s.to_state("certified"))["certificate"]["number"]
    shop = await ok(await s.owner.get(f"/api/businesses/{s.business_id}"))
    return s, number, shop


async def test_renaming_a_certified_shop_is_reported_and_public_only_once_accepted(
    world: World, anonymous: httpx.AsyncClient
) -> None:
    s, number, before = await certified(world)
    archived = (await s.owner.get(f"/api/certificates/{number}/pdf")).content

    shop = await ok(
        await s.owner.patch(f"/api/businesses/{s.business_id}", json={**RENAMED, "phone": "0243-99 99 99"})
    )
    assert (shop["name"], shop["city"]) == (before["name"], before["city"]), (
        "the business keeps what was inspected"
    )
    assert shop["phone"] == "0243-99 99 99", "other facts change at once"
    reported = shop["reported_change"]
    assert reported["state"] == "reported"
    assert reported["proposed"] == {**RENAMED, "postal_code": "78170"}
    assert reported["previous"]["name"] == before["name"]

    for shown in await public_views(anonymous, number):
        assert before["name"] in shown and before["street_address"] in shown
        assert "Falska Guldbutiken" not in shown and "Annan gata" not in shown and "Falun" not in shown

    [change] = await ok(await s.kommun.get(f"/api/businesses/{s.business_id}/changes"))
    assert change["id"] == reported["id"]
    kommun_mail = await OutboxMessage.select(OutboxMessage.recipient, OutboxMessage.body_text).where(
        OutboxMessage.kind == "business_change_reported"
    )
    officer = await Account.select(Account.email).where(Account.id == s.kommun_id).first()
    assert [m["recipient"] for m in kommun_mail] == [officer["email"]]
    assert "Falska Guldbutiken" in kommun_mail[0]["body_text"]

    accepted = await ok(
        await s.kommun.post(f"/api/businesses/{s.business_id}/changes/{change['id']}/accept", json={})
    )
    assert accepted["state"] == "accepted"
    for shown in await public_views(anonymous, number):
        assert "Falska Guldbutiken" in shown and "Annan gata 1" in shown and "Falun" in shown
    assert (await ok(await s.owner.get(f"/api/businesses/{s.business_id}")))["reported_change"] is None

    assert (await s.owner.get(f"/api/certificates/{number}/pdf")).content == archived
    assert await certificates.render_issued(number) == archived, (
        "the certificate still names what was inspected"
    )
    actions = [
        e["action"]
        for e in await Event.select(Event.action).where(Event.business == s.business_id).order_by(Event.id)
    ]
    changes = [a for a in actions if a.startswith("business_change")]
    assert changes == ["business_change_reported", "business_change_accepted"]


async def test_a_rejected_change_leaves_the_shop_as_inspected(
    world: World, anonymous: httpx.AsyncClient
) -> None:
    s, number, before = await certified(world)
    reported = (
        await ok(await s.owner.patch(f"/api/businesses/{s.business_id}", json={"name": "Nytt namn"}))
    )["reported_change"]
    url = f"/api/businesses/{s.business_id}/changes/{reported['id']}"
    assert (await s.owner.post(f"{url}/accept", json={})).status_code == 403
    assert (await s.kommun.post(f"{url}/reject", json={})).status_code == 400, "a rejection says why"
    await world.kommun("2080", "Falu kommun")
    falun = (await world.client_for(Role.kommun, ["2080"]))[1]
    assert (await falun.post(f"{url}/accept", json={})).status_code == 404

    rejected = await ok(await s.kommun.post(f"{url}/reject", json={"reason": "Butiken har inte bytt namn."}))
    assert (rejected["state"], rejected["reason"]) == ("rejected", "Butiken har inte bytt namn.")
    assert (await s.kommun.post(f"{url}/accept", json={})).status_code == 409, "decided once"
    assert (await ok(await s.owner.get(f"/api/businesses/{s.business_id}")))["name"] == before["name"]
    lookup = await ok(await anonymous.get(f"/api/certificates/{number}"))
    assert lookup["shop_name"] == before["name"]


async def test_a_new_report_adds_to_the_waiting_one_and_changing_back_withdraws_it(world: World) -> None:
    s, _, before = await certified(world)
    url = f"/api/businesses/{s.business_id}"
    await ok(await s.owner.patch(url, json={"name": "Nytt namn"}))
    second = (await ok(await s.owner.patch(url, json={"city": "Falun"})))["reported_change"]
    assert second["proposed"] == {"name": "Nytt namn", "city": "Falun"}
    assert len(await ok(await s.kommun.get(f"{url}/changes"))) == 1
    third = await ok(await s.owner.patch(url, json={"name": before["name"], "city": before["city"]}))
    assert third["reported_change"] is None
    assert [c["state"] for c in await ok(await s.kommun.get(f"{url}/changes"))] == ["withdrawn"]


async def test_before_certification_and_for_the_kommun_changes_apply_at_once(world: World) -> None:
    s = await Scenario.create(world)
    url = f"/api/businesses/{s.business_id}"
    assert (await ok(await s.owner.patch(url, json={"name": "Utkastbutiken"})))["name"] == "Utkastbutiken"
    await s.to_state("certified")
    shop = await ok(await s.kommun.patch(url, json={"name": "Rättat av kommunen"}))
    assert shop["name"] == "Rättat av kommunen" and shop["reported_change"] is None


async def test_the_pages_report_show_and_decide_the_change(
    world: World, anonymous: httpx.AsyncClient
) -> None:
    s, number, before = await certified(world)
    form = {
        **{k: before[k] for k in ("area", "phone", "email", "chain")},
        "name": "Sidans Nya Namn",
        "street_address": before["street_address"],
        "postal_code": before["postal_code"],
        "city": before["city"],
    }
    edit = f"/butiker/{s.business_id}/andra"
    response = await submit(s.owner, edit, edit, form)
    assert response.status_code == 303 and response.headers["location"].endswith("klart=anmald")
    owner_page = html.unescape((await s.owner.get(response.headers["location"])).text)
    assert "Anmäld ändring av namn eller adress" in owner_page and "Sidans Nya Namn" in owner_page
    assert before["name"] in html.unescape((await anonymous.get(f"/verify/{number}")).text)

    case_page = f"/kommun/arenden/{s.case_id}"
    shown = (await s.kommun.get(case_page)).text
    assert "Sidans Nya Namn" in shown and "Godkänn ändringen" in shown
    [change] = await ok(await s.kommun.get(f"/api/businesses/{s.business_id}/changes"))
    decide = f"{case_page}/andringar/{change['id']}"
    refused = await submit(s.kommun, case_page, f"{decide}/avsla", {"skal": ""})
    assert refused.status_code == 400 and "Skriv varför ändringen avslås." in refused.text
    accepted = await submit(s.kommun, case_page, f"{decide}/godkann", {})
    assert accepted.status_code == 303 and accepted.headers["location"].endswith("klart=andring-godkand")
    assert "Sidans Nya Namn" in (await anonymous.get(f"/verify/{number}")).text
    timeline = html.unescape((await s.kommun.get(case_page)).text)
    assert "Kommunen godkände ändringen av namn eller adress." in timeline


async def test_the_migration_names_the_shop_on_certificates_issued_before_it(world: World) -> None:
    _, number, before = await certified(world)
    await Certificate.update({c: "" for c in certificates.NAMED_SHOP_COLUMNS}).where(
        Certificate.number == number
    )
    migration = importlib.import_module("migrations.certify_2026_12_01t11_00_00_000000")
    await migration.RawSQL.raw(migration.FILL).run()
    row = (
        await Certificate.select(*certificates.NAMED_SHOP_COLUMNS).where(Certificate.number == number).first()
    )
    assert row == {
        "shop_name": before["name"],
        "street_address": before["street_address"],
        "postal_code": before["postal_code"],
        "city": before["city"],
    }
