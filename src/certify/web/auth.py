"""Sessions: an encrypted cookie holding the account id and when the session started.

Each request reloads the account, so deactivation or a password reset ends sessions at once,
and any number of app instances sharing the secret key accept the same cookie.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.middleware.session.client_side import ClientSideSessionBackend, CookieBackendConfig
from litestar.security.session_auth import SessionAuth

from certify.services import accounts
from certify.services.actor import Actor
from certify.services.clock import now
from certify.settings import Settings

SESSION_COOKIE = "certify_session"
SESSION_MAX_AGE = 60 * 60 * 12


def derive_key(secret_key: str, purpose: bytes) -> bytes:
    """A 32-byte key per purpose from the one configured secret (HKDF)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret_key.encode())


async def retrieve_actor(session: dict[str, Any], _: ASGIConnection[Any, Any, Any, Any]) -> Actor | None:
    uid, started = session.get("uid"), session.get("started")
    if not isinstance(uid, int) or not isinstance(started, (int, float)):
        return None
    return await accounts.load_actor(uid, datetime.fromtimestamp(started, UTC))


def session_auth(settings: Settings) -> SessionAuth[Actor, ClientSideSessionBackend]:
    config = CookieBackendConfig(
        secret=derive_key(settings.secret_key, b"certify session cookie"),
        key=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        httponly=True,
        secure=settings.secure_cookies,
        samesite="lax",
    )
    return SessionAuth[Actor, ClientSideSessionBackend](
        retrieve_user_handler=retrieve_actor,
        session_backend_config=config,
        exclude=["^/schema"],
    )


def log_in(request: Request[Any, Any, Any], account_id: int) -> None:
    request.set_session({"uid": account_id, "started": now().timestamp()})


def log_out(request: Request[Any, Any, Any]) -> None:
    request.clear_session()
