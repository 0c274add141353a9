"""The inspector on a phone (360×740) and the kommun at a desk, in a real Chromium, with axe scans.

The owner's part (applying, reporting corrections) goes through the API: it has its own journey test.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from certify.domain.org_number import with_check_digit
from certify.services.clock import SWEDEN
from tests.browser.conftest import copy_to_docs
from tests.browser.journeys import owner_submits
from tests.browser.server import INSPECTOR_EMAIL, KOMMUN_EMAIL, STAFF_PASSWORD
from tests.browser.test_owner_journey import AxeScans, photo, shot

pytestmark = pytest.mark.browser
SHOP = "Tjärna Tobak & Spel"
OWNER = {"email": "tjarna.tobak@example.se", "password": "ägarens långa lösenord", "name": "Tove Tjärna"}
PHONE = {"width": 360, "height": 740}


def owner_applies(base_url: str) -> tuple[httpx.Client, int]:
    """A new owner registers a shop, answers all 13 points and submits, through the API."""
    shop = {
        "name": SHOP,
        "org_number": with_check_digit("556123456"),
        "street_address": "Tjärnagatan 12",
        "postal_code": "784 53",
        "city": "Borlänge",
        "area": "Tjärna Ängar",
        "phone": "0243-22 33 44",
    }
    owner, _, case_id = owner_submits(base_url, OWNER, shop, comments={4: "Finns på plats."})
    return owner, case_id


def more_shops(owner: httpx.Client) -> None:
    """Two more shops with cases in draft, so the kommun's list (and its screenshot) has rows to sort."""
    for index, (name, area) in enumerate(
        (("Bullermyrens Livs", "Bullermyren"), ("Resecentrums Kiosk", "Resecentrum"))
    ):
        shop = owner.post(
            "/api/businesses",
            json={
                "name": name,
                "org_number": with_check_digit(f"55612345{index + 7}"),
                "street_address": f"{area}vägen 1",
                "postal_code": "784 33",
                "city": "Borlänge",
                "area": area,
            },
        )
        shop.raise_for_status()
        owner.post(f"/api/businesses/{shop.json()['id']}/applications").raise_for_status()


def log_in(page: Any, email: str) -> None:
    page.goto("/logga-in")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Logga in").click()


def kommun_assigns(page: Any, axe: AxeScans, screenshots: Path, case_id: int) -> None:
    log_in(page, KOMMUN_EMAIL)
    page.wait_for_url("**/kommun/arenden")
    page.get_by_label("Status").select_option(label="Inskickad")
    page.get_by_role("button", name="Visa").click()
    page.wait_for_url("**status=submitted**")
    axe.scan(page, "kommun: ärenden")
    page.get_by_role("link", name=SHOP).click()
    page.wait_for_url(f"**/kommun/arenden/{case_id}")
    axe.scan(page, "kommun: ärende")
    page.get_by_label("Besiktningsperson").select_option(label="Ivar Besiktning")
    visit = (datetime.now(SWEDEN) + timedelta(days=1)).replace(hour=9, minute=0).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Tid för besöket").fill(visit)
    page.get_by_role("button", name="Tilldela och boka").click()
    page.wait_for_url("**klart=tilldelad")
    assert page.get_by_text("Besiktningen är bokad och besiktningspersonen tilldelad.").is_visible()
    page.goto("/kommun/anvandare")
    axe.scan(page, "kommun: användare")
    page.goto("/kommun/butiker")
    assert page.get_by_role("link", name="Har ansökt").is_visible()
    axe.scan(page, "kommun: butiker")


def screen(page: Any, folder: Path, name: str) -> None:
    """What the phone shows (not the whole long page), for the README."""
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    copy_to_docs(path)


def judge(
    page: Any, point: int, verdict: str, remark: str = "", with_photo: bool = False, failed: str = ""
) -> None:
    """Judge a point; a fail names the criterion that is not met (checklist 2026.2)."""
    section = page.locator(f"#punkt-{point}")
    section.get_by_label(verdict, exact=True).check()
    if failed:
        criterion = section.get_by_role("group", name=re.compile(rf"^{re.escape(failed)} "))
        criterion.get_by_label("Ej uppfyllt", exact=True).check()
    if remark:
        section.get_by_label("Anmärkning").fill(remark)
    if with_photo:
        section.get_by_label("Ta foto").set_input_files(
            files=[{"name": f"punkt-{point}.png", "mimeType": "image/png", "buffer": photo()}]
        )
    section.get_by_role("button", name=f"Spara punkt {point}").click()
    page.wait_for_url(f"**klart=punkt-{point}**")


def test_inspection_on_a_phone_with_corrections_and_a_second_round(
    chromium: Any, live_server: str, screenshots: Path
) -> None:
    axe = AxeScans()
    owner, case_id = owner_applies(live_server)
    more_shops(owner)

    desk = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, locale="sv-SE")
    kommun_assigns(desk.new_page(), axe, screenshots, case_id)

    # Reduced motion: no smooth scrolling to each saved point, so Playwright need not wait for it.
    phone = chromium.new_context(
        base_url=live_server, viewport=PHONE, locale="sv-SE", has_touch=True, reduced_motion="reduce"
    )
    page = phone.new_page()
    log_in(page, INSPECTOR_EMAIL)
    page.wait_for_url("**/besiktningar")
    axe.scan(page, "mina besiktningar")
    upcoming = page.locator("section", has=page.locator("#kommande"))  # booked for tomorrow
    upcoming.get_by_role("link", name=SHOP).click()
    page.wait_for_url(f"**/besiktningar/{case_id}")
    assert page.get_by_text("Tjärnagatan 12").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
    axe.scan(page, "besiktning")
    shot(page, screenshots, "besiktning-hela-sidan")
    screen(page, screenshots, "besiktning-telefon")

    for point in range(1, 14):
        if point == 4:
            judge(page, 4, "Underkänd", "Sedelboxen vid kassa 2 är inte fastskruvad.", failed="4.4")
            screen(page, screenshots, "besiktning-telefon-punkt")
        else:
            judge(page, point, "Godkänd", with_photo=point == 9)
    assert page.get_by_text("13 av 13 punkter bedömda").is_visible()
    assert page.get_by_role("img", name=re.compile("Bild till punkt 9")).is_visible()
    assert page.get_by_text("Godkänna går inte än: punkt 4 är underkänd.").is_visible()
    axe.scan(page, "besiktning ifylld")
    page.get_by_role("button", name="Begär åtgärder").click()
    page.wait_for_url("**klart=atgarder")
    assert page.locator(".badge").first.inner_text() == "Brister att åtgärda"

    owner.post(
        f"/api/applications/{case_id}/report_corrections", json={"comment": "Sedelboxen är fastskruvad."}
    ).raise_for_status()

    page.goto("/besiktningar")
    page.get_by_role("link", name=SHOP).first.click()
    assert page.get_by_text("Brister från förra besiktningen").is_visible()
    assert page.get_by_text("12 av 13 punkter bedömda").is_visible()  # passed points carried forward
    axe.scan(page, "ombesiktning")
    judge(page, 4, "Godkänd")
    page.get_by_label("Jag har kontrollerat alla punkter").check()
    page.get_by_role("button", name="Godkänn butiken").click()
    page.wait_for_url("**klart=godkand")
    assert page.get_by_text("Butiken är godkänd och intyget är utfärdat.").is_visible()
    protocol = page.request.get(f"/arenden/{case_id}/protokoll.pdf?omgang=1")
    assert protocol.ok and protocol.body().startswith(b"%PDF-")

    desk_page = desk.pages[0]
    desk_page.goto("/kommun/arenden")
    assert desk_page.get_by_role("link", name=SHOP).is_visible()
    copy_to_docs(shot(desk_page, screenshots, "kommun-arenden"))

    phone.close()
    desk.close()
    owner.close()
    assert axe.found == [], "\n".join(axe.found)
