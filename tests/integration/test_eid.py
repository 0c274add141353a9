"""Log-in with e-legitimation against a real OpenID provider (tests/oidc/provider.mjs on loopback).

The browser is played by two HTTP clients: one talks to certify, one to the provider (each keeps
its own cookies, as a browser keeps them per site). Refused log-ins are tampered callbacks: the
wrong `state`, a code used twice, a different `nonce`, a code issued to another client, and ID
tokens forged between provider and certify (another key, expired, another audience or issuer).
"""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
import logging
import re
import socket
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import lxml.html
import pytest

from certify.app import create_app
from certify.domain.status import Role
from certify.services import eid as eid_service
from certify.settings import EidSettings, Settings
from certify.tables import ALL_TABLES, Account
from certify.web.pages.eid import FLOW_COOKIE, NEW_COOKIE, REFUSALS
from tests.conftest import ClientFactory, World
from tests.integration.pages import errors_in, submit
from tests.integration.scenario import shop_fields
from tests.integration.test_pages_owner import shop_form
from tests.oidc.provider import (
    ANNA,
    ANNA_NUMBER,
    BERTIL,
    BERTIL_NUMBER,
    CLIENT_ID,
    CLIENT_SECRET,
    OTHER_CLIENT_ID,
    RunningProvider,
    asks_to_log_in,
    log_out_at_provider,
    oidc_provider,  # noqa: F401 - the fixture
    running_provider,
    signing_key,
    through_provider,
)
from tests.pseudo import PSEUDO, assert_page_marked

BUTTON = "Logga in med e-legitimation"


@pytest.fixture
def settings(oidc_provider: RunningProvider) -> Settings:  # noqa: F811
    """The test settings, with the provider the suite started as the installation's e-legitimation."""
    return dataclasses.replace(
        Settings.from_env(),
        eid=EidSettings(issuer=oidc_provider.issuer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET),
    )


@pytest.fixture
async def provider_browser() -> AsyncIterator[ClientFactory]:
    """The person's browser at the provider (a fresh one per call: no provider session carried over)."""
    made: list[httpx.AsyncClient] = []

    def make() -> httpx.AsyncClient:
        made.append(httpx.AsyncClient(timeout=10))
        return made[-1]

    yield make
    for client in made:
        await client.aclose()


class Logs(logging.Handler):
    """Everything logged during a test, at every level, by certify and by the libraries."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.getMessage()} {record.exc_text or ''} {record.__dict__}")


@pytest.fixture
def logs() -> Iterator[Logs]:
    handler = Logs()
    loggers = [logging.getLogger(), logging.getLogger("certify")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield handler
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def _path(url: str) -> str:
    """certify's own address of a URL the provider sent the browser to (the test client is ASGI)."""
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path, parts.query, ""))


def _with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


@dataclasses.dataclass
class Person:
    """One person in one browser: certify's client and the provider's."""

    certify: httpx.AsyncClient
    provider: httpx.AsyncClient
    login: str
    base_url: str

    async def leave_for_provider(self, start: str = "/e-legitimation/logga-in") -> str:
        response = await self.certify.get(start)
        assert response.status_code == 303, response.text
        return response.headers["location"]

    async def come_back(self, authorization_url: str) -> str:
        """Through the provider; certify's callback path with code and state."""
        return _path(await through_provider(self.provider, authorization_url, self.login, self.base_url))

    async def log_in(self, start: str = "/e-legitimation/logga-in") -> httpx.Response:
        return await self.certify.get(await self.come_back(await self.leave_for_provider(start)))


@pytest.fixture
def person(
    new_client: ClientFactory,
    provider_browser: ClientFactory,
    oidc_provider: RunningProvider,  # noqa: F811
) -> Any:
    def make(login: str = ANNA, certify: httpx.AsyncClient | None = None) -> Person:
        return Person(certify or new_client(), provider_browser(), login, oidc_provider.base_url)

    return make


async def _first_login(person: Person, email: str = "anna@example.se") -> int:
    """The first log-in of a person: the provider, then the e-mail address, then the owner's home."""
    callback = await person.log_in()
    assert (callback.status_code, callback.headers["location"]) == (303, "/e-legitimation/nytt-konto")
    created = await submit(
        person.certify, "/e-legitimation/nytt-konto", "/e-legitimation/nytt-konto", {"email": email}
    )
    assert (created.status_code, created.headers["location"]) == (303, "/mina-butiker"), created.text
    row = await Account.select(Account.id).where(Account.email == email).first().run()
    assert row is not None
    return int(row["id"])


async def _is_logged_in(client: httpx.AsyncClient) -> bool:
    return (await client.get("/mina-butiker")).status_code == 200


async def _refused(response: httpx.Response, client: httpx.AsyncClient, words: str) -> None:
    """A clear page, no session, and no cookie left that could finish the log-in later."""
    assert response.status_code == 400, response.text
    message = lxml.html.document_fromstring(response.text).xpath("string(//div[@class='error-summary'])")
    assert "Inloggningen misslyckades" in response.text and words in message, message
    assert "certify_session" not in response.headers.get("set-cookie", "")
    assert not await _is_logged_in(client)
    assert client.cookies.get(FLOW_COOKIE, path="/e-legitimation") in (None, "")


async def test_the_whole_owner_flow_and_the_second_login(world: World, person: Any) -> None:
    await world.kommun()
    anna = person()
    login_page = await anna.certify.get("/logga-in")
    assert login_page.text.index(BUTTON) < login_page.text.index('name="password"')  # first on the page

    account_id = await _first_login(anna)
    account = await Account.select().where(Account.id == account_id).first().run()
    assert (account["name"], account["role"]) == ("Anna Andersson", "owner")
    assert account["eid_person_hash"] and len(account["eid_person_hash"]) == 64

    created = await submit(anna.certify, "/butiker/ny", "/butiker/ny", shop_form())
    assert created.status_code == 303
    shop_path = created.headers["location"].split("?")[0]
    case = await submit(anna.certify, shop_path, f"{shop_path}/ansokan")
    assert case.status_code == 303 and case.headers["location"].endswith("/egenkontroll")

    await _logs_out_at_the_provider(anna)

    again = person()  # another browser, another provider session: the same person
    second = await again.log_in()
    assert (second.status_code, second.headers["location"]) == (303, "/mina-butiker")
    shops = await again.certify.get("/mina-butiker")
    assert "Dala Livs" in shops.text
    assert await Account.count().where(Account.role == Role.owner.value) == 1


async def _logs_out_at_the_provider(anna: Person) -> None:
    """Logging out ends certify's session and, through the provider's end-session endpoint, the
    person's session there: the next log-in in this browser asks for the login again."""
    authorize = await anna.leave_for_provider()
    assert not await asks_to_log_in(anna.provider, authorize, anna.base_url)  # signed in there still
    logout = await submit(anna.certify, "/mina-butiker", "/logga-ut")
    assert not await _is_logged_in(anna.certify)
    end_session = urlsplit(logout.headers["location"])
    assert f"{end_session.scheme}://{end_session.netloc}{end_session.path}".endswith("/session/end")
    query = parse_qs(end_session.query)
    assert query["post_logout_redirect_uri"] == [f"{anna.base_url}/utloggad"]
    assert query["client_id"] == [CLIENT_ID] and query["state"][0]
    back = await log_out_at_provider(anna.provider, logout.headers["location"], anna.base_url)
    assert urlsplit(back).path == "/utloggad" and parse_qs(urlsplit(back).query)["state"] == query["state"]
    done = await anna.certify.get(_path(back))
    assert (done.status_code, done.headers["location"]) == (303, "/?klart=utloggad")
    assert await asks_to_log_in(anna.provider, await anna.leave_for_provider(), anna.base_url)


async def test_a_fresh_session_on_login(world: World, person: Any) -> None:
    """Logging in ends the session this browser had before: its old cookie opens nothing."""
    owner_id = await world.user(Role.owner)
    before = await world.login(owner_id)
    old = before.cookies.get("certify_session")
    assert (await before.get("/api/me")).status_code == 200
    anna = person(certify=before)
    await _first_login(anna)
    assert anna.certify.cookies.get("certify_session") != old
    assert (
        old
        and (
            await world.new_client().get("/api/me", headers={"cookie": f"certify_session={old}"})
        ).status_code
        == 401
    )


async def test_an_owner_links_e_legitimation_once(world: World, person: Any) -> None:
    owner_id = await world.user(Role.owner, name="Bertil Berg")
    client = await world.login(owner_id)
    account_page = await client.get("/mitt-konto")
    assert "Koppla e-legitimation" in account_page.text
    bertil = person(BERTIL, certify=client)
    linked = await bertil.log_in("/e-legitimation/koppla")
    assert (linked.status_code, linked.headers["location"]) == (303, "/mitt-konto")
    assert "Kontot är kopplat till din e-legitimation" in (await client.get("/mitt-konto")).text
    again = await client.get("/e-legitimation/koppla")
    assert again.status_code == 409 and "redan kopplat" in again.text

    elsewhere = person(BERTIL)
    login = await elsewhere.log_in()
    assert (login.status_code, login.headers["location"]) == (303, "/mina-butiker")
    me = await elsewhere.certify.get("/api/me")
    assert me.status_code == 200 and me.json()["id"] == owner_id


async def test_a_person_with_an_account_cannot_link_it_to_another(world: World, person: Any) -> None:
    await _first_login(person())
    owner_id = await world.user(Role.owner)
    client = await world.login(owner_id)
    refused = await person(ANNA, certify=client).log_in("/e-legitimation/koppla")
    assert refused.status_code == 409 and "hör redan till ett annat konto" in refused.text
    assert (await Account.select(Account.eid_person_hash).where(Account.id == owner_id).first().run())[
        "eid_person_hash"
    ] is None


async def test_staff_cannot_link_e_legitimation(world: World) -> None:
    await world.kommun()
    _, kommun = await world.client_for(Role.kommun)
    assert (await kommun.get("/e-legitimation/koppla")).status_code == 403


async def test_an_email_address_that_has_an_account_is_not_taken_over(world: World, person: Any) -> None:
    owner_id = await world.user(Role.owner)
    taken = (await Account.select(Account.email).where(Account.id == owner_id).first().run())["email"]
    anna = person()
    await anna.log_in()
    response = await submit(
        anna.certify, "/e-legitimation/nytt-konto", "/e-legitimation/nytt-konto", {"email": taken}
    )
    assert response.status_code == 422
    assert any("Logga in med lösenordet och koppla" in error for error in errors_in(response.text))
    assert not await _is_logged_in(anna.certify)
    assert await Account.count() == 1


async def test_wrong_state_is_refused(person: Any) -> None:
    anna = person()
    callback = await anna.come_back(await anna.leave_for_provider())
    response = await anna.certify.get(_with_query(callback, state="someone-elses-state"))
    await _refused(response, anna.certify, "kunde inte kopplas till den här webbläsaren")


async def test_a_callback_in_another_browser_is_refused(person: Any) -> None:
    """Log-in CSRF: a callback carried to a victim's browser, which never started the log-in."""
    anna = person()
    callback = await anna.come_back(await anna.leave_for_provider())
    victim = person()
    await _refused(await victim.certify.get(callback), victim.certify, "kunde inte kopplas")


async def test_a_replayed_code_is_refused(person: Any) -> None:
    anna = person()
    callback = await anna.come_back(await anna.leave_for_provider())
    flow = anna.certify.cookies.get(FLOW_COOKIE, path="/e-legitimation")
    assert flow
    first = await anna.certify.get(callback)
    assert first.status_code == 303
    thief = person()  # the code, the state and even the flow cookie copied
    replayed = await thief.certify.get(callback, headers={"cookie": f"{FLOW_COOKIE}={flow}"})
    await _refused(replayed, thief.certify, "kan redan ha använts")
    again = await anna.certify.get(callback)  # the same browser: its flow was used up
    assert again.status_code == 400


async def test_a_wrong_nonce_is_refused(person: Any) -> None:
    anna = person()
    authorization = _with_query(await anna.leave_for_provider(), nonce="a-nonce-certify-never-sent")
    response = await anna.certify.get(await anna.come_back(authorization))
    await _refused(response, anna.certify, "kunde inte bekräftas")


async def test_a_code_issued_to_another_client_is_refused(person: Any) -> None:
    anna = person()
    authorization = _with_query(await anna.leave_for_provider(), client_id=OTHER_CLIENT_ID)
    response = await anna.certify.get(await anna.come_back(authorization))
    await _refused(response, anna.certify, "godkände inte inloggningen")


@pytest.fixture
def forger(oidc_provider: RunningProvider) -> Iterator[RunningProvider]:  # noqa: F811
    """The provider, told afterwards to forge nothing: a test that failed before its forged token
    was fetched must not hand it to the next test."""
    yield oidc_provider
    oidc_provider.forge_nothing()


@pytest.mark.parametrize("forgery", ["other-key", "unknown-key", "expired", "audience", "issuer", "nonce"])
async def test_a_forged_id_token_is_refused(forgery: str, person: Any, forger: RunningProvider) -> None:
    anna = person()
    callback = await anna.come_back(await anna.leave_for_provider())
    forger.forge_next_id_token(forgery)
    await _refused(await anna.certify.get(callback), anna.certify, "kunde inte bekräftas")
    assert await Account.count() == 0


async def test_the_provider_refusing_or_cancelling_is_a_clear_page(person: Any) -> None:
    anna = person()
    callback = await anna.come_back(await anna.leave_for_provider())
    state = parse_qs(urlsplit(callback).query)["state"][0]
    response = await anna.certify.get(
        "/e-legitimation/tillbaka?" + urlencode({"error": "access_denied", "state": state})
    )
    await _refused(response, anna.certify, "avbröts")


@pytest.mark.parametrize(
    ("login", "words"), [("no-number", "inget personnummer"), ("nameless-number", "inget namn")]
)
async def test_a_person_the_provider_does_not_fully_name_is_refused(
    login: str, words: str, person: Any
) -> None:
    someone = person(login)
    await _refused(await someone.log_in(), someone.certify, words)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "http:/x"])
async def test_no_open_redirect_through_the_return_address(target: str, person: Any) -> None:
    await _first_login(person())
    anna = person()
    response = await anna.log_in("/e-legitimation/logga-in?" + urlencode({"nasta": target}))
    assert (response.status_code, response.headers["location"]) == (303, "/mina-butiker")
    login_page = await anna.certify.get("/logga-in?" + urlencode({"nasta": target}))
    assert "evil" not in login_page.text


async def test_the_return_address_on_this_site_is_kept(person: Any) -> None:
    await _first_login(person())
    anna = person()
    response = await anna.log_in("/e-legitimation/logga-in?nasta=/mitt-konto")
    assert response.headers["location"] == "/mitt-konto"


async def test_an_invited_representative_signs_in_with_e_legitimation(world: World, person: Any) -> None:
    """A representative invites a person by e-mail; she logs in with e-legitimation for the first
    time from the invitation, accepts it and states her basis; the kommun sees it on the case."""
    await world.kommun()
    _, owner = await world.client_for(Role.owner)
    _, kommun = await world.client_for(Role.kommun)
    shop = (await owner.post("/api/businesses", json=shop_fields(1))).json()
    case = (await owner.post(f"/api/businesses/{shop['id']}/applications")).json()
    invited = await owner.post(
        f"/api/businesses/{shop['id']}/representatives/invite", json={"email": "anna@example.se"}
    )
    assert invited.status_code == 201
    mail = next(
        m for m in (await kommun.get("/api/outbox")).json() if m["kind"] == "representative_invitation"
    )
    token = next(line for line in mail["body_text"].splitlines() if "/inbjudan/" in line).rsplit("/", 1)[1]

    anna = person()
    callback = await anna.log_in(f"/e-legitimation/logga-in?nasta=/inbjudan/{token}")
    assert callback.headers["location"] == "/e-legitimation/nytt-konto"
    created = await submit(
        anna.certify, "/e-legitimation/nytt-konto", "/e-legitimation/nytt-konto", {"email": "anna@example.se"}
    )
    assert created.headers["location"] == f"/inbjudan/{token}", "back to the invitation"
    accepted = await submit(anna.certify, f"/inbjudan/{token}", f"/inbjudan/{token}")
    page = f"/butiker/{shop['id']}/foretradare"
    assert (accepted.status_code, accepted.headers["location"]) == (303, page)
    stated = await submit(anna.certify, page, page, {"grund": "firmatecknare"})
    assert stated.status_code == 303

    seen = (await kommun.get(f"/api/applications/{case['id']}")).json()
    assert [(r["name"], r["basis"]) for r in seen["representatives"]][1] == ("Anna Andersson", "signatory")


async def test_the_personnummer_is_nowhere_in_clear(world: World, person: Any, logs: Logs) -> None:
    """Not in any table, log line, page or export (dataskyddslagen 3 kap. 10 §)."""
    await world.kommun()
    anna = person()
    await _first_login(anna)
    await submit(anna.certify, "/butiker/ny", "/butiker/ny", shop_form())
    owner_id = await world.user(Role.owner)
    client = await world.login(owner_id)
    await person(BERTIL, certify=client).log_in("/e-legitimation/koppla")
    await person(BERTIL).log_in()

    forms = {
        number: {number, f"{number[:8]}-{number[8:]}", number[2:], f"{number[2:8]}-{number[8:]}"}
        for number in (ANNA_NUMBER, BERTIL_NUMBER)
    }
    needles = set().union(*forms.values())
    for table in ALL_TABLES:
        rows = repr(await table.select().run())
        assert not [n for n in needles if n in rows], table._meta.tablename
    seen = [
        (await anna.certify.get(path)).text
        for path in ("/mina-butiker", "/mitt-konto", "/mitt-konto/mina-uppgifter.json", "/api/me")
    ]
    seen.append((await client.get("/mitt-konto")).text)
    assert not [n for n in needles for text in seen if n in text]
    assert logs.lines, "the test captured no log at all"
    assert not [line for line in logs.lines for n in needles if n in line]


async def test_every_word_of_the_e_legitimation_pages_is_from_the_catalogue(
    world: World, person: Any, pseudo_language: str
) -> None:
    anna = person()
    login_page = await anna.certify.get(f"/logga-in?lang={PSEUDO}")
    section = lxml.html.document_fromstring(login_page.text).xpath("//section[@class='eid-login']")
    assert section
    assert_page_marked("the log-in page's e-legitimation", lxml.html.tostring(section[0], encoding="unicode"))

    await anna.log_in()
    new_account = await anna.certify.get(f"/e-legitimation/nytt-konto?lang={PSEUDO}")
    main = lxml.html.document_fromstring(new_account.text).xpath("//main")[0]
    assert_page_marked(
        "the new account page", lxml.html.tostring(main, encoding="unicode"), data=["Anna Andersson"]
    )

    refused = await anna.certify.get(f"/e-legitimation/tillbaka?state=x&code=y&lang={PSEUDO}")
    main = lxml.html.document_fromstring(refused.text).xpath("//main")[0]
    assert_page_marked("the refusal page", lxml.html.tostring(main, encoding="unicode"))

    owner_id = await world.user(Role.owner)
    client = await world.login(owner_id)
    account = await client.get(f"/mitt-konto?lang={PSEUDO}")
    section = lxml.html.document_fromstring(account.text).xpath("//section[@aria-labelledby='eid-title']")
    assert section
    assert_page_marked("Mitt konto's e-legitimation", lxml.html.tostring(section[0], encoding="unicode"))


def test_the_refusals_are_worded_for_every_reason() -> None:
    """Every reason the service refuses for has its sentence in the catalogue."""
    source = inspect.getsource(eid_service)
    reasons = set(re.findall(r'(?:Refused|Conflict)\("([a-z_]+)"', source))
    assert reasons and reasons - {"email_taken"} <= set(REFUSALS)


async def test_the_provider_rotating_its_signing_key(
    world: World, new_client: ClientFactory, provider_browser: ClientFactory
) -> None:
    """certify caches the provider's keys; a token signed by a key published since then is
    accepted all the same: a key id it has not seen makes it fetch the keys again."""
    first_key, second_key = signing_key("rotation-1"), signing_key("rotation-2")
    with running_provider([first_key]) as provider:
        port = urlsplit(provider.issuer).port
        eid = EidSettings(issuer=provider.issuer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
        application = create_app(dataclasses.replace(Settings.from_env(), eid=eid))
        async with application.lifespan():
            client = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=application), base_url="https://testserver"
            )
            anna = Person(client, provider_browser(), ANNA, provider.base_url)
            await _first_login(anna)
            provider.process.terminate()
            provider.process.wait(timeout=5)
            with running_provider([second_key, first_key], port=port):
                again = Person(client, provider_browser(), ANNA, provider.base_url)
                assert (await again.log_in()).headers["location"] == "/mina-butiker"
            cached = application.state.eid._app.server_metadata["jwks"]  # authlib's cache of the keys
            assert [key["kid"] for key in cached["keys"]] == ["rotation-2", "rotation-1"]
            await client.aclose()


async def test_a_closed_account_is_refused_at_once(person: Any) -> None:
    """An owner whose account was closed is not asked for an e-mail address first."""
    anna = person()
    account_id = await _first_login(anna)
    await Account.update({Account.active: False}).where(Account.id == account_id).run()
    again = person()
    response = await again.log_in()
    assert response.status_code == 403 and "Kontot är stängt eller inaktiverat." in response.text
    assert not await _is_logged_in(again.certify)
    assert again.certify.cookies.get(NEW_COOKIE, path="/e-legitimation") in (None, "")


async def test_a_flow_cookie_moved_to_another_name_opens_nothing(person: Any) -> None:
    """Each flow cookie has its own key: the state cookie's value under the new-account cookie's
    name is no pending person (a refusal page, not a server error)."""
    anna = person()
    await anna.leave_for_provider()
    flow = next(cookie for cookie in anna.certify.cookies.jar if cookie.name == FLOW_COOKIE)
    assert flow.value
    anna.certify.cookies.set(NEW_COOKIE, flow.value, domain=flow.domain, path="/e-legitimation")
    response = await anna.certify.get("/e-legitimation/nytt-konto")
    assert response.status_code == 400 and "Börja om från inloggningssidan" in response.text


class _NotJson(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<html>Underhall</html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def _issuer_answering_html() -> Iterator[str]:
    """A loopback server that answers every request with an HTML page (a proxy's error page)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotJson)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # closed again: nothing listens there


@pytest.mark.parametrize("answer", ["closed port", "not JSON"])
async def test_a_provider_out_of_reach_is_a_worded_page(answer: str) -> None:
    with contextlib.ExitStack() as stack:
        issuer = (
            f"http://127.0.0.1:{_closed_port()}"
            if answer == "closed port"
            else stack.enter_context(_issuer_answering_html())
        )
        eid = EidSettings(issuer=issuer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
        application = create_app(dataclasses.replace(Settings.from_env(), eid=eid))
        async with application.lifespan():
            transport = httpx.ASGITransport(app=application)
            async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
                response = await client.get("/e-legitimation/logga-in")
    assert response.status_code == 503, response.text
    assert "Vi når inte e-legitimationen just nu" in response.text


async def test_a_provider_gone_before_the_callback_is_a_worded_page(
    world: World, provider_browser: ClientFactory
) -> None:
    """The provider stops between sending the person back and certify's token request."""
    with running_provider([signing_key("short-lived")]) as provider:
        eid = EidSettings(issuer=provider.issuer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
        application = create_app(dataclasses.replace(Settings.from_env(), eid=eid))
        async with application.lifespan():
            transport = httpx.ASGITransport(app=application)
            async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
                anna = Person(client, provider_browser(), ANNA, provider.base_url)
                callback = await anna.come_back(await anna.leave_for_provider())
                provider.process.terminate()
                provider.process.wait(timeout=5)
                response = await client.get(callback)
                assert response.status_code == 503, response.text
                assert "Vi når inte e-legitimationen just nu" in response.text
                assert not await _is_logged_in(client)
    assert await Account.count() == 0
