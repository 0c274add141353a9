"""Choosing a new password through an e-mailed link: the way back in for someone who forgot it.

The link is single-use and expires after VALID_FOR; only the token's hash is stored. Asking for a
link answers the same whether or not the address has an account. Using a link sets the password,
lifts any "must change password" mark, ends every session of the account (the same mechanism as a
password change) and spends every other open link of the account. The kommun may send a link to
the owner of a shop in its kommun; the mail itself goes through the outbox without a kommun, so no
case officer can read a working link there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from certify import database
from certify.domain import messages
from certify.domain.errors import NotFound, RuleNotMet
from certify.domain.messages import Recipient
from certify.domain.status import Role
from certify.services import accounts, events, notifications, policy
from certify.services.actor import Actor
from certify.services.clock import now
from certify.services.policy import Capability, represented
from certify.services.tokens import new_token, token_hash
from certify.settings import public_base_url
from certify.tables import Account, Business, PasswordReset

VALID_FOR = timedelta(hours=1)
PATH = "/nytt-losenord"


@dataclass(frozen=True, slots=True)
class ResetLink:
    """What the page asking for a new password shows: whose account the link is for."""

    email: str


def link_for(token: str) -> str:
    return f"{public_base_url()}{PATH}/{token}"


async def _sender_name(account_id: int, kommun_id: int | None) -> str:
    """The kommun that signs the mail: the user's own, an owner's shop's, or "" (the programme signs)."""
    if kommun_id is None:
        shop = (
            await Business.select(Business.kommun)
            .where(Business.id.is_in(represented(account_id)))
            .order_by(Business.id)
            .first()
            .run()
        )
        kommun_id = shop["kommun"] if shop else None
    return "" if kommun_id is None else await notifications.kommun_name(kommun_id)


async def _send(account: dict[str, Any], requested_by: Actor | None) -> None:
    """A new link and its mail, in one transaction."""
    token = new_token()
    async with database.transaction():
        await PasswordReset.insert(
            PasswordReset(
                account=account["id"],
                token_hash=token_hash(token),
                requested_by=requested_by.id if requested_by else None,
                created_at=now(),
                expires_at=now() + VALID_FOR,
            )
        ).run()
        message = messages.password_reset(
            recipient=Recipient(str(account["email"]), account["language"] or ""),
            name=str(account["name"]),
            link=link_for(token),
            valid_minutes=int(VALID_FOR.total_seconds() // 60),
            sender_name=await _sender_name(account["id"], account["kommun"]),
            sent_by_kommun=requested_by is not None,
        )
        await notifications.enqueue(message, kommun_id=None, event_id=None)
        await events.record("password_reset_link_sent", actor=requested_by, detail={"user_id": account["id"]})


_ACCOUNT_COLUMNS = (Account.id, Account.email, Account.name, Account.kommun, Account.language)


async def request_link(email: str) -> None:
    """Mail a link when an active account has this address; otherwise nothing (same answer)."""
    account = (
        await Account.select(*_ACCOUNT_COLUMNS)
        .where((Account.email == accounts.normalise_email(email)) & (Account.active == True))  # noqa: E712
        .first()
        .run()
    )
    if account is not None:
        await _send(account, requested_by=None)


async def send_by_kommun(actor: Actor, user_id: int) -> str:
    """The kommun sends a link to a representative of one of its kommun's shops; returns the address."""
    policy.require(actor, Capability.send_reset_link)
    owns_here = (
        await Business.exists()
        .where(Business.id.is_in(represented(user_id)) & (Business.kommun == actor.kommun_id))
        .run()
    )
    account = (
        await Account.select(*_ACCOUNT_COLUMNS, Account.active, Account.role)
        .where(Account.id == user_id)
        .first()
        .run()
    )
    if not owns_here or account is None or account["role"] != Role.owner:
        raise NotFound("user_not_found")
    if not account["active"]:
        raise RuleNotMet("account_inactive")
    await _send(account, requested_by=actor)
    return str(account["email"])


async def check(token: str) -> ResetLink | None:
    """The link's account while the link can still be used; None when used, expired or unknown."""
    row = (
        await PasswordReset.select(PasswordReset.account.email, PasswordReset.account.active)
        .where(
            (PasswordReset.token_hash == token_hash(token))
            & PasswordReset.used_at.is_null()
            & (PasswordReset.expires_at > now())
        )
        .first()
        .run()
    )
    if row is None or not row["account.active"]:
        return None
    return ResetLink(email=row["account.email"])


async def complete(token: str, new_password: str) -> int:
    """Set the new password through the link, once; returns the account id."""
    password_hash = await accounts.hash_password(new_password)  # InvalidField when too short
    async with database.transaction():
        spent = (
            await PasswordReset.update({PasswordReset.used_at: now()})
            .where(
                (PasswordReset.token_hash == token_hash(token))
                & PasswordReset.used_at.is_null()
                & (PasswordReset.expires_at > now())
            )
            .returning(PasswordReset.account)
            .run()
        )
        if not spent:
            raise NotFound("reset_link_spent")
        account_id = int(spent[0]["account"])
        changed = (
            await Account.update({Account.password_hash: password_hash, Account.must_change_password: False})
            .where((Account.id == account_id) & (Account.active == True))  # noqa: E712
            .returning(Account.id)
            .run()
        )
        if not changed:
            raise NotFound("reset_link_spent")
        await (
            PasswordReset.update({PasswordReset.used_at: now()})
            .where((PasswordReset.account == account_id) & PasswordReset.used_at.is_null())
            .run()
        )
        await accounts.end_sessions(account_id)
        await events.record("password_reset_by_link", actor=None, detail={"user_id": account_id})
    return account_id
