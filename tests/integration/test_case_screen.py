"""What every role sees of a case, through the pages and the e-mails (issue 12): links that land on
the reader's own page, the owner's correction note beside the point it concerns, visits booked only
ahead and rebookings that say so, the owner's next step from the case's real data, the inspector's
photos apart from the shop's evidence, and the certificate and decal from every case page."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import httpx
import pypdf

from certify.demo import load_demo
from certify.domain.status import CaseState, Role
from certify.formatting import format_date as datum
from certify.formatting import format_datetime as datumtid
from certify.formatting import format_weekday_datetime
from certify.services.clock import SWEDEN, now
from certify.tables import Application, OutboxMessage
from tests.conftest import World
from tests.integration.pages import JPEG, PNG, errors_in, submit
from tests.integration.scenario import Scenario, future_deadline, ok

NOTE = "Sedelboxen är nu fastskruvad i bänken vid kassa 2."


async def mails_to(address: str) -> list[dict[str, str]]:
    return list(
        await OutboxMessage.select(OutboxMessage.subject, OutboxMessage.body_text)
        .where(OutboxMessage.recipient == address)
        .order_by(OutboxMessage.id)
        .run()
    )


async def email_of(client: httpx.AsyncClient) -> str:
    return str((await ok(await client.get("/api/me")))["email"])


def case_link(mail: dict[str, str]) -> str:
    match = re.search(r"Ärendet: (\S+)", mail["body_text"])
    assert match, mail["body_text"]
    return match.group(1)


def section(html: str, anchor: str) -> str:
    """The <section> that starts with this id (up to the next point's section)."""
    start = html.index(anchor)
    end = html.find('<section class="point', start + 1)
    return html[start : end if end != -1 else len(html)]


async def with_corrections_reported(world: World) -> Scenario:
    s = await Scenario.create(world)
    await s.to_state("corrections_required")  # point 4 failed
    await ok(await s.act(s.owner, "report_corrections", comment=NOTE))
    return s


# --- item 1: one link to a case for each reader ----------------------------------------------


async def test_mail_links_open_the_recipients_own_page_of_the_case(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("scheduled")
    owner_mail = [m for m in await mails_to(await email_of(s.owner)) if "bokad" in m["subject"]][-1]
    inspector_mail = (await mails_to(await email_of(s.inspector)))[-1]
    for client, mail, path in (
        (s.owner, owner_mail, f"/butiker/{s.business_id}"),
        (s.inspector, inspector_mail, f"/besiktningar/{s.case_id}"),
    ):
        link = case_link(mail)
        assert link == f"https://certify.test.borlange.se{path}"
        page = await client.get(urlsplit(link).path)
        assert page.status_code == 200 and "Åkes Järn &amp; Färg 1" in page.text


async def test_the_kommuns_overdue_mail_links_the_kommuns_case_page(world: World) -> None:
    from certify.services import jobs

    s = await Scenario.create(world)
    await s.to_state("corrections_required")
    deadline = date.fromisoformat((await s.case())["deadline"])
    await jobs.tick(deadline + timedelta(days=1))
    mail = (await mails_to(await email_of(s.kommun)))[-1]
    assert urlsplit(case_link(mail)).path == f"/kommun/arenden/{s.case_id}"
    assert (await s.kommun.get(urlsplit(case_link(mail)).path)).status_code == 200


async def test_a_shared_case_link_redirects_each_reader_to_their_page(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("scheduled")
    expected = {
        s.owner: f"/butiker/{s.business_id}",
        s.inspector: f"/besiktningar/{s.case_id}",
        s.kommun: f"/kommun/arenden/{s.case_id}",
    }
    for client, path in expected.items():
        response = await client.get(f"/arenden/{s.case_id}")
        assert (response.status_code, response.headers["location"]) == (303, path)
    _, stranger = await world.client_for(Role.owner)
    assert (await stranger.get(f"/arenden/{s.case_id}")).status_code == 404
    anonymous = world.new_client()
    response = await anonymous.get(f"/arenden/{s.case_id}")
    assert response.headers["location"] == f"/logga-in?nasta=/arenden/{s.case_id}"


async def test_the_404_page_keeps_the_logged_in_header(world: World) -> None:
    s = await Scenario.create(world)
    response = await s.owner.get("/finns/inte")
    assert response.status_code == 404
    header = response.text.split("</header>", 1)[0]
    assert "Logga ut" in header and "Mina butiker" in header and "Skapa konto" not in header
    anonymous = await world.new_client().get("/finns/inte")
    assert anonymous.status_code == 404 and "Skapa konto" in anonymous.text.split("</header>", 1)[0]


# --- item 2: the correction note reaches the inspector and the kommun --------------------------


async def test_the_correction_note_is_beside_the_point_for_inspector_and_kommun(world: World) -> None:
    s = await with_corrections_reported(world)
    inspector_page = (await s.inspector.get(f"/besiktningar/{s.case_id}")).text
    assert NOTE in section(inspector_page, 'id="punkt-4"')
    assert NOTE not in section(inspector_page, 'id="punkt-5"')
    kommun_page = (await s.kommun.get(f"/kommun/arenden/{s.case_id}")).text
    assert NOTE in section(kommun_page, 'aria-labelledby="k-punkt-4"')
    assert NOTE not in section(kommun_page, 'aria-labelledby="k-punkt-3"')


# --- item 7: visits only ahead; a rebooking says so -------------------------------------------


async def test_booking_a_visit_in_the_past_is_refused(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("submitted")
    past = (datetime.now(SWEDEN) - timedelta(hours=1)).replace(microsecond=0)
    api = await s.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=past.isoformat())
    assert api.status_code == 422 and "har redan passerat" in api.json()["detail"]
    version = str((await s.case())["version"])
    form = {"inspektor": str(s.inspector_id), "besok": past.strftime("%Y-%m-%dT%H:%M"), "version": version}
    page = f"/kommun/arenden/{s.case_id}"
    response = await submit(s.kommun, page, f"{page}/tilldela", form)
    assert response.status_code == 422 and "har redan passerat" in response.text
    case = await s.case()
    assert case["state"] == "submitted" and case["visit_at"] is None
    assert not [m for m in await mails_to(await email_of(s.owner)) if "bokad" in m["subject"]]


async def test_rescheduling_to_a_past_time_is_refused(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("scheduled")
    before = (await s.case())["visit_at"]
    past = (datetime.now(SWEDEN) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page = f"/besiktningar/{s.case_id}"
    response = await submit(s.inspector, page, f"{page}/boka-om", {"besok": past})
    assert response.status_code == 422
    assert errors_in(response.text) == ["Den tiden har redan passerat. Välj en senare tid för besöket."]
    assert (await s.case())["visit_at"] == before


async def test_a_rebooking_mail_says_ombokad_with_the_old_and_the_new_time(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("scheduled")
    first = datetime.fromisoformat((await s.case())["visit_at"]).astimezone(SWEDEN)
    second = (first + timedelta(days=3)).replace(hour=13, minute=15)
    await ok(await s.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=second.isoformat()))
    owner = await mails_to(await email_of(s.owner))
    assert [m["subject"] for m in owner if "bokad" in m["subject"]] == [
        "Besiktning bokad – Åkes Järn & Färg 1",
        "Besiktningen ombokad – Åkes Järn & Färg 1",
    ]
    text = owner[-1]["body_text"]
    assert format_weekday_datetime(first) in text and format_weekday_datetime(second) in text
    assert "gäller inte längre" in text
    inspector = (await mails_to(await email_of(s.inspector)))[-1]
    assert inspector["subject"] == "Ombokad besiktning – Åkes Järn & Färg 1"
    assert format_weekday_datetime(second) in inspector["body_text"]

    third = (second + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page = f"/besiktningar/{s.case_id}"
    assert (await submit(s.inspector, page, f"{page}/boka-om", {"besok": third})).status_code == 303
    moved = (await mails_to(await email_of(s.owner)))[-1]
    assert moved["subject"] == "Besiktningen ombokad – Åkes Järn & Färg 1"
    assert format_weekday_datetime(second) in moved["body_text"]
    assert format_weekday_datetime(datetime.fromisoformat(third).replace(tzinfo=SWEDEN)) in moved["body_text"]
    timeline = (await s.owner.get(f"/butiker/{s.business_id}")).text
    assert f"Besöket bokades om från {datumtid(second)}" in timeline


# --- item 8: the owner's next step from the case's real data ----------------------------------


async def test_after_reporting_corrections_the_owner_is_not_told_the_old_visit(world: World) -> None:
    s = await with_corrections_reported(world)
    old_visit = datumtid(datetime.fromisoformat((await s.case())["visit_at"]))
    html = (await s.owner.get(f"/butiker/{s.business_id}")).text
    step = html.split('id="next-step"', 1)[1].split("</section>", 1)[0]
    assert old_visit not in step and "kontrollerar åtgärderna" in step

    new_visit = (datetime.now(SWEDEN) + timedelta(days=4)).replace(hour=9, minute=30, second=0, microsecond=0)
    page = f"/besiktningar/{s.case_id}"
    form = {"besok": new_visit.strftime("%Y-%m-%dT%H:%M")}
    assert (await submit(s.inspector, page, f"{page}/boka-om", form)).status_code == 303
    html = (await s.owner.get(f"/butiker/{s.business_id}")).text
    step = html.split('id="next-step"', 1)[1].split("</section>", 1)[0]
    assert "Ett nytt besök" in step and datumtid(new_visit) in step


async def test_a_visit_that_has_been_is_not_announced_as_coming(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("scheduled")
    earlier = now() - timedelta(hours=2)
    await Application.update({Application.visit_at: earlier}).where(Application.id == s.case_id).run()
    html = (await s.owner.get(f"/butiker/{s.business_id}")).text
    step = html.split('id="next-step"', 1)[1].split("</section>", 1)[0]
    assert "Besiktningen är gjord" in step and "Se till att någon" not in step


# --- item 9: the inspector's photos are not the shop's evidence -------------------------------


async def test_the_inspectors_photo_is_shown_apart_from_the_shops_evidence(world: World) -> None:
    s = await Scenario.create(world)
    files = [("bevis-9", ("tejpen.png", PNG, "image/png"))]
    point_9 = f"/arenden/{s.case_id}/egenkontroll/punkt/9"
    assert (await submit(s.owner, point_9, point_9, {"efter": "stanna"}, files)).status_code == 303
    await s.to_state("scheduled")
    page = f"/besiktningar/{s.case_id}"
    photo = [("foto", ("IMG_0042.jpg", JPEG, "image/jpeg"))]
    data = {
        "bedomning": "fail",
        "anmarkning": "Tejpen saknas vid personalingången.",
        "kriterium-9.1": "not_met",
    }
    assert (await submit(s.inspector, page, f"{page}/punkt/9", data, files=photo)).status_code == 303

    inspector_html = section((await s.inspector.get(page)).text, 'id="punkt-9"')
    shop_side = inspector_html.split('class="inspect-owner"', 1)[1].split("</div>", 1)[0]
    assert "tejpen.png" in shop_side and "IMG_0042.jpg" not in shop_side
    assert "IMG_0042.jpg" in inspector_html.split("Besiktningspersonens foton", 1)[1]
    kommun_html = section(
        (await s.kommun.get(f"/kommun/arenden/{s.case_id}")).text, 'aria-labelledby="k-punkt-9"'
    )
    assert "IMG_0042.jpg" in kommun_html.split("Besiktningspersonens foton", 1)[1]
    assert "IMG_0042.jpg" not in kommun_html.split("Besiktningspersonens foton", 1)[0]

    await s.judge_all(fail={9})
    await ok(await s.act(s.inspector, "require_corrections", deadline=future_deadline()))
    owner_html = (await s.owner.get(point_9)).text
    evidence, photos = owner_html.split("Besiktningspersonens foton", 1)
    assert "tejpen.png" in evidence and "IMG_0042.jpg" not in evidence and "IMG_0042.jpg" in photos
    inspector_file = [
        f for f in await ok(await s.owner.get(f"/api/applications/{s.case_id}/evidence")) if f["by_inspector"]
    ]
    remove = f"/arenden/{s.case_id}/bevis/{inspector_file[0]['id']}/ta-bort"
    assert (await submit(s.owner, point_9, remove)).status_code == 403


async def test_the_owners_round_two_assessment_shows_the_failed_point_as_failed(world: World) -> None:
    s = await with_corrections_reported(world)
    html = (await s.owner.get(f"/arenden/{s.case_id}/egenkontroll/punkt/4")).text
    assert "Underkänd" in html and "Punkt 4 brister." in html and NOTE in html
    assert "Underkänd" not in (await s.owner.get(f"/arenden/{s.case_id}/egenkontroll/punkt/5")).text
    overview = section((await s.owner.get(f"/arenden/{s.case_id}/egenkontroll")).text, 'id="punkt-4"')
    assert "underkänd" in overview


# --- item 10: the certificate and decal from the kommun's and the inspector's pages -----------


async def test_kommun_and_approving_inspector_download_certificate_and_decal(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("certified")
    for client, page in (
        (s.kommun, f"/kommun/arenden/{s.case_id}"),
        (s.inspector, f"/besiktningar/{s.case_id}"),
    ):
        html = (await client.get(page)).text
        for name in ("intyg", "dekal"):
            assert f'href="/arenden/{s.case_id}/{name}.pdf"' in html
            response = await client.get(f"/arenden/{s.case_id}/{name}.pdf")
            assert response.status_code == 200 and response.content.startswith(b"%PDF-")
            assert response.headers["content-type"] == "application/pdf"
    _, other_inspector = await world.client_for(Role.inspector)
    assert (await other_inspector.get(f"/arenden/{s.case_id}/intyg.pdf")).status_code == 404
    await world.kommun("2080", "Falu kommun")
    _, other_kommun = await world.client_for(Role.kommun, ["2080"])
    assert (await other_kommun.get(f"/arenden/{s.case_id}/dekal.pdf")).status_code == 404


# --- item 13: the protocol's deadline; the demo's past visits -----------------------------------


async def test_the_protocol_states_the_correction_deadline(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("corrections_required")
    deadline = date.fromisoformat((await s.case())["deadline"])
    await ok(await s.act(s.owner, "report_corrections", comment=NOTE))
    first = await s.kommun.get(f"/arenden/{s.case_id}/protokoll.pdf?omgang=1")
    text = pypdf.PdfReader(io.BytesIO(first.content)).pages[0].extract_text()
    assert f"Sista dag för åtgärder {datum(deadline)}" in text.replace("\n", " ")
    current = await s.kommun.get(f"/arenden/{s.case_id}/protokoll.pdf?omgang=2")
    assert (
        "Sista dag för åtgärder" not in pypdf.PdfReader(io.BytesIO(current.content)).pages[0].extract_text()
    )


async def test_demo_cases_that_are_decided_had_their_visit_in_the_past(world: World) -> None:
    await load_demo()
    rows = await Application.select(Application.state, Application.visit_at).run()
    moment = now()
    for row in rows:
        if row["state"] in {CaseState.draft, CaseState.submitted, CaseState.withdrawn}:
            continue
        if row["state"] == CaseState.scheduled:
            assert row["visit_at"] > moment
        else:
            assert row["visit_at"] < moment, row["state"]
