"""The public check in a real Chromium on a phone: the decal's page with the shop's address, a
revoked certificate's wording, and a number typed by hand from the start page."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from certify.domain.org_number import with_check_digit
from tests.browser.journeys import owner_submits
from tests.browser.server import KOMMUN_EMAIL, STAFF_PASSWORD
from tests.browser.test_owner_journey import AxeScans, approve_through_the_api, wider_than

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def certified_shop(base_url: str, email: str, name: str, street: str, org: str) -> tuple[int, str]:
    """A shop approved through the API: its case id and certificate number."""
    owner = {"email": email, "password": "ägarens långa lösenord", "name": "Vera Verifiera"}
    shop = {
        "name": name,
        "org_number": with_check_digit(org),
        "street_address": street,
        "postal_code": "784 33",
        "city": "Borlänge",
    }
    client, _, case_id = owner_submits(base_url, owner, shop)
    client.close()
    approve_through_the_api(base_url, case_id)
    return case_id, _certificate_number(base_url, case_id)


def _certificate_number(base_url: str, case_id: int) -> str:
    with httpx.Client(base_url=base_url) as kommun:
        kommun.post(
            "/api/auth/login", json={"email": KOMMUN_EMAIL, "password": STAFF_PASSWORD}
        ).raise_for_status()
        return str(kommun.get(f"/api/applications/{case_id}").json()["certificate"]["number"])


def revoke(base_url: str, case_id: int) -> None:
    with httpx.Client(base_url=base_url) as kommun:
        kommun.post(
            "/api/auth/login", json={"email": KOMMUN_EMAIL, "password": STAFF_PASSWORD}
        ).raise_for_status()
        kommun.post(
            f"/api/applications/{case_id}/revoke", json={"reason": "Butiken har flyttat."}
        ).raise_for_status()


def test_the_public_check_by_qr_code_and_by_hand(chromium: Any, live_server: str) -> None:
    _, valid = certified_shop(
        live_server, "dalakiosken@example.se", "Dalakiosken", "Sveagatan 4", "556700112"
    )
    revoked_case, revoked = certified_shop(
        live_server, "gamla.kiosken@example.se", "Gamla Kiosken", "Hagagatan 9", "556700113"
    )
    revoke(live_server, revoked_case)
    context = chromium.new_context(base_url=live_server, viewport=PHONE, locale="sv-SE")
    page, axe = context.new_page(), AxeScans()

    page.goto(f"/verify/{valid}")  # what the decal's QR code opens
    assert page.get_by_role("heading", level=1).inner_text() == "Giltigt"
    assert page.get_by_text("Sveagatan 4, 784 33 Borlänge").is_visible()
    assert wider_than(page, PHONE["width"]) == []
    axe.scan(page, "kontroll, giltigt")

    page.goto(f"/verify/{revoked}")
    assert page.get_by_role("heading", level=1).inner_text() == "Återkallat"
    assert page.locator("dt", has_text="Återkallat").is_visible()
    assert page.locator("dt", has_text="Giltigt").count() == 0
    axe.scan(page, "kontroll, återkallat")

    page.goto("/")
    page.get_by_role("link", name="skriv intygets nummer på kontrollsidan").click()
    page.wait_for_url("**/verify")
    axe.scan(page, "kontroll, formulär")
    page.get_by_label("Intygets nummer").fill("BLG 2026")
    page.get_by_role("button", name="Kontrollera").click()
    assert page.locator(".error-summary").is_visible()
    page.locator(".error-summary a").click()
    assert page.evaluate("document.activeElement.id") == "f-nummer", "the error links to the field"
    axe.scan(page, "kontroll, formulär med fel")
    page.get_by_label("Intygets nummer").fill(valid.lower())
    page.get_by_role("button", name="Kontrollera").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Giltigt"
    assert page.get_by_text("Dalakiosken", exact=True).is_visible()
    page.get_by_role("link", name="Kontrollera ett annat intyg").click()
    page.get_by_label("Intygets nummer").fill("BLG-2026-99999")
    page.get_by_role("button", name="Kontrollera").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Okänt nummer"
    axe.scan(page, "kontroll, okänt nummer")
    context.close()
    assert axe.found == [], "\n".join(axe.found)
