"""Log-in with e-legitimation (BankID, Freja eID …) through the installation's OpenID Connect
provider, for shop owners.

Nothing of the protocol is written here: authlib does discovery from the issuer URL, the
authorization code flow with PKCE (S256), `state` and `nonce`, and checks the ID token — its
signature against the provider's JWKS (fetched again when a token names a key it has not seen:
key rotation), `iss`, `aud`, `exp`, `iat` and `nonce`, with a small clock skew. This module adds
only what is certify's: which account a verified person is.

The personnummer (dataskyddslagen 3 kap. 10 §: only where clearly justified) is needed only to
recognise the same person at the next log-in. It is therefore never stored, shown or logged: the
account keeps an HMAC-SHA256 of it keyed with the installation's secret key, which matches the
next log-in and cannot be turned back into the number without that key.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.integrations.base_client import BaseApp, OAuthError
from authlib.integrations.base_client.async_app import AsyncOAuth2Mixin
from authlib.integrations.base_client.async_openid import AsyncOpenIDMixin
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc.errors import JoseError

from certify import database
from certify.domain.errors import Conflict
from certify.domain.status import Role
from certify.services import accounts, events
from certify.settings import EidSettings
from certify.tables import Account

log = logging.getLogger(__name__)

CLOCK_SKEW_SECONDS = 60  # how far the provider's clock may differ from ours
TIMEOUT_SECONDS = 10
_PERSON_NUMBER = re.compile(r"(19|20)\d{10}")  # the Swedish OIDC profile's 12 digits


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
class Person:
    """A person the provider vouched for: a verified name and the keyed hash of the personnummer."""

    name: str
    person_hash: str


class _OpenIdApp(AsyncOAuth2Mixin, AsyncOpenIDMixin, BaseApp):  # type: ignore[misc]
    """authlib's framework-neutral OpenID Connect client (the same mixins as its Starlette app)."""

    client_cls = AsyncOAuth2Client


class Provider:
    """The installation's e-legitimation provider; one per app, its metadata and keys cached."""

    def __init__(self, settings: EidSettings, secret_key: str) -> None:
        self.settings = settings
        self._key = hashlib.sha256(b"certify e-legitimation person\0" + secret_key.encode()).digest()
        self._app = _OpenIdApp(
            framework=None,
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            server_metadata_url=f"{settings.issuer}/.well-known/openid-configuration",
            client_kwargs={
                "scope": " ".join(settings.scopes),
                "code_challenge_method": "S256",
                "timeout": TIMEOUT_SECONDS,
            },
        )

    async def _metadata(self) -> dict[str, Any]:
        """Discovery; the document must name the configured issuer (OpenID Connect Discovery §4.3)."""
        try:
            metadata: dict[str, Any] = await self._app.load_server_metadata()
        except httpx.HTTPError as exc:
            log.warning("e-legitimation: discovery failed: %s", type(exc).__name__)
            raise Refused("unreachable") from exc
        if metadata.get("issuer") != self.settings.issuer:
            self._app.server_metadata.clear()  # read it again next time
            log.warning("e-legitimation: discovery names another issuer than CERTIFY_EID_ISSUER")
            raise Refused("unreachable")
        return metadata

    async def start(self, redirect_uri: str) -> Started:
        """The provider's authorization URL with fresh state, nonce and PKCE verifier."""
        await self._metadata()
        made = await self._app.create_authorization_url(redirect_uri)
        return Started(made["url"], made["state"], made["nonce"], made["code_verifier"])

    async def finish(self, *, code: str, code_verifier: str, nonce: str, redirect_uri: str) -> Person:
        """Exchange the code, check the ID token, and say who the person is."""
        metadata = await self._metadata()
        try:
            token = await self._app.fetch_access_token(
                redirect_uri=redirect_uri, code=code, code_verifier=code_verifier
            )
        except OAuthError as exc:  # e.g. invalid_grant: a code used twice, or issued to another client
            log.info("e-legitimation: the provider refused the code (%s)", exc.error)
            raise Refused("code") from exc
        except httpx.HTTPError as exc:
            log.warning("e-legitimation: token request failed: %s", type(exc).__name__)
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
        except (JoseError, ValueError) as exc:
            # The error's class only: its message could quote a claim.
            log.info("e-legitimation: ID token refused (%s)", type(exc).__name__)
            raise Refused("id_token") from exc
        return self._person(dict(claims))

    def _person(self, claims: dict[str, Any]) -> Person:
        number = str(claims.get(self.settings.person_number_claim) or "").replace("-", "")
        if not _PERSON_NUMBER.fullmatch(number):
            raise Refused("person_number")
        name = (
            str(claims.get("name") or "").strip()
            or " ".join(str(claims.get(part) or "").strip() for part in ("given_name", "family_name")).strip()
        )
        if not name:
            raise Refused("name")
        return Person(name=name[:200], person_hash=self.person_hash(number))

    def person_hash(self, person_number: str) -> str:
        """HMAC-SHA256 of the personnummer under a key derived from the secret key."""
        return hmac.new(self._key, person_number.encode("ascii"), hashlib.sha256).hexdigest()

    async def logout_url(self, post_logout_redirect_uri: str) -> str | None:
        """RP-initiated log-out at the provider, when its discovery names an end-session endpoint."""
        try:
            metadata = await self._metadata()
        except Refused:
            return None
        if not metadata.get("end_session_endpoint"):
            return None
        made = await self._app.create_logout_url(
            post_logout_redirect_uri=post_logout_redirect_uri, client_id=self.settings.client_id
        )
        url: str = made["url"]
        return url


async def account_of(person: Person) -> int | None:
    """The active owner account this person logged in with before, if any."""
    row = (
        await Account.select(Account.id)
        .where(
            (Account.eid_person_hash == person.person_hash)
            & (Account.active == True)  # noqa: E712
            & (Account.role == Role.owner.value)
        )
        .first()
        .run()
    )
    return int(row["id"]) if row else None


async def create_owner(person: Person, email: str) -> int:
    """The first log-in: an owner account in the verified name, reached by mail at `email`."""
    email = accounts.normalise_email(email)
    async with database.transaction():
        if await Account.exists().where(Account.email == email).run():
            raise Conflict("email_taken", extra={"field": "email"})
        if await Account.exists().where(Account.eid_person_hash == person.person_hash).run():
            raise Conflict("person_linked")
        rows = (
            await Account.insert(
                Account(
                    email=email,
                    name=person.name,
                    role=Role.owner.value,
                    password_hash="",  # no password: this account logs in with e-legitimation
                    eid_person_hash=person.person_hash,
                )
            )
            .returning(Account.id)
            .run()
        )
        account_id: int = rows[0]["id"]
        await events.record(
            "user_created",
            actor=None,
            detail={"user_id": account_id, "role": Role.owner.value, "email": email, "via": "eid"},
        )
    return account_id


async def link(account_id: int, person: Person) -> None:
    """An owner who logged in with a password links e-legitimation to the account, once."""
    async with database.transaction():
        row = (
            await Account.select(Account.role, Account.eid_person_hash)
            .where(Account.id == account_id)
            .first()
            .run()
        )
        if row is None or row["role"] != Role.owner.value:
            raise Conflict("not_owner")
        if row["eid_person_hash"] is not None:
            raise Conflict("already_linked")
        if await Account.exists().where(Account.eid_person_hash == person.person_hash).run():
            raise Conflict("person_linked")
        await (
            Account.update({Account.eid_person_hash: person.person_hash})
            .where(Account.id == account_id)
            .run()
        )


async def is_linked(account_id: int) -> bool:
    return bool(
        await Account.exists().where((Account.id == account_id) & Account.eid_person_hash.is_not_null()).run()
    )
