"""The kommun's case officer at a 1366×768 laptop, in a real Chromium: the case list fits the screen
and the assign form's errors name and lead to their fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from certify.domain.org_number import with_check_digit
from tests.browser.server import KOMMUN_EMAIL, STAFF_PASSWORD
from tests.browser.test_owner_journey import AxeScans, approve_through_the_api, shot

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 768}
# Long names, as real shops have them: what used to push the last column off the screen.
SHOPS = (
    ("Jakobsgårdarnas Livsmedel, Tobak & Spel Handelsbolag", "Jakobsgårdarna västra"),
    ("Tjärna Ängars Blomsterhandel och Presentbod", "Tjärna Ängar"),
    ("Resecentrums Pressbyrå, Kaffebar och Biljettombud", "Resecentrum"),
)


def shops_with_cases(base_url: str) -> list[int]:
    """One owner's shops, each with a submitted case; the first is approved (a certificate)."""
    ids = []
    with httpx.Client(base_url=base_url) as owner:
        owner.post(
            "/api/auth/register",
            json={
                "email": "laptop.agare@example.se",
                "password": "ägarens långa lösenord",
                "name": "Lars Lång",
            },
        ).raise_for_status()
        owner.post(
            "/api/auth/login", json={"email": "laptop.agare@example.se", "password": "ägarens långa lösenord"}
        ).raise_for_status()
        for index, (name, area) in enumerate(SHOPS):
            shop = owner.post(
                "/api/businesses",
                json={
                    "name": name,
                    "org_number": with_check_digit(f"55678901{index}"),
                    "street_address": f"Långa Handelsvägen {index + 10}",
                    "postal_code": "784 33",
                    "city": "Borlänge",
                    "area": area,
                },
            )
            shop.raise_for_status()
            case = owner.post(f"/api/businesses/{shop.json()['id']}/applications")
            case.raise_for_status()
            case_id = int(case.json()["id"])
            for point in range(1, 14):
                owner.put(
                    f"/api/applications/{case_id}/answers/{point}", json={"status": "fulfilled"}
                ).raise_for_status()
            owner.post(f"/api/applications/{case_id}/submit").raise_for_status()
            ids.append(case_id)
    approve_through_the_api(base_url, ids[0])
    return ids


def test_the_case_list_fits_a_laptop_and_the_assign_errors_lead_to_the_fields(
    chromium: Any, live_server: str, screenshots: Path
) -> None:
    case_ids = shops_with_cases(live_server)
    context = chromium.new_context(base_url=live_server, viewport=LAPTOP, locale="sv-SE")
    page, axe = context.new_page(), AxeScans()
    page.goto("/logga-in")
    page.get_by_label("E-postadress").fill(KOMMUN_EMAIL)
    page.get_by_label("Lösenord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/kommun/arenden")

    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"], "no sideways page scroll"
    table = page.locator(".kommun-table-wrap")
    assert table.evaluate("e => e.scrollWidth <= e.clientWidth"), "the table does not scroll inside its box"
    last = page.get_by_role("columnheader", name="Intyget gäller till").bounding_box()
    assert last is not None and last["x"] + last["width"] <= LAPTOP["width"]
    box = table.bounding_box()
    assert box is not None and box["width"] >= 0.75 * LAPTOP["width"], "the list uses the screen"
    axe.scan(page, "kommun: ärenden 1366 px")
    shot(page, screenshots, "kommun-arenden-1366", full_page=False)

    page.goto(f"/kommun/arenden/{case_ids[1]}")
    page.get_by_role("button", name="Tilldela och boka").click()  # nothing chosen
    summary = page.locator(".error-summary")
    assert summary.get_by_role("link").all_inner_texts() == [
        "Välj en besiktningsperson.",
        "Välj dag och tid för besöket.",
    ]
    summary.get_by_role("link", name="Välj en besiktningsperson.").click()
    assert page.evaluate("document.activeElement.id") == "f-inspektor"
    described = page.get_by_label("Besiktningsperson").get_attribute("aria-describedby")
    assert described is not None
    assert page.locator(f"#{described}").inner_text().endswith("Välj en besiktningsperson.")
    axe.scan(page, "kommun: tilldela med fel")
    shot(page, screenshots, "kommun-tilldela-fel", full_page=False)
    context.close()
    assert axe.found == [], "\n".join(axe.found)
