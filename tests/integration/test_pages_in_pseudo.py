"""Every page of the owner, the public, sign-in and the account, in the pseudo-language: each word a
reader sees comes from the catalogue (or is data this test put in: shop names, addresses, people).

The self-assessment's points also offer their official Swedish wording when the page speaks another
language.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import lxml.html
import pytest

from certify.domain.checklist import CASH_RELATED_POINTS
from certify.domain.status import Role
from certify.tables import Business
from certify.text import catalogue
from certify.text.catalogue import gettext
from tests.conftest import World
from tests.integration.pages import PNG, errors_in, submit
from tests.integration.scenario import ALL_POINTS, NA_COMMENT, Scenario, ok, shop_fields
from tests.integration.test_outreach_pages import invite_token
from tests.integration.test_password_reset import ask, mailed_links
from tests.pseudo import PSEUDO, assert_page_marked

# New cases start on version 2026.2.
CHECKLIST = Path(__file__).resolve().parents[2] / "src" / "certify" / "domain" / "checklist_v2.json"
KOMMUN = "Borlänge kommun"
SHOP = shop_fields(1)
SHOP_DATA = [SHOP["name"], SHOP["street_address"], SHOP["city"], SHOP["area"], KOMMUN]
PEOPLE = ["Owner 1", "Inspector 2", "Kommun 3"]
REMARKS = [f"Punkt {p} brister." for p in ALL_POINTS] + [NA_COMMENT, "Kontantfri, kontrollerat."]
DATA = [*SHOP_DATA, *PEOPLE, *REMARKS, "tejp.png"]


def qps(path: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={PSEUDO}"


OFFICIAL_SWEDISH = "//details[@class='point__swedish']//*[@lang='sv']"
"""The checklist's official Swedish wording, shown on purpose next to the translation."""


def assert_marked(where: str, html: str, data: list[str] = DATA) -> None:
    """assert_page_marked, leaving out the official Swedish wording (data, lang="sv")."""
    root = lxml.html.document_fromstring(html)
    for element in root.xpath(OFFICIAL_SWEDISH):
        element.drop_tree()
    assert_page_marked(where, lxml.html.tostring(root, encoding="unicode"), data=data)


async def marked(
    client: httpx.AsyncClient,
    path: str,
    status: int = 200,
    data: list[str] = DATA,
) -> str:
    """Fetch a page in the pseudo-language and check that every word on it is marked."""
    page = await client.get(qps(path))
    assert page.status_code == status, f"{path}: {page.status_code}"
    assert_marked(path, page.text, data=data)
    return page.text


async def posted(
    client: httpx.AsyncClient, form_page: str, action: str, data: dict[str, Any], **extra: Any
) -> httpx.Response:
    """A form sent in the pseudo-language (the language cookie set by fetching the form page)."""
    return await submit(client, qps(form_page), action, data, **extra)


# --- anonymous -------------------------------------------------------------------------------


async def test_public_pages_are_marked(
    world: World, anonymous: httpx.AsyncClient, pseudo_language: str
) -> None:
    await world.kommun()
    for path in (
        "/",
        "/?klart=utloggad",
        "/logga-in",
        "/logga-in?klart=konto",
        "/skapa-konto",
        "/glomt-losenord",
    ):
        await marked(anonymous, path)
    await marked(anonymous, "/nytt-losenord/ingen-sadan-lank", status=404)


async def test_password_reset_pages_are_marked(world: World, pseudo_language: str) -> None:
    await world.kommun()
    await world.user(Role.owner)
    visitor = world.new_client()
    await visitor.get(qps("/glomt-losenord"))
    sent = await ask(visitor, "owner1@example.se")
    assert_marked("forgot password, sent", sent.text, data=DATA)
    [link] = await mailed_links("owner1@example.se")
    await marked(visitor, link)
    wrong = await posted(visitor, link, link, {"password": "kort", "repeat": "kort"})
    assert wrong.status_code == 400 and errors_in(wrong.text)
    assert_marked("reset password, errors", wrong.text, data=DATA)


async def test_sign_up_errors_are_marked(
    anonymous: httpx.AsyncClient, world: World, pseudo_language: str
) -> None:
    await world.kommun()
    wrong = await posted(
        anonymous, "/skapa-konto", "/skapa-konto", {"name": "", "email": "nej", "password": "x"}
    )
    assert wrong.status_code == 400 and len(errors_in(wrong.text)) == 3
    assert_marked("sign-up, errors", wrong.text, data=DATA)
    login = await posted(
        anonymous, "/logga-in", "/logga-in", {"email": "ingen@example.se", "password": "fel"}
    )
    assert login.status_code == 400 and errors_in(login.text)
    assert_marked("login, errors", login.text, data=DATA)


async def test_verify_pages_are_marked(
    world: World, anonymous: httpx.AsyncClient, pseudo_language: str
) -> None:
    scenario = await Scenario.create(world)
    case = await scenario.to_state("certified")
    number = case["certificate"]["number"]
    found = await ok(await anonymous.get(f"/api/certificates/{number}"))
    for path in ("/verify", f"/verify/{number}", f"/verify?nummer={number}"):
        await marked(anonymous, path, data=[*DATA, number, found["pdf_sha256"]])
    await marked(anonymous, "/verify/BLG-2026-99999", status=404, data=[*DATA, "BLG"])
    await marked(anonymous, "/verify?nummer=nonsens", status=400, data=[*DATA, "nonsens", "BLG"])
    await marked(anonymous, "/verify?nummer=", status=400, data=[*DATA, "BLG"])


async def test_invitation_pages_are_marked(world: World, pseudo_language: str) -> None:
    _, shop_id, token = await invite_token(world)
    shop = await Business.select().where(Business.id == shop_id).first().run()
    data = [*DATA, shop["name"], shop["street_address"], shop["city"]]
    visitor = world.new_client()
    await marked(visitor, f"/inbjudan/{token}", data=data)
    owner = await world.login(await world.user(Role.owner, name="Owner 1"))
    await marked(owner, f"/inbjudan/{token}", data=data)
    await marked(owner, "/inbjudan/ingen-sadan-inbjudan", status=404, data=data)


async def test_api_docs_are_marked_apart_from_the_documents_own_english(
    anonymous: httpx.AsyncClient, world: World, pseudo_language: str
) -> None:
    """The operations' names, types and descriptions are the OpenAPI document's (lang="en", code)."""
    await world.kommun()
    page = await anonymous.get(qps("/schema"))
    assert page.status_code == 200
    root = lxml.html.document_fromstring(page.text)
    english = root.xpath("//main//*[@lang='en']|//main//code")
    assert english
    for element in english:
        element.drop_tree()
    assert_marked("/schema", lxml.html.tostring(root, encoding="unicode"), data=DATA)


# --- the owner -------------------------------------------------------------------------------


async def test_owner_pages_of_a_draft_are_marked(world: World, pseudo_language: str) -> None:
    scenario = await Scenario.create(world)
    owner, case_id, shop_id = scenario.owner, scenario.case_id, scenario.business_id
    await marked(owner, "/mina-butiker")
    await marked(owner, "/mina-butiker?klart=konto")
    await marked(owner, "/butiker/ny")
    await marked(owner, f"/butiker/{shop_id}")
    await marked(owner, f"/butiker/{shop_id}?klart=registrerad")
    await marked(owner, f"/butiker/{shop_id}/andra")
    await marked(owner, f"/arenden/{case_id}/egenkontroll")
    await marked(owner, f"/arenden/{case_id}/skicka-in")
    await marked(owner, f"/arenden/{case_id}/dra-tillbaka")
    await marked(owner, "/mitt-konto")
    await marked(owner, "/byt-losenord")
    await ok(await scenario.answer(3, "not_fulfilled", "Vi har ingen sedelbox."))
    uploaded = await posted(
        owner,
        f"/arenden/{case_id}/egenkontroll/punkt/9",
        f"/arenden/{case_id}/egenkontroll/punkt/9",
        {"svar-9": "fulfilled", "kommentar-9": "", "efter": "stanna"},
        files=[("bevis-9", ("tejp.png", PNG, "image/png"))],
    )
    assert uploaded.status_code == 303
    await marked(owner, uploaded.headers["location"], data=[*DATA, "Vi har ingen sedelbox."])
    for point in ALL_POINTS:
        await marked(
            owner, f"/arenden/{case_id}/egenkontroll/punkt/{point}", data=[*DATA, "Vi har ingen sedelbox."]
        )
    await marked(owner, f"/arenden/{case_id}/egenkontroll?sparad=9", data=[*DATA, "Vi har ingen sedelbox."])


async def test_owner_form_errors_are_marked(world: World, pseudo_language: str) -> None:
    scenario = await Scenario.create(world)
    owner, case_id, shop_id = scenario.owner, scenario.case_id, scenario.business_id
    bad = {
        "name": "",
        "org_number": "123",
        "street_address": "",
        "postal_code": "1",
        "city": "",
        "email": "x",
    }
    new = await posted(owner, "/butiker/ny", "/butiker/ny", bad)
    assert new.status_code == 400 and len(errors_in(new.text)) >= 5
    assert_marked("new shop, errors", new.text, data=DATA)
    edit = await posted(owner, f"/butiker/{shop_id}/andra", f"/butiker/{shop_id}/andra", bad)
    assert edit.status_code == 400 and errors_in(edit.text)
    assert_marked("shop details, errors", edit.text, data=DATA)
    point = f"/arenden/{case_id}/egenkontroll/punkt/2"
    unanswered = await posted(owner, point, point, {"kommentar-2": "Bara en kommentar"})
    assert unanswered.status_code == 400 and errors_in(unanswered.text)
    assert_marked("point 2, errors", unanswered.text, data=[*DATA, "Bara en kommentar"])
    password = await posted(
        owner, "/byt-losenord", "/byt-losenord", {"current": "x", "password": "y", "repeat": "z"}
    )
    assert password.status_code == 400 and errors_in(password.text)
    assert_marked("change password, errors", password.text, data=DATA)
    closing = await posted(owner, "/mitt-konto", "/mitt-konto/stang", {"password": ""})
    assert closing.status_code == 422 and errors_in(closing.text)
    assert_marked("close account, errors", closing.text, data=DATA)


@pytest.mark.parametrize(
    "state", ["submitted", "scheduled", "corrections_required", "certified", "withdrawn"]
)
async def test_owner_shop_page_in_each_state_is_marked(
    world: World, pseudo_language: str, state: str
) -> None:
    scenario = await Scenario.create(world)
    case = await scenario.to_state(state)
    shop_id, case_id = scenario.business_id, scenario.case_id
    data = [*DATA, *([case["certificate"]["number"]] if case.get("certificate") else [])]
    await marked(scenario.owner, f"/butiker/{shop_id}", data=data)
    await marked(scenario.owner, f"/arenden/{case_id}/egenkontroll", data=data)
    await marked(scenario.owner, f"/arenden/{case_id}/egenkontroll/punkt/4", data=data)
    if state == "submitted":
        await marked(scenario.owner, f"/arenden/{case_id}/skicka-in", data=data)
    if state == "certified":
        form = f"/butiker/{shop_id}/andra"
        moved = {
            **{k: v for k, v in SHOP.items() if k not in {"org_number", "cash_free"}},
            "name": "Åkes Nya Järn",
        }
        reported = await posted(scenario.owner, form, form, moved)
        assert reported.status_code == 303
        shown = await marked(
            scenario.owner,
            reported.headers["location"],
            data=[*data, "Åkes Nya Järn"],
        )
        assert 'id="anmald-andring"' in shown
    if state == "corrections_required":
        report = f"/arenden/{case_id}/atgardat"
        empty = await posted(
            scenario.owner, f"/butiker/{shop_id}", report, {"kommentar": "", "version": case["version"]}
        )
        assert empty.status_code == 400 and errors_in(empty.text)
        assert_marked("report corrections, errors", empty.text, data=data)


async def test_a_cash_free_shop_is_marked(world: World, pseudo_language: str) -> None:
    scenario = await Scenario.create(world, cash_free=True)
    cash_point = min(CASH_RELATED_POINTS)
    await marked(scenario.owner, f"/butiker/{scenario.business_id}")
    await marked(scenario.owner, f"/arenden/{scenario.case_id}/egenkontroll/punkt/{cash_point}")


async def test_error_pages_are_marked(world: World, pseudo_language: str) -> None:
    scenario = await Scenario.create(world)
    await marked(scenario.owner, "/mina-butiker")  # the header's kommun, remembered for error pages
    await marked(scenario.owner, "/kommun/arenden", status=403)
    await marked(scenario.owner, "/butiker/9999", status=404)


# --- the official Swedish wording one tap away -----------------------------------------------


def _swedish_details(html: str) -> list[Any]:
    root = lxml.html.document_fromstring(html)
    return root.xpath("//section[@class='point']//details[.//*[@lang='sv']]")


async def test_a_point_in_english_offers_the_swedish_wording(world: World) -> None:
    scenario = await Scenario.create(world)
    spec = json.loads(CHECKLIST.read_text("utf-8"))
    point = next(p for p in spec["points"] if p["number"] == 5)
    page = await scenario.owner.get(f"/arenden/{scenario.case_id}/egenkontroll/punkt/5?lang=en")
    assert page.status_code == 200
    [details] = _swedish_details(page.text)
    with catalogue.use("en"):
        assert details.findtext("summary") == gettext("Visa på svenska")
    [swedish] = details.xpath(".//*[@lang='sv']")
    words = " ".join(swedish.text_content().split())
    assert point["title_sv"] in words
    assert all(" ".join(criterion["text"].split()) in words for criterion in point["criteria"])

    in_swedish = await scenario.owner.get(f"/arenden/{scenario.case_id}/egenkontroll/punkt/5?lang=sv")
    assert _swedish_details(in_swedish.text) == []
    assert "Visa på svenska" not in in_swedish.text


async def test_representation_pages_are_marked(world: World, pseudo_language: str) -> None:
    """The owner's page for acting for the company, its errors, the invitation to act for it, and
    the kommun's case page with the representatives and a fullmakt asked for."""
    s = await Scenario.create(world)
    page = f"/butiker/{s.business_id}/foretradare"
    await marked(s.owner, f"/butiker/{s.business_id}")  # asked to state the basis
    await marked(s.owner, page)
    no_choice = await posted(s.owner, page, page, {})
    assert no_choice.status_code == 400 and errors_in(no_choice.text)
    assert_marked("representation, no basis", no_choice.text)
    no_file = await posted(s.owner, page, page, {"grund": "ombud"})
    assert no_file.status_code == 400 and errors_in(no_file.text)
    assert_marked("representation, no fullmakt", no_file.text)
    stated = await posted(
        s.owner, page, page, {"grund": "ombud"}, files=[("fullmakt", ("fullmakt.png", PNG, "image/png"))]
    )
    assert stated.status_code == 303
    data = [*DATA, "fullmakt.png"]
    await marked(s.owner, stated.headers["location"], data=data)
    invited = await posted(s.owner, page, f"{page}/bjud-in", {"e-post": "kollega@example.se"})
    assert invited.status_code == 303
    await marked(s.owner, invited.headers["location"], data=data)
    mail = next(
        m for m in await ok(await s.kommun.get("/api/outbox")) if m["kind"] == "representative_invitation"
    )
    token = next(line for line in mail["body_text"].splitlines() if "/inbjudan/" in line).rsplit("/", 1)[1]
    await marked(world.new_client(), f"/inbjudan/{token}", data=data)
    await marked(s.owner, f"/inbjudan/{token}", data=data)

    await s.to_state("submitted")
    [me] = await ok(await s.owner.get(f"/api/businesses/{s.business_id}/representatives"))
    await ok(
        await s.kommun.post(f"/api/applications/{s.case_id}/representatives/{me['id']}/ask-for-fullmakt")
    )
    await marked(s.kommun, f"/kommun/arenden/{s.case_id}?klart=fullmakt-begard", data=data)
    await marked(s.owner, f"/butiker/{s.business_id}", data=data)
