"""Not applicable: only on the points the case's checklist version marks (for a cash-free shop),
with a remark; and only while the shop's kommun has not switched it off for the point."""

from __future__ import annotations

import httpx

from certify.domain.status import Role
from tests.conftest import World
from tests.integration.scenario import Scenario, ok

SETTING = "/api/kommun/checklist/not-applicable-off"
SHOP_IN_FALUN = {
    "kommun_code": "2080",
    "name": "Falu Livs",
    "org_number": "5560160680",
    "street_address": "Storgatan 1",
    "postal_code": "79130",
    "city": "Falun",
    "cash_free": True,
}


def _offered(html: str, point: int) -> bool:
    """Whether the inspector's page offers "not applicable" for the point."""
    start = '<section class="point inspect-point" id="punkt-'
    section = html.split(f'{start}{point}"', 1)[1].split(start, 1)[0]
    return 'name="bedomning" value="not_applicable"' in section


async def test_a_cash_related_point_takes_not_applicable_with_a_remark_and_another_does_not(
    world: World,
) -> None:
    s = await Scenario.create(world, cash_free=True)
    await s.to_state("scheduled")
    without = await s.verdict(4, "not_applicable", "")
    assert without.status_code == 422 and "anmärkning" in without.json()["detail"]
    await ok(await s.verdict(4, "not_applicable", "Kontantfri, kontrollerat."))
    refused = await s.verdict(1, "not_applicable", "Inget behov.")
    assert refused.status_code == 422
    assert (
        "Punkt 1 kan inte vara ej tillämplig: bara de punkter som checklistan anger"
        in (refused.json()["detail"])
    )
    owner = await s.owner.put(
        f"/api/applications/{s.case_id}/answers/1", json={"status": "not_applicable", "comment": "x"}
    )
    assert owner.status_code in {409, 422}  # answers are locked once submitted


async def test_the_kommun_switches_not_applicable_off_for_its_own_cases_only(world: World) -> None:
    s = await Scenario.create(world, cash_free=True)
    await s.to_state("scheduled")
    assert await ok(await s.kommun.get(SETTING)) == {"points": []}
    assert await ok(await s.kommun.put(SETTING, json={"points": [4, 4, 3]})) == {"points": [3, 4]}
    assert await ok(await s.kommun.get(SETTING)) == {"points": [3, 4]}

    refused = await s.verdict(4, "not_applicable", "Kontantfri, kontrollerat.")
    assert refused.status_code == 422
    assert "kommunen har stängt av det valet för punkten" in refused.json()["detail"]
    await ok(await s.verdict(5, "not_applicable", "Kontantfri, kontrollerat."))
    html = (await s.inspector.get(f"/besiktningar/{s.case_id}")).text
    assert not _offered(html, 4) and _offered(html, 5)

    draft = await Scenario.create_in(world, s, cash_free=True)
    refused = await draft.answer(3, "not_applicable", "Vi hanterar inga kontanter.")
    assert refused.status_code == 422 and "Punkt 3" in refused.json()["detail"]
    await ok(await draft.answer(6, "not_applicable", "Vi hanterar inga kontanter."))
    three = (await draft.owner.get(f"/arenden/{draft.case_id}/egenkontroll/punkt/3")).text
    six = (await draft.owner.get(f"/arenden/{draft.case_id}/egenkontroll/punkt/6")).text
    assert 'name="svar-3" value="not_applicable"' not in three
    assert 'name="svar-6" value="not_applicable"' in six

    # Another kommun's cases and setting are untouched.
    await world.kommun("2080", "Falu kommun")
    _, falun = await world.client_for(Role.kommun, ["2080"])
    assert await ok(await falun.get(SETTING)) == {"points": []}
    shop = await ok(await s.owner.post("/api/businesses", json=SHOP_IN_FALUN), 201)
    case = await ok(await s.owner.post(f"/api/businesses/{shop['id']}/applications"), 201)
    await ok(
        await s.owner.put(
            f"/api/applications/{case['id']}/answers/3",
            json={"status": "not_applicable", "comment": "Vi hanterar inga kontanter."},
        )
    )

    assert await ok(await s.kommun.put(SETTING, json={"points": []})) == {"points": []}
    await ok(await s.verdict(4, "not_applicable", "Kontantfri, kontrollerat."))


async def test_the_setting_names_a_point_of_the_checklist(world: World) -> None:
    s = await Scenario.create(world)
    for points in ([0], [14], "4"):
        refused = await s.kommun.put(SETTING, json={"points": points})
        assert refused.status_code == 400 and "points" in refused.text, points
    assert await ok(await s.kommun.get(SETTING)) == {"points": []}


async def _csrf(client: httpx.AsyncClient) -> str:
    if "csrftoken" not in client.cookies:
        await client.get("/")
    return client.cookies["csrftoken"]


async def test_the_kommun_page_switches_not_applicable_off(world: World) -> None:
    s = await Scenario.create(world)
    await ok(await s.kommun.put(SETTING, json={"points": [1]}))  # not on the page: kept
    page = (await s.kommun.get("/kommun/checklista")).text
    assert 'name="avstangd" value="4"' in page and 'name="avstangd" value="1"' not in page
    saved = await s.kommun.post(
        "/kommun/checklista/ej-tillamplig",
        data={"_csrf_token": await _csrf(s.kommun), "avstangd": ["4", "12"]},
    )
    assert (saved.status_code, saved.headers["location"]) == (303, "/kommun/checklista?klart=ej-tillamplig")
    assert await ok(await s.kommun.get(SETTING)) == {"points": [1, 4, 12]}
    page = (await s.kommun.get("/kommun/checklista?klart=ej-tillamplig")).text
    assert 'value="4" checked' in page and 'value="5" checked' not in page
