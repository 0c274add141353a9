"""Reported changes (anmälda ändringar) of a certified shop's name and address.

A certificate vouches for the shop that was inspected: its name, street address, postal code and
city. While a certificate is in force, the owner's change of those facts is not written to the
business; it is stored as a reported change that the shop's kommun accepts (then the business
changes, and with it the verify page and the open register) or rejects (nothing changes). One
change waits per shop at a time; a new report adds to it.
"""

from __future__ import annotations

from typing import Any

from certify import database
from certify.domain.errors import Conflict, InvalidField, NotFound
from certify.services import events, policy
from certify.services.actor import Actor
from certify.services.clock import now, today
from certify.services.policy import Capability, business_scope
from certify.services.views import BusinessChangeView
from certify.tables import Application, Business, BusinessChange, Certificate

INSPECTED_FIELDS = ("name", "street_address", "postal_code", "city")
"""What a certificate names: changing them on a certified shop needs the kommun's acceptance."""

REPORTED = "reported"
ACCEPTED = "accepted"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"  # the owner changed the facts back to what is stored

_COLUMNS = (
    BusinessChange.id,
    BusinessChange.business,
    BusinessChange.state,
    BusinessChange.proposed,
    BusinessChange.previous,
    BusinessChange.reported_at,
    BusinessChange.decided_at,
    BusinessChange.reason,
)


def _view(row: dict[str, Any]) -> BusinessChangeView:
    return BusinessChangeView(
        id=row["id"],
        business_id=row["business"],
        state=row["state"],
        proposed=row["proposed"],
        previous=row["previous"],
        reported_at=row["reported_at"],
        decided_at=row["decided_at"],
        reason=row["reason"],
    )


async def certified(business_id: int) -> bool:
    """Whether a certificate of the shop is in force (or starts later, for a renewal)."""
    return bool(
        await Certificate.exists()
        .where(
            (Certificate.business == business_id)
            & Certificate.revoked_at.is_null()
            & (Certificate.valid_until >= today())
        )
        .run()
    )


async def _latest_case(business_id: int) -> int | None:
    row = (
        await Application.select(Application.id)
        .where(Application.business == business_id)
        .order_by(Application.id, ascending=False)
        .first()
        .run()
    )
    return row["id"] if row else None


async def _waiting(business_id: int) -> dict[str, Any] | None:
    return (
        await BusinessChange.select(*_COLUMNS)
        .where((BusinessChange.business == business_id) & (BusinessChange.state == REPORTED))
        .first()
        .output(load_json=True)
        .run()
    )


async def report(actor: Actor, shop: dict[str, Any], changes: dict[str, str]) -> None:
    """Record the owner's change of inspected facts (caller's transaction, shop locked).

    `shop` is the business row as stored; a field changed back to its stored value drops out.
    """
    waiting = await _waiting(shop["id"])
    proposed = {**(waiting["proposed"] if waiting else {}), **changes}
    proposed = {k: v for k, v in proposed.items() if v != shop[k]}
    previous = {k: shop[k] for k in proposed}
    if waiting is None and not proposed:
        return
    if waiting is None:
        rows = (
            await BusinessChange.insert(
                BusinessChange(
                    business=shop["id"],
                    kommun=shop["kommun"],
                    proposed=proposed,
                    previous=previous,
                    reported_by=actor.id,
                    reported_at=now(),
                )
            )
            .returning(BusinessChange.id)
            .run()
        )
        change_id = rows[0]["id"]
    else:
        change_id = waiting["id"]
        await (
            BusinessChange.update(
                {
                    BusinessChange.proposed: proposed,
                    BusinessChange.previous: previous,
                    BusinessChange.reported_at: now(),
                    BusinessChange.reported_by: actor.id,
                    # Changed back to what is stored: nothing is left for the kommun to decide.
                    BusinessChange.state: REPORTED if proposed else WITHDRAWN,
                }
            )
            .where(BusinessChange.id == change_id)
            .run()
        )
    await events.record(
        "business_change_reported" if proposed else "business_change_withdrawn",
        actor=actor,
        application_id=await _latest_case(shop["id"]),
        business_id=shop["id"],
        detail={"change_id": change_id, "proposed": proposed},
    )


async def waiting_for(business_id: int) -> BusinessChangeView | None:
    row = await _waiting(business_id)
    return _view(row) if row else None


async def list_for_business(actor: Actor, business_id: int) -> list[BusinessChangeView]:
    """The shop's reported changes, newest first, for whoever may see the shop."""
    visible = await Business.exists().where((Business.id == business_id) & business_scope(actor)).run()
    if not visible:
        raise NotFound("business_not_found")
    rows = (
        await BusinessChange.select(*_COLUMNS)
        .where(BusinessChange.business == business_id)
        .order_by(BusinessChange.id, ascending=False)
        .output(load_json=True)
        .run()
    )
    return [_view(r) for r in rows]


async def decide(
    actor: Actor, business_id: int, change_id: int, *, accept: bool, reason: str = ""
) -> BusinessChangeView:
    """The kommun accepts the change (the business takes the new facts) or rejects it (with a reason)."""
    policy.require(actor, Capability.decide_reported_change)
    reason = reason.strip()
    async with database.transaction():
        await database.lock_business(business_id)
        row = (
            await BusinessChange.select(*_COLUMNS)
            .where(
                (BusinessChange.id == change_id)
                & (BusinessChange.business == business_id)
                & (BusinessChange.kommun == actor.kommun_id)
            )
            .first()
            .output(load_json=True)
            .run()
        )
        if row is None:
            raise NotFound("change_not_found")
        if not accept and not reason:
            raise InvalidField("reason", "rejection_reason_missing")
        if row["state"] != REPORTED:
            raise Conflict("change_already_decided", extra={"state": row["state"]})
        state = ACCEPTED if accept else REJECTED
        await (
            BusinessChange.update(
                {
                    BusinessChange.state: state,
                    BusinessChange.decided_by: actor.id,
                    BusinessChange.decided_at: now(),
                    BusinessChange.reason: reason,
                }
            )
            .where(BusinessChange.id == change_id)
            .run()
        )
        if accept:
            await (
                Business.update({getattr(Business, k): v for k, v in row["proposed"].items()})
                .where(Business.id == business_id)
                .run()
            )
        await events.record(
            f"business_change_{state}",
            actor=actor,
            application_id=await _latest_case(business_id),
            business_id=business_id,
            detail={"change_id": change_id, "proposed": row["proposed"], "reason": reason},
        )
        decided = (
            await BusinessChange.select(*_COLUMNS)
            .where(BusinessChange.id == change_id)
            .first()
            .output(load_json=True)
            .run()
        )
    assert decided is not None
    return _view(decided)
