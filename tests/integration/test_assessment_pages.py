"""The owner's self-assessment through the HTTP client: an overview, one page and one form per point."""

from __future__ import annotations

from typing import Any

import httpx

from certify.domain.status import Role
from tests.conftest import World
from tests.integration.pages import PNG, errors_in, submit
from tests.integration.scenario import Scenario, ok


def point_path(case_id: int, point: int) -> str:
    return f"/arenden/{case_id}/egenkontroll/punkt/{point}"


async def save_point(
    client: httpx.AsyncClient, case_id: int, point: int, data: dict[str, Any], files: Any = None
) -> httpx.Response:
    path = point_path(case_id, point)
    return await submit(client, path, path, data, files=files)


async def test_saving_point_7_lands_back_at_point_7(world: World) -> None:
    scenario = await Scenario.create(world)
    response = await save_point(
        scenario.owner,
        scenario.case_id,
        7,
        {"svar-7": "fulfilled", "kommentar-7": "Extra telefon i kontoret."},
    )
    assert response.status_code == 303
    assert response.headers["location"] == point_path(scenario.case_id, 7) + "?sparad=7"
    page = await scenario.owner.get(response.headers["location"])
    assert "Punkt 7 är sparad." in page.text and "Extra telefon i kontoret." in page.text
    assert "1 av 13 besvarade" in page.text
    case = await scenario.case(scenario.owner)
    assert [(a["point"], a["status"]) for a in case["answers"]] == [(7, "fulfilled")]


async def test_each_point_has_a_form_of_its_own(world: World) -> None:
    scenario = await Scenario.create(world)
    page = await scenario.owner.get(point_path(scenario.case_id, 7))
    assert page.status_code == 200
    # The answer, and a choice for each of point 7's required and conditional criteria (7.1, 7.2,
    # 7.4–7.6); the recommended ones (7.3, 7.7) are advice and are not marked.
    assert page.text.count('<fieldset class="field') == 1 and 'name="svar-7"' in page.text
    assert page.text.count('<fieldset class="criterion">') == 5
    assert f'action="{point_path(scenario.case_id, 7)}"' in page.text
    assert 'name="svar-6"' not in page.text and 'name="svar-8"' not in page.text
    assert 'name="svar-7" value="not_applicable"' not in page.text, "a shop with cash: not for the point"


async def test_save_and_go_on_goes_to_the_next_unanswered_point(world: World) -> None:
    scenario = await Scenario.create(world)
    await ok(await scenario.answer(8))
    response = await save_point(
        scenario.owner, scenario.case_id, 7, {"svar-7": "fulfilled", "efter": "nasta"}
    )
    assert response.headers["location"] == point_path(scenario.case_id, 9) + "?sparad=7"
    page = await scenario.owner.get(response.headers["location"])
    assert "Punkt 7 är sparad." in page.text and "Punkt 9 av 13" in page.text


async def test_every_screen_shows_progress_and_links_to_the_points_still_open(world: World) -> None:
    scenario = await Scenario.create(world)
    for point in range(1, 13):
        if point != 5:
            await ok(await scenario.answer(point))
    for path in (f"/arenden/{scenario.case_id}/egenkontroll", point_path(scenario.case_id, 2)):
        page = await scenario.owner.get(path)
        assert "11 av 13 besvarade" in page.text and "Kvar att besvara" in page.text
        remaining = page.text.split("Kvar att besvara", 1)[1].split("</ul>", 1)[0]
        assert f'href="{point_path(scenario.case_id, 5)}"' in remaining
        assert f'href="{point_path(scenario.case_id, 13)}"' in remaining
        assert f'href="{point_path(scenario.case_id, 4)}"' not in remaining


async def test_the_last_answer_leads_to_the_overview_and_the_way_to_submit(world: World) -> None:
    scenario = await Scenario.create(world)
    for point in range(1, 13):
        await ok(await scenario.answer(point))
    response = await save_point(
        scenario.owner, scenario.case_id, 13, {"svar-13": "fulfilled", "efter": "nasta"}
    )
    assert response.headers["location"] == f"/arenden/{scenario.case_id}/egenkontroll?sparad=13"
    page = await scenario.owner.get(response.headers["location"])
    assert "13 av 13 besvarade" in page.text and "Alla punkter är besvarade." in page.text
    assert f'href="/arenden/{scenario.case_id}/skicka-in"' in page.text
    summary = await scenario.owner.get(f"/arenden/{scenario.case_id}/skicka-in")
    done = await submit(scenario.owner, summary.url.path, summary.url.path, {})
    assert done.status_code == 303
    shop = await scenario.owner.get(done.headers["location"])
    assert "Ansökan är inskickad" in shop.text
    assert "Egenkontrollen sparades (punkterna 1, 2" in shop.text, "the saves are one line of the story"
    locked = await scenario.owner.get(point_path(scenario.case_id, 3))
    assert "Svaren kan inte ändras nu" in locked.text and "data-warn-unsaved" not in locked.text


async def test_a_comment_without_an_answer_is_an_error_linked_to_the_answer(world: World) -> None:
    scenario = await Scenario.create(world)
    response = await save_point(scenario.owner, scenario.case_id, 3, {"kommentar-3": "Lådan låses."})
    assert response.status_code == 400
    assert errors_in(response.text) == ["Välj ett svar för att kunna spara kommentaren."]
    assert 'href="#f-svar-3"' in response.text and 'id="f-svar-3"' in response.text
    assert "Lådan låses." in response.text, "the comment is kept"
    assert "data-unsaved" in response.text, "the page knows the comment is not saved"
    assert (await scenario.case(scenario.owner))["answers"] == []


async def test_not_applicable_is_refused_for_a_shop_with_cash(world: World) -> None:
    scenario = await Scenario.create(world)
    response = await save_point(
        scenario.owner, scenario.case_id, 4, {"svar-4": "not_applicable", "kommentar-4": "x"}
    )
    assert response.status_code == 400 and "kan inte vara ej tillämplig" in response.text


async def test_cash_free_shop_may_answer_not_applicable_on_cash_points(world: World) -> None:
    scenario = await Scenario.create(world, cash_free=True)
    offered = []
    for point in range(1, 14):
        page = await scenario.owner.get(point_path(scenario.case_id, point))
        if f'name="svar-{point}" value="not_applicable"' in page.text:
            offered.append(point)
    assert offered == [3, 4, 5, 6, 12]


async def test_a_point_that_does_not_exist_is_404(world: World) -> None:
    scenario = await Scenario.create(world)
    for point in (0, 14):
        assert (await scenario.owner.get(point_path(scenario.case_id, point))).status_code == 404
        response = await scenario.owner.post(point_path(scenario.case_id, point), data={})
        assert response.status_code in {403, 404}  # no CSRF token: refused either way


async def test_someone_elses_point_is_404(world: World) -> None:
    scenario = await Scenario.create(world)
    _, stranger = await world.client_for(Role.owner)
    assert (await stranger.get(point_path(scenario.case_id, 1))).status_code == 404


async def test_removing_a_file_lands_back_at_its_point(world: World) -> None:
    scenario = await Scenario.create(world)
    uploaded = await save_point(
        scenario.owner,
        scenario.case_id,
        9,
        {"svar-9": "fulfilled"},
        files=[("bevis-9", ("tejp.png", PNG, "image/png"))],
    )
    assert uploaded.status_code == 303
    [item] = await ok(await scenario.owner.get(f"/api/applications/{scenario.case_id}/evidence"))
    page = await scenario.owner.get(point_path(scenario.case_id, 9))
    assert f'form="ta-bort-{item["id"]}"' in page.text and f'id="ta-bort-{item["id"]}"' in page.text
    response = await submit(
        scenario.owner,
        point_path(scenario.case_id, 9),
        f"/arenden/{scenario.case_id}/bevis/{item['id']}/ta-bort",
    )
    assert response.headers["location"] == point_path(scenario.case_id, 9) + "?klart=borttagen"
    assert "Filen är borttagen." in (await scenario.owner.get(response.headers["location"])).text


async def test_the_pages_load_the_unsaved_changes_warning(world: World) -> None:
    scenario = await Scenario.create(world)
    page = await scenario.owner.get(point_path(scenario.case_id, 1))
    assert '<script src="/static/unsaved.js" defer></script>' in page.text
    assert "data-warn-unsaved" in page.text and "data-unsaved>" not in page.text
    script = await scenario.owner.get("/static/unsaved.js")
    assert script.status_code == 200 and "beforeunload" in script.text


async def test_a_failed_point_shows_the_inspectors_remark_where_it_is_corrected(world: World) -> None:
    scenario = await Scenario.create(world)
    await scenario.to_state("corrections_required")
    overview = await scenario.owner.get(f"/arenden/{scenario.case_id}/egenkontroll")
    assert "Besiktning 1: underkänd" in overview.text.split('id="punkt-4"', 1)[1].split("</li>", 1)[0]
    page = await scenario.owner.get(point_path(scenario.case_id, 4))
    assert "Besiktningen 1: Underkänd." in page.text and "Punkt 4 brister." in page.text
    assert 'name="svar-4"' in page.text, "the answer can be changed while corrections are due"
