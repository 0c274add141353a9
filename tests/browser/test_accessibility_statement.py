"""The accessibility statement in a real Chromium: reached from the footer of every kind of page,
axe-clean, and written by the kommun on its own page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.browser.server import KOMMUN_EMAIL, STAFF_PASSWORD
from tests.browser.test_owner_journey import AxeScans

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}
STATEMENT = "Tillgänglighetsredogörelse"


def _follow_footer_link(page: Any) -> None:
    page.locator("footer").get_by_role("link", name=STATEMENT).click()
    page.wait_for_url("**/tillganglighet")
    assert page.get_by_role("heading", level=1).inner_text() == STATEMENT


def test_the_statement_is_one_click_from_every_page_and_the_kommun_writes_it(
    chromium: Any, live_server: str
) -> None:
    context = chromium.new_context(base_url=live_server, viewport=PHONE, locale="sv-SE")
    page, axe = context.new_page(), AxeScans()
    for path in ("/", "/logga-in", "/skapa-konto", "/verify", "/glomt-losenord", "/ingen-sadan-sida"):
        page.goto(path)
        _follow_footer_link(page)
    assert page.get_by_role("link", name="DIGG:s sida för anmälan om bristande tillgänglighet").is_visible()
    axe.scan(page, "tillgänglighetsredogörelse, telefon")

    page.goto("/logga-in")
    page.get_by_label("E-postadress").fill(KOMMUN_EMAIL)
    page.get_by_label("Lösenord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/kommun/arenden")
    for path in ("/kommun/arenden", "/kommun/diarium", "/mitt-konto"):
        page.goto(path)
        _follow_footer_link(page)
    page.goto("/kommun/tillganglighet")
    axe.scan(page, "kommun: redigera redogörelsen")
    page.get_by_label("Delvis förenlig").check()
    page.get_by_label("Kommunens egna kända brister").fill("Servicecentrets chatt saknar tangentbordsstöd.")
    page.get_by_label("Kontakt för synpunkter och annat format").fill("tillganglighet@borlange.example.se")
    page.get_by_label("Senast granskad").fill(date.today().isoformat())
    page.get_by_role("button", name="Spara och publicera").click()
    assert page.get_by_role("status").inner_text().startswith("Tillgänglighetsredogörelsen är sparad")
    axe.scan(page, "kommun: redogörelsen sparad")
    _follow_footer_link(page)
    assert page.get_by_text("Servicecentrets chatt saknar tangentbordsstöd.").is_visible()
    assert page.get_by_text("tillganglighet@borlange.example.se").is_visible()
    axe.scan(page, "tillgänglighetsredogörelse, kommunens egen")
    context.close()
    assert axe.found == [], "\n".join(axe.found)
