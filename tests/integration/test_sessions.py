"""Sessions end on the server: a copied cookie dies at once, on this app instance and on another
sharing the database; a cookie that opens no session is no session, never an error."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import os
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from litestar import get
from litestar.exceptions import ImproperlyConfiguredException

from certify.app import create_app
from certify.domain.status import Role
from certify.services.sessions import SessionStore
from certify.settings import Settings
from certify.tables import Account, InspectorKommun, Session
from certify.web.auth import check_every_route_is_guarded
from tests.conftest import PASSWORD, World
from tests.integration.pages import submit

COOKIE = "certify_session"
# A second instance in this process shares the database engine and its pool with the first (Piccolo
# has one per process); what it does not share is what matters here: its memory of sessions and
# its own listener.
pytestmark = pytest.mark.filterwarnings("ignore:.*A pool already exists", "ignore:.*No pool is running")


@contextlib.asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[Any]:
    """Another app instance on the same database, its lifespan in a task of its own."""
    application = create_app(settings)
    started, stop = asyncio.Event(), asyncio.Event()

    async def run() -> None:
        async with application.lifespan():
            started.set()
            await stop.wait()

    task = asyncio.create_task(run())
    await asyncio.wait([task, asyncio.create_task(started.wait())], return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        task.result()
    try:
        yield application
    finally:
        stop.set()
        await task


@pytest.fixture
async def other_instance(settings: Settings) -> AsyncIterator[Any]:
    async with running(settings) as application:
        yield application


def client_of(application: Any, cookie: str | None = None) -> httpx.AsyncClient:
    """A client sending exactly this session cookie, as a copied cookie would be sent."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=application),
        base_url="https://testserver",
        headers={"cookie": f"{COOKIE}={cookie}"} if cookie is not None else {},
    )


async def _logged_in(world: World, role: Role = Role.owner) -> tuple[int, httpx.AsyncClient, str]:
    await world.kommun()
    account_id, client = await world.client_for(role)
    return account_id, client, client.cookies[COOKIE]


@pytest.mark.parametrize("how", ["api", "page"])
async def test_logging_out_kills_a_copied_cookie_here_and_on_another_instance(
    world: World, app: Any, other_instance: Any, how: str
) -> None:
    _, browser, cookie = await _logged_in(world)
    here, there = client_of(app, cookie), client_of(other_instance, cookie)
    async with here, there:
        assert (await here.get("/api/me")).status_code == 200
        assert (await there.get("/api/me")).status_code == 200, "the other instance now remembers it"

        if how == "api":
            assert (await browser.post("/api/auth/logout")).status_code == 204
        else:
            assert (await submit(browser, "/mina-butiker", "/logga-ut")).status_code == 303

        assert (await here.get("/api/me")).status_code == 401
        assert (await there.get("/api/me")).status_code == 401
        page = await there.get("/mina-butiker")
        assert page.status_code == 303 and page.headers["location"].startswith("/logga-in")
    assert await Session.count().run() == 0


async def test_the_cookie_holds_a_random_token_and_the_database_only_its_hash(world: World) -> None:
    account_id, _, cookie = await _logged_in(world)
    rows = await Session.select(Session.token_hash, Session.account).run()
    assert len(rows) == 1 and rows[0]["account"] == account_id
    assert rows[0]["token_hash"] == hashlib.sha256(cookie.encode()).hexdigest() != cookie
    assert len(cookie) == 43, "32 random bytes, nothing else"


@pytest.mark.parametrize("ending", ["deactivate", "reset-password"])
async def test_deactivation_and_password_reset_end_sessions_on_every_instance(
    world: World, other_instance: Any, ending: str
) -> None:
    await world.kommun()
    _, kommun = await world.client_for(Role.kommun)
    inspector_id, _, cookie = await _logged_in(world, Role.inspector)
    async with client_of(other_instance, cookie) as there:
        assert (await there.get("/api/me")).status_code == 200
        assert (await kommun.post(f"/api/users/{inspector_id}/{ending}")).status_code == 200
        assert (await there.get("/api/me")).status_code == 401


async def test_changing_ones_password_ends_the_other_sessions_everywhere(
    world: World, other_instance: Any
) -> None:
    account_id, browser, cookie = await _logged_in(world)
    other_device = await world.login(account_id)
    async with client_of(other_instance, other_device.cookies[COOKIE]) as there:
        assert (await there.get("/api/me")).status_code == 200
        changed = await browser.post(
            "/api/me/password", json={"current_password": PASSWORD, "new_password": "ett nytt långt lösenord"}
        )
        assert changed.status_code == 204
        assert (await there.get("/api/me")).status_code == 401
        assert (await browser.get("/api/me")).status_code == 200, "this browser got a fresh session"
        assert browser.cookies[COOKIE] != cookie


async def test_closing_the_account_ends_its_sessions_everywhere(world: World, other_instance: Any) -> None:
    _, browser, cookie = await _logged_in(world)
    async with client_of(other_instance, cookie) as there:
        assert (await there.get("/api/me")).status_code == 200
        closed = await browser.post("/api/me/close", json={"password": PASSWORD})
        assert closed.status_code == 204
        assert (await there.get("/api/me")).status_code == 401


async def test_a_changed_account_is_seen_at_once_by_an_instance_that_remembers_it(
    world: World, other_instance: Any
) -> None:
    """What an instance remembers of a caller (the password mark, the kommuner) follows the database."""
    kommun = await world.kommun()
    falun = await world.kommun("2080", "Falu kommun")
    inspector_id, _, cookie = await _logged_in(world, Role.inspector)
    store: SessionStore = other_instance.state.sessions
    found = await store.find(cookie)
    assert found is not None and len(found.actor.inspector_kommun_ids) == 1 and kommun

    falun_id = (await Account.raw("SELECT id FROM kommuner WHERE code = {}", falun).run())[0]["id"]
    await InspectorKommun.insert(InspectorKommun(inspector=inspector_id, kommun=falun_id)).run()
    found = await store.find(cookie)
    assert found is not None and falun_id in found.actor.inspector_kommun_ids

    await Account.update({Account.must_change_password: True}).where(Account.id == inspector_id).run()
    async with client_of(other_instance, cookie) as there:
        refused = await there.get("/api/applications")
        assert refused.status_code == 403 and refused.json()["extra"]["must_change_password"] is True


def _forged_litestar_cookie() -> str:
    """The shape of the old encrypted cookie, made without the key: it used to answer 500 everywhere."""
    aad = b"additional_authenticated_data=" + json.dumps({"expires_at": "never"}).encode()
    return base64.b64encode(os.urandom(12) + os.urandom(40) + aad).decode()


MALFORMED = [
    "",
    "null",
    '""',
    "abc",
    "x" * 43,  # the right shape, no such session
    "A" * 42 + "!",
    "å" * 43,
    "%00%01%02",
    "a" * 5000,
    _forged_litestar_cookie(),
]


@pytest.mark.parametrize("value", MALFORMED, ids=range(len(MALFORMED)))
async def test_a_malformed_or_forged_session_cookie_is_no_session(world: World, app: Any, value: str) -> None:
    await world.kommun()
    headers = {"cookie": f"{COOKIE}={value}".encode()}
    async with client_of(app) as client:
        api = await client.get("/api/me", headers=headers)
        assert api.status_code == 401 and api.headers["content-type"].startswith("application/json")
        page = await client.get("/mina-butiker", headers=headers)
        assert page.status_code == 303 and page.headers["location"] == "/logga-in?nasta=/mina-butiker"
        assert (await client.get("/", headers=headers)).status_code == 200
        assert (await client.get("/api/kommuner", headers=headers)).status_code == 200
        login = await client.post(
            "/api/auth/login", json={"email": "x@example.se", "password": "fel"}, headers=headers
        )
        assert login.status_code == 401


async def test_a_dead_cookie_is_dropped_from_the_browser(world: World, app: Any) -> None:
    _, browser, cookie = await _logged_in(world)
    await browser.post("/api/auth/logout")
    async with client_of(app, cookie) as copied:
        answer = await copied.get("/api/me")
    assert answer.status_code == 401
    dropped = [v for k, v in answer.headers.multi_items() if k == "set-cookie" and v.startswith(f"{COOKIE}=")]
    assert len(dropped) == 1 and "max-age=0" in dropped[0].lower()


def test_the_app_refuses_to_start_with_a_route_neither_public_nor_guarded(settings: Settings) -> None:
    """The role guards are what refuse a caller without a session: none may be missing."""

    @get("/forgotten")
    async def forgotten() -> str:
        return "anyone"

    application = create_app(settings)
    check_every_route_is_guarded(application)
    application.register(forgotten)
    with pytest.raises(ImproperlyConfiguredException, match="/forgotten"):
        check_every_route_is_guarded(application)
