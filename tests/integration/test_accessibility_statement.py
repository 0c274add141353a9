"""The accessibility statement: linked from every page's footer, with what DIGG asks for, per kommun
and editable by the kommun."""

from __future__ import annotations

import re
from datetime import date, timedelta

import httpx

from certify.domain.accessibility import DIGG_COMPLAINTS_URL
from certify.domain.status import Role
from certify.services import kommuner
from tests.conftest import World
from tests.integration.scenario import Scenario

FOOTER_LINK = re.compile(r'<footer class="site-footer">.*<a href="/tillganglighet">', re.S)


async def _csrf(client: httpx.AsyncClient) -> str:
    if "csrftoken" not in client.cookies:
        await client.get("/")
    return client.cookies["csrftoken"]


async def test_every_page_links_the_statement_in_its_footer(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("submitted")
    anonymous = world.new_client()
    pages = [
        (anonymous, "/"),
        (anonymous, "/logga-in"),
        (anonymous, "/skapa-konto"),
        (anonymous, "/verify"),
        (anonymous, "/ingen-sadan-sida"),  # the error page too
        (s.owner, "/mina-butiker"),
        (s.owner, f"/butiker/{s.business_id}"),
        (s.owner, "/mitt-konto"),
        (s.kommun, "/kommun/arenden"),
        (s.kommun, f"/kommun/arenden/{s.case_id}"),
        (s.kommun, "/kommun/diarium"),
        (s.inspector, "/besiktningar"),
        (anonymous, "/tillganglighet"),
    ]
    for client, path in pages:
        response = await client.get(path)
        assert response.headers["content-type"].startswith("text/html"), path
        assert FOOTER_LINK.search(response.text), path


async def test_the_installations_statement_has_what_digg_asks_for(
    world: World, anonymous: httpx.AsyncClient
) -> None:
    await world.kommun()
    await _set_contact("2081", "Servicecenter 0243-740 00, kommun@borlange.se")
    page = await anonymous.get("/tillganglighet")
    assert page.status_code == 200
    text = page.text
    assert "Borlänge kommun" in text and "Skydd mot rån i handeln" in text  # who, and the e-service
    assert "delvis förenlig" in text and "WCAG 2.1 AA" in text  # the compliance status
    assert "inte taggade" in text  # a known shortcoming
    assert "Servicecenter 0243-740 00, kommun@borlange.se" in text  # how to report, another format
    assert f'href="{DIGG_COMPLAINTS_URL}"' in text  # where to complain
    assert "axe-core" in text  # how it was assessed
    assert 'datetime="2026-12-01"' in text  # when it was last reviewed
    assert "har ännu inte skrivit en egen" in text


async def _set_contact(code: str, contact: str) -> None:
    from certify.tables import Kommun

    await Kommun.update({Kommun.contact_line: contact}).where(Kommun.code == code).run()


async def test_the_kommun_writes_its_own_statement(world: World) -> None:
    s = await Scenario.create(world)
    token = await _csrf(s.kommun)
    form = await s.kommun.get("/kommun/tillganglighet")
    assert form.status_code == 200 and 'name="efterlevnad"' in form.text
    future = (date.today() + timedelta(days=3)).isoformat()
    refused = await s.kommun.post(
        "/kommun/tillganglighet",
        data={"efterlevnad": "full", "brister": "", "kontakt": "", "granskad": future},
        headers={"x-csrftoken": token},
    )
    assert refused.status_code == 400 and 'id="f-granskad-error"' in refused.text
    reviewed = date.today().isoformat()
    saved = await s.kommun.post(
        "/kommun/tillganglighet",
        data={
            "efterlevnad": "none",
            "brister": "Telefonen till servicecenter saknar texttelefon.\nSvarstiderna är långa.",
            "kontakt": "tillganglighet@borlange.se",
            "granskad": reviewed,
        },
        headers={"x-csrftoken": token},
    )
    assert saved.status_code == 303
    public = await world.new_client().get("/tillganglighet/2081")
    assert "inte förenlig" in public.text
    assert "saknar texttelefon.<br>Svarstiderna" in public.text
    assert "tillganglighet@borlange.se" in public.text and f'datetime="{reviewed}"' in public.text
    assert "har ännu inte skrivit en egen" not in public.text
    assert (
        await s.owner.post("/kommun/tillganglighet", data={}, headers={"x-csrftoken": await _csrf(s.owner)})
    ).status_code == 403


async def test_several_kommuner_each_their_own(world: World) -> None:
    await world.kommun()
    await kommuner.add("2080", "Falu kommun", "Falu kommun, 026-83 50 00", "")
    choose = await world.new_client().get("/tillganglighet")
    assert '/tillganglighet/2080"' in choose.text and '/tillganglighet/2081"' in choose.text
    _, falun = await world.client_for(Role.kommun, ["2080"])
    own = await falun.get("/tillganglighet")
    assert "Falu kommun, 026-83 50 00" in own.text and "Borlänge" not in own.text.split("<main", 1)[1]
    assert (await world.new_client().get("/tillganglighet/9999")).status_code == 404
