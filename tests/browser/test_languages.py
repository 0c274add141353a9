"""The service in English and in Arabic on a phone, in a real Chromium, with axe scans.

The browser asks for the language the way a phone set to that language does (Accept-Language);
every label the test looks for is the catalogue's translation of the Swedish text, so the test
reads the page as a reader of that language would.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from certify.domain.org_number import with_check_digit
from certify.services.clock import SWEDEN
from certify.text import catalogue
from certify.text.languages import LANGUAGES
from certify.text.vocabulary import answer_label, state_label
from tests.browser.conftest import copy_to_docs
from tests.browser.journeys import owner_submits, staff
from tests.browser.server import INSPECTOR_EMAIL, KOMMUN_EMAIL, STAFF_PASSWORD
from tests.browser.test_owner_journey import AxeScans

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}
BROWSER_LOCALES = {"en": "en-GB", "ar": "ar-SE"}


def say(code: str, swedish: str, **params: Any) -> str:
    """What the page says in this language for a Swedish catalogue text."""
    with catalogue.use(code):
        text = catalogue.gettext(swedish)
    return text.format(**params) if params else text


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways on a 360 px phone ({width} px)"


def speaks(page: Any, code: str) -> None:
    """The page says which language it is in, and which way it reads."""
    html = page.locator("html")
    assert html.get_attribute("lang") == code
    assert html.get_attribute("dir") == LANGUAGES[code].direction


def answer_label_in(code: str, status: str) -> str:
    with catalogue.use(code):
        return answer_label(status)


@pytest.mark.parametrize("code", ["en", "ar"])
def test_owner_signs_up_self_assesses_and_submits_in_english_and_arabic(
    chromium: Any, live_server: str, screenshots: Path, code: str
) -> None:
    axe = AxeScans()
    phone = chromium.new_context(
        base_url=live_server, viewport=PHONE, locale=BROWSER_LOCALES[code], has_touch=True
    )
    page = phone.new_page()
    page.goto("/")
    speaks(page, code)
    axe.scan(page, f"{code}: start")

    email, password = f"owner.{code}@example.se", "a long password for the shop"
    page.get_by_role("link", name=say(code, "Skapa konto")).first.click()
    page.get_by_label(say(code, "Ditt namn")).fill("Rania Haddad" if code == "ar" else "Sam Taylor")
    page.get_by_label(say(code, "E-postadress")).fill(email)
    page.get_by_label(say(code, "Välj ett lösenord")).fill(password)
    axe.scan(page, f"{code}: sign up")
    page.get_by_role("button", name=say(code, "Skapa konto")).click()
    page.wait_for_url("**/logga-in?klart=konto")
    page.get_by_label(say(code, "E-postadress")).fill(email)
    page.get_by_label(say(code, "Lösenord"), exact=True).fill(password)
    page.get_by_role("button", name=say(code, "Logga in")).click()
    page.wait_for_url("**/mina-butiker**")
    speaks(page, code)
    axe.scan(page, f"{code}: my shops")

    page.get_by_role("link", name=say(code, "Registrera en butik")).click()
    page.get_by_role("button", name=say(code, "Registrera butiken")).click()  # empty: errors first
    assert page.locator(".error-summary").is_visible()
    axe.scan(page, f"{code}: shop form with errors")
    no_sideways_scroll(page)
    page.get_by_label(say(code, "Butikens namn")).fill("Haddad Livs" if code == "ar" else "Taylor Books")
    org = with_check_digit("556677880" if code == "ar" else "556677881")
    page.get_by_label(say(code, "Organisationsnummer")).fill(f"{org[:6]}-{org[6:]}")
    page.get_by_label(say(code, "Gatuadress")).fill("Borlänge Torget 7")
    page.get_by_label(say(code, "Postnummer")).fill("784 33")
    page.get_by_label(say(code, "Ort")).fill("Borlänge")
    page.get_by_role("button", name=say(code, "Registrera butiken")).click()
    page.wait_for_url(re.compile(r"/butiker/\d+"))
    axe.scan(page, f"{code}: shop")
    no_sideways_scroll(page)

    page.get_by_role("button", name=say(code, "Starta ansökan")).click()
    page.wait_for_url("**/egenkontroll")
    axe.scan(page, f"{code}: self-assessment")
    no_sideways_scroll(page)
    page.locator("a[href$='/egenkontroll/punkt/1']").first.click()
    met = answer_label_in(code, "fulfilled")
    for point in range(1, 14):
        page.wait_for_url(f"**/egenkontroll/punkt/{point}**")
        question = say(code, "Uppfyller butiken punkt {point}?", point=point)
        page.get_by_role("group", name=question).get_by_label(met, exact=True).check()
        if point == 4:
            details = page.locator("details[lang='sv'], details:has([lang='sv'])").first
            assert details.count() == 1, "the official Swedish wording is one tap away"
            axe.scan(page, f"{code}: point 4")
            no_sideways_scroll(page)
            if code == "ar":
                page.evaluate("window.scrollTo(0, 0)")
                copy_to_docs(_screen(page, screenshots, "egenkontroll-arabiska"))
        page.get_by_role("button", name=say(code, "Spara och gå vidare")).click()
    page.wait_for_url(re.compile(r"/egenkontroll\?sparad=13$"))
    axe.scan(page, f"{code}: self-assessment complete")

    page.get_by_role("link", name=say(code, "Skicka in ansökan")).first.click()
    page.wait_for_url("**/skicka-in")
    axe.scan(page, f"{code}: submit")
    no_sideways_scroll(page)
    page.get_by_role("button", name=say(code, "Skicka in ansökan")).click()
    page.wait_for_url(re.compile(r"/butiker/\d+\?klart=inskickad"))
    with catalogue.use(code):
        submitted = state_label("submitted")
    assert page.locator(".badge").first.inner_text() == submitted
    speaks(page, code)
    axe.scan(page, f"{code}: submitted")
    phone.close()
    assert axe.found == [], "\n".join(axe.found)


def _screen(page: Any, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def test_inspector_page_in_english(chromium: Any, live_server: str, screenshots: Path) -> None:
    shop = {
        "name": "Englishman's Corner Shop",
        "org_number": with_check_digit("556123457"),
        "street_address": "Stationsgatan 3",
        "postal_code": "784 33",
        "city": "Borlänge",
    }
    owner = {"email": "corner.shop@example.se", "password": "the owner's long password", "name": "Ed Hill"}
    owner_client, _, case_id = owner_submits(live_server, owner, shop)
    owner_client.close()
    kommun = staff(live_server, KOMMUN_EMAIL)
    [inspector] = kommun.get("/api/users", params={"role": "inspector"}).json()
    visit = (datetime.now(SWEDEN) + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    kommun.post(
        f"/api/applications/{case_id}/assign",
        json={"inspector_id": inspector["id"], "visit_at": visit.isoformat()},
    ).raise_for_status()
    kommun.close()

    axe = AxeScans()
    phone = chromium.new_context(base_url=live_server, viewport=PHONE, locale="en-GB", has_touch=True)
    page = phone.new_page()
    page.goto("/logga-in")
    page.get_by_label(say("en", "E-postadress")).fill(INSPECTOR_EMAIL)
    page.get_by_label(say("en", "Lösenord"), exact=True).fill(STAFF_PASSWORD)
    page.get_by_role("button", name=say("en", "Logga in")).click()
    page.wait_for_url("**/besiktningar")
    speaks(page, "en")
    axe.scan(page, "en: inspections")
    page.get_by_role("link", name=shop["name"]).first.click()
    page.wait_for_url(f"**/besiktningar/{case_id}")
    speaks(page, "en")
    no_sideways_scroll(page)
    axe.scan(page, "en: inspection")
    copy_to_docs(_screen(page, screenshots, "besiktning-engelska"))
    phone.close()
    assert axe.found == [], "\n".join(axe.found)
