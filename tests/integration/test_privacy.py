"""Personal data: the user's own data, closing an account, and the audit trail of who read a case's
evidence (what the kommun's retention plan destroys is tests/integration/test_retention.py)."""

from __future__ import annotations

from certify.tables import Account
from tests.conftest import PASSWORD, World
from tests.integration.pages import PNG
from tests.integration.scenario import Scenario, ok


async def _upload(s: Scenario, point: int = 1) -> int:
    created = await ok(
        await s.owner.post(
            f"/api/applications/{s.case_id}/evidence",
            params={"point": point},
            files={"file": ("foto.png", PNG, "image/png")},
        ),
        201,
    )
    return int(created["id"])


async def test_a_user_downloads_their_own_data(world: World) -> None:
    s = await Scenario.create(world)
    await ok(await s.answer(3, "fulfilled", "Kassalådan låses alltid"))
    other = await Scenario.create_in(world, s)
    assert other.owner is s.owner
    from certify.domain.status import Role

    _, stranger = await world.client_for(Role.owner)
    mine = await ok(await s.owner.get("/api/me/data"))
    assert mine["account"]["email"] == "owner1@example.se"
    assert {shop["id"] for shop in mine["shops"]} == {s.business_id, other.business_id}
    assert any(a["comment"] == "Kassalådan låses alltid" for a in mine["answers"])
    assert any(action["action"] == "answer" for action in mine["my_actions"])
    theirs = await ok(await stranger.get("/api/me/data"))
    assert theirs["shops"] == [] and theirs["answers"] == []


async def test_closing_an_account_anonymises_it_and_keeps_the_history(world: World) -> None:
    s = await Scenario.create(world)
    wrong = await s.owner.post("/api/me/close", json={"password": "fel lösenord igen"})
    assert wrong.status_code == 422 and "Lösenordet" in wrong.json()["detail"]
    refused = await s.owner.post("/api/me/close", json={"password": PASSWORD})
    assert refused.status_code == 422 and refused.json()["extra"]["application_ids"] == [s.case_id]
    await ok(await s.act(s.owner, "withdraw"))
    await ok(await s.owner.post("/api/me/close", json={"password": PASSWORD}), 204)

    assert (await s.owner.get("/api/me")).status_code == 401
    login = await world.new_client().post(
        "/api/auth/login", json={"email": "owner1@example.se", "password": PASSWORD}
    )
    assert login.status_code == 401
    account = (
        await Account.select(Account.email, Account.name, Account.active)
        .where(Account.id == s.owner_id)
        .first()
        .run()
    )
    assert account is not None and "owner1" not in account["email"] and account["name"] == "Stängt konto"
    assert not account["active"]
    events = await ok(await s.kommun.get(f"/api/applications/{s.case_id}/events"))
    assert [e["action"] for e in events if e["to_state"]] == ["open", "withdraw"], "the history stays"
    assert all("owner1@example.se" not in e["actor"] for e in events)


async def test_reading_evidence_is_recorded_in_the_access_log(world: World) -> None:
    s = await Scenario.create(world)
    evidence_id = await _upload(s, point=5)
    assert (await s.kommun.get(f"/api/evidence/{evidence_id}")).status_code == 200
    log = await ok(await s.kommun.get("/api/evidence-reads"))
    [read] = log["reads"]
    assert "kommun3@example.se" in read["reader"]
    assert (read["evidence_id"], read["point"], read["application_id"]) == (evidence_id, 5, s.case_id)
    mine = await ok(await s.kommun.get("/api/me/data"))
    assert [r["evidence_id"] for r in mine["my_evidence_reads"]] == [evidence_id]
