"""The self-assessment on a phone (360×740) in a real Chromium: one point per screen, saved on its
own, and a warning before unsaved answers are lost."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from certify.domain.org_number import with_check_digit
from tests.browser.test_owner_journey import AxeScans, wider_than

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def owner_with_a_case(base_url: str, email: str) -> int:
    """A new owner with a shop and a draft case, through the API; the phone logs in as them."""
    with httpx.Client(base_url=base_url) as owner:
        owner.post(
            "/api/auth/register",
            json={"email": email, "password": "ägarens långa lösenord", "name": "Mona Mobil"},
        ).raise_for_status()
        owner.post(
            "/api/auth/login", json={"email": email, "password": "ägarens långa lösenord"}
        ).raise_for_status()
        shop = owner.post(
            "/api/businesses",
            json={
                "name": "Jakobsgårdarnas Livs",
                "org_number": with_check_digit(f"5567{zlib.crc32(email.encode()) % 100000:05d}"),
                "street_address": "Jakobsgårdsvägen 3",
                "postal_code": "784 44",
                "city": "Borlänge",
            },
        )
        shop.raise_for_status()
        case = owner.post(f"/api/businesses/{shop.json()['id']}/applications")
        case.raise_for_status()
        return int(case.json()["id"])


@pytest.fixture
def phone(chromium: Any, live_server: str, request: pytest.FixtureRequest) -> Iterator[tuple[Any, int]]:
    """A logged-in owner's phone and the id of their draft case."""
    email = f"{request.node.name[:40]}@example.se".replace("_", "-")
    case_id = owner_with_a_case(live_server, email)
    context = chromium.new_context(base_url=live_server, viewport=PHONE, locale="sv-SE")
    page = context.new_page()
    page.goto("/logga-in")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill("ägarens långa lösenord")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/mina-butiker**")
    yield page, case_id
    context.close()


def point_answer(page: Any, point: int, label: str) -> Any:
    """The point's own answer, not one of its criteria's choices (which use the same words)."""
    return page.get_by_role("group", name=f"Uppfyller butiken punkt {point}?").get_by_label(label, exact=True)


def in_viewport(page: Any, text: str) -> bool:
    box = page.get_by_text(text, exact=True).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_saving_point_7_lands_at_point_7_with_the_progress_in_view(phone: tuple[Any, int]) -> None:
    page, case_id = phone
    axe = AxeScans()
    page.goto(f"/arenden/{case_id}/egenkontroll/punkt/7")
    point_answer(page, 7, "Uppfyllt").check()
    page.get_by_label("Kommentar").fill("Extra telefon i uppräkningsrummet.")
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_url(f"**/arenden/{case_id}/egenkontroll/punkt/7?sparad=7")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Punkt 7 av 13")
    assert page.get_by_role("status").inner_text() == "Punkt 7 är sparad."
    assert point_answer(page, 7, "Uppfyllt").is_checked()
    assert in_viewport(page, "1 av 13 besvarade"), "the progress is on the first screen"
    remaining = page.get_by_role("list", name="Kvar att besvara:").get_by_role("link")
    assert remaining.count() == 12 and "7" not in remaining.all_inner_texts()
    assert wider_than(page, PHONE["width"]) == []
    axe.scan(page, "punkt 7 sparad (telefon)")

    page.get_by_role("button", name="Spara och gå vidare").click()
    page.wait_for_url(f"**/arenden/{case_id}/egenkontroll/punkt/8?sparad=7")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Punkt 8 av 13")
    assert axe.found == [], "\n".join(axe.found)


def test_leaving_with_unsaved_changes_warns_and_staying_keeps_them(phone: tuple[Any, int]) -> None:
    page, case_id = phone
    page.goto(f"/arenden/{case_id}/egenkontroll/punkt/8")
    dialogs: list[str] = []

    def stay(dialog: Any) -> None:
        """Answer the warning with "stay on the page" (the click returns once it is answered)."""
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_role("link", name="Alla punkter", exact=True).click()  # nothing typed: no warning
    page.wait_for_url(re.compile(r"/egenkontroll$"))
    assert dialogs == []

    page.go_back()
    page.wait_for_url("**/punkt/8")
    point_answer(page, 8, "Ej uppfyllt").check()
    page.get_by_label("Kommentar").fill("Dörren saknar dörrstängare, beställd.")
    page.get_by_role("link", name="Alla punkter", exact=True).click(no_wait_after=True)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith("/punkt/8"), "dismissing the warning keeps the owner on the point"
    assert page.get_by_label("Kommentar").input_value() == "Dörren saknar dörrstängare, beställd."

    page.get_by_role("button", name="Spara", exact=True).click()  # saving is not leaving
    page.wait_for_url("**/punkt/8?sparad=8")
    page.get_by_role("link", name="Alla punkter", exact=True).click()
    page.wait_for_url(re.compile(r"/egenkontroll$"))
    assert dialogs == ["beforeunload"], "only the unsaved change warned"
    assert page.locator("#punkt-8").get_by_text("Ej uppfyllt").is_visible()


def test_a_refused_save_still_counts_as_unsaved(phone: tuple[Any, int]) -> None:
    page, case_id = phone
    page.goto(f"/arenden/{case_id}/egenkontroll/punkt/3")
    page.get_by_label("Kommentar").fill("Kassalådan låses med kod.")
    page.get_by_role("button", name="Spara", exact=True).click()  # no answer chosen: refused
    assert page.locator(".error-summary").is_visible()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Alla punkter", exact=True).click(no_wait_after=True)
    assert dialogs == ["beforeunload"] and page.url.endswith("/punkt/3")


def test_without_javascript_each_point_is_still_saved(chromium: Any, live_server: str) -> None:
    case_id = owner_with_a_case(live_server, "utan-skript@example.se")
    context = chromium.new_context(
        base_url=live_server, viewport=PHONE, locale="sv-SE", java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/logga-in")
    page.get_by_label("E-postadress").fill("utan-skript@example.se")
    page.get_by_label("Lösenord").fill("ägarens långa lösenord")
    page.get_by_role("button", name="Logga in").click()
    page.goto(f"/arenden/{case_id}/egenkontroll/punkt/7")
    point_answer(page, 7, "Uppfyllt").check()
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_url("**/punkt/7?sparad=7")
    assert page.get_by_text("1 av 13 besvarade").is_visible()
    context.close()
