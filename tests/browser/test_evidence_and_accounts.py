"""In a real Chromium: evidence reads stay out of the case's story (the kommun's access log has
them), a phone photo reaches the inspector's phone as a small thumbnail, a forgotten password is
reset through the mailed link, and an owner changes the shop, downloads their data and closes the
account from the pages."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import re
import sqlite3
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import asyncpg  # type: ignore[import-untyped]
import httpx
import pytest

from certify.domain.org_number import with_check_digit
from certify.services.clock import SWEDEN
from tests.browser.conftest import _database_url
from tests.browser.journeys import staff
from tests.browser.server import INSPECTOR_EMAIL, KOMMUN_EMAIL, STAFF_PASSWORD
from tests.browser.test_owner_journey import AxeScans, wider_than
from tests.integration.test_thumbnails import phone_photo

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}
OWNER_PASSWORD = "ägarens långa lösenord"
NEW_PASSWORD = "ett nytt och långt lösenord"


def owner_with_shop(base_url: str, email: str, name: str, org: str) -> tuple[httpx.Client, int]:
    """A new owner (logged in, through the API) and the id of their shop."""
    owner = httpx.Client(base_url=base_url)
    owner.post(
        "/api/auth/register", json={"email": email, "password": OWNER_PASSWORD, "name": name}
    ).raise_for_status()
    owner.post("/api/auth/login", json={"email": email, "password": OWNER_PASSWORD}).raise_for_status()
    shop = owner.post(
        "/api/businesses",
        json={
            "name": f"{name}s Livs",
            "org_number": with_check_digit(org),
            "street_address": "Bullermyrsvägen 7",
            "postal_code": "784 55",
            "city": "Borlänge",
            "area": "Bullermyren",
        },
    )
    shop.raise_for_status()
    return owner, int(shop.json()["id"])


def log_in(page: Any, email: str, password: str) -> None:
    page.goto("/logga-in")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def reset_links(recipient: str) -> list[str]:
    """The password-reset links mailed to `recipient`, oldest first, read from the server's outbox."""
    query = "SELECT body_text FROM outbox WHERE recipient = {} AND kind = 'password_reset' ORDER BY id"
    url = _database_url()
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            bodies = [r[0] for r in connection.execute(query.format("?"), (recipient,))]
    else:

        async def fetch() -> list[str]:
            connection = await asyncpg.connect(url)
            try:
                return [r[0] for r in await connection.fetch(query.format("$1"), recipient)]
            finally:
                await connection.close()

        with concurrent.futures.ThreadPoolExecutor(1) as pool:  # Playwright's loop owns this thread
            bodies = pool.submit(asyncio.run, fetch()).result()
    return [
        urlsplit(link).path for body in bodies for link in re.findall(r"https?://\S+/nytt-losenord/\S+", body)
    ]


def test_photo_views_stay_out_of_the_story_and_the_inspector_gets_a_small_thumbnail(
    chromium: Any, live_server: str
) -> None:
    axe = AxeScans()
    owner, shop_id = owner_with_shop(live_server, "foto.agare@example.se", "Frida Foto", "556777001")
    case_id = int(owner.post(f"/api/businesses/{shop_id}/applications").json()["id"])
    photo = phone_photo()
    assert len(photo) > 3_000_000
    uploaded = owner.post(
        f"/api/applications/{case_id}/evidence",
        params={"point": 9},
        files={"file": ("tejpen.jpg", photo, "image/jpeg")},
    )
    uploaded.raise_for_status()
    evidence_id = uploaded.json()["id"]
    for point in range(1, 14):
        owner.put(
            f"/api/applications/{case_id}/answers/{point}", json={"status": "fulfilled"}
        ).raise_for_status()
    owner.post(f"/api/applications/{case_id}/submit").raise_for_status()
    with contextlib.closing(staff(live_server, KOMMUN_EMAIL)) as kommun:
        [inspector] = kommun.get("/api/users", params={"role": "inspector"}).json()
        visit = (datetime.now(SWEDEN) + timedelta(days=1)).replace(hour=10, minute=0, second=0)
        kommun.post(
            f"/api/applications/{case_id}/assign",
            json={"inspector_id": inspector["id"], "visit_at": visit.isoformat()},
        ).raise_for_status()

    phone = chromium.new_context(base_url=live_server, viewport=PHONE, locale="sv-SE", has_touch=True)
    page = phone.new_page()
    log_in(page, INSPECTOR_EMAIL, STAFF_PASSWORD)
    page.wait_for_url("**/besiktningar")
    # The day is kept on the phone first (offline.js): its copy reads the thumbnail, once, and the
    # page below shows that copy rather than reading it again.
    page.locator("[data-offline-line]").get_by_text("Sparad för användning utan nät", exact=False).wait_for()
    requests: list[Any] = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto(f"/besiktningar/{case_id}")
    thumbnail = page.get_by_role("img", name="Bild till punkt 9: tejpen.jpg")
    thumbnail.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    page.wait_for_load_state("networkidle")
    assert thumbnail.evaluate("img => img.naturalWidth") == 480, "the thumbnail, not the 4000 px photo"
    sizes = {r.url: r.sizes() for r in requests}
    image = next(s for url, s in sizes.items() if url.endswith(f"/api/evidence/{evidence_id}/thumbnail"))
    assert image["responseBodySize"] < 60_000
    transferred = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes.values())
    assert transferred < 300_000, f"{transferred} bytes for the inspector's page"
    assert not any(url.endswith(f"/api/evidence/{evidence_id}") for url in sizes), "no full photo"
    link = page.get_by_role("link", name="tejpen.jpg")
    assert link.get_attribute("href") == f"/api/evidence/{evidence_id}"
    assert wider_than(page, PHONE["width"]) == []
    axe.scan(page, "besiktning med miniatyrbild")
    phone.close()

    # Twenty looks at the whole photo: ten by the owner, ten by the case officer.
    desk = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, locale="sv-SE")
    owner_page = desk.new_page()
    log_in(owner_page, "foto.agare@example.se", OWNER_PASSWORD)
    owner_page.wait_for_url("**/mina-butiker")
    for _ in range(10):
        assert owner_page.request.get(f"/api/evidence/{evidence_id}").ok
    desk_kommun = chromium.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 900}, locale="sv-SE"
    )
    kommun_page = desk_kommun.new_page()
    log_in(kommun_page, KOMMUN_EMAIL, STAFF_PASSWORD)
    kommun_page.wait_for_url("**/kommun/arenden")
    for _ in range(10):
        assert kommun_page.request.get(f"/api/evidence/{evidence_id}").ok

    owner_page.goto(f"/butiker/{shop_id}")
    story = owner_page.locator("ol.timeline").inner_text()
    assert "read" not in story.lower() and "läst" not in story.lower()
    assert owner_page.locator("ol.timeline li").count() == 5, story  # the story, not the reads
    axe.scan(owner_page, "butiken: historiken")

    kommun_page.goto(f"/kommun/arenden/{case_id}")
    assert "read" not in kommun_page.locator("ol.timeline").inner_text().lower()
    kommun_page.get_by_role("link", name=re.compile("Se åtkomstloggen")).click()
    kommun_page.wait_for_url(f"**/kommun/atkomstlogg?arende={case_id}")
    rows = kommun_page.locator("table tbody tr")
    whole = rows.filter(has_text="Hela filen")
    assert whole.count() == 20
    assert whole.filter(has_text="foto.agare@example.se").count() == 10
    assert whole.filter(has_text=KOMMUN_EMAIL).count() == 10
    assert rows.filter(has_text="Miniatyrbild").filter(has_text=INSPECTOR_EMAIL).count() == 1
    axe.scan(kommun_page, "kommun: åtkomstlogg")
    desk.close()
    desk_kommun.close()
    owner.close()
    assert axe.found == [], "\n".join(axe.found)


def test_a_forgotten_password_is_reset_through_the_mailed_link(chromium: Any, live_server: str) -> None:
    axe = AxeScans()
    email = "glomsk.agare@example.se"
    owner, _ = owner_with_shop(live_server, email, "Gustav Glömsk", "556777002")
    owner.close()
    context = chromium.new_context(base_url=live_server, viewport=PHONE, locale="sv-SE")
    page = context.new_page()
    page.goto("/logga-in")
    page.get_by_role("link", name="Glömt lösenordet?").click()
    page.wait_for_url("**/glomt-losenord")
    axe.scan(page, "glömt lösenordet")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_role("button", name="Skicka länken").click()
    page.get_by_text(f"Om det finns ett konto med adressen {email}").first.wait_for()

    [link] = reset_links(email)
    page.goto(link)
    page.get_by_text(f"För kontot {email}").first.wait_for()
    axe.scan(page, "välj nytt lösenord")
    page.get_by_label("Nytt lösenord").fill(NEW_PASSWORD)
    page.get_by_label("Skriv det nya lösenordet igen").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()
    page.wait_for_url("**/logga-in?klart=nytt-losenord")
    page.get_by_text("Lösenordet är bytt.").first.wait_for()
    log_in(page, email, OWNER_PASSWORD)
    page.get_by_text("Fel e-postadress eller lösenord.").first.wait_for()  # the old password is gone
    log_in(page, email, NEW_PASSWORD)
    page.wait_for_url("**/mina-butiker")

    second = context.new_page()
    answer = second.goto(link)
    assert answer is not None and answer.status == 404
    second.get_by_text("Länken har redan använts eller gått ut.").first.wait_for()
    assert second.get_by_label("Nytt lösenord").count() == 0, "the old link offers no form"
    context.close()

    # The kommun finds the owner and sends a new link.
    desk = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, locale="sv-SE")
    kommun = desk.new_page()
    log_in(kommun, KOMMUN_EMAIL, STAFF_PASSWORD)
    kommun.wait_for_url("**/kommun/arenden")
    kommun.goto("/kommun/anvandare")
    kommun.get_by_label("Sök på namn, e-postadress eller butik").fill("glömsk")
    kommun.get_by_role("button", name="Sök").click()
    row = kommun.locator("tr", has_text=email)
    row.get_by_role("button", name=re.compile("Skicka länk för nytt lösenord")).click()
    kommun.get_by_text("Länken för nytt lösenord är skickad till butiksägaren.").first.wait_for()
    axe.scan(kommun, "kommun: användare och butiksägare")
    assert len(reset_links(email)) == 2
    desk.close()
    assert axe.found == [], "\n".join(axe.found)


def test_an_owner_changes_the_shop_downloads_the_data_and_closes_the_account(
    chromium: Any, live_server: str
) -> None:
    axe = AxeScans()
    email = "flyttande.agare@example.se"
    owner, shop_id = owner_with_shop(live_server, email, "Olle Flytt", "556777003")
    owner.close()
    context = chromium.new_context(
        base_url=live_server, viewport=PHONE, locale="sv-SE", accept_downloads=True
    )
    page = context.new_page()
    log_in(page, email, OWNER_PASSWORD)
    page.wait_for_url("**/mina-butiker")
    page.goto(f"/butiker/{shop_id}")
    page.get_by_role("link", name="Ändra butikens uppgifter").click()
    page.wait_for_url(f"**/butiker/{shop_id}/andra")
    axe.scan(page, "ändra butiken")
    page.get_by_label("Postnummer").fill("78")
    page.get_by_role("button", name="Spara ändringarna").click()
    page.get_by_text("Skriv postnumret med 5 siffror").first.wait_for()
    page.get_by_label("Butikens namn").fill("Olles Livs vid Resecentrum")
    page.get_by_label("Postnummer").fill("784 33")
    page.get_by_label("Område").fill("Resecentrum")
    page.get_by_role("button", name="Spara ändringarna").click()
    page.wait_for_url(f"**/butiker/{shop_id}?klart=uppgifter")
    page.get_by_text("Butikens uppgifter är sparade.").first.wait_for()
    page.get_by_role("heading", name="Olles Livs vid Resecentrum").first.wait_for()
    page.get_by_text("784 33 Borlänge").first.wait_for()

    page.get_by_role("link", name="Mitt konto").click()
    page.wait_for_url("**/mitt-konto")
    assert wider_than(page, PHONE["width"]) == []
    axe.scan(page, "mitt konto")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner mina uppgifter (JSON)").click()
    download = download_info.value
    assert download.suggested_filename == "mina-uppgifter.json"
    data = json.loads(open(download.path(), encoding="utf-8").read())  # noqa: SIM115
    assert data["account"]["email"] == email
    assert [shop["name"] for shop in data["shops"]] == ["Olles Livs vid Resecentrum"]

    page.get_by_label("Ditt lösenord").fill("inte mitt lösenord")
    page.get_by_role("button", name="Stäng kontot").click()
    page.get_by_text("Lösenordet stämmer inte.").first.wait_for()
    page.get_by_label("Ditt lösenord").fill(OWNER_PASSWORD)
    page.get_by_role("button", name="Stäng kontot").click()
    page.wait_for_url("**/?klart=konto-stangt")
    page.get_by_text("Ditt konto är stängt.").first.wait_for()
    page.get_by_role("link", name="Logga in").first.wait_for()
    log_in(page, email, OWNER_PASSWORD)
    page.get_by_text("Fel e-postadress eller lösenord.").first.wait_for()
    context.close()
    assert axe.found == [], "\n".join(axe.found)
