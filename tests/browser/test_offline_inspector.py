"""The inspector's phone without a connection (issue 16), in a real Chromium at 360×740.

The browser reaches the test server through a cable the test can pull (tests/browser/cable.py), so
the service worker is as offline as the page; `set_offline` makes the page know it. What the server
ends up with is read through the API, on the server itself.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from certify.domain.org_number import with_check_digit
from certify.services.clock import SWEDEN
from tests.browser.cable import Cable
from tests.browser.journeys import owner_submits, staff
from tests.browser.server import INSPECTOR_EMAIL, KOMMUN_EMAIL
from tests.browser.test_inspector_flow import PHONE, log_in
from tests.browser.test_owner_journey import AxeScans, photo

pytestmark = pytest.mark.browser
WAITING = "Väntar i telefonen på att skickas: {count}"
PENDING = "Sparad i telefonen, skickas när du har nät."


def booked_case(base_url: str, name: str, number: str) -> int:
    """A shop's case, submitted and booked for tomorrow with the test server's inspector."""
    slug = number[-2:]
    owner = {
        "email": f"offline{slug}@example.se",
        "password": "ägarens långa lösenord",
        "name": f"Olle {slug}",
    }
    shop = {
        "name": name,
        "org_number": with_check_digit(number),
        "street_address": "Källargatan 3",
        "postal_code": "784 33",
        "city": "Borlänge",
    }
    client, _, case_id = owner_submits(base_url, owner, shop)
    client.close()
    with contextlib.closing(staff(base_url, KOMMUN_EMAIL)) as kommun:
        [inspector] = kommun.get("/api/users", params={"role": "inspector"}).json()
        visit = (datetime.now(SWEDEN) + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
        kommun.post(
            f"/api/applications/{case_id}/assign",
            json={"inspector_id": inspector["id"], "visit_at": visit.isoformat()},
        ).raise_for_status()
    return case_id


@pytest.fixture
def cable(live_server: str) -> Iterator[Cable]:
    relay = Cable(live_server)
    yield relay
    relay.close()


def phone_of(chromium: Any, cable: Cable) -> Any:
    return chromium.new_context(
        base_url=cable.url, viewport=PHONE, locale="sv-SE", has_touch=True, reduced_motion="reduce"
    )


def load_the_day(page: Any) -> None:
    """Log in with a connection: the day's inspections are kept on the phone."""
    log_in(page, INSPECTOR_EMAIL)
    page.wait_for_url("**/besiktningar")
    expect(page.locator("[data-offline-line]")).to_contain_text("Sparad för användning utan nät")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def go_offline(context: Any, cable: Cable) -> None:
    cable.pull()
    context.set_offline(True)


def go_online(context: Any, cable: Cable) -> None:
    cable.plug()
    context.set_offline(False)


def judge_offline(
    page: Any, point: int, verdict: str, remark: str = "", failed: str = "", photo_name: str = ""
) -> None:
    section = page.locator(f"#punkt-{point}")
    section.get_by_label(verdict, exact=True).check()
    if failed:
        criterion = section.get_by_role("group", name=re.compile(rf"^{re.escape(failed)} "))
        criterion.get_by_label("Ej uppfyllt", exact=True).check()
    if remark:
        section.get_by_label("Anmärkning").fill(remark)
    if photo_name:
        section.get_by_label("Ta foto").set_input_files(
            files=[{"name": photo_name, "mimeType": "image/png", "buffer": photo()}]
        )
    section.get_by_role("button", name=f"Spara punkt {point}").click()
    expect(section.get_by_text(PENDING)).to_be_visible()


def on_the_server(base_url: str, case_id: int) -> tuple[dict[int, dict[str, Any]], list[dict[str, Any]]]:
    """The case's verdicts by point and its files, as the kommun reads them."""
    with contextlib.closing(staff(base_url, KOMMUN_EMAIL)) as kommun:
        case = kommun.get(f"/api/applications/{case_id}").json()
        files = kommun.get(f"/api/applications/{case_id}/evidence").json()
    return {v["point"]: v for v in case["verdicts"]}, files


def test_a_whole_inspection_without_a_connection_arrives_once(
    chromium: Any, live_server: str, cable: Cable
) -> None:
    axe = AxeScans()
    case_id = booked_case(live_server, "Källarbutiken", "556987650")
    phone = phone_of(chromium, cable)
    page = phone.new_page()
    load_the_day(page)

    go_offline(phone, cable)
    page.goto(f"/besiktningar/{case_id}")
    expect(page.get_by_role("heading", name="Källarbutiken", level=1)).to_be_visible()
    line = page.locator("[data-offline-line]")
    expect(line).to_contain_text("Du har inte nät.")
    expect(line).to_contain_text("Senast synkroniserad")
    for point in range(1, 14):
        if point == 4:
            remark = "Sedelboxen är inte fastskruvad."
            judge_offline(page, 4, "Underkänd", remark, failed="4.4", photo_name="sedelbox.png")
        else:
            judge_offline(page, point, "Godkänd", photo_name="kamera.png" if point == 9 else "")
    waiting = page.locator("[data-offline-waiting]")
    expect(waiting).to_have_text(WAITING.format(count=15))  # 13 verdicts and 2 photos
    expect(page.get_by_text("Att besluta kräver nät.")).to_be_visible()
    expect(page.get_by_role("button", name="Avslå ansökan")).to_be_disabled()
    axe.scan(page, "besiktning utan nät")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"

    page.reload()  # still without a connection: everything is still on the phone
    expect(waiting).to_have_text(WAITING.format(count=15))
    point4 = page.locator("#punkt-4")
    expect(point4.get_by_label("Underkänd", exact=True)).to_be_checked()
    expect(point4.get_by_label("Anmärkning")).to_have_value("Sedelboxen är inte fastskruvad.")
    expect(point4.get_by_text("Punkt 4: foto sedelbox.png")).to_be_visible()
    expect(page.locator("#punkt-13").get_by_label("Godkänd", exact=True)).to_be_checked()
    assert on_the_server(live_server, case_id) == ({}, [])

    # The connection comes back and breaks again mid-sync: the second write reaches the server but
    # its answer never reaches the phone; every later one fails outright.
    writes: list[str] = []

    def flaky(route: Any) -> None:
        writes.append(route.request.url)
        if len(writes) == 1:
            route.continue_()
            return
        if len(writes) == 2:
            route.fetch()  # applied on the server…
        route.abort("internetdisconnected")  # …but the phone never hears of it

    page.route(re.compile(r".*/api/applications/\d+/(verdicts/\d+|evidence\?point=\d+)$"), flaky)
    go_online(phone, cable)
    expect(waiting).to_have_text(WAITING.format(count=14))
    verdicts, files = on_the_server(live_server, case_id)
    assert sorted(verdicts) == [1, 2]

    page.unroute(re.compile(r".*/api/applications/\d+/(verdicts/\d+|evidence\?point=\d+)$"))
    phone.set_offline(True)
    phone.set_offline(False)  # the connection is back for good
    expect(line).to_contain_text("synkroniserad")
    expect(waiting).to_be_hidden()
    expect(page.get_by_text(PENDING)).to_have_count(0)

    verdicts, files = on_the_server(live_server, case_id)
    assert sorted(verdicts) == list(range(1, 14))
    assert verdicts[4]["verdict"] == "fail" and verdicts[4]["failed_criteria"] == ["4.4"]
    assert verdicts[4]["remark"] == "Sedelboxen är inte fastskruvad."
    assert all(verdicts[p]["verdict"] == "pass" for p in range(1, 14) if p != 4)
    assert sorted((f["point"], f["by_inspector"]) for f in files) == [(4, True), (9, True)]  # each once

    page.reload()
    expect(page.locator("[data-offline-line]")).to_contain_text("synkroniserad")
    expect(page.get_by_text("13 av 13 punkter bedömda")).to_be_visible()
    phone.close()
    assert axe.found == [], "\n".join(axe.found)


def test_a_write_refused_after_a_reassignment_stays_on_the_phone(
    chromium: Any, live_server: str, cable: Cable
) -> None:
    axe = AxeScans()
    case_id = booked_case(live_server, "Trappans Tobak", "556987651")
    phone = phone_of(chromium, cable)
    page = phone.new_page()
    load_the_day(page)
    go_offline(phone, cable)
    page.goto(f"/besiktningar/{case_id}")
    judge_offline(page, 1, "Godkänd")

    with contextlib.closing(staff(live_server, KOMMUN_EMAIL)) as kommun:
        kommun.post(f"/api/applications/{case_id}/unassign").raise_for_status()
    go_online(phone, cable)
    refused = page.locator("[data-offline-refused]")
    expect(refused).to_contain_text("Kunde inte skickas – finns kvar i telefonen")
    expect(refused).to_contain_text("Punkt 1: bedömning")
    expect(refused).to_contain_text("Kontakta kommunen.")
    expect(refused.get_by_role("button", name="Ta bort från telefonen")).to_be_visible()
    axe.scan(page, "nekad ändring")

    page.goto("/besiktningar")  # another page, later: still kept and shown
    expect(page.locator("[data-offline-refused]")).to_contain_text("Punkt 1: bedömning")
    assert on_the_server(live_server, case_id)[0] == {}
    page.locator("[data-offline-refused]").get_by_role("button", name="Ta bort från telefonen").click()
    expect(page.locator("[data-offline-refused]")).to_be_hidden()
    phone.close()
    assert axe.found == [], "\n".join(axe.found)


def big_phone_photo() -> bytes:
    """A 4000×3000 JPEG full of detail, as a phone takes it (several MB), with EXIF orientation 6."""
    import io
    import random

    from PIL import Image

    noise = random.Random(16).randbytes(1000 * 750 * 3)
    small = Image.frombytes("RGB", (1000, 750), noise)
    picture = small.resize((4000, 3000), Image.Resampling.NEAREST)
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=92, exif=exif)
    return buffer.getvalue()


def test_the_owner_s_photo_is_shrunk_on_the_phone_and_its_upload_shows_progress(
    chromium: Any, live_server: str
) -> None:
    from tests.browser.test_assessment_phone import owner_with_a_case, point_answer

    email = "krympt.foto@example.se"
    case_id = owner_with_a_case(live_server, email)
    phone = chromium.new_context(base_url=live_server, viewport=PHONE, locale="sv-SE")
    page = phone.new_page()
    page.goto("/logga-in")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill("ägarens långa lösenord")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/mina-butiker**")
    page.goto(f"/arenden/{case_id}/egenkontroll/punkt/9")
    original = big_phone_photo()
    assert len(original) > 3_000_000
    point_answer(page, 9, "Uppfyllt").check()
    page.get_by_label("Ladda upp bild eller dokument").set_input_files(
        files=[{"name": "kamera.jpg", "mimeType": "image/jpeg", "buffer": original}]
    )
    sent: list[int] = []
    progress: list[str] = []

    def slowly(route: Any) -> None:  # time to see the progress line before the answer comes
        sent.append(len(route.request.post_data_buffer or b""))
        progress.append(page.locator("[data-upload-status]").inner_text())
        route.continue_()

    page.route(f"**/arenden/{case_id}/egenkontroll/punkt/9", slowly)
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_url(f"**/arenden/{case_id}/egenkontroll/punkt/9?sparad=9")
    assert len(sent) == 1 and sent[0] < len(original) / 3, (sent, len(original))
    assert progress and progress[0].startswith("Laddar upp:"), progress
    with httpx.Client(base_url=live_server) as owner:
        owner.post("/api/auth/login", json={"email": email, "password": "ägarens långa lösenord"})
        [stored] = owner.get(f"/api/applications/{case_id}/evidence").json()
    assert stored["content_type"] == "image/jpeg" and stored["size"] < len(original) / 3
    phone.close()


def test_without_javascript_the_inspection_page_works_as_before(chromium: Any, live_server: str) -> None:
    case_id = booked_case(live_server, "Skriptfria Kiosken", "556987652")
    phone = chromium.new_context(
        base_url=live_server, viewport=PHONE, locale="sv-SE", java_script_enabled=False
    )
    page = phone.new_page()
    log_in(page, INSPECTOR_EMAIL)
    page.wait_for_url("**/besiktningar")
    page.goto(f"/besiktningar/{case_id}")
    expect(page.locator("#offline-status")).to_be_hidden()  # no copy on the phone without a script
    section = page.locator("#punkt-2")
    section.get_by_label("Godkänd", exact=True).check()
    section.get_by_role("button", name="Spara punkt 2").click()
    page.wait_for_url("**klart=punkt-2**")
    assert sorted(on_the_server(live_server, case_id)[0]) == [2]
    phone.close()
