"""Log-in with e-legitimation (BankID, Freja eID …) through the installation's OpenID Connect
provider, for shop owners.

The protocol is certify.services.oidc's (authlib: discovery, code flow with PKCE, state, nonce,
the ID token's checks). This module adds only what is certify's: which account a verified person is.

The personnummer (dataskyddslagen 3 kap. 10 §: only where clearly justified) is needed only to
recognise the same person at the next log-in. It is therefore never stored, shown or logged: the
account keeps an HMAC-SHA256 of it keyed with the installation's secret key, which matches the
next log-in and cannot be turned back into the number without that key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Any

from certify import database
from certify.domain.errors import Conflict
from certify.domain.status import Role
from certify.keys import derive_key
from certify.services import accounts, events
from certify.services.oidc import Client, Refused
from certify.settings import EidSettings
from certify.tables import Account

_PERSON_NUMBER = re.compile(r"(19|20)\d{10}")  # the Swedish OIDC profile's 12 digits


@dataclass(frozen=True, slots=True)
class Person:
    """A person the provider vouched for: a verified name and the keyed hash of the personnummer."""

    name: str
    person_hash: str


__all__ = ["Person", "Provider", "Refused"]


class Provider(Client):
    """The installation's e-legitimation provider; one per app, its metadata and keys cached."""

    def __init__(self, settings: EidSettings, secret_key: str) -> None:
        super().__init__(
            issuer=settings.issuer,
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            scopes=settings.scopes,
            label="e-legitimation",
        )
        self.settings = settings
        self._key = derive_key(secret_key, b"certify e-legitimation person")

    async def finish(self, *, code: str, code_verifier: str, nonce: str, redirect_uri: str) -> Person:
        """Exchange the code, check the ID token, and say who the person is."""
        claims = await self.claims(
            code=code, code_verifier=code_verifier, nonce=nonce, redirect_uri=redirect_uri
        )
        return self._person(claims)

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


async def account_of(person: Person) -> int | None:
    """The owner account this person logged in with before, if any; Refused("inactive") at once
    when that account is closed (asking him for an e-mail address first would lead nowhere)."""
    row = (
        await Account.select(Account.id, Account.active, Account.role)
        .where(Account.eid_person_hash == person.person_hash)
        .first()
        .run()
    )
    if row is None:
        return None
    if not row["active"]:
        raise Refused("inactive")
    if row["role"] != Role.owner.value:
        raise Refused("not_owner")
    return int(row["id"])


async def create_owner(person: Person, email: str) -> int:
    """The first log-in: an owner account in the verified name, reached by mail at `email`."""
    email = accounts.normalise_email(email)
    try:
        return await _create_owner(person, email)
    except database.INTEGRITY_ERRORS as exc:
        # The same person's first log-in in another browser, or a sign-up with the address, won.
        if not database.is_unique_violation(exc):
            raise
        if await Account.exists().where(Account.email == email).run():
            raise Conflict("email_taken", extra={"field": "email"}) from exc
        raise Conflict("person_linked") from exc


async def _create_owner(person: Person, email: str) -> int:
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
    try:
        await _link(account_id, person)
    except database.INTEGRITY_ERRORS as exc:  # the person linked another account meanwhile
        if not database.is_unique_violation(exc):
            raise
        raise Conflict("person_linked") from exc


async def _link(account_id: int, person: Person) -> None:
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
