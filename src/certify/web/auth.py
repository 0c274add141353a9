"""Sessions on the HTTP side: the cookie, and the middleware that finds the caller.

The cookie holds only a random token; the session itself lives in the database and ends there
(certify.services.sessions), so logging out ends it for a copied cookie too, on every instance.
A cookie that opens no session (malformed, forged, ended) is no session: the role guards answer 401
on the API and the log-in page for pages (certify.web.guards), and the browser is told to drop it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from litestar import Litestar, Request
from litestar.config.app import AppConfig
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.exceptions import ImproperlyConfiguredException
from litestar.middleware.base import DefineMiddleware
from litestar.openapi.spec import Components, SecurityScheme
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from certify.services.actor import Actor
from certify.services.sessions import PASSWORD, SESSION_MAX_AGE, Began, SessionStore
from certify.settings import Settings
from certify.web.guards import names_roles

SESSION_COOKIE = "certify_session"
_TO_SEND = "certify.session_cookie"  # scope state: the cookie value to send, "" to drop it
_DOCS = "/schema"


def _store(scope: Scope) -> SessionStore:
    store: SessionStore = scope["litestar_app"].state.sessions
    return store


class SessionMiddleware:
    """Puts the caller in scope["user"] when the cookie opens a session, and sends the cookie
    when a log-in, a log-out or the sliding idle timeout changed it."""

    def __init__(self, app: ASGIApp, settings: Settings, store: SessionStore) -> None:
        self.app = app
        self.store = store
        self.cookie = Cookie(
            key=SESSION_COOKIE,
            path="/",
            max_age=SESSION_MAX_AGE,
            httponly=True,
            secure=settings.secure_cookies,
            samesite="lax",
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        token = ASGIConnection(scope).cookies.get(SESSION_COOKIE)  # type: ignore[var-annotated]
        if token:
            found = await self.store.find(token)
            if found is None:
                state[_TO_SEND] = ""
            else:
                scope["user"] = found.actor
                if found.renewed:
                    state[_TO_SEND] = token

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and _TO_SEND in state:
                MutableScopeHeaders.from_message(message).add("set-cookie", self._header(state.pop(_TO_SEND)))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _header(self, token: str) -> str:
        """The session cookie, or ("") the order to drop it."""
        cookie = replace(self.cookie, value=token) if token else replace(self.cookie, value="", max_age=0)
        return cookie.to_header(header="")


def check_every_route_is_guarded(app: Litestar) -> None:
    """Start-up refuses a route that is neither public nor guarded: the role guards are what
    refuses a caller without a session (certify.web.guards), so none may be missing."""
    for route in app.routes:
        if route.path.startswith(_DOCS):
            continue
        for handler in getattr(route, "route_handlers", []):
            if set(getattr(handler, "http_methods", ())) == {"OPTIONS"}:
                continue
            if not handler.opt.get("exclude_from_auth") and not names_roles(handler):
                raise ImproperlyConfiguredException(f"{route.path} is neither public nor guarded")


def install(settings: Settings) -> Any:
    """on_app_init: the session store, the middleware, and the cookie in the OpenAPI document."""

    def on_app_init(app_config: AppConfig) -> AppConfig:
        store = app_config.state["sessions"] = SessionStore()
        app_config.middleware.insert(0, DefineMiddleware(SessionMiddleware, settings=settings, store=store))
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

    return on_app_init


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
