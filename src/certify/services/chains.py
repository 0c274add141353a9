"""Chains (kedjor) and their member shops: the first foundation of chain certification (issue 17).

A chain representative is not a role but a capability of an owner account listed for the chain: the
owner who creates a chain is its first representative and may add another owner account by e-mail
address, or leave or close his account (never the last). A shop is in at most one chain; it joins
when its owner accepts the chain's e-mailed invitation (a one-time token, only its hash stored, valid
30 days), or when a representative who also represents the shop adds it ("own"). A chain
representative or the shop's own representative may take a shop out again.

Who sees what is policy.chain_scope / chain_member_scope. A member is shown with its name, kommun,
certificate status and the state of its latest case: states and dates only, never answers,
comments, remarks or evidence. Every change is an event (without a case) in the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

import msgspec
from piccolo.query.functions.aggregate import Count

from certify import database
from certify.domain import messages
from certify.domain.errors import Conflict, InvalidField, NotFound, RuleNotMet
from certify.domain.messages import Recipient
from certify.domain.org_number import format_org_number, normalise_org_number
from certify.domain.status import Role
from certify.services import businesses, events, notifications, policy
from certify.services.accounts import normalise_email
from certify.services.actor import Actor
from certify.services.certificates import status_of
from certify.services.clock import local_date, now
from certify.services.policy import Capability, chain_member_scope, chain_scope, represented
from certify.services.tokens import new_token, token_hash
from certify.settings import public_base_url
from certify.tables import (
    Account,
    Business,
    Certificate,
    Chain,
    ChainInvitation,
    ChainMember,
    ChainRepresentative,
)

INVITATION_VALID_FOR = timedelta(days=30)


class Way(StrEnum):
    """How a shop joined its chain."""

    invited = "invited"  # its owner accepted the chain's invitation
    own = "own"  # a chain representative who represents the shop added it


class ChainRepresentativeView(msgspec.Struct, kw_only=True):
    account_id: int
    name: str
    email: str


class ChainMemberView(msgspec.Struct, kw_only=True):
    """A member shop as the chain sees it: states and dates only, never what the shop answered."""

    business_id: int
    name: str
    kommun: str
    joined_at: datetime
    way: Way
    certificate_status: str | None  # valid, expired, revoked; None without a certificate
    certificate_valid_until: date | None
    case_state: str | None  # the state of the shop's latest case, if any


class ChainView(msgspec.Struct, kw_only=True):
    id: int
    name: str
    org_number: str
    you_represent: bool  # the caller is one of the chain's representatives
    representatives: list[ChainRepresentativeView]  # empty unless you represent the chain
    members: list[ChainMemberView]  # the members the caller may see


class ChainInvitationView(msgspec.Struct, kw_only=True):
    id: int
    chain_id: int
    email: str
    expires_at: datetime


class ChainInvitationLookup(msgspec.Struct, kw_only=True):
    chain_id: int
    chain_name: str
    expires_at: datetime


# --- reading ------------------------------------------------------------------------------------


async def _members(actor: Actor, chain_ids: list[int]) -> dict[int, list[ChainMemberView]]:
    if not chain_ids:
        return {}
    rows = (
        await ChainMember.select(
            ChainMember.chain,
            ChainMember.business,
            ChainMember.joined_at,
            ChainMember.way,
            ChainMember.business.name,
            ChainMember.business.kommun.name,
        )
        .where(ChainMember.chain.is_in(chain_ids) & chain_member_scope(actor))
        .order_by(ChainMember.business.name)
        .run()
    )
    business_ids = [r["business"] for r in rows]
    certificates = await _latest_certificates(business_ids)
    states = await businesses.latest_states(business_ids)
    found: dict[int, list[ChainMemberView]] = {chain_id: [] for chain_id in chain_ids}
    for r in rows:
        certificate = certificates.get(r["business"])
        found[r["chain"]].append(
            ChainMemberView(
                business_id=r["business"],
                name=r["business.name"],
                kommun=r["business.kommun.name"],
                joined_at=r["joined_at"],
                way=Way(r["way"]),
                certificate_status=status_of(certificate).value if certificate else None,
                certificate_valid_until=certificate["valid_until"] if certificate else None,
                case_state=states.get(r["business"]),
            )
        )
    return found


async def _latest_certificates(business_ids: list[int]) -> dict[int, dict[str, Any]]:
    if not business_ids:
        return {}
    rows = (
        await Certificate.select(
            Certificate.business, Certificate.valid_until, Certificate.revoked_at, Certificate.issued_at
        )
        .where(Certificate.business.is_in(business_ids))
        .order_by(Certificate.issued_at)
        .order_by(Certificate.id)
        .run()
    )
    return {r["business"]: r for r in rows}  # the newest wins


async def _representatives(chain_ids: Iterable[int]) -> dict[int, list[ChainRepresentativeView]]:
    ids = list(chain_ids)
    if not ids:
        return {}
    rows = (
        await ChainRepresentative.select(
            ChainRepresentative.chain,
            ChainRepresentative.account,
            ChainRepresentative.account.name,
            ChainRepresentative.account.email,
        )
        .where(ChainRepresentative.chain.is_in(ids))
        .order_by(ChainRepresentative.id)
        .run()
    )
    found: dict[int, list[ChainRepresentativeView]] = {chain_id: [] for chain_id in ids}
    for r in rows:
        found[r["chain"]].append(
            ChainRepresentativeView(account_id=r["account"], name=r["account.name"], email=r["account.email"])
        )
    return found


async def _views(actor: Actor, where: Any) -> list[ChainView]:
    rows = await Chain.select(Chain.id, Chain.name, Chain.org_number).where(where).order_by(Chain.name).run()
    ids = [r["id"] for r in rows]
    mine: set[int] = set()
    if actor.role == Role.owner and ids:
        mine = {
            r["chain"]
            for r in await ChainRepresentative.select(ChainRepresentative.chain)
            .where(ChainRepresentative.chain.is_in(ids) & (ChainRepresentative.account == actor.id))
            .run()
        }
    members = await _members(actor, ids)
    representatives = await _representatives(mine)
    return [
        ChainView(
            id=r["id"],
            name=r["name"],
            org_number=format_org_number(r["org_number"]),
            you_represent=r["id"] in mine,
            representatives=representatives.get(r["id"], []),
            members=members.get(r["id"], []),
        )
        for r in rows
    ]


async def list_visible(actor: Actor) -> list[ChainView]:
    """The chains the caller sees: an owner his chains and his shops' chains, a kommun the chains
    with members in its kommun (only those members)."""
    if actor.role == Role.kommun:
        policy.require(actor, Capability.see_chains)
    else:
        policy.require(actor, Capability.keep_chains)
    return await _views(actor, chain_scope(actor))


async def get(actor: Actor, chain_id: int) -> ChainView:
    found = await _views(actor, (Chain.id == chain_id) & chain_scope(actor))
    if not found:
        raise NotFound("chain_not_found")
    return found[0]


async def _represented_chain(actor: Actor, chain_id: int) -> dict[str, Any]:
    """The chain, if the caller is one of its representatives; else 404 as if it did not exist."""
    policy.require(actor, Capability.keep_chains)
    row = (
        await Chain.select(Chain.id, Chain.name)
        .where((Chain.id == chain_id) & Chain.id.is_in(policy.chains_represented(actor.id)))
        .first()
        .run()
    )
    if row is None:
        raise NotFound("chain_not_found")
    return row


# --- the chain and its representatives -----------------------------------------------------------


async def create(actor: Actor, name: str, org_number: str) -> ChainView:
    """An owner creates a chain and becomes its first representative."""
    policy.require(actor, Capability.keep_chains)
    name = " ".join(name.split())
    if not name:
        raise InvalidField("name", "chain_name_missing")
    digits = normalise_org_number(org_number)
    async with database.transaction():
        if await Chain.exists().where(Chain.org_number == digits).run():
            raise Conflict("chain_org_number_taken")
        try:
            rows = (
                await Chain.insert(Chain(name=name, org_number=digits, created_by=actor.id))
                .returning(Chain.id)
                .run()
            )
        except database.INTEGRITY_ERRORS as exc:  # created by someone else meanwhile
            if database.is_unique_violation(exc):
                raise Conflict("chain_org_number_taken") from exc
            raise
        chain_id = rows[0]["id"]
        await ChainRepresentative.insert(ChainRepresentative(chain=chain_id, account=actor.id)).run()
        await events.record("chain_created", actor=actor, detail={"chain_id": chain_id, "name": name})
    return await get(actor, chain_id)


async def add_representative(actor: Actor, chain_id: int, email: str) -> ChainView:
    """A representative adds another owner account (which must exist) as representative."""
    address = normalise_email(email)
    async with database.transaction():
        await _represented_chain(actor, chain_id)
        account = (
            await Account.select(Account.id, Account.email, Account.name)
            .where((Account.email == address) & (Account.role == Role.owner.value) & (Account.active == True))  # noqa: E712
            .first()
            .run()
        )
        if account is None:
            raise RuleNotMet("chain_account_unknown")
        owner = Actor(id=account["id"], email=account["email"], name=account["name"], role=Role.owner)
        if await policy.represents_chain(owner, chain_id):
            raise RuleNotMet("already_chain_representative")
        await ChainRepresentative.insert(ChainRepresentative(chain=chain_id, account=account["id"])).run()
        await events.record(
            "chain_representative_added",
            actor=actor,
            detail={"chain_id": chain_id, "account_id": account["id"]},
        )
    return await get(actor, chain_id)


async def left_without_representative(account_id: int) -> list[int]:
    """The chains that would have no representative if this account went: a chain always keeps one
    (leaving, closing the account), so that someone still acts for its member shops."""
    mine = ChainRepresentative.select(ChainRepresentative.chain).where(
        ChainRepresentative.account == account_id
    )
    rows = (
        await ChainRepresentative.select(ChainRepresentative.chain, Count(ChainRepresentative.id))
        .where(ChainRepresentative.chain.is_in(mine))
        .group_by(ChainRepresentative.chain)
        .run()
    )
    return sorted(int(row["chain"]) for row in rows if row["count"] <= 1)


async def forget_account(account_id: int) -> None:
    """A closed account acts for no chain any more (the caller's transaction, after
    left_without_representative found none it would leave without one)."""
    await ChainRepresentative.delete().where(ChainRepresentative.account == account_id).run()


async def leave(actor: Actor, chain_id: int) -> None:
    """A representative stops acting for the chain; the chain always keeps one."""
    async with database.transaction():
        await _represented_chain(actor, chain_id)
        if chain_id in await left_without_representative(actor.id):
            raise RuleNotMet("last_chain_representative")
        await (
            ChainRepresentative.delete()
            .where((ChainRepresentative.chain == chain_id) & (ChainRepresentative.account == actor.id))
            .run()
        )
        await events.record(
            "chain_representative_left", actor=actor, detail={"chain_id": chain_id, "account_id": actor.id}
        )


# --- members -------------------------------------------------------------------------------------


async def _represented_shop(actor: Actor, business_id: int) -> None:
    if (
        not await Business.exists()
        .where((Business.id == business_id) & Business.id.is_in(represented(actor.id)))
        .run()
    ):
        raise NotFound("business_not_found")


async def _join(actor: Actor, chain_id: int, business_id: int, way: Way) -> None:
    """In the caller's transaction: the shop joins, unless it is in a chain already (409)."""
    if await ChainMember.exists().where(ChainMember.business == business_id).run():
        raise Conflict("shop_already_in_chain")
    try:
        await ChainMember.insert(ChainMember(chain=chain_id, business=business_id, way=way.value)).run()
    except database.INTEGRITY_ERRORS as exc:  # joined another chain meanwhile
        if database.is_unique_violation(exc):
            raise Conflict("shop_already_in_chain") from exc
        raise
    await events.record(
        "chain_joined", actor=actor, business_id=business_id, detail={"chain_id": chain_id, "way": way.value}
    )


async def add_own_shop(actor: Actor, chain_id: int, business_id: int) -> ChainView:
    """A representative of the chain who also represents the shop adds it directly."""
    async with database.transaction():
        await _represented_chain(actor, chain_id)
        await _represented_shop(actor, business_id)
        await _join(actor, chain_id, business_id, Way.own)
    return await get(actor, chain_id)


async def remove_member(actor: Actor, chain_id: int, business_id: int) -> bool:
    """A chain representative, or a representative of the shop, takes the shop out of the chain.
    Answers whether the caller still sees the chain (a shop's owner who is no representative does
    not, once his last shop is out)."""
    policy.require(actor, Capability.keep_chains)
    async with database.transaction():
        member = (
            await ChainMember.select(ChainMember.id)
            .where(
                (ChainMember.chain == chain_id)
                & (ChainMember.business == business_id)
                & chain_member_scope(actor)
            )
            .first()
            .run()
        )
        if member is None:
            raise NotFound("chain_member_not_found")
        await ChainMember.delete().where(ChainMember.id == member["id"]).run()
        await events.record("chain_left", actor=actor, business_id=business_id, detail={"chain_id": chain_id})
    return bool(await Chain.exists().where((Chain.id == chain_id) & chain_scope(actor)).run())


# --- invitations ---------------------------------------------------------------------------------


async def invite(actor: Actor, chain_id: int, email: str) -> ChainInvitationView:
    """A representative invites a shop's owner by e-mail; the link works once, for 30 days."""
    address = normalise_email(email)
    token = new_token()
    expires_at = now() + INVITATION_VALID_FOR
    async with database.transaction():
        chain = await _represented_chain(actor, chain_id)
        rows = (
            await ChainInvitation.insert(
                ChainInvitation(
                    chain=chain_id,
                    email=address,
                    token_hash=token_hash(token),
                    invited_by=actor.id,
                    expires_at=expires_at,
                )
            )
            .returning(ChainInvitation.id)
            .run()
        )
        account = await Account.select(Account.language).where(Account.email == address).first().run()
        message = messages.chain_invitation(
            recipient=Recipient(address, account["language"] if account else ""),
            chain_name=chain["name"],
            inviter_name=actor.name,
            link=f"{public_base_url()}/kedjeinbjudan/{token}",
            expires_on=local_date(expires_at),
        )
        await notifications.enqueue(message, kommun_id=None, event_id=None)
        await events.record("chain_invited", actor=actor, detail={"chain_id": chain_id, "email": address})
    return ChainInvitationView(id=rows[0]["id"], chain_id=chain_id, email=address, expires_at=expires_at)


def _usable(token: str) -> Any:
    return (
        (ChainInvitation.token_hash == token_hash(token))
        & ChainInvitation.accepted_at.is_null()
        & (ChainInvitation.expires_at >= now())
    )


async def lookup(actor: Actor, token: str) -> ChainInvitationLookup:
    """What the link's page shows a logged-in owner: which chain invites him (404 once used)."""
    policy.require(actor, Capability.keep_chains)
    row = (
        await ChainInvitation.select(
            ChainInvitation.chain, ChainInvitation.chain.name, ChainInvitation.expires_at
        )
        .where(_usable(token))
        .first()
        .run()
    )
    if row is None:
        raise NotFound("chain_invitation_not_found")
    return ChainInvitationLookup(
        chain_id=row["chain"], chain_name=row["chain.name"], expires_at=row["expires_at"]
    )


async def accept(actor: Actor, token: str, business_id: int) -> ChainView:
    """The invited owner, logged in, lets one of the shops he represents join; the link works once."""
    policy.require(actor, Capability.keep_chains)
    async with database.transaction():
        invitation = (
            await ChainInvitation.select(ChainInvitation.id, ChainInvitation.chain)
            .where(_usable(token))
            .first()
            .run()
        )
        if invitation is None:
            raise NotFound("chain_invitation_not_found")
        await _represented_shop(actor, business_id)
        taken = (
            await ChainInvitation.update(
                {ChainInvitation.accepted_at: now(), ChainInvitation.business: business_id}
            )
            .where((ChainInvitation.id == invitation["id"]) & ChainInvitation.accepted_at.is_null())
            .returning(ChainInvitation.id)
            .run()
        )
        if not taken:
            raise NotFound("chain_invitation_not_found")
        await _join(actor, invitation["chain"], business_id, Way.invited)
    return await get(actor, invitation["chain"])
