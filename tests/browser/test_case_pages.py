"""In a real Chromium, one case from booking to certificate as its readers meet it (issue 12): the
kommun cannot book a visit in the past, the booking e-mails' links take the owner and the inspector
(logging in first) to their own page of the case, the owner's "Vad har ni gjort?" shows beside the
point on the inspector's and the kommun's pages, and the kommun downloads the certificate and the
decal from its case page. axe scans every page on the way."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from certify.domain.org_number import with_check_digit
from certify.services.clock import SWEDEN
from tests.browser.journeys import owner_submits, staff
from tests.browser.server import INSPECTOR_EMAIL, KOMMUN_EMAIL, STAFF_PASSWORD
from tests.browser.test_owner_journey import AxeScans

pytestmark = pytest.mark.browser
SHOP = "Jakobsgårdarnas Järnhandel"
OWNER = {"email": "jarnhandeln@example.se", "password": "järnhandlarens långa lösenord", "name": "Jenny Järn"}
NOTE = "Sedelboxen är nu fastskruvad i bänken vid kassa 2."
PHONE = {"width": 360, "height": 740}


def owner_applies(base_url: str) -> tuple[httpx.Client, int, int]:
    """A new owner registers a shop, answers all 13 points and submits, through the API."""
    shop = {
        "name": SHOP,
        "org_number": with_check_digit("556777888"),
        "street_address": "Jakobsgårdsvägen 20",
        "postal_code": "784 46",
        "city": "Borlänge",
        "area": "Jakobsgårdarna",
    }
    return owner_submits(base_url, OWNER, shop)


def case_link_mailed_to(kommun: httpx.Client, recipient: str, subject: str) -> str:
    """The path of the case link in the e-mail, read from the kommun's outbox."""
    mails = [
        m for m in kommun.get("/api/outbox").json() if m["recipient"] == recipient and subject in m["subject"]
    ]
    assert mails, f"no mail '{subject}' to {recipient}"
    link = re.search(r"Ärendet: (\S+)", mails[-1]["body_text"])
    assert link, mails[-1]["body_text"]
    return urlsplit(link.group(1)).path


def log_in_here(page: Any, email: str, password: str) -> None:
    """The log-in form the page was sent to (it brings the visitor back where they were going)."""
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def test_a_case_from_booking_to_certificate_as_each_reader_meets_it(chromium: Any, live_server: str) -> None:
    axe = AxeScans()
    owner, business_id, case_id = owner_applies(live_server)
    kommun_api = staff(live_server, KOMMUN_EMAIL)
    inspector_api = staff(live_server, INSPECTOR_EMAIL)

    # The kommun books: a time that has passed is refused on the page, a time ahead is booked.
    desk = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, locale="sv-SE")
    kommun = desk.new_page()
    kommun.goto(f"/arenden/{case_id}")
    log_in_here(kommun, KOMMUN_EMAIL, STAFF_PASSWORD)
    kommun.wait_for_url(f"**/kommun/arenden/{case_id}")
    kommun.get_by_label("Besiktningsperson").select_option(label="Ivar Besiktning")
    past = (datetime.now(SWEDEN) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    kommun.get_by_label("Tid för besöket").fill(past)
    with kommun.expect_response(f"**/kommun/arenden/{case_id}/tilldela") as answer:
        kommun.get_by_role("button", name="Tilldela och boka").click()
    assert answer.value.status == 422
    assert kommun.get_by_role("alert").get_by_text("har redan passerat").is_visible()
    axe.scan(kommun, "kommun: bokning i det förflutna")
    ahead = (datetime.now(SWEDEN) + timedelta(days=2)).replace(hour=10, minute=0).strftime("%Y-%m-%dT%H:%M")
    kommun.get_by_label("Besiktningsperson").select_option(label="Ivar Besiktning")
    kommun.get_by_label("Tid för besöket").fill(ahead)
    kommun.get_by_role("button", name="Tilldela och boka").click()
    kommun.wait_for_url("**klart=tilldelad")

    # The booking mails: each recipient follows the link, logs in, and is on their own page.
    owner_link = case_link_mailed_to(kommun_api, OWNER["email"], "Besiktning bokad")
    assert owner_link == f"/butiker/{business_id}"
    shop_desk = chromium.new_context(base_url=live_server, viewport=PHONE, locale="sv-SE")
    shop_page = shop_desk.new_page()
    shop_page.goto(owner_link)
    log_in_here(shop_page, OWNER["email"], OWNER["password"])
    shop_page.wait_for_url(f"**{owner_link}")
    assert shop_page.get_by_role("heading", name=SHOP, level=1).is_visible()
    assert shop_page.get_by_text("Besiktningen är bokad till").is_visible()
    axe.scan(shop_page, "ägaren: länken i e-posten")

    inspector_link = case_link_mailed_to(kommun_api, INSPECTOR_EMAIL, "Nytt uppdrag")
    assert inspector_link == f"/besiktningar/{case_id}"
    phone = chromium.new_context(
        base_url=live_server, viewport=PHONE, locale="sv-SE", reduced_motion="reduce"
    )
    inspector = phone.new_page()
    inspector.goto(inspector_link)
    log_in_here(inspector, INSPECTOR_EMAIL, STAFF_PASSWORD)
    inspector.wait_for_url(f"**{inspector_link}")
    assert inspector.get_by_role("heading", name=SHOP, level=1).is_visible()
    axe.scan(inspector, "besiktningspersonen: länken i e-posten")

    # Point 4 fails; the owner says on the shop page what was done about it.
    for point in range(1, 14):
        loose = {"verdict": "fail", "remark": "Sedelboxen sitter löst.", "failed_criteria": ["4.4"]}
        verdict = loose if point == 4 else {"verdict": "pass"}
        inspector_api.put(f"/api/applications/{case_id}/verdicts/{point}", json=verdict).raise_for_status()
    deadline = (datetime.now(SWEDEN) + timedelta(days=30)).date().isoformat()
    inspector_api.post(
        f"/api/applications/{case_id}/require_corrections", json={"deadline": deadline}
    ).raise_for_status()
    shop_page.reload()
    shop_page.get_by_label("Vad har ni gjort?").fill(NOTE)
    shop_page.get_by_role("button", name="Jag har åtgärdat bristerna").click()
    shop_page.wait_for_url("**klart=atgardat")
    assert shop_page.get_by_text("kontrollerar åtgärderna och hör av sig").is_visible()

    inspector.reload()
    assert inspector.locator("#punkt-4").get_by_text(NOTE).is_visible()
    assert inspector.locator("#punkt-5").get_by_text(NOTE).count() == 0
    axe.scan(inspector, "besiktningspersonen: omgång 2 med butikens svar")
    kommun.goto(f"/kommun/arenden/{case_id}")
    point_4 = kommun.locator("section", has=kommun.locator("#k-punkt-4"))
    assert point_4.get_by_text(NOTE).is_visible()
    axe.scan(kommun, "kommun: ärendet med butikens svar")

    # Approved: the kommun downloads the certificate and the decal from its case page.
    inspector_api.put(f"/api/applications/{case_id}/verdicts/4", json={"verdict": "pass"}).raise_for_status()
    inspector_api.post(f"/api/applications/{case_id}/approve").raise_for_status()
    kommun.reload()
    axe.scan(kommun, "kommun: certifierat ärende")
    for label, prefix in (("Ladda ner intyget (PDF)", "intyg-"), ("Ladda ner dekalen (PDF)", "dekal-")):
        with kommun.expect_download() as download:
            kommun.get_by_role("link", name=label).click()
        assert download.value.suggested_filename.startswith(prefix)
        with open(download.value.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"

    for context in (desk, shop_desk, phone):
        context.close()
    for client in (owner, kommun_api, inspector_api):
        client.close()
    assert axe.found == [], "\n".join(axe.found)
