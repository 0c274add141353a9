"""Sessions: an encrypted cookie holding the account id and when the session started.

Each request reloads the account, so deactivation or a password reset ends sessions at once,
and any number of app instances sharing the secret key accept the same cookie.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.middleware.session.client_side import ClientSideSessionBackend, CookieBackendConfig
from litestar.security.session_auth import SessionAuth
from litestar.types import Message, ScopeSession

from certify.services import accounts
from certify.services.actor import Actor
from certify.services.clock import now
from certify.settings import Settings

SESSION_COOKIE = "certify_session"
SESSION_MAX_AGE = 60 * 60 * 12  # idle time after which the cookie no longer opens a session
SESSION_RESEAL_AFTER = 60 * 5
_SEALED = "sealed"  # when the cookie was last sealed (seconds since the epoch)
_LOADED = "certify.session_as_loaded"


class SessionCookieBackend(ClientSideSessionBackend):
    """Litestar's encrypted session cookie, sealed again only when the session changed or its
    last sealing is SESSION_RESEAL_AFTER old.

    Litestar seals a new cookie on every answer to slide the idle timeout forward; that cost about
    a tenth of a case read (benchmarks/load.py). An active user now gets a new cookie every few
    minutes, so the idle timeout is SESSION_MAX_AGE less at most SESSION_RESEAL_AFTER.
    """

    async def load_from_connection(self, connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
        session = await super().load_from_connection(connection)
        connection.scope.setdefault("state", {})[_LOADED] = dict(session)
        return session

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        if isinstance(scope_session, dict) and scope_session:
            loaded = connection.scope.get("state", {}).get(_LOADED)
            sealed = scope_session.get(_SEALED)
            fresh = isinstance(sealed, int) and time.time() - sealed < SESSION_RESEAL_AFTER
            if fresh and scope_session == loaded:
                return  # the browser's cookie is still current
            scope_session[_SEALED] = round(time.time())
        await super().store_in_message(scope_session, message, connection)


class SessionCookieConfig(CookieBackendConfig):
    _backend_class = SessionCookieBackend


def derive_key(secret_key: str, purpose: bytes) -> bytes:
    """A 32-byte key per purpose from the one configured secret (HKDF)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret_key.encode())


async def retrieve_actor(session: dict[str, Any], _: ASGIConnection[Any, Any, Any, Any]) -> Actor | None:
    uid, started = session.get("uid"), session.get("started")
    if not isinstance(uid, int) or not isinstance(started, (int, float)):
        return None
    return await accounts.load_actor(uid, datetime.fromtimestamp(started, UTC))


async def visitor(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor | None:
    """The logged-in user, also where no route matched (a 404 page): Litestar runs the session
    middleware only inside a route, so there the cookie is opened with the app's own backend."""
    user = connection.scope.get("user")
    if isinstance(user, Actor):
        return user
    backend = connection.app.state.get("session_backend")
    if backend is None:
        return None
    return await retrieve_actor(await backend.load_from_connection(connection), connection)


def session_auth(settings: Settings) -> SessionAuth[Actor, SessionCookieBackend]:
    config = SessionCookieConfig(
        secret=derive_key(settings.secret_key, b"certify session cookie"),
        key=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        httponly=True,
        secure=settings.secure_cookies,
        samesite="lax",
    )
    return SessionAuth[Actor, SessionCookieBackend](
        retrieve_user_handler=retrieve_actor,
        session_backend_config=config,
        exclude=["^/schema"],
    )


def log_in(request: Request[Any, Any, Any], account_id: int) -> None:
    request.set_session({"uid": account_id, "started": now().timestamp()})


def log_out(request: Request[Any, Any, Any]) -> None:
    request.clear_session()
