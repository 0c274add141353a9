"""An OpenID Connect relying party, for any provider: the installation's e-legitimation
(services/eid.py) and each kommun's own provider for its staff (services/staff_login.py).

Nothing of the protocol is written here: authlib does discovery from the issuer URL, the
authorization code flow with PKCE (S256), `state` and `nonce`, and checks the ID token — its
signature against the provider's JWKS (fetched again when a token names a key it has not seen:
key rotation), `iss`, `aud`, `exp`, `iat` and `nonce`, with a small clock skew. The callers say
what the verified claims mean for certify.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.integrations.base_client import BaseApp, OAuthError
from authlib.integrations.base_client.async_app import AsyncOAuth2Mixin
from authlib.integrations.base_client.async_openid import AsyncOpenIDMixin
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc.errors import JoseError

log = logging.getLogger(__name__)

CLOCK_SKEW_SECONDS = 60  # how far the provider's clock may differ from ours
TIMEOUT_SECONDS = 10


class Refused(Exception):
    """The log-in did not prove who the person is; `reason` says why, for the page to word."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Started:
    """What the browser is sent to, and what must come back with it (kept by the web side)."""

    url: str
    state: str
    nonce: str
    code_verifier: str


@dataclass(frozen=True, slots=True)
class Leaving:
    """The provider's end-session address for this log-out, and the `state` it must send back."""

    url: str
    state: str


class _OpenIdApp(AsyncOAuth2Mixin, AsyncOpenIDMixin, BaseApp):  # type: ignore[misc]
    """authlib's framework-neutral OpenID Connect client (the same mixins as its Starlette app)."""

    client_cls = AsyncOAuth2Client


class Client:
    """One provider and one client registration there; its metadata and keys cached."""

    def __init__(
        self, *, issuer: str, client_id: str, client_secret: str, scopes: Sequence[str], label: str
    ) -> None:
        self.issuer = issuer
        self.client_id = client_id
        self.label = label  # names the provider in log lines
        self._app = _OpenIdApp(
            framework=None,
            client_id=client_id,
            client_secret=client_secret,
            server_metadata_url=f"{issuer}/.well-known/openid-configuration",
            client_kwargs={
                "scope": " ".join(scopes),
                "code_challenge_method": "S256",
                "timeout": TIMEOUT_SECONDS,
            },
        )

    async def _metadata(self) -> dict[str, Any]:
        """Discovery; the document must name the configured issuer (OpenID Connect Discovery §4.3)."""
        try:
            metadata: dict[str, Any] = await self._app.load_server_metadata()
        except (httpx.HTTPError, ValueError) as exc:  # no answer, an error status, or not JSON
            log.warning("%s: discovery failed: %s", self.label, type(exc).__name__)
            raise Refused("unreachable") from exc
        if metadata.get("issuer") != self.issuer:
            self._app.server_metadata.clear()  # read it again next time
            log.warning("%s: discovery names another issuer than the configured one", self.label)
            raise Refused("unreachable")
        return metadata

    async def start(self, redirect_uri: str) -> Started:
        """The provider's authorization URL with fresh state, nonce and PKCE verifier."""
        await self._metadata()
        made = await self._app.create_authorization_url(redirect_uri)
        return Started(made["url"], made["state"], made["nonce"], made["code_verifier"])

    async def claims(self, *, code: str, code_verifier: str, nonce: str, redirect_uri: str) -> dict[str, Any]:
        """Exchange the code and return the claims of the checked ID token."""
        metadata = await self._metadata()
        try:
            token = await self._app.fetch_access_token(
                redirect_uri=redirect_uri, code=code, code_verifier=code_verifier
            )
        except OAuthError as exc:  # e.g. invalid_grant: a code used twice, or issued to another client
            log.info("%s: the provider refused the code (%s)", self.label, exc.error)
            raise Refused("code") from exc
        except (httpx.HTTPError, ValueError) as exc:  # no answer, or not JSON
            log.warning("%s: token request failed: %s", self.label, type(exc).__name__)
            raise Refused("unreachable") from exc
        if "id_token" not in token:
            raise Refused("id_token")
        try:
            claims = await self._app.parse_id_token(
                token,
                nonce=nonce,
                claims_options={"iss": {"essential": True, "values": [metadata["issuer"]]}},
                leeway=CLOCK_SKEW_SECONDS,
            )
        except httpx.HTTPError as exc:  # the provider's keys (JWKS) could not be fetched
            log.warning("%s: fetching the signing keys failed: %s", self.label, type(exc).__name__)
            raise Refused("unreachable") from exc
        except (JoseError, ValueError) as exc:
            # The error's class only: its message could quote a claim.
            log.info("%s: ID token refused (%s)", self.label, type(exc).__name__)
            raise Refused("id_token") from exc
        return dict(claims)

    async def logout(self, post_logout_redirect_uri: str) -> Leaving | None:
        """RP-initiated log-out (OpenID Connect RP-Initiated Logout 1.0): where to send the browser
        so that the person's session at the provider ends too, when its discovery names an
        end-session endpoint; None when it does not, or cannot be reached (then the log-out is
        certify's alone). The client id says whose return address to accept: certify keeps no ID
        token to hint with (the e-legitimation's carries the personnummer)."""
        try:
            metadata = await self._metadata()
        except Refused:
            return None
        if not metadata.get("end_session_endpoint"):
            return None
        made = await self._app.create_logout_url(
            post_logout_redirect_uri=post_logout_redirect_uri, client_id=self.client_id
        )
        return Leaving(url=made["url"], state=made["state"])
