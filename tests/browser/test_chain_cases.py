"""A chain case (issue 17) in a real Chromium, with axe scans: the chain of five shops, its case, the
documentation and the internal audit go in through the API; then the chain's representative reads
the case at a desk, the kommun reads the drawn sample with the reason for each shop, and the
inspector on a phone finds the case on his start page and follows the route for the day to each
sampled shop's ordinary inspection page, nothing wider than the phone."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from certify.domain.org_number import with_check_digit
from tests.browser.conftest import copy_to_docs
from tests.browser.server import INSPECTOR_EMAIL, KOMMUN_EMAIL, STAFF_PASSWORD
from tests.browser.test_inspector_flow import PHONE, log_in
from tests.browser.test_owner_journey import AxeScans, shot, wider_than
from tests.integration.pages import PDF

pytestmark = pytest.mark.browser
REP = {"email": "kedjans.ombud@example.se", "password": "kedjeombudets långa lösenord", "name": "Rut Ombud"}
CHAIN = "Dalarnas Kvarterslivs & Tobak Ekonomisk förening"
# Long names, as real shops have them: what pushes a phone's page sideways if anything does.
SHOPS = (
    ("Kvarterslivs Jakobsgårdarna Livsmedel, Tobak & Spel", "Jakobsgårdsvägen 3"),
    ("Kvarterslivs Tjärna Ängar Blomsterhandel och Presentbod", "Tjärnagatan 12"),
    ("Kvarterslivs Resecentrum Pressbyrå och Biljettombud", "Stationsgatan 1"),
    ("Kvarterslivs Bullermyren", "Bullermyrsvägen 40"),
    ("Kvarterslivs Hagalund", "Hagalundsvägen 7"),
)
REASONS = {"random": "Slumpvis dragen", "never_inspected": "Aldrig besiktad"}


@contextmanager
def logged_in(base_url: str, email: str, password: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url) as client:
        client.post("/api/auth/login", json={"email": email, "password": password}).raise_for_status()
        yield client


def chain_case_assigned(base_url: str) -> tuple[int, int, list[dict[str, Any]]]:
    """The chain, its case submitted with documentation and a whole audit, assigned by the kommun:
    the chain's id, the case's id and the drawn sample."""
    httpx.post(f"{base_url}/api/auth/register", json=REP).raise_for_status()
    with (
        logged_in(base_url, REP["email"], REP["password"]) as rep,
        logged_in(base_url, KOMMUN_EMAIL, STAFF_PASSWORD) as kommun,
    ):
        chain = rep.post("/api/chains", json={"name": CHAIN, "org_number": with_check_digit("559933441")})
        chain.raise_for_status()
        chain_id = int(chain.json()["id"])
        for index, (name, street) in enumerate(SHOPS):
            shop = rep.post(
                "/api/businesses",
                json={
                    "name": name,
                    "org_number": with_check_digit(f"55993{index:04d}"),
                    "street_address": street,
                    "postal_code": "784 33",
                    "city": "Borlänge",
                },
            )
            shop.raise_for_status()
            member = {"business_id": shop.json()["id"]}
            rep.post(f"/api/chains/{chain_id}/members", json=member).raise_for_status()
        case = rep.post(f"/api/chains/{chain_id}/cases", json={"kommun_code": "2081"})
        case.raise_for_status()
        case_id = int(case.json()["id"])
        rep.post(
            f"/api/chains/{chain_id}/documents", files={"file": ("rutiner.pdf", PDF, "application/pdf")}
        ).raise_for_status()
        for member in case.json()["members"]:
            for point in range(1, 14):
                rep.put(
                    f"/api/chain-cases/{case_id}/audits/{member['business_id']}/{point}",
                    json={"status": "fulfilled", "comment": "Kontrollerad vid kedjans revision."},
                ).raise_for_status()
        rep.post(f"/api/chain-cases/{case_id}/submit", json={}).raise_for_status()
        [inspector] = kommun.get("/api/users", params={"role": "inspector"}).json()
        assigned = kommun.post(f"/api/chain-cases/{case_id}/assign", json={"inspector_id": inspector["id"]})
        assigned.raise_for_status()
        return chain_id, case_id, assigned.json()["sample"]


def fits(page: Any, width: int, name: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (
        f"{name} scrolls sideways: {wider_than(page, width)}"
    )


def test_the_chain_case_at_the_desks_and_the_route_on_the_inspector_s_phone(
    chromium: Any, live_server: str, screenshots: Path
) -> None:
    chain_id, case_id, sample = chain_case_assigned(live_server)
    assert len(sample) == 2, "a chain of at most 12 shops: a quarter of them, rounded up"
    axe = AxeScans()
    desk_size = {"width": 1280, "height": 900}

    chain_desk = chromium.new_context(base_url=live_server, viewport=desk_size, locale="sv-SE")
    page = chain_desk.new_page()
    page.goto("/logga-in")
    page.get_by_label("E-postadress").fill(REP["email"])
    page.get_by_label("Lösenord").fill(REP["password"])
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/mina-butiker**")
    page.goto(f"/kedjor/{chain_id}/arenden/{case_id}")
    assert page.get_by_role("heading", level=1).inner_text() == f"Kedjeärende {case_id}: Borlänge kommun"
    members = page.locator("section", has=page.locator("#butiker")).locator("tbody").get_by_role("row")
    assert members.count() == len(SHOPS)
    for stop in sample:
        row = members.filter(has_text=stop["name"])
        assert row.get_by_role("cell").last.inner_text() == REASONS[stop["reason"]], "the chain sees why"
    assert page.get_by_role("link", name="rutiner.pdf").is_visible()
    fits(page, desk_size["width"], "the chain's case page")
    axe.scan(page, "kedjan: kedjeärendet")
    shot(page, screenshots, "kedjan-kedjearende")
    chain_desk.close()

    kommun_desk = chromium.new_context(base_url=live_server, viewport=desk_size, locale="sv-SE")
    page = kommun_desk.new_page()
    log_in(page, KOMMUN_EMAIL)
    page.wait_for_url("**/kommun/arenden")
    open_cases = page.locator("section", has=page.locator("#oppna-kedjearenden"))
    assert open_cases.get_by_role("link", name=CHAIN).is_visible(), "the open chain case is in the list"
    axe.scan(page, "kommun: ärenden med kedjeärende")
    open_cases.get_by_role("link", name=CHAIN).click()
    page.wait_for_url(f"**/kommun/kedjearenden/{case_id}")
    table = page.locator("section", has=page.locator("#stickprov")).get_by_role("table")
    rows = [
        [cell.inner_text() for cell in row.get_by_role("cell").all()]
        for row in table.locator("tbody").get_by_role("row").all()
    ]
    assert rows == [[s["name"], REASONS[s["reason"]]] for s in sample], "each shop with its reason"
    fits(page, desk_size["width"], "the kommun's chain case page")
    axe.scan(page, "kommun: kedjeärendet")
    copy_to_docs(shot(page, screenshots, "kommun-kedjearende"))
    kommun_desk.close()

    phone = chromium.new_context(
        base_url=live_server, viewport=PHONE, locale="sv-SE", has_touch=True, reduced_motion="reduce"
    )
    page = phone.new_page()
    log_in(page, INSPECTOR_EMAIL)
    page.wait_for_url("**/besiktningar")
    chains = page.locator("section", has=page.locator("#kedjor"))
    card = chains.get_by_role("listitem").filter(has_text=CHAIN)
    assert card.get_by_text("2 butiker i stickprovet").is_visible()
    fits(page, PHONE["width"], "the inspector's start page")
    axe.scan(page, "besiktningsperson: start med kedjeärende")
    card.get_by_role("link", name=CHAIN).click()
    page.wait_for_url(f"**/besiktningar/kedjearenden/{case_id}")
    fits(page, PHONE["width"], "the inspector's chain case page")
    axe.scan(page, "besiktningsperson: kedjeärendet")
    shot(page, screenshots, "besiktning-kedjearende-telefon")
    page.get_by_role("link", name="Dagens rutt").click()
    page.wait_for_url(f"**/besiktningar/kedjearenden/{case_id}/rutt")
    stops = page.get_by_role("main").get_by_role("listitem")
    assert stops.count() == len(sample)
    fits(page, PHONE["width"], "the route for the day")
    axe.scan(page, "besiktningsperson: dagens rutt")
    path = screenshots / "kedja-rutt-telefon.png"
    page.screenshot(path=str(path))  # what the phone shows, for the README
    copy_to_docs(path)
    for stop in sample:
        page.get_by_role("link", name=stop["name"], exact=True).click()
        page.wait_for_url(f"**/besiktningar/{stop['application_id']}")
        assert stop["name"] in page.get_by_role("heading", level=1).inner_text()
        fits(page, PHONE["width"], f"the inspection page of {stop['name']}")
        axe.scan(page, f"besiktningsperson: besiktning av {stop['name']}")
        page.go_back()
        page.wait_for_url(f"**/besiktningar/kedjearenden/{case_id}/rutt")
    phone.close()
    assert axe.found == [], "\n".join(axe.found)
