"""A new owner's whole journey in a real Chromium, with an axe scan of every page on the way."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image

from certify.domain.org_number import with_check_digit
from tests.browser.conftest import copy_to_docs
from tests.browser.server import INSPECTOR_EMAIL, KOMMUN_EMAIL, STAFF_PASSWORD

pytestmark = pytest.mark.browser
BLOCKING_IMPACTS = {"serious", "critical"}


def photo() -> bytes:
    """A real (small) photo, so the thumbnail on the page is an actual image."""
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (40, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


class AxeScans:
    """Scan each page as it is shown; the test fails on any serious or critical violation."""

    def __init__(self) -> None:
        self.axe = Axe()
        self.found: list[str] = []

    def scan(self, page: Any, name: str) -> None:
        violations = self.axe.run(page).response["violations"]
        for violation in violations:
            if violation["impact"] in BLOCKING_IMPACTS:
                targets = [node["target"] for node in violation["nodes"]]
                self.found.append(f"{name}: {violation['id']} ({violation['impact']}) at {targets}")


def wider_than(page: Any, width: int) -> list[str]:
    """The elements that stick out to the right: what makes the page scroll sideways."""
    return page.evaluate(
        """width => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width)
            .map(e => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`)""",
        width,
    )


def shot(page: Any, folder: Path, name: str, *, full_page: bool = True) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def approve_through_the_api(base_url: str, case_id: int) -> None:
    """The kommun books the inspector, who judges all 13 points as passed and approves."""
    with httpx.Client(base_url=base_url) as kommun, httpx.Client(base_url=base_url) as inspector:
        for client, email in ((kommun, KOMMUN_EMAIL), (inspector, INSPECTOR_EMAIL)):
            client.post(
                "/api/auth/login", json={"email": email, "password": STAFF_PASSWORD}
            ).raise_for_status()
        [found] = kommun.get("/api/users", params={"role": "inspector"}).json()
        kommun.post(
            f"/api/applications/{case_id}/assign",
            json={"inspector_id": found["id"], "visit_at": "2030-01-15T10:00:00+01:00"},
        ).raise_for_status()
        for point in range(1, 14):
            inspector.put(
                f"/api/applications/{case_id}/verdicts/{point}", json={"verdict": "pass"}
            ).raise_for_status()
        inspector.post(f"/api/applications/{case_id}/approve").raise_for_status()


def test_new_owner_signs_up_self_assesses_submits_and_downloads_the_certificate(
    chromium: Any, desktop: Any, live_server: str, screenshots: Path
) -> None:
    page, axe = desktop, AxeScans()
    page.goto("/")
    axe.scan(page, "start")
    shot(page, screenshots, "01-start")

    page.get_by_role("link", name="Skapa konto").first.click()
    page.get_by_label("Ditt namn").fill("Åsa Öberg")
    page.get_by_label("E-postadress").fill("asa.oberg@example.se")
    page.get_by_label("Välj ett lösenord").fill("ett långt lösenord")
    axe.scan(page, "skapa konto")
    page.get_by_role("button", name="Skapa konto").click()
    page.wait_for_url("**/logga-in?klart=konto")
    axe.scan(page, "konto skapat")
    page.get_by_label("E-postadress").fill("asa.oberg@example.se")
    page.get_by_label("Lösenord").fill("ett långt lösenord")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/mina-butiker**")
    axe.scan(page, "mina butiker")
    shot(page, screenshots, "02-mina-butiker")

    page.get_by_role("link", name="Registrera en butik").click()
    page.get_by_role("button", name="Registrera butiken").click()  # empty form: errors first
    assert page.locator(".error-summary").is_visible()
    axe.scan(page, "registrera butik med fel")
    shot(page, screenshots, "03-registrera-fel")
    page.get_by_label("Butikens namn").fill("Åsas Blommor")
    org = with_check_digit("556677889")
    page.get_by_label("Organisationsnummer").fill(f"{org[:6]}-{org[6:]}")
    page.get_by_label("Gatuadress").fill("Borlänge Torget 5")
    page.get_by_label("Postnummer").fill("784 33")
    page.get_by_label("Ort").fill("Borlänge")
    page.get_by_role("button", name="Registrera butiken").click()
    page.wait_for_url(re.compile(r"/butiker/\d+"))
    axe.scan(page, "butik")

    page.get_by_role("button", name="Starta ansökan").click()
    page.wait_for_url("**/egenkontroll")
    case_id = int(re.search(r"/arenden/(\d+)/", page.url).group(1))  # type: ignore[union-attr]
    axe.scan(page, "egenkontroll, översikt")
    page.get_by_role("link", name="Börja med punkt 1").click()
    for point in range(1, 14):  # one point per screen, each saved on its own
        page.wait_for_url(f"**/egenkontroll/punkt/{point}**")
        # The point's own answer (its criteria are marked met with it); each criterion also has choices.
        page.get_by_role("group", name=f"Uppfyller butiken punkt {point}?").get_by_label(
            "Uppfyllt", exact=True
        ).check()
        if point == 1:
            page.locator("#f-kommentar-1").fill("Kim Svensson är säkerhetsansvarig.")
            axe.scan(page, "egenkontroll, punkt 1")
        if point == 9:
            page.locator("#f-bevis-9").set_input_files(
                files=[{"name": "langdmarkering.png", "mimeType": "image/png", "buffer": photo()}]
            )
            page.get_by_role("button", name="Spara", exact=True).click()
            page.wait_for_url("**/punkt/9?sparad=9")
            assert page.get_by_role("img", name="Bild: langdmarkering.png").is_visible()
            axe.scan(page, "egenkontroll, punkt 9 med bild")
            shot(page, screenshots, "egenkontroll-punkt")
            copy_to_docs(shot(page, screenshots, "egenkontroll-desktop", full_page=False))
        page.get_by_role("button", name="Spara och gå vidare").click()
    page.wait_for_url(re.compile(r"/egenkontroll\?sparad=13$"))
    assert page.get_by_text("13 av 13 besvarade").is_visible()
    axe.scan(page, "egenkontroll, alla besvarade")
    shot(page, screenshots, "egenkontroll-hela-sidan")
    phone = chromium.new_context(
        base_url=live_server,
        viewport={"width": 360, "height": 740},
        locale="sv-SE",
        storage_state=page.context.storage_state(),
    )
    phone_page = phone.new_page()
    for path in (f"/arenden/{case_id}/egenkontroll", f"/arenden/{case_id}/egenkontroll/punkt/9"):
        phone_page.goto(path)
        assert wider_than(phone_page, 360) == [], f"no sideways scrolling at 360 px: {path}"
        axe.scan(phone_page, f"{path} (telefon)")
    copy_to_docs(shot(phone_page, screenshots, "egenkontroll-phone", full_page=False))
    phone.close()

    page.get_by_role("link", name="Skicka in ansökan").first.click()
    page.wait_for_url("**/skicka-in")
    axe.scan(page, "skicka in")
    page.get_by_role("button", name="Skicka in ansökan").click()
    page.wait_for_url(re.compile(r"/butiker/\d+\?klart=inskickad"))
    assert page.get_by_text("Ansökan skickades in till kommunen.").is_visible()
    axe.scan(page, "butik inskickad")
    shot(page, screenshots, "04-inskickad")

    approve_through_the_api(live_server, case_id)
    page.reload()
    assert page.locator(".badge").first.inner_text() == "Certifierad"
    axe.scan(page, "butik certifierad")
    shot(page, screenshots, "05-certifierad")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner intyget (PDF)").click()
    download = download_info.value
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")

    assert axe.found == [], "\n".join(axe.found)


def test_log_in_page_and_zoom_200_percent(chromium: Any, live_server: str, screenshots: Path) -> None:
    """At 200% zoom a 1280 px window is 640 CSS px wide: the form must still fit without sideways scroll."""
    context = chromium.new_context(
        base_url=live_server, viewport={"width": 640, "height": 450}, device_scale_factor=2, locale="sv-SE"
    )
    page = context.new_page()
    axe = AxeScans()
    page.goto("/logga-in")
    page.get_by_label("E-postadress").fill("ingen@example.se")
    page.get_by_label("Lösenord").fill("fel lösenord!")
    page.get_by_role("button", name="Logga in").click()
    assert page.get_by_text("Fel e-postadress eller lösenord.").first.is_visible()
    assert wider_than(page, 640) == []
    axe.scan(page, "logga in med fel")
    page.keyboard.press("Tab")
    focused = page.evaluate("getComputedStyle(document.activeElement).boxShadow")
    assert focused != "none", "the focused element has a visible focus indicator"
    shot(page, screenshots, "06-logga-in-zoom")
    context.close()
    assert axe.found == [], "\n".join(axe.found)
