"""What an OpenID Connect log-in keeps in the browser between leaving for the provider and coming
back (state, nonce, PKCE verifier, where to go next): a short-lived cookie, encrypted and
authenticated with a key derived from the secret key for that cookie's name alone, sent only to the
log-in's own paths. And the opening of every callback: the cookie, `state`, the provider's error,
the code, RFC 9207's `iss`. Used by the e-legitimation pages and the staff log-in pages alike."""

from __future__ import annotations

import base64
import hmac
import json
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from litestar import Request
from litestar.datastructures import Cookie

from certify.keys import derive_key
from certify.services.oidc import Refused, Started
from certify.settings import Settings

FLOW_SECONDS = 10 * 60


def _fernet(settings: Settings, name: str) -> Fernet:
    """One key per cookie name: a value moved to another cookie's name does not open there."""
    purpose = b"certify oidc flow cookie " + name.encode()
    return Fernet(base64.urlsafe_b64encode(derive_key(settings.secret_key, purpose)))


def sealed(settings: Settings, name: str, data: dict[str, Any], path: str) -> Cookie:
    value = _fernet(settings, name).encrypt(json.dumps(data).encode()).decode("ascii")
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
        data: dict[str, Any] = json.loads(_fernet(settings, name).decrypt(raw, ttl=FLOW_SECONDS))
    except (InvalidToken, ValueError):
        return None
    return data


def gone(settings: Settings, name: str, path: str) -> Cookie:
    return Cookie(key=name, value="", path=path, max_age=0, httponly=True, secure=settings.secure_cookies)


def flow(started: Started, **kept: Any) -> dict[str, Any]:
    """What the flow cookie keeps: the provider's state, nonce and PKCE verifier, and the caller's."""
    return {"state": started.state, "nonce": started.nonce, "verifier": started.code_verifier, **kept}


@dataclass(frozen=True, slots=True)
class Returned:
    """A callback that came back to the browser that left: its flow and the provider's code."""

    flow: dict[str, Any]
    code: str
    iss: str | None  # RFC 9207: the provider that answered, when it says

    def check_issuer(self, issuer: str) -> None:
        """Another provider's answer (a mix-up attack) is refused."""
        if self.iss not in (None, issuer):
            raise Refused("id_token")


def returned(request: Request[Any, Any, Any], name: str) -> Returned:
    """The callback's query against the flow cookie `name`; Refused("state") when the cookie is
    missing, expired or holds another state, Refused("cancelled") on the provider's error."""
    kept = opened(request, name)
    query = request.query_params
    state, code = str(query.get("state") or ""), str(query.get("code") or "")
    if (
        kept is None
        or not state
        or not hmac.compare_digest(state.encode(), str(kept.get("state") or "").encode())
    ):
        raise Refused("state")
    if query.get("error") or not code:
        raise Refused("cancelled")
    iss = query.get("iss")
    return Returned(flow=kept, code=code, iss=None if iss is None else str(iss))
