"""The public check: the QR code's page and the number typed by hand, for anyone, rate limited."""

from __future__ import annotations

import re
from datetime import date, timedelta

import httpx
import lxml.html
from dateutil.relativedelta import relativedelta

from certify.formatting import format_date as datum
from certify.tables import Certificate
from tests.conftest import World
from tests.integration.pages import errors_in
from tests.integration.scenario import Scenario


def _text(html: str) -> str:
    """What a reader sees: the words without their markup (a number may sit in its own <bdi>)."""
    return " ".join(lxml.html.document_fromstring(html).text_content().split())


def rows(html: str) -> dict[str, str]:
    """The facts list as label -> text."""
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html, re.S)
    return {label: re.sub(r"<[^>]+>", "", text).strip() for label, text in pairs}


async def certified(world: World) -> tuple[Scenario, str]:
    scenario = await Scenario.create(world)
    case = await scenario.to_state("certified")
    return scenario, case["certificate"]["number"]


async def test_the_page_shows_the_shops_street_address(world: World, anonymous: httpx.AsyncClient) -> None:
    _, number = await certified(world)
    page = await anonymous.get(f"/verify/{number}")
    assert page.status_code == 200 and "<h1" in page.text and "Giltigt</h1>" in page.text
    facts = rows(page.text)
    assert facts["Adress"] == "Borlänge Torget 5, 784 33 Borlänge"
    assert facts["Giltigt"] == f"{datum(date.today())} – {datum(date.today() + relativedelta(years=2))}"
    assert "Stämmer namnet och adressen nedan med butiken du står i?" in page.text


async def test_a_revoked_certificate_says_so_with_the_date_and_no_validity(
    world: World, anonymous: httpx.AsyncClient
) -> None:
    scenario = await Scenario.create(world)
    number = (await scenario.to_state("revoked"))["certificate"]["number"]
    page = await anonymous.get(f"/verify/{number}")
    assert page.status_code == 200 and "Återkallat</h1>" in page.text
    facts = rows(page.text)
    assert facts["Återkallat"] == datum(date.today())
    assert "Giltigt" not in facts and "Giltigt" not in page.text
    assert "Stämmer namnet och adressen" not in page.text


async def test_an_expired_certificate_says_utganget(world: World, anonymous: httpx.AsyncClient) -> None:
    _, number = await certified(world)
    ended = date.today() - timedelta(days=1)
    await Certificate.update({Certificate.valid_until: ended}).where(Certificate.number == number).run()
    page = await anonymous.get(f"/verify/{number}")
    assert "Utgånget</h1>" in page.text
    facts = rows(page.text)
    assert facts["Utgånget"] == f"{datum(ended)} var sista giltiga dag" and "Giltigt" not in facts


async def test_a_number_typed_by_hand_is_looked_up(world: World, anonymous: httpx.AsyncClient) -> None:
    _, number = await certified(world)
    form = await anonymous.get("/verify")
    assert form.status_code == 200
    assert 'action="/verify"' in form.text and 'id="f-nummer"' in form.text and 'name="nummer"' in form.text
    typed = " " + number.lower().replace("-", "\u2013") + " "  # a phone's dash, lower case, spaces
    page = await anonymous.get("/verify", params={"nummer": typed})
    assert page.status_code == 200 and f"Intyg {number}" in _text(page.text) and "Giltigt</h1>" in page.text
    assert rows(page.text)["Adress"].startswith("Borlänge Torget 5")


async def test_an_unknown_number_is_a_clear_404_with_the_form_again(anonymous: httpx.AsyncClient) -> None:
    page = await anonymous.get("/verify", params={"nummer": "BLG-2026-99999"})
    assert page.status_code == 404
    assert "Okänt nummer" in page.text and "Det finns inget intyg med numret BLG-2026-99999" in _text(
        page.text
    )
    assert 'value="BLG-2026-99999"' in page.text, "the form keeps the number to correct it"


async def test_a_malformed_number_is_400_naming_the_field(anonymous: httpx.AsyncClient) -> None:
    for typed, expected in (
        ("BLG 2026", "Numret ska se ut som BLG-2026-00017"),
        ("BLÖ-2026-00001", "Numret ska se ut som BLG-2026-00017"),
        ("  ", "Skriv intygets nummer"),
    ):
        page = await anonymous.get("/verify", params={"nummer": typed})
        assert page.status_code == 400, typed
        [error] = errors_in(page.text)
        assert error.startswith(expected), typed
        assert 'href="#f-nummer"' in page.text and 'aria-invalid="true"' in page.text
        assert 'aria-describedby="f-nummer-hint f-nummer-error"' in page.text


async def test_typed_lookups_share_the_rate_limit_with_the_qr_page(anonymous: httpx.AsyncClient) -> None:
    answers = [
        (await anonymous.get("/verify", params={"nummer": f"BLG-2026-{n:05d}"})).status_code
        if n % 2
        else (await anonymous.get(f"/verify/BLG-2026-{n:05d}")).status_code
        for n in range(40)
    ]
    assert answers[:30] == [404] * 30
    assert 429 in answers[30:]


async def test_the_start_page_points_to_the_check(anonymous: httpx.AsyncClient) -> None:
    page = await anonymous.get("/")
    assert "Kontrollera ett intyg" in page.text and 'href="/verify"' in page.text
