"""Two kommuner on one installation: each sees and changes only its own shops and cases."""

from __future__ import annotations

from certify.domain.status import Role
from tests.conftest import World
from tests.integration.scenario import Scenario, ok, visit_time


async def test_a_kommun_user_never_sees_or_changes_another_kommuns_cases(world: World) -> None:
    borlange = await Scenario.create(world)
    await borlange.to_state("submitted")

    await world.kommun("2080", "Falu kommun")
    _, falun = await world.client_for(Role.kommun, ["2080"])
    falun_inspector = await world.user(Role.inspector, ["2080"])

    assert await ok(await falun.get("/api/applications")) == []
    assert await ok(await falun.get("/api/businesses")) == []
    outreach = await ok(await falun.get("/api/businesses/outreach"))
    assert outreach["total"] == 0 and outreach["shops"] == []
    assert (await falun.post(f"/api/businesses/{borlange.business_id}/invite", json={})).status_code == 404
    assert (await falun.get(f"/api/applications/{borlange.case_id}")).status_code == 404
    assert (await falun.get(f"/api/businesses/{borlange.business_id}")).status_code == 404
    assert (await falun.get(f"/api/applications/{borlange.case_id}/events")).status_code == 404
    assigned = await borlange.act(falun, "assign", inspector_id=falun_inspector, visit_at=visit_time())
    assert assigned.status_code == 404
    patched = await falun.patch(f"/api/businesses/{borlange.business_id}", json={"name": "Kapad"})
    assert patched.status_code == 404
    users = await ok(await falun.get("/api/users"))
    assert {u["kommun_code"] for u in users if u["role"] == "kommun"} == {"2080"}
    assert all("2081" not in u["kommun_codes"] for u in users)

    case = await borlange.case()
    assert case["state"] == "submitted" and case["business_name"].startswith("Åkes")
    assert len(await ok(await borlange.kommun.get("/api/applications"))) == 1


async def test_a_regional_inspector_serves_several_kommuner(world: World) -> None:
    borlange = await Scenario.create(world)
    await world.kommun("2080", "Falu kommun")
    regional_id, regional = await world.client_for(Role.inspector, ["2081", "2080"])
    await borlange.to_state("submitted")
    await ok(await borlange.act(borlange.kommun, "assign", inspector_id=regional_id, visit_at=visit_time()))
    mine = await ok(await regional.get("/api/applications"))
    assert [c["id"] for c in mine] == [borlange.case_id]
    assert (await borlange.inspector.get(f"/api/applications/{borlange.case_id}")).status_code == 404
