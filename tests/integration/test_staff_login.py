"""Staff log-in through each kommun's own OpenID provider, against a real provider
(tests/oidc/provider.mjs: one client per kommun, a `groups` claim in the ID token).

Borlänge (2081) and Falun (2080) each connect a client at the same provider, as two kommuner's
Entra IDs would be two registrations; what one kommun's provider says never reaches the other.
"""

from __future__ import annotations

import inspect
import re
import socket
import types
from collections.abc import AsyncIterator, Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import lxml.html
import pytest
from click.testing import CliRunner

from certify.cli import main
from certify.domain.errors import InvalidField, RuleNotMet
from certify.domain.status import Role
from certify.services import accounts, oidc, sessions, staff_login
from certify.services.actor import Actor
from certify.settings import Settings
from certify.tables import Account, Event, InspectorKommun, Session, StaffIdentity
from certify.web.pages.staff_login import REFUSALS
from tests.conftest import PASSWORD, ClientFactory, World
from tests.integration.pages import submit
from tests.integration.scenario import ok, shop_fields
from tests.oidc.provider import (
    INSPECTOR_GROUP,
    KOMMUN_GROUP,
    PEOPLE,
    STAFF_CLIENTS,
    RunningProvider,
    asks_to_log_in,
    log_out_at_provider,
    oidc_provider,  # noqa: F401 - the fixture
    through_provider,
)
from tests.pseudo import PSEUDO, assert_all_marked, assert_page_marked

BORLANGE, FALUN = "2081", "2080"


@pytest.fixture
async def provider_browser() -> AsyncIterator[ClientFactory]:
    made: list[httpx.AsyncClient] = []

    def make() -> httpx.AsyncClient:
        made.append(httpx.AsyncClient(timeout=10))
        return made[-1]

    yield make
    for client in made:
        await client.aclose()


@pytest.fixture
def provider(oidc_provider: RunningProvider) -> Iterator[RunningProvider]:  # noqa: F811
    """The provider; any person a test changed there is as before afterwards."""
    yield oidc_provider
    for login in ("karin", "ivar", "nils", "falun-staff"):
        oidc_provider.set_person(login, PEOPLE[login])


async def connect(provider: RunningProvider, code: str, **options: object) -> staff_login.Provider:
    client_id, secret = STAFF_CLIENTS[code]
    return await staff_login.configure(
        await staff_login.kommun_id_of(code),
        issuer=provider.issuer,
        client_id=client_id,
        client_secret=secret,
        kommun_group=KOMMUN_GROUP,
        inspector_group=INSPECTOR_GROUP,
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture
async def kommuner(world: World, provider: RunningProvider) -> dict[str, int]:
    """Borlänge and Falun, both with their own provider connected; code -> kommun id."""
    await world.kommun()
    await world.kommun(FALUN, "Falu kommun")
    return {code: (await connect(provider, code)).kommun_id for code in (BORLANGE, FALUN)}


async def provider_login(
    certify: httpx.AsyncClient, browser: httpx.AsyncClient, kommun_id: int, login: str, base_url: str
) -> httpx.Response:
    """Start at certify, go through the provider as `login`, and come back to certify."""
    started = await certify.get(f"/personal/logga-in/{kommun_id}")
    assert started.status_code == 303, started.text
    back = httpx.URL(await through_provider(browser, started.headers["location"], login, base_url))
    return await certify.get(f"{back.path}?{back.query.decode()}")


@pytest.fixture
def log_in_at(new_client: ClientFactory, provider_browser: ClientFactory, provider: RunningProvider):  # type: ignore[no-untyped-def]
    async def go(
        kommun_id: int, login: str, certify: httpx.AsyncClient | None = None
    ) -> tuple[httpx.Response, httpx.AsyncClient]:
        client = certify or new_client()
        return await provider_login(client, provider_browser(), kommun_id, login, provider.base_url), client

    return go


async def _me(client: httpx.AsyncClient) -> int:
    return (await client.get("/api/me")).status_code


async def test_a_kommun_user_logs_in_and_sees_only_his_kommuns_cases(
    world: World, kommuner: dict[str, int], log_in_at
) -> None:
    _, owner = await world.client_for(Role.owner)
    cases = {}
    for code, name in ((BORLANGE, "Borlänge Järn"), (FALUN, "Falu Tobak")):
        shop = await ok(
            await owner.post(
                "/api/businesses", json={**shop_fields(int(code)), "name": name, "kommun_code": code}
            ),
            201,
        )
        cases[code] = (await ok(await owner.post(f"/api/businesses/{shop['id']}/applications"), 201))["id"]
    page = await world.new_client().get("/logga-in")
    assert "Logga in som personal i Borlänge kommun" in page.text
    assert "Logga in som personal i Falu kommun" in page.text

    response, karin = await log_in_at(kommuner[BORLANGE], "karin")
    assert (response.status_code, response.headers["location"]) == (303, "/kommun/arenden"), response.text
    account = await Account.select().where(Account.email == "karin@borlange.se").first().run()
    assert (account["role"], account["kommun"], account["name"]) == (
        "kommun",
        kommuner[BORLANGE],
        "Karin Handläggare",
    )
    listed = await karin.get("/kommun/arenden")
    assert listed.status_code == 200 and "Borlänge Järn" in listed.text and "Falu Tobak" not in listed.text
    assert (await karin.get(f"/api/applications/{cases[BORLANGE]}")).status_code == 200
    assert (await karin.get(f"/api/applications/{cases[FALUN]}")).status_code in (403, 404)

    again, _ = await log_in_at(kommuner[BORLANGE], "karin")  # the same person: the same account
    assert again.status_code == 303
    assert await Account.count().where(Account.email == "karin@borlange.se") == 1
    assert await StaffIdentity.count() == 1


async def test_an_inspector_is_created_serving_the_kommun_and_may_use_any_of_his_kommuner(
    kommuner: dict[str, int], log_in_at
) -> None:
    response, _ivar = await log_in_at(kommuner[BORLANGE], "ivar")
    assert (response.status_code, response.headers["location"]) == (303, "/besiktningar")
    account_id = (await Account.select(Account.id).where(Account.email == "ivar@polisen.se").first().run())[
        "id"
    ]
    assert await InspectorKommun.count().where(InspectorKommun.inspector == account_id) == 1
    refused, _ = await log_in_at(kommuner[FALUN], "ivar")  # not (yet) serving Falun
    assert refused.status_code == 403
    await InspectorKommun.insert(InspectorKommun(inspector=account_id, kommun=kommuner[FALUN])).run()
    # Serving Falun too, he is still not linked to Falun's provider of itself: Falun's provider
    # would reach what he may do in Borlänge. An administrator links him.
    not_linked, client = await log_in_at(kommuner[FALUN], "ivar")
    assert not_linked.status_code == 403 and "används i fler kommuner" in not_linked.text
    assert await _me(client) == 401
    await StaffIdentity.insert(
        StaffIdentity(kommun=kommuner[FALUN], subject="ivar", account=account_id)
    ).run()
    through_falun, client = await log_in_at(kommuner[FALUN], "ivar")
    assert through_falun.status_code == 303
    assert (await client.get("/api/me")).json()["id"] == account_id


async def test_an_address_the_provider_did_not_verify_links_no_account(
    provider: RunningProvider, kommuner: dict[str, int], log_in_at
) -> None:
    karin_id = await accounts.create_account(
        email="karin@borlange.se",
        name="Karin H",
        role=Role.kommun,
        password=PASSWORD,
        kommun_codes=[BORLANGE],
    )
    unverified = {key: value for key, value in PEOPLE["karin"].items() if key != "email_verified"}
    for claims in (unverified, {**unverified, "email_verified": False}):
        provider.set_person("karin", claims)
        refused, client = await log_in_at(kommuner[BORLANGE], "karin")
        assert refused.status_code == 403 and "inte bekräftat din e-postadress" in refused.text
        assert await _me(client) == 401
        assert await StaffIdentity.count() == 0
    provider.set_person("karin", PEOPLE["karin"])
    linked, client = await log_in_at(kommuner[BORLANGE], "karin")
    assert linked.status_code == 303 and (await client.get("/api/me")).json()["id"] == karin_id


async def test_an_account_linked_at_the_kommun_gets_no_second_subject(
    provider: RunningProvider, kommuner: dict[str, int], log_in_at
) -> None:
    """Another person at the kommun's provider who claims the same (verified) address is not let in."""
    first, _ = await log_in_at(kommuner[BORLANGE], "karin")
    assert first.status_code == 303
    provider.set_person("karin-again", PEOPLE["karin"])
    refused, client = await log_in_at(kommuner[BORLANGE], "karin-again")
    assert refused.status_code == 403 and "redan kopplat här" in refused.text
    assert await _me(client) == 401
    assert await StaffIdentity.count() == 1


async def test_a_person_without_the_group_is_not_created(kommuner: dict[str, int], log_in_at) -> None:
    response, client = await log_in_at(kommuner[BORLANGE], "nils")
    assert response.status_code == 403 and "Fråga kommunens administratör" in response.text
    assert await _me(client) == 401
    assert await Account.count().where(Account.email == "nils@borlange.se") == 0


async def test_password_login_switched_off_refuses_the_kommuns_staff(
    world: World, provider: RunningProvider, kommuner: dict[str, int], log_in_at
) -> None:
    karin_id = await accounts.create_account(
        email="karin@borlange.se",
        name="Karin H",
        role=Role.kommun,
        password=PASSWORD,
        kommun_codes=[BORLANGE],
    )
    inspector_id = await world.user(Role.inspector, kommun_codes=[BORLANGE, FALUN])
    inspector_email = (await accounts.get_user(inspector_id)).email

    async def password_login(email: str) -> httpx.Response:
        return await world.new_client().post("/api/auth/login", json={"email": email, "password": PASSWORD})

    assert (await password_login("karin@borlange.se")).status_code == 200
    await connect(provider, BORLANGE, password_login_off=True)
    refused = await password_login("karin@borlange.se")
    assert refused.status_code == 403 and "stängt av inloggning med lösenord" in refused.text
    form_page = await submit(
        world.new_client(), "/logga-in", "/logga-in", {"email": "karin@borlange.se", "password": PASSWORD}
    )
    assert form_page.status_code == 403 and "stängt av inloggning med lösenord" in form_page.text

    # The inspector serves Falun too, where passwords still work.
    assert (await password_login(inspector_email)).status_code == 200
    await connect(provider, FALUN, password_login_off=True)
    assert (await password_login(inspector_email)).status_code == 403

    response, karin = await log_in_at(kommuner[BORLANGE], "karin")  # the provider: the same account
    assert response.status_code == 303
    assert (await karin.get("/api/me")).json()["id"] == karin_id


async def test_losing_the_group_refuses_the_next_login_and_ends_open_sessions(
    provider: RunningProvider, kommuner: dict[str, int], log_in_at
) -> None:
    _, first = await log_in_at(kommuner[BORLANGE], "karin")
    assert await _me(first) == 200
    provider.set_person("karin", {**PEOPLE["karin"], "groups": ["alla"]})
    refused, second = await log_in_at(kommuner[BORLANGE], "karin")
    assert refused.status_code == 403
    assert await _me(second) == 401
    assert await _me(first) == 401  # the session opened before ended too


async def test_a_provider_session_lasts_at_most_the_bound(
    world: World, kommuner: dict[str, int], log_in_at, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, karin = await log_in_at(kommuner[BORLANGE], "karin")
    _owner_id, owner = await world.client_for(Role.owner)  # a password session, for contrast
    row = (
        await Session.select(Session.created_at, Session.ends_at)
        .where(Session.ends_at.is_not_null())
        .first()
        .run()
    )
    hours = (row["ends_at"] - row["created_at"]).total_seconds() / 3600
    assert round(hours, 2) == settings.staff_session_hours
    assert await _me(karin) == 200
    later = row["ends_at"].timestamp() + 1
    monkeypatch.setattr(sessions, "time", types.SimpleNamespace(time=lambda: later))
    assert await _me(karin) == 401
    assert await _me(owner) == 200  # idle less than SESSION_MAX_AGE: still on
    assert await Session.count().where(Session.ends_at.is_not_null()) == 0


async def test_kommun_a_provider_cannot_log_anyone_into_kommun_b(kommuner: dict[str, int], log_in_at) -> None:
    fia_id = await accounts.create_account(
        email="fia@falun.se", name="Fia", role=Role.kommun, password=PASSWORD, kommun_codes=[FALUN]
    )
    refused, client = await log_in_at(kommuner[BORLANGE], "falun-staff")  # Borlänge's provider
    assert refused.status_code == 403 and await _me(client) == 401
    assert await StaffIdentity.count() == 0
    through_falun, fia = await log_in_at(kommuner[FALUN], "falun-staff")
    assert through_falun.status_code == 303 and (await fia.get("/api/me")).json()["id"] == fia_id

    await log_in_at(kommuner[BORLANGE], "karin")  # karin: Borlänge's staff
    at_falun, other = await log_in_at(kommuner[FALUN], "karin")
    assert at_falun.status_code == 403 and await _me(other) == 401


async def test_a_code_from_another_kommuns_client_is_refused(
    kommuner: dict[str, int],
    new_client: ClientFactory,
    provider_browser: ClientFactory,
    provider: RunningProvider,
) -> None:
    """The flow began for Borlänge; a code the provider issued to Falun's client is no good."""
    certify = new_client()
    started = await certify.get(f"/personal/logga-in/{kommuner[BORLANGE]}")
    url = httpx.URL(started.headers["location"]).copy_set_param("client_id", STAFF_CLIENTS[FALUN][0])
    back = httpx.URL(await through_provider(provider_browser(), str(url), "karin", provider.base_url))
    response = await certify.get(f"{back.path}?{back.query.decode()}")
    assert response.status_code == 400 and await _me(certify) == 401
    assert "godkände inte inloggningen" in response.text  # the provider refused the code


def test_the_cli_sets_shows_and_clears_a_kommuns_login() -> None:
    runner = CliRunner(env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "sv_SE.UTF-8"})
    assert runner.invoke(main, ["add-kommun", "--code", "2081", "--name", "Borlänge kommun"]).exit_code == 0
    unknown = runner.invoke(
        main, ["kommun-login", "set", "--kommun", "9999", "--issuer", "https://x.example"]
    )
    assert unknown.exit_code == 1 and unknown.output.strip().count("\n") == 0 and "9999" in unknown.output
    first = runner.invoke(main, ["kommun-login", "set", "--kommun", "2081", "--issuer", "https://x.example"])
    assert first.exit_code == 1 and "klient-id (client id)" in first.output
    done = runner.invoke(
        main,
        [
            "kommun-login",
            "set",
            "--kommun",
            "2081",
            "--issuer",
            "https://login.example/tenant/v2.0/",
            "--client-id",
            "abc",
            "--kommun-group",
            "G1",
            "--no-password-login",
        ],
        env={"CERTIFY_CLIENT_SECRET": "s3cret"},
    )
    assert done.exit_code == 0, done.output
    shown = runner.invoke(main, ["kommun-login", "show", "--kommun", "2081"])
    assert "https://login.example/tenant/v2.0\n" in shown.output and "avstängd" in shown.output
    assert "s3cret" not in shown.output
    cleared = runner.invoke(main, ["kommun-login", "clear", "--kommun", "2081"])
    assert cleared.exit_code == 0
    assert "ingen egen inloggning" in runner.invoke(main, ["kommun-login", "show", "--kommun", "2081"]).output


async def test_every_word_of_the_staff_login_is_from_the_catalogue(
    world: World, kommuner: dict[str, int], log_in_at, pseudo_language: str
) -> None:
    page = await world.new_client().get(f"/logga-in?lang={PSEUDO}")
    section = lxml.html.document_fromstring(page.text).xpath("//section[@class='staff-login']")
    assert section
    assert_page_marked(
        "the staff log-in buttons",
        lxml.html.tostring(section[0], encoding="unicode"),
        data=["Borlänge kommun", "Falu kommun"],
    )
    refused = await world.new_client().get(f"/personal/tillbaka?state=x&code=y&lang={PSEUDO}")
    main_part = lxml.html.document_fromstring(refused.text).xpath("//main")[0]
    assert_page_marked("the staff refusal page", lxml.html.tostring(main_part, encoding="unicode"))
    await accounts.create_account(
        email="karin@borlange.se",
        name="Karin H",
        role=Role.kommun,
        password=PASSWORD,
        kommun_codes=[BORLANGE],
    )
    await staff_login.configure(kommuner[BORLANGE], password_login_off=True)
    api = await world.new_client().post(
        f"/api/auth/login?lang={PSEUDO}", json={"email": "karin@borlange.se", "password": PASSWORD}
    )
    assert api.status_code == 403
    assert_all_marked("the password refusal", api.json()["detail"])


def test_every_refusal_is_worded() -> None:
    """Every reason the protocol or the staff rules refuse for has its sentence."""
    source = inspect.getsource(oidc) + inspect.getsource(staff_login)
    reasons = set(re.findall(r'Refused\("([a-z_]+)"', source))
    assert {"code", "id_token", "no_group", "role", "email"} <= reasons <= set(REFUSALS)


@pytest.mark.parametrize("issuer", ["http://login.example.se", "ftp://login.example.se", "https://"])
async def test_a_kommuns_issuer_must_be_https(world: World, issuer: str) -> None:
    """The same rule as CERTIFY_EID_ISSUER: plain http only on loopback, for tests."""
    await world.kommun()
    with pytest.raises(InvalidField):
        await staff_login.configure(
            await staff_login.kommun_id_of(BORLANGE), issuer=issuer, client_id="certify", client_secret="s"
        )
    assert await staff_login.provider_of(await staff_login.kommun_id_of(BORLANGE)) is None


def test_a_providers_secret_is_not_in_its_repr() -> None:
    provider = staff_login.Provider(
        1, "2081", "Borlänge kommun", "https://i", "c", "s3cret", "g", "k", "i", False
    )
    assert "s3cret" not in repr(provider)


async def test_a_kommuns_provider_out_of_reach_is_a_worded_page(
    world: World, new_client: ClientFactory
) -> None:
    await world.kommun()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again when the block ends: nothing listens there
    connected = await staff_login.configure(
        await staff_login.kommun_id_of(BORLANGE),
        issuer=f"http://127.0.0.1:{port}",
        client_id="certify-borlange",
        client_secret="s",
    )
    response = await new_client().get(f"/personal/logga-in/{connected.kommun_id}")
    assert response.status_code == 503 and "Vi når inte kommunens inloggningstjänst" in response.text


async def test_switching_password_login_off_ends_the_staffs_password_sessions_only(
    world: World, provider: RunningProvider, kommuner: dict[str, int], log_in_at
) -> None:
    by_password = await world.login(await world.user(Role.kommun, [BORLANGE]))
    inspector = await world.login(await world.user(Role.inspector, [BORLANGE, FALUN]))
    falun_user = await world.login(await world.user(Role.kommun, [FALUN]))
    _, owner = await world.client_for(Role.owner)
    _, karin = await log_in_at(kommuner[BORLANGE], "karin")  # through the provider

    await connect(provider, BORLANGE, password_login_off=True)
    assert await _me(by_password) == 401
    assert await _me(karin) == 200
    assert await _me(inspector) == 200  # Falun still lets him in with his password
    assert (await _me(falun_user), await _me(owner)) == (200, 200)
    await connect(provider, FALUN, password_login_off=True)
    assert (await _me(inspector), await _me(falun_user), await _me(owner)) == (401, 401, 200)


async def _refusal(work: object) -> str:
    with pytest.raises(RuleNotMet) as refused:
        await work  # type: ignore[misc]
    return refused.value.code


async def test_password_login_is_switched_off_only_with_a_provider_that_was_proven(
    world: World, provider: RunningProvider
) -> None:
    await world.kommun()
    await world.kommun(FALUN, "Falu kommun")
    kommun_id, falun_id = await staff_login.kommun_id_of(BORLANGE), await staff_login.kommun_id_of(FALUN)
    user_id = await world.user(Role.kommun, [BORLANGE])

    def as_user(began: sessions.Began) -> staff_login.KommunUser:
        actor = Actor(id=user_id, email="k@borlange.se", name="K", role=Role.kommun, kommun_id=kommun_id)
        return staff_login.KommunUser(actor, began)

    nothing = await _refusal(staff_login.configure(kommun_id, password_login_off=True))
    assert nothing == "password_login_needs_provider"
    assert await staff_login.provider_of(kommun_id) is None
    client_id, secret = STAFF_CLIENTS[BORLANGE]
    await staff_login.configure(kommun_id, issuer=provider.issuer, client_id=client_id, client_secret=secret)
    no_group = await _refusal(staff_login.configure(kommun_id, password_login_off=True))
    assert no_group == "password_login_needs_provider"  # nobody would be a kommun user

    await staff_login.configure(kommun_id, kommun_group=KOMMUN_GROUP)
    for began in (
        sessions.PASSWORD,
        sessions.Began(sessions.Via.kommun, falun_id),
        sessions.Began(sessions.Via.eid),
    ):
        unproven = await _refusal(
            staff_login.configure(kommun_id, password_login_off=True, by=as_user(began))
        )
        assert unproven == "password_login_off_unproven"
    assert not (await staff_login.provider_of(kommun_id)).password_login_off  # type: ignore[union-attr]
    proven = sessions.Began(sessions.Via.kommun, kommun_id)
    assert (
        await staff_login.configure(kommun_id, password_login_off=True, by=as_user(proven))
    ).password_login_off
    emptied = await _refusal(staff_login.configure(kommun_id, kommun_group="", by=as_user(sessions.PASSWORD)))
    assert emptied == "password_login_needs_provider"
    again = await staff_login.configure(kommun_id, inspector_group="x", by=as_user(sessions.PASSWORD))
    assert again.password_login_off and again.inspector_group == "x"  # already off: no proof asked again

    # While it stays off, a kommun user changes nothing the log-in depends on: an untried change
    # could lock everyone out. He switches password log-in on to change it; the command line may.
    for change in ({"client_secret": "new"}, {"issuer": "https://other.example"}, {"kommun_group": "G2"}):
        locked = await _refusal(staff_login.configure(kommun_id, **change, by=as_user(proven)))  # type: ignore[arg-type]
        assert locked == "kommun_login_change_while_off", change
    assert (await staff_login.provider_of(kommun_id)).client_secret == secret  # type: ignore[union-attr]
    reopened = await staff_login.configure(
        kommun_id, client_secret="new", password_login_off=False, by=as_user(sessions.PASSWORD)
    )
    assert reopened.client_secret == "new" and not reopened.password_login_off
    await staff_login.configure(kommun_id, password_login_off=True)
    assert (await staff_login.configure(kommun_id, client_secret=secret)).client_secret == secret

    # Each change is in the audit trail: who (a kommun user, or the command line) and which
    # settings, never a value.
    trail = (
        await Event.select(Event.actor, Event.detail)
        .where(Event.action == "kommun_login_changed")
        .order_by(Event.id)
        .output(load_json=True)
        .run()
    )
    assert [(row["actor"], row["detail"]["changed"]) for row in trail][-3:] == [
        (user_id, ["client_secret", "password_login_off"]),
        (None, ["password_login_off"]),
        (None, ["client_secret"]),
    ]
    assert not any(secret in str(row["detail"]) or "new" in str(row["detail"]) for row in trail)


async def test_logging_out_ends_the_session_at_the_kommuns_provider(
    kommuner: dict[str, int],
    new_client: ClientFactory,
    provider_browser: ClientFactory,
    provider: RunningProvider,
) -> None:
    certify, browser = new_client(), provider_browser()
    await provider_login(certify, browser, kommuner[BORLANGE], "karin", provider.base_url)
    started = await certify.get(f"/personal/logga-in/{kommuner[BORLANGE]}")
    assert not await asks_to_log_in(browser, started.headers["location"], provider.base_url)

    logout = await submit(certify, "/kommun/arenden", "/logga-ut")
    assert logout.status_code == 303 and await _me(certify) == 401
    query = parse_qs(urlsplit(logout.headers["location"]).query)
    assert query["client_id"] == [STAFF_CLIENTS[BORLANGE][0]]
    assert query["post_logout_redirect_uri"] == [f"{provider.base_url}/utloggad"]
    back = urlsplit(await log_out_at_provider(browser, logout.headers["location"], provider.base_url))
    assert parse_qs(back.query)["state"] == query["state"]
    forged = await certify.get(f"{back.path}?state=not-the-state-sent")
    assert forged.headers["location"] == "/"  # no "you are logged out" for a state never sent
    done = await certify.get(f"{back.path}?{back.query}")
    assert (done.status_code, done.headers["location"]) == (303, "/")  # the state is used once

    certify = new_client()
    await provider_login(certify, browser, kommuner[BORLANGE], "karin", provider.base_url)
    logout = await submit(certify, "/kommun/arenden", "/logga-ut")
    back = urlsplit(await log_out_at_provider(browser, logout.headers["location"], provider.base_url))
    done = await certify.get(f"{back.path}?{back.query}")
    assert (done.status_code, done.headers["location"]) == (303, "/?klart=utloggad")
    started = await certify.get(f"/personal/logga-in/{kommuner[BORLANGE]}")
    assert await asks_to_log_in(browser, started.headers["location"], provider.base_url)


async def test_a_session_whose_provider_is_gone_logs_out_here_only(
    kommuner: dict[str, int], log_in_at, world: World
) -> None:
    _, karin = await log_in_at(kommuner[BORLANGE], "karin")
    await staff_login.clear(kommuner[BORLANGE])
    logout = await submit(karin, "/kommun/arenden", "/logga-ut")
    assert logout.headers["location"] == "/?klart=utloggad" and await _me(karin) == 401
