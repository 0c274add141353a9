"""The chain case's inspection (issue 17): each sampled shop is a normal inspection page. Assigning
the chain case opens one scheduled shop case per sampled shop, with the chain's internal audit as
its answers; the inspector judges it through the ordinary verdict API; it is decided in the chain
case, never on its own (409); the chain case reads its verdicts. Who sees which sample case: the
inspector and the kommun all of them, a member's owner his own shop's only."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import lxml.html

from certify.domain.status import Role
from certify.services import chain_case_record
from certify.tables import Application, ChainCase
from tests.conftest import World
from tests.integration.pages import submit
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
    facts = await chain_case_record.facts(await chain_case_record.load(None, case["id"]))
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
    shop_page = await chain.member_owner.get(f"/butiker/{chain.member_shop}")
    assert shop_page.status_code == 200
    assert f"Butiken valdes ut till stickprovet i kedjeärende {case['id']}" in shop_page.text


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


async def test_central_points_are_judged_once_by_the_case_s_inspector_only(world: World) -> None:
    chain, case, _, inspector, kommun = await assigned_case(world)
    path = f"/api/chain-cases/{case['id']}/central-verdicts"
    judged = await ok(await inspector.put(f"{path}/1", json={"verdict": "pass"}))
    assert [(v["point"], v["verdict"]) for v in judged["central_verdicts"]] == [(1, "pass")]
    no_remark = await ok(await inspector.put(f"{path}/2", json={"verdict": "fail", "remark": " "}), 422)
    assert no_remark["extra"]["code"] == "remark_required"
    await ok(await inspector.put(f"{path}/2", json={"verdict": "fail", "remark": "Utbildningsplan saknas."}))
    await ok(await inspector.put(f"{path}/13", json={"verdict": "not_applicable", "remark": "Ingen kassa."}))
    again = await ok(await inspector.put(f"{path}/1", json={"verdict": "pass", "remark": "Utsedd."}))
    assert [(v["point"], v["verdict"], v["remark"]) for v in again["central_verdicts"]] == [
        (1, "pass", "Utsedd."),
        (2, "fail", "Utbildningsplan saknas."),
        (13, "not_applicable", "Ingen kassa."),
    ]
    not_central = await ok(await inspector.put(f"{path}/5", json={"verdict": "pass"}), 400)
    assert not_central["extra"]["field"] == "point"
    read = await ok(await kommun.get(f"/api/chain-cases/{case['id']}"))
    assert [v["point"] for v in read["central_verdicts"]] == [1, 2, 13]
    page = await kommun.get(f"/kommun/kedjearenden/{case['id']}")
    assert "Utbildningsplan saknas." in page.text
    facts = await chain_case_record.facts(await chain_case_record.load(None, case["id"]))
    assert dict(facts.central_verdicts) == {
        1: "pass",
        2: "fail",
        13: "not_applicable",
    }

    _, other_inspector = await world.client_for(Role.inspector)
    await world.kommun("2080", "Falu kommun")
    _, other_kommun = await world.client_for(Role.kommun, ["2080"])
    for client, status in (
        (other_inspector, 404),
        (chain.rep, 403),
        (chain.member_owner, 403),
        (kommun, 403),
        (other_kommun, 403),
    ):
        response = await client.put(f"{path}/1", json={"verdict": "fail", "remark": "Nej."})
        assert response.status_code == status, (client, response.text)
    assert (await other_inspector.get(f"/api/chain-cases/{case['id']}")).status_code == 404
    part = await ok(await chain.member_owner.get(f"/api/chain-cases/{case['id']}"))
    assert part["central_verdicts"] == [], "the chain's documentation is not a member's"
    after = await ok(await kommun.get(f"/api/chain-cases/{case['id']}"))
    assert after["central_verdicts"][0]["remark"] == "Utsedd."

    await ok(await kommun.post(f"/api/chain-cases/{case['id']}/reject", json={"reason": "Brister."}))
    locked = await ok(await inspector.put(f"{path}/1", json={"verdict": "pass"}), 409)
    assert locked["extra"]["code"] == "chain_central_verdicts_locked"


async def test_two_inspectors_judge_their_sampled_shops_at_the_same_time(world: World) -> None:
    _, case, _, inspector, kommun = await assigned_case(world)
    opened = await sample_cases(case["id"])
    first, second = (opened[s["business_id"]]["id"] for s in case["sample"][:2])
    second_id, second_inspector = await world.client_for(Role.inspector)
    await ok(
        await kommun.post(
            f"/api/applications/{second}/assign",
            json={"inspector_id": second_id, "visit_at": "2099-03-02T13:00:00+01:00"},
        )
    )
    writes = []
    for remark in ("först", "sedan"):
        for point in SHOP_POINTS:
            for client, app in ((inspector, first), (second_inspector, second)):
                body = {"verdict": "pass", "remark": f"{remark} {app}/{point}"}
                writes.append(client.put(f"/api/applications/{app}/verdicts/{point}", json=body))
    writes.append(
        inspector.put(f"/api/chain-cases/{case['id']}/central-verdicts/1", json={"verdict": "pass"})
    )
    responses = await asyncio.gather(*writes)
    assert [r.status_code for r in responses] == [200] * len(responses), [r.text for r in responses]
    facts = await chain_case_record.facts(await chain_case_record.load(None, case["id"]))
    shops = [s["business_id"] for s in case["sample"][:2]]
    assert {shop: len(facts.verdicts[shop]) for shop in shops} == {shop: len(SHOP_POINTS) for shop in shops}
    assert dict(facts.central_verdicts) == {1: "pass"}
    for client, app in ((inspector, first), (second_inspector, second)):
        seen = await ok(await client.get(f"/api/applications/{app}"))
        assert len(seen["verdicts"]) == len(SHOP_POINTS)
        assert {v["remark"].split()[0] for v in seen["verdicts"]} <= {"först", "sedan"}


async def test_the_inspector_s_pages_route_and_central_form(world: World) -> None:
    chain, case, _, inspector, kommun = await assigned_case(world)
    opened = await sample_cases(case["id"])
    start = await inspector.get("/besiktningar")
    assert start.status_code == 200
    assert f"/besiktningar/kedjearenden/{case['id']}" in start.text and "Kvartersbutiken" in start.text
    assert "Besöket är inte bokat." in start.text
    case_page = f"/besiktningar/kedjearenden/{case['id']}"
    shown = await inspector.get(case_page)
    assert shown.status_code == 200 and f"{case_page}/rutt" in shown.text
    for s in case["sample"]:
        assert f'href="/besiktningar/{opened[s["business_id"]]["id"]}"' in shown.text
    refused = await submit(inspector, case_page, f"{case_page}/centrala/2", data={"bedomning": "fail"})
    assert refused.status_code == 422 and "anmärkning" in refused.text.lower()
    saved = await submit(
        inspector,
        case_page,
        f"{case_page}/centrala/2",
        data={"bedomning": "fail", "anmarkning": "Ingen utbildningsplan."},
    )
    assert saved.status_code == 303
    assert "Ingen utbildningsplan." in (await inspector.get(case_page)).text

    # One shop booked: it comes first on the route, the others in the sample's order.
    booked = case["sample"][2]
    await ok(
        await kommun.post(
            f"/api/applications/{opened[booked['business_id']]['id']}/assign",
            json={"inspector_id": case["inspector_id"], "visit_at": "2099-03-02T09:30:00+01:00"},
        )
    )
    route = await inspector.get(f"{case_page}/rutt")
    assert route.status_code == 200
    html = lxml.html.document_fromstring(route.text)
    stops = [li.text_content() for li in html.xpath("//ol[@class='cards']/li")]
    order = [booked] + [s for s in case["sample"] if s is not booked]
    assert [s["name"] in stop for s, stop in zip(order, stops, strict=True)] == [True] * len(order)
    assert "Borlänge Torget 5, Borlänge" in stops[0] and "2099" in stops[0]
    assert f"0 av {len(SHOP_POINTS)} punkter bedömda" in stops[1]
    links = html.xpath("//ol[@class='cards']/li//a/@href")
    assert links == [f"/besiktningar/{opened[s['business_id']]['id']}" for s in order]
    inspection = await inspector.get(links[0])
    assert inspection.status_code == 200 and case_page in inspection.text
    assert "/godkann" not in inspection.text, "no approve form: decided in the chain case"

    kommun_route = await kommun.get(f"/kommun/kedjearenden/{case['id']}/rutt")
    assert kommun_route.status_code == 200
    assert f"/kommun/arenden/{opened[booked['business_id']]['id']}" in kommun_route.text
    assert (
        f"/kommun/kedjearenden/{case['id']}/rutt"
        in (await kommun.get(f"/kommun/kedjearenden/{case['id']}")).text
    )
    _, other_inspector = await world.client_for(Role.inspector)
    assert (await other_inspector.get(f"{case_page}/rutt")).status_code == 404
    assert (await other_inspector.get(case_page)).status_code == 404
    assert (await chain.rep.get(f"{case_page}/rutt")).status_code in (403, 404)
