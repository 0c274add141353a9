"""What an OpenID Connect log-in keeps in the browser between leaving for the provider and coming
back (state, nonce, PKCE verifier, where to go next): a short-lived cookie, encrypted and
authenticated with a key derived from the secret key, sent only to the log-in's own paths.
Used by the e-legitimation pages and the staff log-in pages alike."""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from litestar import Request
from litestar.datastructures import Cookie

from certify.settings import Settings
from certify.web.auth import derive_key

FLOW_SECONDS = 10 * 60


def _fernet(settings: Settings) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(derive_key(settings.secret_key, b"certify eid cookies")))


def sealed(settings: Settings, name: str, data: dict[str, Any], path: str) -> Cookie:
    value = _fernet(settings).encrypt(json.dumps(data).encode()).decode("ascii")
    return Cookie(
        key=name,
        value=value,
        path=path,
        max_age=FLOW_SECONDS,
        httponly=True,
        secure=settings.secure_cookies,
        samesite="lax",
    )


def opened(request: Request[Any, Any, Any], name: str) -> dict[str, Any] | None:
    raw = request.cookies.get(name)
    if not raw:
        return None
    settings: Settings = request.app.state.settings
    try:
        data: dict[str, Any] = json.loads(_fernet(settings).decrypt(raw, ttl=FLOW_SECONDS))
    except (InvalidToken, ValueError):
        return None
    return data


def gone(settings: Settings, name: str, path: str) -> Cookie:
    return Cookie(key=name, value="", path=path, max_age=0, httponly=True, secure=settings.secure_cookies)
