"""The chain case's inspection (issue 17): each sampled shop is a normal inspection page. Assigning
the chain case opens one scheduled shop case per sampled shop, with the chain's internal audit as
its answers; the inspector judges it through the ordinary verdict API; it is decided in the chain
case, never on its own (409); the chain case reads its verdicts. Who sees which sample case: the
inspector and the kommun all of them, a member's owner his own shop's only."""

from __future__ import annotations

from typing import Any

import httpx

from certify.domain.status import Role
from certify.services import chain_cases
from certify.tables import Application, ChainCase
from tests.conftest import World
from tests.integration.scenario import ALL_POINTS, ok
from tests.integration.test_chain_cases import Chain, submitted_case

CENTRAL = {1, 2, 11, 12, 13}
SHOP_POINTS = [p for p in ALL_POINTS if p not in CENTRAL]


async def assigned_case(
    world: World,
) -> tuple[Chain, dict[str, Any], int, httpx.AsyncClient, httpx.AsyncClient]:
    """A submitted chain case of 16 shops, assigned: the sample drawn, its sample cases opened."""
    chain, case = await submitted_case(world)
    inspector_id, inspector = await world.client_for(Role.inspector)
    _, kommun = await world.client_for(Role.kommun)
    assigned = await ok(
        await kommun.post(f"/api/chain-cases/{case['id']}/assign", json={"inspector_id": inspector_id})
    )
    return chain, assigned, inspector_id, inspector, kommun


async def sample_cases(case_id: int) -> dict[int, dict[str, Any]]:
    rows = await Application.select().where(Application.chain_case == case_id).run()
    return {r["business"]: r for r in rows}


async def test_assigning_opens_a_scheduled_sample_case_per_sampled_shop(world: World) -> None:
    _, case, inspector_id, inspector, kommun = await assigned_case(world)
    sampled = [s["business_id"] for s in case["sample"]]
    opened = await sample_cases(case["id"])
    assert sorted(opened) == sorted(sampled)
    row = await ChainCase.select(ChainCase.checklist_version).where(ChainCase.id == case["id"]).first().run()
    assert row is not None
    for app in opened.values():
        assert (app["state"], app["inspector"], app["round"]) == ("scheduled", inspector_id, 1)
        assert app["checklist_version"] == row["checklist_version"]
    listed = {a["id"] for a in await ok(await inspector.get("/api/applications"))}
    assert listed == {a["id"] for a in opened.values()}, "the inspector's ordinary case list"
    shop = sampled[0]
    seen = await ok(await inspector.get(f"/api/applications/{opened[shop]['id']}"))
    assert seen["chain_case_id"] == case["id"] and seen["state"] == "scheduled"
    assert [(a["point"], a["status"], a["comment"]) for a in seen["answers"]] == [
        (p, "fulfilled", f"Kontrollerad {shop}/{p}") for p in ALL_POINTS
    ], "the answers are the chain's internal audit of that shop"
    assert seen["allowed_actions"] == [], "the inspector decides in the chain case"
    by_kommun = await ok(await kommun.get(f"/api/applications/{opened[shop]['id']}"))
    assert set(by_kommun["allowed_actions"]) == {"assign", "unassign"}
    events = await ok(await inspector.get(f"/api/applications/{opened[shop]['id']}/events"))
    assert events[0]["action"] == "chain_sample_case_opened"
    assert events[0]["detail"]["chain_case_id"] == case["id"]
    shown = await ok(await kommun.get(f"/api/chain-cases/{case['id']}"))
    assert [(s["application_id"], s["judged_points"], s["shop_points"]) for s in shown["sample"]] == [
        (opened[s]["id"], 0, len(SHOP_POINTS)) for s in sampled
    ]
    assert shown["sample"][0]["street_address"] == "Borlänge Torget 5"


async def test_the_inspector_judges_there_and_the_chain_case_reads_it_but_decides_alone(
    world: World,
) -> None:
    _, case, _, inspector, kommun = await assigned_case(world)
    opened = await sample_cases(case["id"])
    shop = case["sample"][0]["business_id"]
    app = opened[shop]["id"]
    for point in SHOP_POINTS:
        verdict = {"verdict": "pass", "remark": ""}
        if point == 5:
            verdict = {"verdict": "fail", "remark": "Larmet saknar larmcentral.", "failed_criteria": ["5.1"]}
        await ok(await inspector.put(f"/api/applications/{app}/verdicts/{point}", json=verdict))
    await ok(
        await inspector.put(f"/api/applications/{app}/verdicts/1", json={"verdict": "pass", "remark": ""})
    )
    row = await ChainCase.select().where(ChainCase.id == case["id"]).first().run()
    assert row is not None
    facts = await chain_cases._facts(row)
    assert dict(facts.verdicts[shop]) == {p: ("fail" if p == 5 else "pass") for p in SHOP_POINTS}, (
        "the shop points only: point 1 is central"
    )
    assert not facts.failed_before and dict(facts.central_verdicts) == {}
    shown = await ok(await kommun.get(f"/api/chain-cases/{case['id']}"))
    assert shown["sample"][0]["judged_points"] == len(SHOP_POINTS)

    for action, client, body in (
        ("approve", inspector, {}),
        ("require_corrections", inspector, {"deadline": "2099-01-01"}),
        ("reject", inspector, {"reason": "Brister."}),
        ("reject", kommun, {"reason": "Brister."}),
    ):
        refused = await ok(await client.post(f"/api/applications/{app}/{action}", json=body), 409)
        assert refused["extra"]["code"] == "decided_in_chain_case", action
        assert refused["extra"]["chain_case_id"] == case["id"]
        assert "avgörs i kedjeärendet" in refused["detail"]
    assert (await Application.select(Application.state).where(Application.id == app).first().run()) == {
        "state": "scheduled"
    }

    # The kommun hands the shop to another of its inspectors and books the visit (ordinary assign).
    second_id, second = await world.client_for(Role.inspector)
    moved = await ok(
        await kommun.post(
            f"/api/applications/{app}/assign",
            json={"inspector_id": second_id, "visit_at": "2099-03-02T09:30:00+01:00"},
        )
    )
    assert (moved["state"], moved["inspector_id"]) == ("scheduled", second_id)
    await ok(await second.put(f"/api/applications/{app}/verdicts/3", json={"verdict": "pass", "remark": ""}))
    assert (await inspector.get(f"/api/applications/{app}")).status_code == 404


async def test_a_member_s_owner_sees_his_own_sample_case_only_and_cannot_edit_it(world: World) -> None:
    chain, case, _, _, kommun = await assigned_case(world)
    path = f"/api/chain-cases/{case['id']}"
    if chain.member_shop not in {s["business_id"] for s in case["sample"]}:
        await ok(await kommun.post(f"{path}/sample", json={"business_id": chain.member_shop}))
    opened = await sample_cases(case["id"])
    own = opened[chain.member_shop]["id"]
    other = next(a["id"] for b, a in opened.items() if b != chain.member_shop)
    listed = [a["id"] for a in await ok(await chain.member_owner.get("/api/applications"))]
    assert listed == [own]
    seen = await ok(await chain.member_owner.get(f"/api/applications/{own}"))
    assert seen["chain_case_id"] == case["id"] and seen["allowed_actions"] == []
    assert (await chain.member_owner.get(f"/api/applications/{other}")).status_code == 404
    edit = await ok(
        await chain.member_owner.put(
            f"/api/applications/{own}/answers/3", json={"status": "fulfilled", "comment": "Ändrat"}
        ),
        409,
    )
    assert edit["extra"]["code"] == "decided_in_chain_case"
    withdraw = await ok(await chain.member_owner.post(f"/api/applications/{own}/withdraw", json={}), 409)
    assert withdraw["extra"]["code"] == "decided_in_chain_case"
    part = await ok(await chain.member_owner.get(path))
    assert [s["application_id"] for s in part["sample"]] == [own]


async def test_removing_an_added_shop_withdraws_its_sample_case_unless_judged(world: World) -> None:
    chain, case, _, inspector, kommun = await assigned_case(world)
    path = f"/api/chain-cases/{case['id']}"
    drawn = {s["business_id"] for s in case["sample"]}
    first, second = [shop for shop in chain.shops if shop not in drawn][:2]
    for shop in (first, second):
        await ok(await kommun.post(f"{path}/sample", json={"business_id": shop}))
    opened = await sample_cases(case["id"])
    assert opened[first]["state"] == opened[second]["state"] == "scheduled"
    await ok(await kommun.delete(f"{path}/sample/{first}"))
    assert (await sample_cases(case["id"]))[first]["state"] == "withdrawn"
    await ok(
        await inspector.put(
            f"/api/applications/{opened[second]['id']}/verdicts/3", json={"verdict": "pass", "remark": ""}
        )
    )
    judged = await ok(await kommun.delete(f"{path}/sample/{second}"), 409)
    assert judged["extra"]["code"] == "chain_sample_shop_judged"
    again = await ok(await kommun.post(f"{path}/sample", json={"business_id": first}))
    assert first in {s["business_id"] for s in again["sample"]}
    reopened = [
        a
        for a in await Application.select().where(Application.chain_case == case["id"]).run()
        if a["business"] == first
    ]
    assert sorted(a["state"] for a in reopened) == ["scheduled", "withdrawn"]

    rejected = await ok(await kommun.post(f"{path}/reject", json={"reason": "Ofullständig dokumentation."}))
    assert rejected["state"] == "rejected"
    states = {
        a["state"] for a in await Application.select().where(Application.chain_case == case["id"]).run()
    }
    assert states == {"rejected", "withdrawn"}, "the chain case's rejection ends its sample cases"
