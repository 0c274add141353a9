"""The outreach pages through the HTTP client: CSV import and invitations for the kommun, and the
invited owner's landing page."""

from __future__ import annotations

import re

import httpx

from certify.domain.status import Role
from certify.tables import Business
from tests.conftest import World
from tests.integration.pages import errors_in, submit, token_in
from tests.integration.scenario import Scenario, ok
from tests.integration.test_import import ORG_1, VALID

IMPORT = "/kommun/import"
SHOPS = "/kommun/butiker"
BAD_ORG = f"{ORG_1[:9]}{(int(ORG_1[9]) + 1) % 10}"


def csv_file(text: str) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("fil", ("butiker.csv", text.encode(), "text/csv"))]


async def kommun_client(world: World) -> httpx.AsyncClient:
    await world.kommun()
    return (await world.client_for(Role.kommun))[1]


async def invite_token(world: World) -> tuple[httpx.AsyncClient, int, str]:
    """Import the sample file, invite Järnia Centrum from the page and read the link in the e-mail."""
    kommun = await kommun_client(world)
    assert (await submit(kommun, IMPORT, IMPORT, files=csv_file(VALID))).status_code == 200
    shop = await Business.select(Business.id).where(Business.name == "Järnia Centrum").first().run()
    invited = await submit(kommun, SHOPS, f"{SHOPS}/{shop['id']}/bjud-in")
    assert invited.status_code == 303 and invited.headers["location"] == f"{SHOPS}?klart=inbjuden"
    mail = (await ok(await kommun.get("/api/outbox")))[0]
    assert mail["kind"] == "invitation" and mail["recipient"] == "jarnia@example.se"
    link = next(line for line in mail["body_text"].splitlines() if "/inbjudan/" in line)
    return kommun, shop["id"], link.rsplit("/", 1)[1].strip()


async def test_a_valid_file_is_imported_from_the_page(world: World) -> None:
    kommun = await kommun_client(world)
    form = await kommun.get(IMPORT)
    assert form.status_code == 200
    assert 'accept=".csv"' in form.text and '<label for="f-fil">' in form.text
    assert '<label for="f-bara-giltiga">Importera bara de giltiga raderna</label>' in form.text
    scripts = re.findall(r"<script[^>]*>", form.text)
    assert scripts == [], "the import works without any script"
    assert 'href="/kommun/import">Importera</a>' in form.text

    response = await submit(kommun, IMPORT, IMPORT, files=csv_file(VALID))
    assert response.status_code == 200, response.text
    assert "Importen är klar." in response.text
    assert re.search(r"<dt>Nya butiker</dt><dd>3</dd>", response.text)
    assert await Business.count().where(Business.owner.is_null()).run() == 3

    again = await submit(kommun, IMPORT, IMPORT, files=csv_file(VALID))
    assert re.search(r"<dt>Redan kända butiker</dt><dd>3</dd>", again.text)
    assert await Business.count().run() == 3


def stage_count(html: str, label: str) -> int:
    found = re.search(rf">{re.escape(label)}</a>: <strong>(\d+)</strong>", html)
    assert found, f"stage {label!r} is shown"
    return int(found.group(1))


async def test_the_shops_page_follows_each_shop_from_invitation_to_application(world: World) -> None:
    kommun, shop_id, token = await invite_token(world)
    page = await kommun.get(f"{SHOPS}?klart=inbjuden")
    assert page.status_code == 200 and "Inbjudan är skickad" in page.text
    assert [
        stage_count(page.text, label) for label in ("Alla", "Inte inbjuden", "Inbjuden, inget konto")
    ] == [
        3,
        2,
        1,
    ]
    assert page.text.count(">Bjud in igen</button>") == 1  # Järnia, invited once already
    assert page.text.count(">Bjud in</button>") == 1  # Resebutiken; the kiosk has no e-mail address
    assert "E-post saknas" in page.text

    _, owner = await world.client_for(Role.owner)
    landing = await owner.get(f"/inbjudan/{token}")
    await owner.post(f"/inbjudan/{token}", data={"_csrf_token": token_in(landing.text)})
    applied = await Scenario.create(world)  # a registered shop of the same kommun with a submitted case
    await applied.to_state("submitted")

    after = (await kommun.get(SHOPS)).text
    assert stage_count(after, "Har konto, inte ansökt") == 1 and stage_count(after, "Har ansökt") == 1
    assert stage_count(after, "Inbjuden, inget konto") == 0 and stage_count(after, "Alla") == 4

    only_new = await kommun.get(f"{SHOPS}?steg=not_invited")
    assert "Resebutiken" in only_new.text and "Järnia Centrum" not in only_new.text
    by_area = await kommun.get(f"{SHOPS}?omrade=Centrum")
    assert "Järnia Centrum" in by_area.text and "Resebutiken" not in by_area.text

    api = await ok(await kommun.get("/api/businesses/outreach", params={"stage": "signed_up"}))
    assert api["counts"] == {"not_invited": 2, "invited": 0, "signed_up": 1, "applied": 1}
    assert [(s["business_id"], s["stage"], s["can_invite"]) for s in api["shops"]] == [
        (shop_id, "signed_up", False)
    ]
    assert api["shops"][0]["invited_at"] is not None
    bad = await kommun.get("/api/businesses/outreach", params={"stage": "everyone"})
    assert bad.status_code == 400 and "stage" in bad.text
    assert (await owner.get("/api/businesses/outreach")).status_code == 403
    assert (await owner.get(SHOPS)).status_code == 403


async def test_a_bad_org_number_writes_nothing_and_shows_the_row(world: World) -> None:
    kommun = await kommun_client(world)
    bad = VALID + f"Fel Kontroll,{BAD_ORG},Gatan 1,784 33,Borlänge,Centrum,\n"
    response = await submit(kommun, IMPORT, IMPORT, files=csv_file(bad))
    assert response.status_code == 400
    assert "Ingenting sparades" in response.text
    assert re.search(
        r"<tr><th scope=\"row\">5</th><td>organisationsnummer</td><td>[^<]*kontrollsiffran", response.text
    )
    assert 'name="fil"' in response.text, "the form is still there"
    assert await Business.count().run() == 0

    only_valid = await submit(kommun, IMPORT, IMPORT, data={"bara-giltiga": "1"}, files=csv_file(bad))
    assert only_valid.status_code == 200 and "Importen är klar." in only_valid.text
    assert await Business.count().run() == 3


async def test_missing_file_and_unreadable_header_are_explained(world: World) -> None:
    kommun = await kommun_client(world)
    nothing = await submit(kommun, IMPORT, IMPORT)
    assert nothing.status_code == 400 and errors_in(nothing.text) == ["Välj en CSV-fil."]
    header = await submit(kommun, IMPORT, IMPORT, files=csv_file("namn;ort\nButik;Borlänge\n"))
    assert header.status_code == 400
    assert errors_in(header.text)[0].startswith("Rubrikraden saknar organisationsnummer, adress, postnummer")


async def test_only_the_kommun_imports_and_the_form_needs_its_token(world: World) -> None:
    await world.kommun()
    _, owner = await world.client_for(Role.owner)
    assert (await owner.get(IMPORT)).status_code == 403
    _, inspector = await world.client_for(Role.inspector)
    assert (await inspector.get(IMPORT)).status_code == 403

    kommun = (await world.client_for(Role.kommun))[1]
    await kommun.get(IMPORT)  # sets the CSRF cookie
    no_token = await kommun.post(IMPORT, files=csv_file(VALID))
    assert no_token.status_code == 403
    assert await Business.count().run() == 0


async def test_an_anonymous_visitor_is_asked_to_sign_up_or_log_in(
    world: World, anonymous: httpx.AsyncClient
) -> None:
    _, _, token = await invite_token(world)
    response = await anonymous.get(f"/inbjudan/{token}")
    assert response.status_code == 200
    assert "Järnia Centrum" in response.text and "Borlänge Torget 5" in response.text
    assert f'href="/skapa-konto?nasta=/inbjudan/{token}"' in response.text
    assert f'href="/logga-in?nasta=/inbjudan/{token}"' in response.text
    assert "Det här är min butik" not in response.text

    login = await anonymous.get(f"/logga-in?nasta=/inbjudan/{token}")
    assert f'name="next" value="/inbjudan/{token}"' in login.text


async def test_an_owner_claims_the_invited_shop(world: World) -> None:
    _, shop_id, token = await invite_token(world)
    owner_id, owner = await world.client_for(Role.owner)
    landing = await owner.get(f"/inbjudan/{token}")
    assert landing.status_code == 200 and "Det här är min butik" in landing.text
    claimed = await owner.post(f"/inbjudan/{token}", data={"_csrf_token": token_in(landing.text)})
    assert (
        claimed.status_code == 303 and claimed.headers["location"] == f"/butiker/{shop_id}/foretradare"
    )  # he states his basis next
    shop = await Business.select(Business.owner).where(Business.id == shop_id).first().run()
    assert shop["owner"] == owner_id
    assert (await owner.get(f"/butiker/{shop_id}")).status_code == 200

    used = await owner.get(f"/inbjudan/{token}")
    assert used.status_code == 409 and "redan använts" in used.text
    again = await owner.post(f"/inbjudan/{token}", data={"_csrf_token": token_in(used.text)})
    assert again.status_code == 409


async def test_an_unknown_invitation_is_a_friendly_404(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.get("/inbjudan/ingen-sadan-inbjudan")
    assert response.status_code == 404
    assert "Inbjudan finns inte" in response.text and "Till startsidan" in response.text


async def test_signing_up_from_an_invitation_comes_back_to_it(new_client) -> None:  # type: ignore[no-untyped-def]
    client = new_client()
    form = await client.get("/skapa-konto?nasta=/inbjudan/abc")
    assert 'name="next" value="/inbjudan/abc"' in form.text
    response = await client.post(
        "/skapa-konto",
        data={
            "name": "Ny Ägare",
            "email": "ny.agare@example.se",
            "password": "ett långt lösenord",
            "next": "/inbjudan/abc",
            "_csrf_token": client.cookies["csrftoken"],
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/logga-in?klart=konto&nasta=%2Finbjudan%2Fabc"
    login_form = await client.get(response.headers["location"])
    assert 'name="next" value="/inbjudan/abc"' in login_form.text
    outside = await new_client().get("/skapa-konto?nasta=https://evil.example/")
    assert "evil.example" not in outside.text
