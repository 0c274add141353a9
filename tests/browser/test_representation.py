"""In a real Chromium, without scripts needed: an owner states that he acts for the company as an
agent and uploads his fullmakt on a phone, invites a colleague; the kommun sees the basis on the
case and asks for a fullmakt, which keeps the booking form's refusal on the page. Every page is
scanned with axe (and, at the end of the session, by the Nu HTML checker)."""

from __future__ import annotations

from typing import Any

import pytest

from certify.domain.org_number import with_check_digit
from tests.browser.journeys import owner_submits, staff
from tests.browser.server import INSPECTOR_EMAIL, KOMMUN_EMAIL, STAFF_PASSWORD
from tests.browser.test_evidence_and_accounts import PHONE, log_in
from tests.browser.test_owner_journey import AxeScans, wider_than
from tests.integration.pages import PDF

pytestmark = pytest.mark.browser
OWNER = {"email": "ombud.agare@example.se", "password": "ombudets långa lösenord", "name": "Olle Ombud"}
SHOP = {
    "name": "Olles Järn",
    "org_number": with_check_digit("556777031"),
    "street_address": "Stationsgatan 3",
    "postal_code": "784 33",
    "city": "Borlänge",
    "area": "Centrum",
}


def test_an_agent_shows_his_fullmakt_and_the_kommun_asks_for_one(
    chromium: Any, live_server: str, tmp_path: Any
) -> None:
    axe = AxeScans()
    owner, shop_id, case_id = owner_submits(live_server, OWNER, SHOP)
    owner.close()
    fullmakt = tmp_path / "fullmakt.pdf"
    fullmakt.write_bytes(PDF)

    phone = chromium.new_context(base_url=live_server, viewport=PHONE, locale="sv-SE")
    page = phone.new_page()
    log_in(page, OWNER["email"], OWNER["password"])
    page.wait_for_url("**/mina-butiker")
    page.goto(f"/butiker/{shop_id}")
    page.get_by_role("link", name="Ange hur du företräder företaget").click()
    page.wait_for_url(f"**/butiker/{shop_id}/foretradare")
    axe.scan(page, "företrädare: ange behörighet")
    page.get_by_label("Ombud med fullmakt").check()
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Ett ombud laddar upp sin fullmakt: välj filen.").first.wait_for()
    axe.scan(page, "företrädare: fel")
    page.get_by_label("Ombud med fullmakt").check()
    page.locator("#f-fullmakt").set_input_files(str(fullmakt))
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url("**?klart=angiven")
    page.get_by_role("link", name="fullmakt.pdf").wait_for()
    page.get_by_label("E-postadress").fill("kollega@example.se")
    page.get_by_role("button", name="Skicka inbjudan").click()
    page.get_by_text("Inbjudan är skickad med e-post.").first.wait_for()
    axe.scan(page, "företrädare: inbjudan skickad")
    assert wider_than(page, PHONE["width"]) == [], "no sideways scrolling on a phone"
    phone.close()

    desk = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, locale="sv-SE")
    kommun = desk.new_page()
    log_in(kommun, KOMMUN_EMAIL, STAFF_PASSWORD)
    kommun.wait_for_url("**/kommun/arenden")
    kommun.goto(f"/kommun/arenden/{case_id}")
    row = kommun.locator("li.representative", has_text="Olle Ombud")
    assert "Ombud med fullmakt" in row.inner_text()
    axe.scan(kommun, "kommun: ärendet med företrädare")
    row.get_by_role("button", name="Begär fullmakt").click()
    kommun.get_by_text("Fullmakten är begärd").first.wait_for()
    kommun.get_by_text("Besiktningen kan inte bokas ännu").first.wait_for()
    axe.scan(kommun, "kommun: fullmakt begärd")
    inspector = staff(live_server, INSPECTOR_EMAIL)
    inspector_id = inspector.get("/api/me").json()["id"]
    inspector.close()
    kommun.get_by_label("Besiktningsperson", exact=True).select_option(str(inspector_id))
    kommun.get_by_label("Tid för besöket").fill("2030-01-15T10:00")
    kommun.get_by_role("button", name="Tilldela och boka").click()
    kommun.locator(".error-summary").get_by_text("Besiktningen kan inte bokas ännu").wait_for()
    axe.scan(kommun, "kommun: bokning vägrad")
    desk.close()
    assert axe.found == [], "\n".join(axe.found)
