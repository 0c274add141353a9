"""E-mailed invitations, for two purposes with one mechanism: the kommun invites an imported
business to sign up and claim its shop (`invite`), and a representative of a company invites another
person to act for it too (`invite_representative`). Either is taken up with `claim`.

The e-mailed link carries a random token; only its SHA-256 is stored, so a database reader cannot
claim shops. The invitation e-mail goes through the outbox in the same transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

import msgspec

from certify import database
from certify.domain import messages
from certify.domain.errors import InvalidField, NotFound, RuleNotMet
from certify.domain.messages import Recipient
from certify.services import businesses, events, notifications, policy, representatives
from certify.services.accounts import normalise_email
from certify.services.actor import Actor
from certify.services.clock import local_date, now
from certify.services.policy import Capability, business_scope
from certify.services.tokens import new_token, token_hash
from certify.services.views import BusinessView
from certify.settings import public_base_url
from certify.tables import Business, Invitation, Representative

VALID_FOR = timedelta(days=60)
REPRESENTATIVE_VALID_FOR = timedelta(days=14)  # a link that lets someone act for a company: short


class Purpose(StrEnum):
    shop = "shop"  # claim an imported shop that has no owner
    representative = "representative"  # act for the company of a shop that has one


class InvitationView(msgspec.Struct, kw_only=True):
    id: int
    business_id: int
    email: str
    expires_at: datetime


class Usable(StrEnum):
    """Whether an e-mailed invitation link can still be used."""

    yes = "yes"
    unknown = "unknown"
    used = "used"  # claimed, or the shop has an owner by now
    expired = "expired"


class InvitedShop(msgspec.Struct, kw_only=True):
    id: int
    name: str
    street_address: str
    postal_code: str
    city: str


class InvitationLookup(msgspec.Struct, kw_only=True):
    usable: Usable
    shop: InvitedShop | None  # None when the token is unknown
    purpose: Purpose = Purpose.shop


async def lookup(token: str) -> InvitationLookup:
    """What the link's landing page shows, for anyone holding the link (the token is the secret)."""
    row = (
        await Invitation.select(
            Invitation.expires_at,
            Invitation.claimed_at,
            Invitation.business.id,
            Invitation.business.name,
            Invitation.business.street_address,
            Invitation.business.postal_code,
            Invitation.business.city,
            Invitation.business.owner,
            Invitation.purpose,
        )
        .where(Invitation.token_hash == token_hash(token[:200]))
        .first()
        .run()
    )
    if row is None:
        return InvitationLookup(usable=Usable.unknown, shop=None)
    shop = InvitedShop(
        id=row["business.id"],
        name=row["business.name"],
        street_address=row["business.street_address"],
        postal_code=row["business.postal_code"],
        city=row["business.city"],
    )
    purpose = Purpose(row["purpose"])
    taken = purpose == Purpose.shop and row["business.owner"] is not None
    if row["claimed_at"] is not None or taken:
        return InvitationLookup(usable=Usable.used, shop=shop, purpose=purpose)
    if row["expires_at"] < now():
        return InvitationLookup(usable=Usable.expired, shop=shop, purpose=purpose)
    return InvitationLookup(usable=Usable.yes, shop=shop, purpose=purpose)


async def invite(actor: Actor, business_id: int) -> InvitationView:
    """The kommun invites a shop without an owner; a new invitation may be sent at any time."""
    policy.require(actor, Capability.invite_shops)
    token = new_token()
    expires_at = now() + VALID_FOR
    async with database.transaction():
        shop = (
            await Business.select(Business.name, Business.email, Business.owner, Business.kommun)
            .where((Business.id == business_id) & business_scope(actor))
            .first()
            .run()
        )
        if shop is None:
            raise NotFound("business_not_found")
        if shop["owner"] is not None:
            raise RuleNotMet("business_already_claimed")
        if not shop["email"]:
            raise InvalidField("email", "shop_email_missing")
        rows = (
            await Invitation.insert(
                Invitation(
                    business=business_id,
                    email=shop["email"],
                    token_hash=token_hash(token),
                    invited_by=actor.id,
                    expires_at=expires_at,
                )
            )
            .returning(Invitation.id)
            .run()
        )
        # The address has no account yet, so no language of its own: the kommun's, Swedish.
        message = messages.invitation(
            recipient=Recipient(shop["email"]),
            business_name=shop["name"],
            kommun_name=await notifications.kommun_name(shop["kommun"]),
            link=f"{public_base_url()}/inbjudan/{token}",
            expires_on=local_date(expires_at),
        )
        await notifications.enqueue(message, kommun_id=shop["kommun"], event_id=None)
        await events.record("invite", actor=actor, business_id=business_id, detail={"email": shop["email"]})
    return InvitationView(
        id=rows[0]["id"], business_id=business_id, email=shop["email"], expires_at=expires_at
    )


async def invite_representative(actor: Actor, business_id: int, email: str) -> InvitationView:
    """A representative of the company invites another person to act for it; the invited person
    logs in (password or e-legitimation) with the link and states his own basis."""
    policy.require(actor, Capability.invite_representative)
    address = normalise_email(email)
    token = new_token()
    expires_at = now() + REPRESENTATIVE_VALID_FOR
    async with database.transaction():
        shop = (
            await Business.select(Business.name, Business.kommun)
            .where((Business.id == business_id) & business_scope(actor))
            .first()
            .run()
        )
        if shop is None:
            raise NotFound("business_not_found")
        already = (
            await Representative.exists()
            .where((Representative.business == business_id) & (Representative.account.email == address))
            .run()
        )
        if already:
            raise RuleNotMet("already_representative")
        rows = (
            await Invitation.insert(
                Invitation(
                    business=business_id,
                    email=address,
                    token_hash=token_hash(token),
                    invited_by=actor.id,
                    expires_at=expires_at,
                    purpose=Purpose.representative.value,
                )
            )
            .returning(Invitation.id)
            .run()
        )
        # The address may have no account yet, so no language of its own: Swedish.
        message = messages.representative_invitation(
            recipient=Recipient(address),
            business_name=shop["name"],
            inviter_name=actor.name,
            link=f"{public_base_url()}/inbjudan/{token}",
            expires_on=local_date(expires_at),
        )
        await notifications.enqueue(message, kommun_id=shop["kommun"], event_id=None)
        await events.record(
            "representative_invited",
            actor=actor,
            application_id=await representatives.open_case_of(business_id),
            business_id=business_id,
            detail={"email": address},
        )
    return InvitationView(id=rows[0]["id"], business_id=business_id, email=address, expires_at=expires_at)


async def claim(actor: Actor, token: str) -> BusinessView:
    """A logged-in owner takes over the invited shop, or starts acting for the invited company;
    each invitation works once. Either way he is a representative whose basis is not stated yet."""
    policy.require(actor, Capability.claim_invitation)
    async with database.transaction():
        invitation = (
            await Invitation.select(
                Invitation.id, Invitation.business, Invitation.expires_at, Invitation.purpose
            )
            .where((Invitation.token_hash == token_hash(token)) & Invitation.claimed_at.is_null())
            .first()
            .run()
        )
        if invitation is None or invitation["expires_at"] < now():
            raise NotFound("invitation_not_found")
        business_id = invitation["business"]
        if invitation["purpose"] == Purpose.representative:
            if await representatives.is_representative(business_id, actor.id):
                raise RuleNotMet("already_representative")
            action = "representative_added"
        else:
            taken = (
                await Business.update({Business.owner: actor.id})
                .where((Business.id == business_id) & Business.owner.is_null())
                .returning(Business.id)
                .run()
            )
            if not taken:
                raise RuleNotMet("business_already_claimed")
            action = "invitation_claimed"
        await representatives.add(business_id, actor.id)
        await (
            Invitation.update({Invitation.claimed_at: now(), Invitation.claimed_by: actor.id})
            .where(Invitation.id == invitation["id"])
            .run()
        )
        await events.record(
            action,
            actor=actor,
            application_id=await representatives.open_case_of(business_id),
            business_id=business_id,
        )
    return await businesses.get(actor, business_id)
