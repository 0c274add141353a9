"""Numbers in addresses, queries and forms are ASCII digits: `²` or `٣` is malformed input,
never a 500 and never read as another number (certify.domain.numerals)."""

from __future__ import annotations

import pytest

from certify.domain.org_number import with_check_digit
from certify.domain.status import Role
from tests.conftest import World
from tests.integration.pages import errors_in, submit
from tests.integration.scenario import Scenario, ok, shop_fields
from tests.integration.test_chain_cases import submitted_case
from tests.integration.test_pages_owner import shop_form

ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize(
    "query", ["sida=²", "sida=٣", "inspektor=²", "omgang=²", "sida=99999999999999999999", "inspektor=+1"]
)
async def test_the_case_list_ignores_a_malformed_number(world: World, query: str) -> None:
    s = await Scenario.create(world)
    response = await s.kommun.get(f"/kommun/arenden?{query}")
    assert response.status_code == 200, response.text
    assert "Åkes Järn" in response.text, "the filter was ignored, so the case is listed"


@pytest.mark.parametrize("number", ["²", "٣", "-1"])
async def test_the_shops_page_ignores_a_malformed_page_number(world: World, number: str) -> None:
    s = await Scenario.create(world)
    response = await s.kommun.get(f"/kommun/butiker?sida={number}")
    assert response.status_code == 200, response.text


async def test_an_inspector_chosen_in_another_script_is_no_inspector(world: World) -> None:
    s = await Scenario.create(world)
    await s.answer_all()
    await ok(await s.act(s.owner, "submit"))
    page = f"/kommun/arenden/{s.case_id}"
    when = "2030-01-15T09:15"
    for written in ("²", str(s.inspector_id).translate(ARABIC)):
        refused = await submit(s.kommun, page, f"{page}/tilldela", {"inspektor": written, "besok": when})
        assert refused.status_code == 400, refused.text  # a wrong field, named in words
        assert errors_in(refused.text) == ["Välj en besiktningsperson."]
    assert (await s.case())["state"] == "submitted", "nothing was assigned"


async def test_a_malformed_case_version_in_a_form_is_not_a_crash(world: World) -> None:
    s = await Scenario.create(world)
    await s.answer_all()
    await ok(await s.act(s.owner, "submit"))
    page = f"/kommun/arenden/{s.case_id}"
    form = {"inspektor": str(s.inspector_id), "besok": "2030-01-15T09:15", "version": "²"}
    response = await submit(s.kommun, page, f"{page}/tilldela", form)
    assert response.status_code == 303, response.text


@pytest.mark.parametrize("translate", [ARABIC, FULLWIDTH], ids=["arabic", "fullwidth"])
async def test_an_id_in_a_path_written_in_another_script_names_nothing(world: World, translate: dict) -> None:
    s = await Scenario.create(world)
    case = str(s.case_id).translate(translate)
    assert (await s.kommun.get(f"/api/applications/{case}")).status_code == 404
    assert (await s.kommun.get(f"/kommun/arenden/{case}")).status_code == 404
    assert (
        await s.owner.put(f"/api/applications/{case}/answers/1", json={"status": "fulfilled"})
    ).status_code == 404
    other = await world.user(Role.kommun)
    response = await s.kommun.post(f"/api/users/{str(other).translate(translate)}/deactivate")
    assert response.status_code == 404, response.text
    users = await ok(await s.kommun.get("/api/users"))
    assert next(u for u in users if u["id"] == other)["active"], "the account was not touched"


@pytest.mark.parametrize("shape", ["+{}", "0_{}", " {}", "{} "])
async def test_an_id_in_a_path_with_a_sign_space_or_underscore_names_nothing(
    world: World, shape: str
) -> None:
    s = await Scenario.create(world)
    assert (await s.kommun.get(f"/api/applications/{shape.format(s.case_id)}")).status_code == 404


@pytest.mark.parametrize("number", ["٣", "²", "３"])
async def test_a_query_number_in_another_script_is_a_400_naming_it(world: World, number: str) -> None:
    """Litestar's own query parsing (msgspec) already reads ASCII digits only: kept that way."""
    s = await Scenario.create(world)
    response = await s.kommun.get(f"/api/businesses/outreach?page={number}")
    assert response.status_code == 400, response.text
    extra = response.json()["extra"]
    assert extra["code"] == "invalid_field" and extra["field"] == "page"


async def test_an_org_number_or_postal_code_in_another_script_is_refused_by_the_api(world: World) -> None:
    s = await Scenario.create(world)
    arabic_org = with_check_digit("556016068").translate(ARABIC)
    for field, value in (("org_number", arabic_org), ("postal_code", "٧٨٤ ٣٣")):
        response = await s.owner.post("/api/businesses", json=shop_fields(7, **{field: value}))
        assert response.status_code == 400, response.text
        assert response.json()["extra"]["field"] == field


async def test_an_org_number_in_another_script_is_a_form_error(world: World) -> None:
    await world.kommun()
    _, owner = await world.client_for(Role.owner)
    form = shop_form(org_number=with_check_digit("556016068").translate(ARABIC))
    response = await submit(owner, "/butiker/ny", "/butiker/ny", form)
    assert response.status_code == 400
    assert errors_in(response.text) == ["Skriv organisationsnumret med 10 siffror, till exempel 556016-0680."]


@pytest.mark.parametrize("number", ["²", "٣"])
async def test_numbers_in_the_chain_and_checklist_forms_are_ascii_or_nothing(
    world: World, number: str
) -> None:
    """The kommun's chain case forms (inspector, shop to sample, central points), the chain's own
    shop form and the checklist's not-applicable boxes: a foreign digit is no choice, never a 500."""
    chain, case = await submitted_case(world)
    _, kommun = await world.client_for(Role.kommun)
    page = f"/kommun/kedjearenden/{case['id']}"
    assigned = await submit(kommun, page, f"{page}/tilldela", {"besiktningsperson": number})
    assert assigned.status_code in (400, 422), assigned.text
    central = await submit(kommun, page, f"{page}/centrala-punkter", {"punkt": [number, "1"]})
    assert central.status_code == 303, central.text
    assert (await ok(await kommun.get(f"/api/chain-cases/{case['id']}")))["central_points"] == [1]
    inspector_id, _ = await world.client_for(Role.inspector)
    await ok(await kommun.post(f"/api/chain-cases/{case['id']}/assign", json={"inspector_id": inspector_id}))
    sampled = await submit(kommun, page, f"{page}/stickprov", {"butik": number})
    assert sampled.status_code in (400, 404, 422), sampled.text
    own = await submit(chain.rep, f"/kedjor/{chain.id}", f"/kedjor/{chain.id}/butiker", {"butik": number})
    assert own.status_code == 400, own.text
    boxes = await submit(
        kommun, "/kommun/checklista", "/kommun/checklista/ej-tillamplig", {"avstangd": [number]}
    )
    assert boxes.status_code == 303, boxes.text
