"""The kommun's accounts: only its own kommun, one-time passwords, shared inspectors linked and
unlinked by each kommun itself."""

from __future__ import annotations

import httpx

from certify.domain.status import Role
from certify.tables import Account
from tests.conftest import World
from tests.integration.pages import submit
from tests.integration.scenario import Scenario, ok, visit_time

NEW = {"email": "ny@borlange.se", "name": "Ny Inspektör", "role": "inspector"}


async def accounts_named(email: str) -> int:
    return await Account.count().where(Account.email == email)


async def test_a_kommun_creates_accounts_for_its_own_kommun_only(world: World) -> None:
    s = await Scenario.create(world)
    await world.kommun("2080", "Falu kommun")
    both = await s.kommun.post("/api/users", json={**NEW, "kommun_codes": ["2081", "2080"]})
    assert both.status_code == 422 and both.json()["extra"]["field"] == "kommun_codes"
    other = await s.kommun.post(
        "/api/users",
        json={"email": "kollega@falun.se", "name": "Kollega", "role": "kommun", "kommun_codes": ["2080"]},
    )
    assert other.status_code == 422
    unknown = await s.kommun.post("/api/users", json={**NEW, "kommun_codes": ["9999"]})
    assert unknown.status_code == 422
    assert await accounts_named("ny@borlange.se") == 0 and await accounts_named("kollega@falun.se") == 0

    created = await ok(await s.kommun.post("/api/users", json=NEW), 201)
    assert created["kommun_codes"] == ["2081"] and created["must_change_password"] is True
    assert len(created["temporary_password"]) == 14

    duplicate = await s.kommun.post("/api/users", json={**NEW, "email": "NY@borlange.se", "role": "kommun"})
    assert duplicate.status_code == 409, "e-mail addresses are unique whatever their case"
    assert (await s.owner.post("/api/users", json=NEW)).status_code == 403


async def test_the_kommun_never_chooses_the_password_and_never_creates_owners(world: World) -> None:
    s = await Scenario.create(world)
    chosen = await s.kommun.post("/api/users", json={**NEW, "password": "ett långt lösenord"})
    assert chosen.status_code == 400 and "password" in chosen.text
    owner = await s.kommun.post("/api/users", json={**NEW, "email": "agare@example.se", "role": "owner"})
    assert owner.status_code == 422 and owner.json()["extra"]["field"] == "role"
    assert await accounts_named("ny@borlange.se") == 0 and await accounts_named("agare@example.se") == 0

    created = await ok(await s.kommun.post("/api/users", json=NEW), 201)
    fresh = world.new_client()
    login = {"email": NEW["email"], "password": created["temporary_password"]}
    await ok(await fresh.post("/api/auth/login", json=login))
    refused = await fresh.get("/api/applications")
    assert refused.status_code == 403 and refused.json()["extra"] == {
        "code": "must_change_password",
        "must_change_password": True,
    }


async def shared_inspector(world: World, s: Scenario) -> httpx.AsyncClient:
    """Falun adds Borlänge's inspector; answers Falun's case officer."""
    await world.kommun("2080", "Falu kommun")
    _, falun = await world.client_for(Role.kommun, ["2080"])
    email = (await ok(await s.inspector.get("/api/me")))["email"]
    linked = await ok(await falun.post("/api/users/link-inspector", json={"email": email}))
    assert linked["id"] == s.inspector_id and linked["kommun_codes"] == ["2080", "2081"]
    return falun


async def test_a_second_kommun_adds_an_existing_inspector_who_is_told(world: World) -> None:
    s = await Scenario.create(world)
    falun = await shared_inspector(world, s)
    email = (await ok(await s.inspector.get("/api/me")))["email"]

    [mail] = await ok(await falun.get("/api/outbox"))
    assert mail["recipient"] == email and mail["subject"] == "Du är besiktningsperson för Falu kommun"
    assert "/logga-in" in mail["body_text"]
    again = await ok(await falun.post("/api/users/link-inspector", json={"email": email.upper()}))
    assert again["kommun_codes"] == ["2080", "2081"]
    assert len(await ok(await falun.get("/api/outbox"))) == 1, "linking twice tells him once"
    inspectors = await ok(await falun.get("/api/users", params={"role": "inspector"}))
    assert [u["id"] for u in inspectors] == [s.inspector_id]

    owner_email = (await ok(await s.owner.get("/api/me")))["email"]
    for address in (owner_email, "ingen@example.se"):
        refused = await falun.post("/api/users/link-inspector", json={"email": address})
        assert refused.status_code == 404, "only inspectors are found, and nobody learns who else exists"
    # The shared inspector is nobody's to take over.
    assert (await falun.post(f"/api/users/{s.inspector_id}/reset-password")).status_code == 403


async def test_unlinking_sends_the_inspectors_open_cases_back_to_the_queue(world: World) -> None:
    scheduled = await Scenario.create(world)
    waiting = await Scenario.create_in(world, scheduled)
    decided = await Scenario.create_in(world, scheduled)
    await scheduled.to_state("scheduled")
    await waiting.to_state("corrections_required")
    await decided.to_state("certified")
    falun = await shared_inspector(world, scheduled)
    inspector_id = scheduled.inspector_id

    user = await ok(await scheduled.kommun.post(f"/api/users/{inspector_id}/unlink"))
    assert user["kommun_codes"] == ["2080"]
    assert (await scheduled.kommun.post(f"/api/users/{inspector_id}/unlink")).status_code == 404

    case = await scheduled.case()
    assert case["state"] == "submitted" and case["inspector_id"] is None and case["visit_at"] is None
    events = await ok(await scheduled.kommun.get(f"/api/applications/{scheduled.case_id}/events"))
    assert events[-1]["action"] == "unassign" and events[-1]["to_state"] == "submitted"
    assert (await scheduled.inspector.get(f"/api/applications/{scheduled.case_id}")).status_code == 404, (
        "he no longer has the case"
    )
    queue = await ok(await scheduled.kommun.get("/api/applications", params={"state": "submitted"}))
    assert [c["id"] for c in queue] == [scheduled.case_id]

    still_waiting = await waiting.case()
    assert still_waiting["state"] == "corrections_required" and still_waiting["inspector_id"] is None
    reported = await ok(await waiting.act(waiting.owner, "report_corrections", comment="Åtgärdat."))
    assert reported["state"] == "submitted", "with nobody to check them, corrections go to the queue"
    other = await world.user(Role.inspector, ["2081"])
    assigned = await ok(
        await waiting.act(waiting.kommun, "assign", inspector_id=other, visit_at=visit_time())
    )
    assert assigned["state"] == "scheduled" and assigned["round"] == 2

    assert (await decided.case())["inspector_id"] == inspector_id, "decided cases keep naming him"
    for path in (f"/api/applications/{decided.case_id}", f"/besiktningar/{decided.case_id}"):
        gone = await decided.inspector.get(path)
        assert gone.status_code == 404, f"{path}: the kommun took its shops' details out of his sight"
    assert await ok(await decided.inspector.get("/api/applications")) == []
    # Falun still has him; an inspector serving only one kommun is deactivated there instead.
    assert [u["id"] for u in await ok(await falun.get("/api/users", params={"role": "inspector"}))] == [
        inspector_id
    ]
    only_falun = await falun.post(f"/api/users/{inspector_id}/unlink")
    assert only_falun.status_code == 422 and "Inaktivera" in only_falun.json()["detail"]


async def test_the_users_page_links_and_unlinks_a_shared_inspector(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("scheduled")
    await world.kommun("2080", "Falu kommun")
    _, falun = await world.client_for(Role.kommun, ["2080"])
    email = (await ok(await s.inspector.get("/api/me")))["email"]

    unknown = await submit(
        falun, "/kommun/anvandare", "/kommun/anvandare/befintlig", {"existing_email": "x@y.se"}
    )
    assert unknown.status_code == 404 and "ingen besiktningsperson" in unknown.text
    linked = await submit(
        falun, "/kommun/anvandare", "/kommun/anvandare/befintlig", {"existing_email": email}
    )
    assert linked.status_code == 303 and linked.headers["location"] == "/kommun/anvandare?klart=kopplad"
    page = (await s.kommun.get("/kommun/anvandare")).text
    assert (
        "Arbetar även för andra kommuner." in page and f"/kommun/anvandare/{s.inspector_id}/ta-bort" in page
    )
    assert f"/kommun/anvandare/{s.inspector_id}/nytt-losenord" not in page

    removed = await submit(s.kommun, "/kommun/anvandare", f"/kommun/anvandare/{s.inspector_id}/ta-bort")
    assert removed.status_code == 303 and removed.headers["location"] == "/kommun/anvandare?klart=borttagen"
    assert (await s.case())["state"] == "submitted"
    assert all(u["id"] != s.inspector_id for u in await ok(await s.kommun.get("/api/users")))
