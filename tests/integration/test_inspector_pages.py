"""The inspector's pages through the HTTP client: queue, inspection, each decision, protocol."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

import pypdf

from certify.domain.status import Role
from certify.services.clock import SWEDEN
from certify.tables import Application
from certify.web.pages.inspector import APPROVE_UNCONFIRMED
from tests.conftest import World
from tests.integration.pages import JPEG, errors_in, submit, token_in
from tests.integration.scenario import Scenario, ok, visit_time


def today_at(hour: int) -> str:
    return datetime.combine(date.today(), time(hour), tzinfo=SWEDEN).isoformat()


async def booked(world: World, *, cash_free: bool = False) -> Scenario:
    """A case submitted and booked for the scenario's inspector, for today at 10.

    A visit can only be booked ahead, so it is booked for a later day and then moved to today, as
    if the booking had been made days ago.
    """
    s = await Scenario.create(world, cash_free=cash_free)
    await s.answer_all()
    await ok(await s.act(s.owner, "submit"))
    await ok(await s.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=visit_time()))
    visit = datetime.fromisoformat(today_at(10))
    await Application.update({Application.visit_at: visit}).where(Application.id == s.case_id).run()
    return s


def page_of(s: Scenario) -> str:
    return f"/besiktningar/{s.case_id}"


async def judge(s: Scenario, point: int, verdict: str, remark: str = "", files=None):  # type: ignore[no-untyped-def]
    data = {"bedomning": verdict, "anmarkning": remark}
    return await submit(s.inspector, page_of(s), f"{page_of(s)}/punkt/{point}", data, files=files)


async def test_queue_groups_cases_by_visit(world: World) -> None:
    s = await booked(world)
    later = await Scenario.create_in(world, s)
    await later.answer_all()
    await ok(await later.act(later.owner, "submit"))
    tomorrow = (datetime.now(SWEDEN) + timedelta(days=3)).replace(microsecond=0).isoformat()
    await ok(await later.act(later.kommun, "assign", inspector_id=s.inspector_id, visit_at=tomorrow))

    html = (await s.inspector.get("/besiktningar")).text
    today_part, rest = html.split('id="kommande"', 1)
    assert (
        "Åkes Järn &amp; Färg 1" in today_part
        and "Borlänge Torget 5" in today_part
        and "Centrum" in today_part
    )
    assert f"/besiktningar/{later.case_id}" in rest.split('id="beslut"', 1)[0]


async def test_inspection_page_shows_the_shop_and_owner_side(world: World) -> None:
    s = await booked(world, cash_free=True)
    html = (await s.inspector.get(page_of(s))).text
    assert "Kontantfri butik" in html and "Butiken är kontantfri." in html  # the owner's comment
    assert html.count('capture="environment"') == 13
    # The point itself is not applicable only for the cash points of a cash-free shop.
    assert html.count('name="bedomning" value="not_applicable"') == 5
    assert "0 av 13 punkter bedömda" in html
    assert "Godkänna går inte än: punkterna 1, 2, 3" in html


async def test_saving_a_point_with_a_photo(world: World) -> None:
    s = await booked(world)
    response = await judge(s, 1, "pass", files=[("foto", ("IMG_0001.jpg", JPEG, "image/jpeg"))])
    assert response.status_code == 303
    assert response.headers["location"] == f"{page_of(s)}?klart=punkt-1#punkt-1"
    case = await s.case()
    assert [(v["point"], v["verdict"]) for v in case["verdicts"]] == [(1, "pass")]
    files = await ok(await s.inspector.get(f"/api/applications/{s.case_id}/evidence"))
    assert [(f["point"], f["file_name"]) for f in files] == [(1, "IMG_0001.jpg")]
    html = (await s.inspector.get(response.headers["location"])).text
    assert "Punkt 1 är sparad." in html and "1 av 13 punkter bedömda" in html


async def test_failed_point_needs_a_remark_and_keeps_the_input(world: World) -> None:
    s = await booked(world)
    response = await judge(s, 4, "fail", "")
    assert response.status_code == 400
    assert errors_in(response.text) == ["Punkt 4: skriv en anmärkning som förklarar bedömningen."]
    assert (await s.case())["verdicts"] == []


async def test_a_wrong_photo_is_refused_but_the_verdict_is_kept(world: World) -> None:
    s = await booked(world)
    response = await judge(s, 2, "pass", files=[("foto", ("notes.txt", b"just text", "text/plain"))])
    assert response.status_code == 400
    assert "Punkt 2, bilden: Filen går inte att använda" in errors_in(response.text)[0]
    assert [v["point"] for v in (await s.case())["verdicts"]] == [2]


async def test_approving_with_a_failed_point_is_refused_with_the_reason(world: World) -> None:
    s = await booked(world)
    await s.judge_all(fail={4})
    html = (await s.inspector.get(page_of(s))).text
    assert "Godkänna går inte än: punkt 4 är underkänd." in html
    assert f'action="{page_of(s)}/godkann"' not in html  # not offered
    response = await submit(s.inspector, page_of(s), f"{page_of(s)}/godkann", {"bekrafta": "ja"})
    assert response.status_code == 422
    assert "Kan inte godkänna: punkt 4 är underkänd." in response.text
    assert (await s.case())["state"] == "scheduled"


async def test_require_corrections_shows_failed_points_and_uses_the_deadline(world: World) -> None:
    s = await booked(world)
    await s.judge_all(fail={4, 9})
    html = (await s.inspector.get(page_of(s))).text
    assert "Punkt 4 brister." in html and "Punkt 9 brister." in html
    default = (date.today() + timedelta(days=30)).isoformat()
    assert f'value="{default}"' in html
    deadline = (date.today() + timedelta(days=14)).isoformat()
    response = await submit(s.inspector, page_of(s), f"{page_of(s)}/begar-atgarder", {"deadline": deadline})
    assert response.status_code == 303
    case = await s.case()
    assert case["state"] == "corrections_required" and case["deadline"] == deadline


async def test_require_corrections_with_a_past_deadline_is_refused(world: World) -> None:
    s = await booked(world)
    await s.judge_all(fail={4})
    past = (date.today() - timedelta(days=1)).isoformat()
    response = await submit(s.inspector, page_of(s), f"{page_of(s)}/begar-atgarder", {"deadline": past})
    assert response.status_code == 422
    assert "måste ligga i framtiden" in response.text


async def test_approving_needs_a_confirmation_before_the_certificate_is_issued(world: World) -> None:
    s = await booked(world)
    await s.judge_all()
    html = (await s.inspector.get(page_of(s))).text
    assert 'type="checkbox" id="f-bekrafta" name="bekrafta" value="ja" required' in html
    response = await submit(s.inspector, page_of(s), f"{page_of(s)}/godkann")
    assert response.status_code == 400
    assert errors_in(response.text) == [APPROVE_UNCONFIRMED]
    case = await s.case()
    assert case["state"] == "scheduled" and case["certificate"] is None


async def test_approve_from_the_page(world: World) -> None:
    s = await booked(world)
    await s.judge_all()
    response = await submit(s.inspector, page_of(s), f"{page_of(s)}/godkann", {"bekrafta": "ja"})
    assert response.status_code == 303
    assert (await s.case())["state"] == "certified"
    html = (await s.inspector.get(response.headers["location"])).text
    assert "Butiken är godkänd" in html and "Det finns inget att besluta nu" in html


async def test_reject_needs_a_reason(world: World) -> None:
    s = await booked(world)
    refused = await submit(s.inspector, page_of(s), f"{page_of(s)}/avsla", {"skal": ""})
    assert refused.status_code == 422 and "ett skäl (reason) saknas" in refused.text
    done = await submit(s.inspector, page_of(s), f"{page_of(s)}/avsla", {"skal": "Butiken vill inte."})
    assert done.status_code == 303 and (await s.case())["state"] == "rejected"


async def test_reschedule(world: World) -> None:
    s = await booked(world)
    new_time = (date.today() + timedelta(days=5)).isoformat() + "T14:30"
    response = await submit(s.inspector, page_of(s), f"{page_of(s)}/boka-om", {"besok": new_time})
    assert response.status_code == 303
    visit = datetime.fromisoformat((await s.case())["visit_at"]).astimezone(SWEDEN)
    assert (visit.date().isoformat(), visit.hour, visit.minute) == (new_time[:10], 14, 30)
    events = await ok(await s.kommun.get(f"/api/applications/{s.case_id}/events"))
    assert events[-1]["action"] == "reschedule"
    refused = await submit(s.inspector, page_of(s), f"{page_of(s)}/boka-om", {"besok": ""})
    assert refused.status_code == 400 and "Välj en ny tid för besöket." in errors_in(refused.text)


async def test_a_case_not_assigned_to_me_is_404(world: World) -> None:
    s = await booked(world)
    _, other = await world.client_for(Role.inspector)
    assert (await other.get(page_of(s))).status_code == 404
    assert (await other.get(f"/arenden/{s.case_id}/protokoll.pdf")).status_code == 404
    token_page = await other.get("/besiktningar")
    response = await other.post(
        f"{page_of(s)}/punkt/1", data={"_csrf_token": token_in(token_page.text), "bedomning": "pass"}
    )
    assert response.status_code == 404
    assert (await s.case())["verdicts"] == []


async def test_other_roles_cannot_use_the_inspector_pages(world: World) -> None:
    s = await booked(world)
    assert (await s.owner.get(page_of(s))).status_code == 403
    assert (await s.kommun.get("/besiktningar")).status_code == 403
    assert (await s.owner.get(f"/arenden/{s.case_id}/protokoll.pdf")).status_code == 403


async def test_point_form_without_csrf_token_is_refused(world: World) -> None:
    s = await booked(world)
    response = await s.inspector.post(f"{page_of(s)}/punkt/1", data={"bedomning": "pass"})
    assert response.status_code == 403
    assert (await s.case())["verdicts"] == []


async def test_protocol_pdf_for_inspector_and_kommun(world: World) -> None:
    s = await booked(world)
    await s.judge_all(fail={4})
    for client in (s.inspector, s.kommun):
        response = await client.get(f"/arenden/{s.case_id}/protokoll.pdf")
        assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
        text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
        assert "Punkt 4 brister." in text and "Underkänd" in text and "Åkes Järn & Färg 1" in text
    assert (await s.kommun.get(f"/arenden/{s.case_id}/protokoll.pdf?omgang=2")).status_code == 404
