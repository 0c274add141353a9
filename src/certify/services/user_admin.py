"""The kommun's user administration and everyone's own password.

Deactivating or resetting ends the user's sessions at once (accounts.end_sessions); the account row
stays, so verdicts, events and certificates keep naming who did what.
"""

from __future__ import annotations

import secrets
from typing import Any

import msgspec

from certify import database
from certify.domain import messages
from certify.domain.errors import Forbidden, NotFound, RuleNotMet
from certify.domain.messages import Recipient
from certify.domain.status import CaseState, Role
from certify.services import accounts, cases, events, notifications, policy
from certify.services.actor import Actor
from certify.services.policy import Capability
from certify.services.views import UserView
from certify.tables import Account, Application, InspectorKommun, Kommun, Representative

_TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread on the phone


def temporary_password() -> str:
    """Three groups of four: easy to read aloud, 60 bits of chance, changed at the next log-in."""
    return "-".join("".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(4)) for _ in range(3))


async def _administered(actor: Actor, user_id: int) -> UserView:
    """A user the kommun may administer: its own colleagues and the inspectors serving it."""
    policy.require(actor, Capability.administer_users)
    row = await Account.select(Account.role, Account.kommun).where(Account.id == user_id).first().run()
    serves = (
        await InspectorKommun.exists()
        .where((InspectorKommun.inspector == user_id) & (InspectorKommun.kommun == actor.kommun_id))
        .run()
    )
    if row is None or not (row["kommun"] == actor.kommun_id or serves):
        raise NotFound("user_not_found")
    if row["role"] == Role.inspector:
        # An inspector serving several kommuner is not one kommun's to take over: a reset would
        # hand this kommun a password that also opens the other kommuners' cases.
        elsewhere = (
            await InspectorKommun.exists()
            .where((InspectorKommun.inspector == user_id) & (InspectorKommun.kommun != actor.kommun_id))
            .run()
        )
        if elsewhere:
            raise Forbidden("inspector_serves_other_kommuner")
    if user_id == actor.id:
        raise RuleNotMet("not_with_own_account")
    return await accounts.get_user(user_id)


ADMINISTERED_ROLES = (Role.inspector, Role.kommun)
UNLINKED_REASON = "Besiktningspersonen arbetar inte längre för kommunen."
OPEN_ASSIGNMENTS = (CaseState.scheduled.value, CaseState.corrections_required.value)


async def _own_kommun(actor: Actor) -> dict[str, Any]:
    policy.require(actor, Capability.administer_users)
    row = (
        await Kommun.select(Kommun.id, Kommun.code, Kommun.name)
        .where(Kommun.id == actor.kommun_id)
        .first()
        .run()
    )
    assert row is not None, "a kommun user always belongs to a kommun"
    return row


async def create_user(
    actor: Actor, *, name: str, email: str, role: Role, kommun_codes: list[str] | None = None
) -> tuple[UserView, str]:
    """An inspector or colleague of the caller's own kommun, with a one-time password shown once.

    The kommun never chooses the password and never creates accounts for another kommun: an
    inspector who also serves another kommun is added by that kommun itself (link_inspector).
    Shop owners sign up themselves or are invited from the kommun's shop list.
    """
    own = await _own_kommun(actor)
    if role not in ADMINISTERED_ROLES:
        raise RuleNotMet(
            "kommun_creates_staff_only",
            extra={"field": "role"},
        )
    if kommun_codes and set(kommun_codes) != {own["code"]}:
        raise RuleNotMet(
            "own_kommun_only",
            extra={"field": "kommun_codes"},
        )
    password = temporary_password()
    account_id = await accounts.create_account(
        email=email,
        name=name,
        role=role,
        password=password,
        kommun_codes=[own["code"]],
        created_by=actor,
        must_change_password=True,
    )
    return await accounts.get_user(account_id), password


async def link_inspector(actor: Actor, email: str, base_url: str) -> UserView:
    """An inspector who already serves another kommun now also serves the caller's; he is told.

    Answers 404 for any address that is not an inspector's, so that the route does not tell
    which addresses have accounts of other kinds.
    """
    own = await _own_kommun(actor)
    address = accounts.normalise_email(email)
    async with database.transaction():
        row = (
            await Account.select(Account.id, Account.name, Account.active, Account.language)
            .where((Account.email == address) & (Account.role == Role.inspector.value))
            .first()
            .run()
        )
        if row is None:
            raise NotFound("inspector_email_unknown")
        if not row["active"]:
            raise RuleNotMet("inspector_account_inactive")
        linked = (
            await InspectorKommun.exists()
            .where((InspectorKommun.inspector == row["id"]) & (InspectorKommun.kommun == own["id"]))
            .run()
        )
        if not linked:
            await InspectorKommun.insert(InspectorKommun(inspector=row["id"], kommun=own["id"])).run()
            await events.record("inspector_linked", actor=actor, detail={"user_id": row["id"]})
            message = messages.inspector_linked(
                recipient=Recipient(address, row["language"] or ""),
                inspector_name=row["name"],
                kommun_name=own["name"],
                login_link=f"{base_url}/logga-in",
            )
            await notifications.enqueue(message, kommun_id=own["id"], event_id=None)
    return await accounts.get_user(row["id"])


async def unlink_inspector(actor: Actor, user_id: int) -> UserView:
    """The caller's kommun stops using an inspector it shares with other kommuner.

    His open cases in this kommun go back to its queue (workflow action `unassign`); cases he
    has decided keep naming him. An inspector who serves only this kommun is deactivated instead,
    so that no account is left that no kommun can administer.
    """
    own = await _own_kommun(actor)
    async with database.transaction():
        links = (
            await InspectorKommun.select(InspectorKommun.kommun)
            .where(InspectorKommun.inspector == user_id)
            .run()
        )
        kommuner = {link["kommun"] for link in links}
        if own["id"] not in kommuner:
            raise NotFound("user_not_found")
        if kommuner == {own["id"]}:
            raise RuleNotMet("inspector_serves_only_this_kommun")
        await (
            InspectorKommun.delete()
            .where((InspectorKommun.inspector == user_id) & (InspectorKommun.kommun == own["id"]))
            .run()
        )
        assigned = (
            await Application.select(Application.id)
            .where(
                (Application.inspector == user_id)
                & (Application.business.kommun == own["id"])
                & Application.state.is_in(list(OPEN_ASSIGNMENTS))
            )
            .order_by(Application.id)
            .run()
        )
        for case in assigned:
            await cases.unassign(actor, case["id"], reason=UNLINKED_REASON)
        await events.record(
            "inspector_unlinked",
            actor=actor,
            detail={"user_id": user_id, "unassigned": [c["id"] for c in assigned]},
        )
    return await accounts.get_user(user_id)


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
        raise RuleNotMet("wrong_current_password")
    if new == current:
        raise RuleNotMet("same_password")
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
    """The people who act for the kommun's shops (their representatives), by name; `search` matches
    name, e-mail or shop name."""
    policy.require(actor, Capability.list_users)
    where = Representative.business.kommun == actor.kommun_id
    if search.strip():
        pattern = f"%{search.strip()[:100]}%"
        columns = (Representative.account.name, Representative.account.email, Representative.business.name)
        # Case-insensitive on both: SQLite's LIKE already is (for ASCII), PostgreSQL needs ILIKE.
        matches = [c.like(pattern) if database.is_sqlite() else c.ilike(pattern) for c in columns]
        where = where & (matches[0] | matches[1] | matches[2])
    rows = (
        await Representative.select(
            Representative.account,
            Representative.account.name,
            Representative.account.email,
            Representative.account.active,
            Representative.business.name,
        )
        .where(where)
        .order_by(Representative.account.name)
        .order_by(Representative.business.name)
        .run()
    )
    owners: dict[int, ShopOwnerView] = {}
    for row in rows:
        owner = owners.get(row["account"])
        if owner is None:
            if len(owners) == OWNERS_SHOWN:
                break
            owner = owners[row["account"]] = ShopOwnerView(
                id=row["account"],
                name=row["account.name"],
                email=row["account.email"],
                active=row["account.active"],
                shops=[],
            )
        owner.shops.append(row["business.name"])
    return list(owners.values())
