"""A whole certification, start to finish, through the JSON API only."""

from __future__ import annotations

from tests.conftest import World
from tests.integration.scenario import Scenario, future_deadline, ok, shop_fields, visit_time


async def test_whole_lifecycle_through_the_api(world: World, new_client) -> None:  # type: ignore[no-untyped-def]
    await world.kommun()
    inspector_id, inspector = await world.client_for(world_role("inspector"))
    _, kommun = await world.client_for(world_role("kommun"))

    owner = new_client()
    await ok(
        await owner.post(
            "/api/auth/register",
            json={"email": "Ny.Agare@Example.se", "password": "ett långt lösenord", "name": "Åsa Öberg"},
        ),
        202,
    )
    login = {"email": "ny.agare@example.se", "password": "ett långt lösenord"}
    me = await ok(await owner.post("/api/auth/login", json=login))
    assert me["role"] == "owner" and me["email"] == "ny.agare@example.se"
    assert (await ok(await owner.get("/api/me")))["name"] == "Åsa Öberg"

    shop = await ok(await owner.post("/api/businesses", json=shop_fields(1)), 201)
    case = await ok(await owner.post(f"/api/businesses/{shop['id']}/applications"), 201)
    assert case["state"] == "draft" and case["allowed_actions"] == ["submit", "withdraw"]
    s = Scenario(world, owner, inspector, kommun, me["id"], inspector_id, 0)
    s.business_id, s.case_id = shop["id"], case["id"]

    await s.answer_all()
    await ok(await s.act(owner, "submit"))
    await ok(await s.act(kommun, "assign", inspector_id=inspector_id, visit_at=visit_time()))

    await s.judge_all(fail={4, 9})
    after = await ok(await s.act(inspector, "require_corrections", deadline=future_deadline()))
    assert after["state"] == "corrections_required"

    after = await ok(await s.act(owner, "report_corrections", comment="Sedelbox monterad, tejp uppsatt."))
    assert after["state"] == "scheduled" and after["round"] == 2
    carried = {v["point"]: v["verdict"] for v in after["verdicts"] if v["round"] == 2}
    assert set(carried) == set(range(1, 14)) - {4, 9}, "passed verdicts are carried forward"

    refused = await s.act(inspector, "approve")
    assert refused.status_code == 422 and "4, 9" in refused.json()["detail"]
    await ok(await s.verdict(4))
    await ok(await s.verdict(9))
    approved = await ok(await s.act(inspector, "approve"))
    assert approved["state"] == "certified"
    number = approved["certificate"]["number"]
    assert number.startswith("BLG-")

    anyone = new_client()
    public = await ok(await anyone.get(f"/api/certificates/{number}"))
    assert public["status"] == "valid" and public["shop_name"] == shop_fields(1)["name"]
    assert "email" not in public and "org_number" not in public

    await ok(await s.act(kommun, "revoke", reason="Butiken har flyttat utan ny besiktning."))
    assert (await ok(await anyone.get(f"/api/certificates/{number}")))["status"] == "revoked"

    events = await ok(await owner.get(f"/api/applications/{case['id']}/events"))
    transitions = [e["action"] for e in events if e["to_state"]]
    assert transitions == [
        "open",
        "submit",
        "assign",
        "require_corrections",
        "report_corrections",
        "approve",
        "revoke",
    ]
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)
    assert sum(1 for e in events if e["action"] == "answer") == 13
    assert sum(1 for e in events if e["action"] == "verdict") == 15


def world_role(name: str):  # type: ignore[no-untyped-def]
    from certify.domain.status import Role

    return Role(name)
