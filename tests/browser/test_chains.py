"""A chain in a real Chromium: an owner creates a chain from the owner menu (a wrong number first),
invites a shop's owner, and every page on the way is axe-clean."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from certify.domain.org_number import with_check_digit
from tests.browser.test_owner_journey import AxeScans

pytestmark = pytest.mark.browser
PASSWORD = "kedjans långa lösenord"


def test_an_owner_creates_a_chain_and_invites_a_shop(desktop: Any, live_server: str) -> None:
    with httpx.Client(base_url=live_server) as client:
        client.post(
            "/api/auth/register",
            json={"email": "kedja@example.se", "password": PASSWORD, "name": "Kim Kedjasson"},
        ).raise_for_status()
    page, axe = desktop, AxeScans()
    page.goto("/logga-in")
    page.get_by_label("E-postadress").fill("kedja@example.se")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/mina-butiker**")

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Kedjor").click()
    page.wait_for_url("**/kedjor")
    axe.scan(page, "kedjor")
    page.get_by_label("Kedjans namn").fill("Kvartersbutiken")
    page.get_by_label("Kedjans organisationsnummer").fill("12345")
    page.get_by_role("button", name="Skapa kedjan").click()
    assert page.locator(".error-summary").is_visible()
    axe.scan(page, "kedjor, fel organisationsnummer")
    number = with_check_digit("559900112")
    page.get_by_label("Kedjans organisationsnummer").fill(f"{number[:6]}-{number[6:]}")
    page.get_by_role("button", name="Skapa kedjan").click()
    page.wait_for_url(re.compile(r"/kedjor/\d+\?klart=skapad"))
    assert page.get_by_role("heading", level=1).inner_text() == "Kvartersbutiken"
    axe.scan(page, "kedjan")

    page.get_by_label("Butiksägarens e-postadress").fill("butiksagare@example.se")
    page.get_by_role("button", name="Skicka inbjudan").click()
    page.wait_for_url("**?klart=inbjuden")
    assert page.get_by_text("Inbjudan är skickad med e-post.").is_visible()
    axe.scan(page, "kedjan, inbjudan skickad")
    assert axe.found == [], "\n".join(axe.found)
