"""The kommun's settings page for its staff's log-in (/kommun/inloggning), against the real
provider of tests/oidc: what `certify kommun-login` sets, set by a kommun user for his own kommun,
with the same refusals, and none that would lock the kommun out silently."""

# ruff: noqa: F811 - the tests take the staff log-in tests' fixtures, imported below, as parameters

from __future__ import annotations

import logging

import httpx
import lxml.html
import pytest

from certify.domain.status import Role
from certify.services import accounts, staff_login
from certify.tables import Event, KommunLogin
from tests.conftest import PASSWORD, World
from tests.integration.pages import errors_in, submit
from tests.integration.test_staff_login import (  # noqa: F401 - fixtures
    BORLANGE,
    FALUN,
    _me,
    log_in_at,
    oidc_provider,
    provider,
    provider_browser,
)
from tests.oidc.provider import INSPECTOR_GROUP, KOMMUN_GROUP, STAFF_CLIENTS, RunningProvider
from tests.pseudo import PSEUDO, assert_page_marked

PAGE = "/kommun/inloggning"
CLIENT_ID, SECRET = STAFF_CLIENTS[BORLANGE]


def _form(provider: RunningProvider, **changes: str) -> dict[str, str]:
    form = {
        "issuer": provider.issuer,
        "client_id": CLIENT_ID,
        "client_secret": SECRET,
        "groups_claim": "groups",
        "kommun_group": KOMMUN_GROUP,
        "inspector_group": INSPECTOR_GROUP,
        "password_login": "1",
    }
    form.update(changes)
    return {name: value for name, value in form.items() if value is not None}


def _value(html: str, name: str) -> str:
    found = lxml.html.document_fromstring(html).xpath(f"//input[@name='{name}']/@value")
    return str(found[0]) if found else ""


async def _save(client: httpx.AsyncClient, data: dict[str, str]) -> httpx.Response:
    return await submit(client, PAGE, PAGE, data)


@pytest.fixture
async def borlange(world: World) -> httpx.AsyncClient:
    """A kommun user of Borlänge, logged in with his password; Falun exists too."""
    await world.kommun()
    await world.kommun(FALUN, "Falu kommun")
    return await world.login(await world.user(Role.kommun, [BORLANGE]))


async def test_a_kommun_user_connects_the_provider_and_the_secret_never_comes_back(
    world: World, borlange: httpx.AsyncClient, provider: RunningProvider, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)  # every library at the level a server logs at
    caplog.set_level(logging.DEBUG, logger="certify")  # and all of certify's own lines
    empty = await borlange.get(PAGE)
    assert empty.status_code == 200 and "Inte ansluten" in empty.text
    assert (
        f"{provider.base_url}/personal/tillbaka" in empty.text
        and f"{provider.base_url}/utloggad" in empty.text
    )

    saved = await _save(borlange, _form(provider))
    assert (saved.status_code, saved.headers["location"]) == (303, f"{PAGE}?klart=sparad")
    shown = await borlange.get(saved.headers["location"])
    assert "Inställningarna för inloggningen är sparade" in shown.text
    assert _value(shown.text, "issuer") == provider.issuer and _value(shown.text, "client_id") == CLIENT_ID
    assert _value(shown.text, "kommun_group") == KOMMUN_GROUP and "En hemlighet är sparad" in shown.text
    assert SECRET not in shown.text

    kept = await _save(borlange, _form(provider, client_secret="", inspector_group=""))
    assert kept.status_code == 303
    connected = await staff_login.provider_of(await staff_login.kommun_id_of(BORLANGE))
    assert connected is not None and connected.client_secret == SECRET and connected.inspector_group == ""
    assert not connected.password_login_off
    assert SECRET not in caplog.text  # nor in any log line
    me = (await borlange.get("/api/me")).json()["id"]
    trail = (
        await Event.select(Event.actor, Event.detail)
        .where(Event.action == "kommun_login_changed")
        .order_by(Event.id)
        .output(load_json=True)
        .run()
    )
    assert [(row["actor"], row["detail"]["changed"]) for row in trail] == [
        (
            me,
            [
                "client_id",
                "client_secret",
                "groups_claim",
                "inspector_group",
                "issuer",
                "kommun_group",
                "password_login_off",
            ],
        ),
        (me, ["inspector_group"]),
    ]
    assert SECRET not in str(trail)

    # Connected through the page, it works: the log-in page offers it and Karin logs in.
    assert "Logga in som personal i Borlänge kommun" in (await world.new_client().get("/logga-in")).text


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"issuer": "http://login.example.se"}, "issuer"),
        ({"issuer": ""}, "issuer"),
        ({"client_id": ""}, "client_id"),
        ({"kommun_group": "x" * 256}, "kommun_group"),
    ],
)
async def test_a_wrong_field_is_refused_naming_it(
    borlange: httpx.AsyncClient, provider: RunningProvider, changes: dict[str, str], field: str
) -> None:
    refused = await _save(borlange, _form(provider, **changes))
    assert refused.status_code == 400, refused.text
    page = lxml.html.document_fromstring(refused.text)
    assert page.xpath(f"//input[@id='f-{field}'][@aria-invalid='true']")
    assert errors_in(refused.text) and await KommunLogin.count() == 0
    assert SECRET not in refused.text  # the secret typed is not put back in the form


async def test_password_login_goes_off_only_through_a_proven_provider(
    world: World, borlange: httpx.AsyncClient, provider: RunningProvider, log_in_at
) -> None:
    without_provider = await _save(borlange, {"password_login": ""})
    assert without_provider.status_code == 422
    assert "först när kommunens egen inloggning är ansluten" in " ".join(errors_in(without_provider.text))
    assert await KommunLogin.count() == 0

    unproven = await _save(borlange, _form(provider, password_login=None))
    assert unproven.status_code == 422 and "Logga först in via kommunens egen inloggning" in unproven.text
    assert await KommunLogin.count() == 0  # nothing half-written
    assert (await _save(borlange, _form(provider))).status_code == 303

    colleague_id = await world.user(Role.kommun, [BORLANGE])
    colleague = await world.login(colleague_id)
    response, karin = await log_in_at(await staff_login.kommun_id_of(BORLANGE), "karin")
    assert response.status_code == 303
    switched = await _save(karin, _form(provider, client_secret="", password_login=None))
    assert switched.status_code == 303, switched.text
    page = lxml.html.document_fromstring((await karin.get(PAGE)).text)
    assert not page.xpath("//input[@name='password_login'][@checked]")
    assert (await _me(borlange), await _me(colleague), await _me(karin)) == (401, 401, 200)
    changed = await _save(karin, _form(provider, kommun_group="another-group", password_login=None))
    assert changed.status_code == 422 and "Slå först på inloggningen med lösenord" in changed.text
    kept = await staff_login.provider_of(await staff_login.kommun_id_of(BORLANGE))
    assert kept is not None and kept.kommun_group == KOMMUN_GROUP
    again = await world.new_client().post(
        "/api/auth/login", json={"email": (await accounts.get_user(colleague_id)).email, "password": PASSWORD}
    )
    assert again.status_code == 403


async def test_each_kommun_sees_and_sets_only_its_own(
    world: World, borlange: httpx.AsyncClient, provider: RunningProvider
) -> None:
    assert (await _save(borlange, _form(provider))).status_code == 303
    falun = await world.login(await world.user(Role.kommun, [FALUN]))
    page = await falun.get(PAGE)
    assert "Inte ansluten" in page.text and provider.issuer not in page.text and CLIENT_ID not in page.text
    falun_id, secret = STAFF_CLIENTS[FALUN]
    assert (await _save(falun, _form(provider, client_id=falun_id, client_secret=secret))).status_code == 303
    borlange_row = await staff_login.provider_of(await staff_login.kommun_id_of(BORLANGE))
    assert borlange_row is not None and borlange_row.client_id == CLIENT_ID
    inspector = await world.login(await world.user(Role.inspector, [BORLANGE]))
    assert (await inspector.get(PAGE)).status_code == 403


async def test_disconnecting_needs_a_kommun_user_with_a_password(
    world: World, provider: RunningProvider, log_in_at
) -> None:
    await world.kommun()
    kommun_id = await staff_login.kommun_id_of(BORLANGE)
    await staff_login.configure(
        kommun_id,
        issuer=provider.issuer,
        client_id=CLIENT_ID,
        client_secret=SECRET,
        kommun_group=KOMMUN_GROUP,
    )
    _, karin = await log_in_at(kommun_id, "karin")  # her account has no password
    refused = await submit(karin, PAGE, f"{PAGE}/koppla-bort")
    assert refused.status_code == 422 and "Ge minst en handläggare i kommunen ett lösenord" in refused.text
    assert await staff_login.provider_of(kommun_id) is not None

    colleague = await world.login(await world.user(Role.kommun, [BORLANGE]))  # has a password
    done = await submit(colleague, PAGE, f"{PAGE}/koppla-bort")
    assert (done.status_code, done.headers["location"]) == (303, f"{PAGE}?klart=bortkopplad")
    assert await staff_login.provider_of(kommun_id) is None
    assert "Kommunens egen inloggning är bortkopplad" in (await colleague.get(done.headers["location"])).text


async def test_every_word_of_the_page_is_from_the_catalogue(
    borlange: httpx.AsyncClient, provider: RunningProvider, pseudo_language: str
) -> None:
    data = [provider.base_url + "/personal/tillbaka", provider.base_url + "/utloggad", "Borlänge kommun"]
    empty = await borlange.get(f"{PAGE}?lang={PSEUDO}")
    assert_page_marked("the empty settings page", empty.text, data=data)
    refused = await borlange.post(
        f"{PAGE}?lang={PSEUDO}",
        data={"_csrf_token": borlange.cookies.get("csrftoken") or "", "issuer": "http://x.example"},
    )
    assert refused.status_code == 400
    assert_page_marked("a refused save", refused.text, data=[*data, "http://x.example"])
    await staff_login.configure(
        await staff_login.kommun_id_of(BORLANGE),
        issuer=provider.issuer,
        client_id=CLIENT_ID,
        client_secret=SECRET,
        kommun_group=KOMMUN_GROUP,
    )
    connected = await borlange.get(f"{PAGE}?lang={PSEUDO}&klart=sparad")
    assert_page_marked(
        "the connected page", connected.text, data=[*data, provider.issuer, CLIENT_ID, KOMMUN_GROUP, "groups"]
    )
    unproven = await borlange.post(
        f"{PAGE}?lang={PSEUDO}", data={"_csrf_token": borlange.cookies.get("csrftoken") or ""}
    )
    assert unproven.status_code == 422
    assert_page_marked("a refused switch", unproven.text, data=[*data, "groups"])
