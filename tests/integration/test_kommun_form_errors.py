"""The kommun's case forms: each error names its field in words and is linked to it."""

from __future__ import annotations

from datetime import date, timedelta

from certify.domain.status import Role
from tests.conftest import World
from tests.integration.pages import errors_in, submit
from tests.integration.scenario import Scenario, ok

LIST = "/kommun/arenden"


async def submitted(world: World) -> Scenario:
    s = await Scenario.create(world)
    await s.answer_all()
    await ok(await s.act(s.owner, "submit"))
    return s


async def test_no_inspector_chosen_says_choose_one_linked_to_the_field(world: World) -> None:
    s = await submitted(world)
    page = f"{LIST}/{s.case_id}"
    when = (date.today() + timedelta(days=3)).isoformat() + "T09:15"
    response = await submit(s.kommun, page, f"{page}/tilldela", {"inspektor": "", "besok": when})
    assert response.status_code == 400
    assert errors_in(response.text) == ["Välj en besiktningsperson."]
    assert "finns inte" not in response.text and "visit_at" not in response.text
    assert '<a href="#f-inspektor">' in response.text
    assert 'aria-invalid="true" aria-describedby="f-inspektor-error"' in response.text
    assert 'id="f-inspektor-error"' in response.text
    assert f'value="{when}"' in response.text, "the chosen time is kept"
    assert (await s.case())["state"] == "submitted"


async def test_a_missing_or_malformed_visit_time_is_named_in_words(world: World) -> None:
    s = await submitted(world)
    page = f"{LIST}/{s.case_id}"
    for typed, message in (
        ("", "Välj dag och tid för besöket."),
        ("imorgon kl 10", "Skriv dag och tid för besöket som datum och klockslag"),
    ):
        response = await submit(
            s.kommun, page, f"{page}/tilldela", {"inspektor": str(s.inspector_id), "besok": typed}
        )
        assert response.status_code == 400
        [error] = errors_in(response.text)
        assert error.startswith(message) and "visit_at" not in response.text
        assert '<a href="#f-besok">' in response.text
        assert 'aria-describedby="f-besok-hint f-besok-error" aria-invalid="true"' in response.text
        assert f'<option value="{s.inspector_id}" selected>' in response.text, "the choice is kept"


async def test_a_reject_without_a_reason_names_the_field(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("scheduled")
    page = f"{LIST}/{s.case_id}"
    response = await submit(s.kommun, page, f"{page}/avsla", {"skal": ""})
    assert response.status_code == 400
    assert errors_in(response.text) == ["Skriv skälet till att ansökan avslås."]
    assert "(reason)" not in response.text and '<a href="#f-skal-avsla">' in response.text
    assert 'aria-describedby="f-skal-avsla-hint f-skal-avsla-error" aria-invalid="true"' in response.text
    assert (await s.case())["state"] == "scheduled"


async def test_someone_elses_case_stays_404_whatever_the_form_holds(world: World) -> None:
    s = await submitted(world)
    await world.kommun("2080", "Falu kommun")

    _, stranger = await world.client_for(Role.kommun, ["2080"])
    page = f"{LIST}/{s.case_id}"
    response = await submit(stranger, LIST, f"{page}/tilldela", {"inspektor": "", "besok": ""})
    assert response.status_code == 404
