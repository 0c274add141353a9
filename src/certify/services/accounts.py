"""Users: registration, log-in, administration by the kommun, and loading the caller."""

from __future__ import annotations

import asyncio
import functools
import os
import re
from datetime import datetime

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from certify import database
from certify.domain.errors import Conflict, InvalidField, NotFound
from certify.domain.status import Role
from certify.services import events, policy
from certify.services.actor import Actor
from certify.services.clock import now
from certify.services.policy import Capability
from certify.services.views import UserView
from certify.tables import Account, InspectorKommun, Kommun, Session

MIN_PASSWORD_LENGTH = 10
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@functools.cache
def _hasher() -> PasswordHasher:
    """Argon2id with RFC 9106's low-memory profile; test suites may ask for the cheapest one."""
    if os.environ.get("CERTIFY_PASSWORD_HASH_PROFILE") == "test":
        return PasswordHasher.from_parameters(profiles.CHEAPEST)
    return PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)


@functools.cache
def _dummy_hash() -> str:
    """Verifying against this keeps a log-in for an unknown e-mail as slow as for a known one."""
    return _hasher().hash("certify-timing-equaliser")


async def _verify(password_hash: str, password: str) -> bool:
    """Argon2 is slow on purpose: run it in a thread so other requests go on meanwhile."""
    try:
        return await asyncio.to_thread(_hasher().verify, password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def normalise_email(raw: str, field: str = "email") -> str:
    email = raw.strip().lower()
    if not _EMAIL.match(email):
        raise InvalidField(field, "email_invalid")
    return email


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidField("password", "password_too_short", length=MIN_PASSWORD_LENGTH)


async def hash_password(password: str) -> str:
    check_password(password)
    return await asyncio.to_thread(_hasher().hash, password)


async def _email_taken(email: str) -> bool:
    return await Account.exists().where(Account.email == email).run()


async def _kommun_ids(codes: list[str]) -> list[int]:
    ids = []
    for code in codes:
        row = await Kommun.select(Kommun.id).where(Kommun.code == code).first().run()
        if row is None:
            raise InvalidField("kommun_codes", "kommun_code_unknown", kommun=code)
        ids.append(row["id"])
    return ids


async def create_account(
    *,
    email: str,
    name: str,
    role: Role,
    password: str,
    kommun_codes: list[str] | None = None,
    created_by: Actor | None = None,
    must_change_password: bool = False,
) -> int:
    """Create a user; inspectors serve the given kommuner, a kommun user belongs to one."""
    email = normalise_email(email)
    if not name.strip():
        raise InvalidField("name", "field_empty")
    password_hash = await hash_password(password)
    codes = kommun_codes or []
    if role == Role.inspector and not codes:
        raise InvalidField("kommun_codes", "inspector_needs_kommun")
    if role == Role.kommun and len(codes) != 1:
        raise InvalidField("kommun_codes", "kommun_user_needs_one_kommun")
    if role == Role.owner and codes:
        raise InvalidField("kommun_codes", "owner_has_no_kommun")
    async with database.transaction():
        kommun_ids = await _kommun_ids(codes)
        if await _email_taken(email):
            raise Conflict("email_taken", extra={"field": "email"})
        rows = (
            await Account.insert(
                Account(
                    email=email,
                    name=name.strip(),
                    role=role.value,
                    password_hash=password_hash,
                    must_change_password=must_change_password,
                    kommun=kommun_ids[0] if role == Role.kommun else None,
                )
            )
            .returning(Account.id)
            .run()
        )
        account_id: int = rows[0]["id"]
        if role == Role.inspector:
            await InspectorKommun.insert(
                *[InspectorKommun(inspector=account_id, kommun=k) for k in kommun_ids]
            ).run()
        await events.record(
            "user_created",
            actor=created_by,
            detail={"user_id": account_id, "role": role.value, "email": email},
        )
    return account_id


async def authenticate(email: str, password: str) -> int | None:
    """The account id when e-mail and password match an active account; None otherwise."""
    row = (
        await Account.select(Account.id, Account.password_hash, Account.active)
        .where(Account.email == email.strip().lower())
        .first()
        .run()
    )
    stored = row["password_hash"] if row else ""
    # An account without a password ("", it logs in through a provider) costs the same Argon2
    # verify as an unknown e-mail: how fast the answer comes tells nothing about the account.
    usable = stored.startswith("$argon2")
    matches = await _verify(stored if usable else _dummy_hash(), password)
    if not matches or not usable or row is None or not row["active"]:
        return None
    return int(row["id"])


async def load_actor(account_id: int, session_started: datetime) -> Actor | None:
    """The caller for a session started at that instant, or None when the account is gone,
    inactive, or its sessions were ended after it started (certify.services.sessions)."""
    rows = await Account.raw(
        "SELECT id, email, name, role, kommun, active, must_change_password, sessions_valid_after,"
        " language"
        " FROM users WHERE id = {}",
        account_id,
    ).run()
    row = rows[0] if rows else None
    if row is None or not row["active"] or session_started < row["sessions_valid_after"]:
        return None
    inspector_kommuner: frozenset[int] = frozenset()
    if row["role"] == Role.inspector:
        links = (
            await InspectorKommun.select(InspectorKommun.kommun)
            .where(InspectorKommun.inspector == account_id)
            .run()
        )
        inspector_kommuner = frozenset(link["kommun"] for link in links)
    return Actor(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        role=Role(row["role"]),
        kommun_id=row["kommun"],
        inspector_kommun_ids=inspector_kommuner,
        must_change_password=bool(row["must_change_password"]),
        language=row["language"],
    )


async def choose_language(account_id: int, code: str) -> None:
    """Keep the person's language on the account: pages after a new log-in and e-mails use it."""
    await Account.update({Account.language: code}).where(Account.id == account_id).run()


async def end_sessions(account_id: int) -> None:
    """Every session of the account ends now, on every app instance (deactivation, password reset).

    The rows go (certify.services.sessions); the mark also ends a session whose log-in was checked
    just before this and is being written just after.
    """
    await Session.delete().where(Session.account == account_id).run()
    await Account.update({Account.sessions_valid_after: now()}).where(Account.id == account_id).run()


async def get_user(account_id: int) -> UserView:
    row = (
        await Account.select(
            Account.id,
            Account.email,
            Account.name,
            Account.role,
            Account.active,
            Account.must_change_password,
            Account.kommun.code,
        )
        .where(Account.id == account_id)
        .first()
        .run()
    )
    if row is None:
        raise NotFound("user_not_found")
    codes = (
        await InspectorKommun.select(InspectorKommun.kommun.code)
        .where(InspectorKommun.inspector == account_id)
        .run()
    )
    return UserView(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        role=row["role"],
        active=row["active"],
        kommun_code=row["kommun.code"],
        kommun_codes=sorted(c["kommun.code"] for c in codes),
        must_change_password=row["must_change_password"],
    )


async def list_users(actor: Actor, role: Role | None = None) -> list[UserView]:
    """Kommun only: its own colleagues and the inspectors serving its kommun."""
    policy.require(actor, Capability.list_users)
    inspector_ids = [
        r["inspector"]
        for r in await InspectorKommun.select(InspectorKommun.inspector)
        .where(InspectorKommun.kommun == actor.kommun_id)
        .run()
    ]
    query = Account.select(Account.id).where(
        (Account.kommun == actor.kommun_id) | Account.id.is_in(inspector_ids or [-1])
    )
    if role is not None:
        query = query.where(Account.role == role.value)
    ids = [r["id"] for r in await query.order_by(Account.name).run()]
    return [await get_user(i) for i in ids]
