"""Sessions on the HTTP side: the cookie, and the middleware that finds the caller.

The cookie holds only a random token; the session itself lives in the database and ends there
(certify.services.sessions), so logging out ends it for a copied cookie too, on every instance.
A cookie that opens no session (malformed, forged, ended) is no session: the role guards answer 401
on the API and the log-in page for pages (certify.web.guards), and the browser is told to drop it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Litestar, Request
from litestar.config.app import AppConfig
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.exceptions import ImproperlyConfiguredException
from litestar.openapi.spec import Components, SecurityScheme
from litestar.types import Scope

from certify.services.actor import Actor
from certify.services.case_cache import CaseCache
from certify.services.sessions import PASSWORD, SESSION_MAX_AGE, Began, SessionStore
from certify.web.guards import names_roles

SESSION_COOKIE = "certify_session"
_TO_SEND = "certify.session_cookie"  # scope state: the cookie value to send, "" to drop it
_CAUGHT_UP = "certify.caught_up"  # scope state: the session check passed the changes' barrier
_DOCS = "/schema"


def _store(scope: Scope) -> SessionStore:
    store: SessionStore = scope["litestar_app"].state.sessions
    return store


class SessionCookie:
    """The session cookie's Set-Cookie value: written out once, since Litestar's Cookie takes
    tens of microseconds per header (benchmarks/session_cost.py)."""

    def __init__(self, secure: bool) -> None:
        attributes = Cookie(
            key=SESSION_COOKIE,
            value="-",
            path="/",
            max_age=SESSION_MAX_AGE,
            httponly=True,
            secure=secure,
            samesite="lax",
        ).to_header(header="")
        self._attributes = attributes[attributes.index(";") :]
        self._drop = Cookie(
            key=SESSION_COOKIE,
            value="",
            path="/",
            max_age=0,
            httponly=True,
            secure=secure,
            samesite="lax",
        ).to_header(header="")

    def header(self, token: str) -> str:
        """The cookie holding `token` (a URL-safe token: nothing to quote), or ("") the order to drop it."""
        return f"{SESSION_COOKIE}={token}{self._attributes}" if token else self._drop


async def identify(scope: Scope, token: str | None) -> None:
    """Puts the caller in scope["user"] when the cookie's token opens a session; a cookie that
    opens none is to be dropped, and one whose idle timeout moved is to be sent again."""
    if not token:
        return
    found = await _store(scope).find(token)
    if found is None:
        scope["state"][_TO_SEND] = ""
    else:
        scope["user"] = found.actor
        scope["state"][_CAUGHT_UP] = found.caught_up
        if found.renewed:
            scope["state"][_TO_SEND] = token


def caught_up(scope: Scope) -> bool:
    """This request's session check got through the barrier after which every change committed
    before the request arrived is known (services.session_changes): remembered case reads may be
    served (services.case_cache)."""
    return bool(scope["state"].get(_CAUGHT_UP, False))


def case_cache(scope: Scope) -> CaseCache:
    cache: CaseCache = scope["litestar_app"].state.case_cache
    return cache


def cookie_to_send(scope: Scope, cookie: SessionCookie) -> str | None:
    """The Set-Cookie value this answer carries, when a log-in, a log-out, a dead cookie or the
    sliding idle timeout changed the session."""
    token = scope["state"].pop(_TO_SEND, None)
    return None if token is None else cookie.header(token)


def check_every_route_is_guarded(app: Litestar) -> None:
    """Start-up refuses a route that is neither public nor guarded: the role guards are what
    refuses a caller without a session (certify.web.guards), so none may be missing."""
    for route in app.routes:
        if route.path.startswith(_DOCS):
            continue
        for handler in getattr(route, "route_handlers", []):
            if set(getattr(handler, "http_methods", ())) == {"OPTIONS"}:
                continue
            if handler.resolve_guards():
                raise ImproperlyConfiguredException(
                    f"{route.path} names its roles with guards=: write opt= (certify.web.guards)"
                )
            if not handler.opt.get("exclude_from_auth") and not names_roles(handler):
                raise ImproperlyConfiguredException(f"{route.path} is neither public nor guarded")


def install(app_config: AppConfig) -> AppConfig:
    """on_app_init: the session store and the case reads it keeps fresh, and the cookie in the
    OpenAPI document (the caller is found by certify.web.stack)."""
    cases = CaseCache()
    app_config.state["case_cache"] = cases
    app_config.state["sessions"] = SessionStore(cases.forget)
    if app_config.openapi_config is not None:
        scheme = SecurityScheme(
            type="apiKey",
            name=SESSION_COOKIE,
            security_scheme_in="cookie",
            description="Session cookie: log in with POST /api/auth/login.",
        )
        app_config.openapi_config.components = [
            Components(security_schemes={"sessionCookie": scheme}),
            *_as_list(app_config.openapi_config.components),
        ]
        app_config.openapi_config.security = [{"sessionCookie": []}]
    return app_config


def _as_list(components: Any) -> list[Any]:
    return components if isinstance(components, list) else [components]


async def visitor(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor | None:
    """The logged-in user, also where no route matched (a 404 page): the middleware runs only
    inside a route, so there the cookie is looked up here."""
    user = connection.scope.get("user")
    if isinstance(user, Actor):
        return user
    token = connection.cookies.get(SESSION_COOKIE)
    store = connection.app.state.get("sessions")
    found = await store.find(token) if token and store is not None else None
    return found.actor if found is not None else None


async def log_in(
    request: Request[Any, Any, Any],
    account_id: int,
    ends_at: datetime | None = None,
    began: Began = PASSWORD,
) -> None:
    """A new session for the account (over at `ends_at` at the latest, begun as `began` says);
    an earlier one of this browser ends."""
    store = _store(request.scope)
    earlier = request.cookies.get(SESSION_COOKIE)
    if earlier:
        await store.end(earlier)
    request.scope.setdefault("state", {})[_TO_SEND] = await store.open(account_id, ends_at, began)


async def session_began(request: Request[Any, Any, Any]) -> Began | None:
    """How the caller's session was begun (a password, the e-legitimation, a kommun's provider)."""
    token = request.cookies.get(SESSION_COOKIE)
    return await _store(request.scope).began(token) if token else None


async def log_out(request: Request[Any, Any, Any]) -> Began | None:
    """This session ends now, wherever its cookie is; how it was begun (None: no session)."""
    token = request.cookies.get(SESSION_COOKIE)
    request.scope.setdefault("state", {})[_TO_SEND] = ""
    return await _store(request.scope).end(token) if token else None
