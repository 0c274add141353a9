"""The kommun's pages through the HTTP client: case list, case page and actions, user administration."""

from __future__ import annotations

import re
from datetime import date, timedelta

import httpx

from certify.domain.status import Role
from certify.services.case_search import PAGE_SIZE
from certify.tables import Application, Certificate
from tests.conftest import PASSWORD, World
from tests.integration.pages import errors_in, submit
from tests.integration.scenario import Scenario, ok

LIST = "/kommun/arenden"


def listed_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<th scope="row"><a href="/kommun/arenden/(\d+)"', html)]


async def ids(client: httpx.AsyncClient, query: str = "") -> list[int]:
    response = await client.get(f"{LIST}?{query}")
    assert response.status_code == 200, response.text
    return listed_ids(response.text)


async def test_case_list_filters(world: World) -> None:
    draft = await Scenario.create(world)
    booked = await Scenario.create_in(world, draft)
    await booked.to_state("scheduled")
    failed = await Scenario.create_in(world, booked)
    await failed.new_shop()  # another shop, so areas differ below
    await failed.to_state("corrections_required")
    certified = await Scenario.create_in(world, failed)
    await certified.to_state("certified")
    await Application.update({Application.round: 2}).where(Application.id == certified.case_id).run()
    await ok(
        await draft.owner.patch(f"/api/businesses/{certified.business_id}", json={"area": "Bullermyren"})
    )
    k = draft.kommun

    assert sorted(await ids(k)) == sorted([draft.case_id, booked.case_id, failed.case_id, certified.case_id])
    assert await ids(k, "status=scheduled") == [booked.case_id]
    assert await ids(k, "omrade=Bullermyren") == [certified.case_id]
    assert sorted(await ids(k, f"inspektor={draft.inspector_id}")) == sorted(
        [booked.case_id, failed.case_id, certified.case_id]
    )
    assert await ids(k, "inspektor=ingen") == [draft.case_id]
    assert await ids(k, "omgang=2") == [certified.case_id]

    assert await ids(k, "forsenade=1") == []
    past = date.today() - timedelta(days=1)
    await Application.update({Application.deadline: past}).where(Application.id == failed.case_id).run()
    assert await ids(k, "forsenade=1") == [failed.case_id]
    assert "Försenad" in (await k.get(f"{LIST}?forsenade=1")).text

    assert await ids(k, "loper-ut=1") == []
    soon = date.today() + timedelta(days=60)
    await (
        Certificate.update({Certificate.valid_until: soon})
        .where(Certificate.application == certified.case_id)
        .run()
    )
    assert await ids(k, "loper-ut=1") == [certified.case_id]
    assert await ids(k, "status=nonsense&omgang=x") != []  # unknown values are ignored, not errors


async def test_case_list_sorts_and_pages(world: World) -> None:
    first = await Scenario.create(world)
    made = [first]
    for _ in range(PAGE_SIZE):
        made.append(await Scenario.create_in(world, made[-1]))
    k = first.kommun
    by_name = await ids(k, "sortera=butik&ordning=stigande")
    assert len(by_name) == PAGE_SIZE
    html = (await k.get(f"{LIST}?sortera=butik&ordning=stigande")).text
    names = re.findall(r'<a href="/kommun/arenden/\d+">([^<]+)</a>', html)
    assert names == sorted(names)
    assert f"{PAGE_SIZE + 1} ärenden, sida 1 av 2" in html
    assert "sida=2" in html and 'rel="next"' in html
    second = await ids(k, "sortera=butik&ordning=stigande&sida=2")
    assert len(second) == 1 and second[0] not in by_name
    newest_first = await ids(k)
    assert newest_first[0] == made[-1].case_id


async def test_case_page_shows_everything(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("corrections_required")
    await ok(await s.act(s.owner, "report_corrections", comment="Sedelboxen är monterad."))
    await s.judge_all()
    await ok(await s.act(s.inspector, "approve"))
    html = (await s.kommun.get(f"{LIST}/{s.case_id}")).text
    assert "Åkes Järn &amp; Färg 1" in html and "556010" in html
    assert "Besiktning 1: <strong>Underkänd</strong> – Punkt 4 brister." in html
    assert "Besiktning 2: <strong>Godkänd</strong>" in html
    assert "Uppfyllt" in html  # the owner's answers
    assert "Butiken godkändes och fick intyg" in html  # the timeline
    number = (await s.case())["certificate"]["number"]
    assert number in html
    assert "protokoll.pdf?omgang=1" in html and "protokoll.pdf?omgang=2" in html
    assert f'action="/kommun/arenden/{s.case_id}/aterkalla"' in html


async def test_assign_and_reassign_from_the_page(world: World) -> None:
    s = await Scenario.create(world)
    await s.answer_all()
    await ok(await s.act(s.owner, "submit"))
    other = await world.user(Role.inspector, name="Olle Besiktare")
    page = f"{LIST}/{s.case_id}"
    html = (await s.kommun.get(page)).text
    assert "Tilldela besiktningsperson" in html and "Olle Besiktare" in html
    when = (date.today() + timedelta(days=3)).isoformat() + "T09:15"
    response = await submit(
        s.kommun, page, f"{page}/tilldela", {"inspektor": str(s.inspector_id), "besok": when}
    )
    assert response.status_code == 303
    case = await s.case()
    assert case["state"] == "scheduled" and case["inspector_id"] == s.inspector_id
    response = await submit(s.kommun, page, f"{page}/tilldela", {"inspektor": str(other), "besok": when})
    assert response.status_code == 303 and (await s.case())["inspector_id"] == other
    refused = await submit(s.kommun, page, f"{page}/tilldela", {"inspektor": "", "besok": ""})
    assert refused.status_code == 400
    assert errors_in(refused.text) == ["Välj en besiktningsperson.", "Välj dag och tid för besöket."]


async def test_reject_and_revoke_need_a_reason(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("certified")
    page = f"{LIST}/{s.case_id}"
    refused = await submit(s.kommun, page, f"{page}/aterkalla", {"skal": " "})
    assert refused.status_code == 400
    assert errors_in(refused.text) == ["Skriv skälet till att intyget återkallas."]
    done = await submit(s.kommun, page, f"{page}/aterkalla", {"skal": "Butiken har flyttat."})
    assert done.status_code == 303
    assert (await s.case())["certificate"]["status"] == "revoked"
    assert "Intyget återkallades. Skäl: Butiken har flyttat." in (await s.kommun.get(page)).text

    other = await Scenario.create_in(world, s)
    await other.to_state("scheduled")
    page = f"{LIST}/{other.case_id}"
    done = await submit(s.kommun, page, f"{page}/avsla", {"skal": "Butiken har lagt ner."})
    assert done.status_code == 303 and (await other.case())["state"] == "rejected"


async def test_other_kommun_and_other_roles_are_kept_out(world: World) -> None:
    s = await Scenario.create(world)
    await world.kommun("2080", "Falu kommun")
    _, falun = await world.client_for(Role.kommun, ["2080"])
    assert (await falun.get(f"{LIST}/{s.case_id}")).status_code == 404
    assert await ids(falun) == []
    assert (await s.inspector.get(LIST)).status_code == 403
    assert (await s.owner.get("/kommun/anvandare")).status_code == 403


async def test_create_inspector_with_a_temporary_password(world: World) -> None:
    await world.kommun()
    _, kommun = await world.client_for(Role.kommun)
    response = await submit(
        kommun,
        "/kommun/anvandare",
        "/kommun/anvandare",
        {"name": "Nina Polis", "email": "nina.polis@example.se", "role": "inspector"},
    )
    assert response.status_code == 200
    password = re.search(r'class="kommun-password">([^<]+)<', response.text).group(1)  # type: ignore[union-attr]

    nina = world.new_client()
    await ok(
        await nina.post("/api/auth/login", json={"email": "nina.polis@example.se", "password": password})
    )
    assert (await nina.get("/besiktningar")).headers["location"] == "/byt-losenord"
    refused = await nina.get("/api/applications")
    assert refused.status_code == 403 and "nytt lösenord" in refused.json()["detail"]
    assert (await nina.get("/api/me")).json()["must_change_password"] is True

    wrong = await submit(
        nina, "/byt-losenord", "/byt-losenord", {"current": password, "password": "kort", "repeat": "kort"}
    )
    assert wrong.status_code == 400 and "minst 10 tecken" in errors_in(wrong.text)[0]
    changed = await submit(
        nina,
        "/byt-losenord",
        "/byt-losenord",
        {"current": password, "password": "ett eget långt lösenord", "repeat": "ett eget långt lösenord"},
    )
    assert changed.status_code == 303 and changed.headers["location"] == "/besiktningar"
    assert (await nina.get("/besiktningar")).status_code == 200
    assert (await nina.get("/api/applications")).status_code == 200


async def test_create_user_errors_are_shown_with_the_input_kept(world: World) -> None:
    await world.kommun()
    _, kommun = await world.client_for(Role.kommun)
    response = await submit(
        kommun, "/kommun/anvandare", "/kommun/anvandare", {"name": "", "email": "inte-en-adress", "role": "x"}
    )
    assert response.status_code == 400
    assert errors_in(response.text) == ["Skriv ett namn.", "Välj besiktningsperson eller handläggare."]
    assert 'value="inte-en-adress"' in response.text


async def test_deactivated_users_session_stops_working(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("scheduled")
    assert (await s.inspector.get("/besiktningar")).status_code == 200
    response = await submit(s.kommun, "/kommun/anvandare", f"/kommun/anvandare/{s.inspector_id}/inaktivera")
    assert response.status_code == 303
    assert (await s.inspector.get("/api/applications")).status_code == 401
    page = await s.inspector.get("/besiktningar")
    assert page.status_code == 303 and page.headers["location"].startswith("/logga-in")
    users = (await s.kommun.get("/kommun/anvandare")).text
    assert "Inaktiverad" in users
    again = world.new_client()
    login = await again.post("/api/auth/login", json={"email": "inspector2@example.se", "password": PASSWORD})
    assert login.status_code == 401
    # The history stays: the case still names the inspector.
    assert (await s.case())["inspector_name"] == "Inspector 2"


async def test_reset_password_ends_sessions_and_forces_a_new_one(world: World) -> None:
    s = await Scenario.create(world)
    response = await submit(
        s.kommun, "/kommun/anvandare", f"/kommun/anvandare/{s.inspector_id}/nytt-losenord"
    )
    assert response.status_code == 200
    password = re.search(r'class="kommun-password">([^<]+)<', response.text).group(1)  # type: ignore[union-attr]
    assert (await s.inspector.get("/api/applications")).status_code == 401
    fresh = world.new_client()
    await ok(
        await fresh.post("/api/auth/login", json={"email": "inspector2@example.se", "password": password})
    )
    assert (await fresh.get("/besiktningar")).headers["location"] == "/byt-losenord"
    changed = await fresh.post(
        "/api/me/password", json={"current_password": password, "new_password": "ett nytt långt lösenord"}
    )
    assert changed.status_code == 204
    assert (await fresh.get("/api/applications")).status_code == 200


async def test_kommun_cannot_administer_itself_or_strangers(world: World) -> None:
    s = await Scenario.create(world)
    own = await submit(s.kommun, "/kommun/anvandare", f"/kommun/anvandare/{s.kommun_id}/inaktivera")
    assert own.status_code == 422
    stranger = await submit(s.kommun, "/kommun/anvandare", f"/kommun/anvandare/{s.owner_id}/inaktivera")
    assert stranger.status_code == 404


async def test_user_administration_through_the_api(world: World) -> None:
    s = await Scenario.create(world)
    reset = await ok(await s.kommun.post(f"/api/users/{s.inspector_id}/reset-password"))
    assert reset["user_id"] == s.inspector_id and len(reset["temporary_password"]) == 14
    assert (await s.inspector.get("/api/me")).status_code == 401  # the old session ended
    fresh = world.new_client()
    await ok(
        await fresh.post(
            "/api/auth/login",
            json={"email": "inspector2@example.se", "password": reset["temporary_password"]},
        )
    )
    refused = await fresh.get("/api/applications")
    assert refused.status_code == 403 and refused.json()["extra"] == {
        "code": "must_change_password",
        "must_change_password": True,
    }
    user = await ok(await s.kommun.post(f"/api/users/{s.inspector_id}/deactivate"))
    assert user["active"] is False
    assert (await fresh.get("/api/me")).status_code == 401
    assert (await s.owner.post(f"/api/users/{s.inspector_id}/deactivate")).status_code == 403


async def test_an_inspector_shared_with_another_kommun_cannot_be_taken_over(world: World) -> None:
    """A password reset by one kommun must not open another kommun's cases."""
    await world.kommun()
    await world.kommun("2080", "Falu kommun")
    shared = await world.user(Role.inspector, ["2081", "2080"])
    _, kommun = await world.client_for(Role.kommun, ["2081"])
    for action in ("reset-password", "deactivate"):
        refused = await kommun.post(f"/api/users/{shared}/{action}", json={})
        assert refused.status_code == 403 and "andra kommuner" in refused.json()["detail"]
    own = await world.user(Role.inspector, ["2081"])
    assert (await kommun.post(f"/api/users/{own}/reset-password", json={})).status_code in (200, 201)
