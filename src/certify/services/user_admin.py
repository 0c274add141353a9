"""The kommun's user administration and everyone's own password.

Deactivating or resetting ends the user's sessions at once (accounts.end_sessions); the account row
stays, so verdicts, events and certificates keep naming who did what.
"""

from __future__ import annotations

import secrets

import msgspec

from certify import database
from certify.domain.errors import Forbidden, NotFound, RuleNotMet
from certify.domain.status import Role
from certify.services import accounts, events
from certify.services.actor import Actor
from certify.services.views import UserView
from certify.tables import Account, Business, InspectorKommun

_TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread on the phone


def temporary_password() -> str:
    """Three groups of four: easy to read aloud, 60 bits of chance, changed at the next log-in."""
    return "-".join("".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(4)) for _ in range(3))


async def _administered(actor: Actor, user_id: int) -> UserView:
    """A user the kommun may administer: its own colleagues and the inspectors serving it."""
    if actor.role != Role.kommun:
        raise Forbidden("Bara kommunen administrerar användare.")
    row = await Account.select(Account.role, Account.kommun).where(Account.id == user_id).first().run()
    serves = (
        await InspectorKommun.exists()
        .where((InspectorKommun.inspector == user_id) & (InspectorKommun.kommun == actor.kommun_id))
        .run()
    )
    if row is None or not (row["kommun"] == actor.kommun_id or serves):
        raise NotFound("Användaren finns inte.")
    if row["role"] == Role.inspector:
        # An inspector serving several kommuner is not one kommun's to take over: a reset would
        # hand this kommun a password that also opens the other kommuners' cases.
        elsewhere = (
            await InspectorKommun.exists()
            .where((InspectorKommun.inspector == user_id) & (InspectorKommun.kommun != actor.kommun_id))
            .run()
        )
        if elsewhere:
            raise Forbidden(
                "Besiktningspersonen arbetar även för andra kommuner. Kontakta systemförvaltningen "
                "för att ändra kontot."
            )
    if user_id == actor.id:
        raise RuleNotMet("Du kan inte göra det med ditt eget konto. Be en kollega.")
    return await accounts.get_user(user_id)


async def create_user(actor: Actor, *, name: str, email: str, role: Role) -> tuple[UserView, str]:
    """An inspector or colleague with a temporary password, shown once, changed at the first log-in."""
    if role == Role.owner:
        raise Forbidden("Butiksägare skapar sina konton själva.")
    password = temporary_password()
    user = await accounts.create_user_by(actor, name=name, email=email, role=role, password=password)
    await Account.update({Account.must_change_password: True}).where(Account.id == user.id).run()
    return await accounts.get_user(user.id), password


async def deactivate(actor: Actor, user_id: int) -> UserView:
    """The user can no longer log in and every open session stops working now."""
    await _administered(actor, user_id)
    async with database.transaction():
        await Account.update({Account.active: False}).where(Account.id == user_id).run()
        await accounts.end_sessions(user_id)
        await events.record("user_deactivated", actor=actor, detail={"user_id": user_id})
    return await accounts.get_user(user_id)


async def reactivate(actor: Actor, user_id: int) -> UserView:
    await _administered(actor, user_id)
    async with database.transaction():
        await Account.update({Account.active: True}).where(Account.id == user_id).run()
        await events.record("user_reactivated", actor=actor, detail={"user_id": user_id})
    return await accounts.get_user(user_id)


async def reset_password(actor: Actor, user_id: int) -> str:
    """A temporary password, shown once to the kommun; the user must choose a new one at log-in."""
    await _administered(actor, user_id)
    password = temporary_password()
    password_hash = await accounts.hash_password(password)
    async with database.transaction():
        await (
            Account.update({Account.password_hash: password_hash, Account.must_change_password: True})
            .where(Account.id == user_id)
            .run()
        )
        await accounts.end_sessions(user_id)
        await events.record("password_reset", actor=actor, detail={"user_id": user_id})
    return password


async def change_own_password(actor: Actor, current: str, new: str) -> None:
    """The user's own choice; it lifts the must-change mark and ends the user's other sessions."""
    if await accounts.authenticate(actor.email, current) != actor.id:
        raise RuleNotMet("Det nuvarande lösenordet stämmer inte.")
    if new == current:
        raise RuleNotMet("Välj ett annat lösenord än det nuvarande.")
    password_hash = await accounts.hash_password(new)
    async with database.transaction():
        await (
            Account.update({Account.password_hash: password_hash, Account.must_change_password: False})
            .where(Account.id == actor.id)
            .run()
        )
        await accounts.end_sessions(actor.id)
        await events.record("password_changed", actor=actor, detail={"user_id": actor.id})


class ShopOwnerView(msgspec.Struct, kw_only=True):
    """An owner of one or more of the kommun's shops, as the kommun's user page lists them."""

    id: int
    name: str
    email: str
    active: bool
    shops: list[str]


OWNERS_SHOWN = 50


async def list_shop_owners(actor: Actor, search: str = "") -> list[ShopOwnerView]:
    """The owners of the kommun's shops, by name; `search` matches name, e-mail or shop name."""
    if actor.role != Role.kommun:
        raise Forbidden("Bara kommunen kan se användarlistan.")
    where = (Business.kommun == actor.kommun_id) & Business.owner.is_not_null()
    if search.strip():
        pattern = f"%{search.strip()[:100]}%"
        columns = (Business.owner.name, Business.owner.email, Business.name)
        # Case-insensitive on both: SQLite's LIKE already is (for ASCII), PostgreSQL needs ILIKE.
        matches = [c.like(pattern) if database.is_sqlite() else c.ilike(pattern) for c in columns]
        where = where & (matches[0] | matches[1] | matches[2])
    rows = (
        await Business.select(
            Business.owner, Business.owner.name, Business.owner.email, Business.owner.active, Business.name
        )
        .where(where)
        .order_by(Business.owner.name)
        .order_by(Business.name)
        .run()
    )
    owners: dict[int, ShopOwnerView] = {}
    for row in rows:
        owner = owners.get(row["owner"])
        if owner is None:
            if len(owners) == OWNERS_SHOWN:
                break
            owner = owners[row["owner"]] = ShopOwnerView(
                id=row["owner"],
                name=row["owner.name"],
                email=row["owner.email"],
                active=row["owner.active"],
                shops=[],
            )
        owner.shops.append(row["name"])
    return list(owners.values())
