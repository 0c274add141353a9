"""The representation check: whether the people acting for a shop's company may be relied on
before its inspection is booked. One interface, `RepresentationCheck`; today one implementation,
the kommun's manual check (`KommunCheck`). A later connection to Bolagsverket's representation
service is a second implementation of the same protocol, chosen in `CHECK`: it would look a
signatory up in the register when he states his basis (`stated`) and answer `booking_problem` from
what it found; the kommun's two manual actions stay for agents and for what the register cannot
answer. Nothing outside this module knows which implementation runs.
"""

from __future__ import annotations

from typing import Any, Protocol

from certify import database
from certify.domain import messages
from certify.domain.errors import NotFound, RuleNotMet
from certify.domain.messages import Recipient
from certify.domain.representation import CheckState, after_statement, booking_problem
from certify.services import events, notifications, policy, representatives
from certify.services.actor import Actor
from certify.services.clock import now
from certify.services.policy import Capability, application_scope
from certify.services.views import RepresentativeView
from certify.settings import public_base_url
from certify.tables import Application, Representative


class RepresentationCheck(Protocol):
    async def stated(self, representative_id: int, *, fullmakt_uploaded: bool) -> None:
        """A representative stated (or changed) his basis; the caller holds the transaction."""

    async def mark_checked(
        self, actor: Actor, application_id: int, representative_id: int
    ) -> RepresentativeView:
        """The basis of one representative of the case's company is found sound."""

    async def ask_for_fullmakt(
        self, actor: Actor, application_id: int, representative_id: int
    ) -> RepresentativeView:
        """A fullmakt is needed from this representative before the inspection is booked."""

    async def booking_problem(self, business_id: int) -> str | None:
        """The error code that stops booking the company's inspection now (None: nothing stops it)."""


class KommunCheck:
    """The kommun's case officer checks each representative by hand, from the case page."""

    async def stated(self, representative_id: int, *, fullmakt_uploaded: bool) -> None:
        row = (
            await Representative.select(Representative.check_state)
            .where(Representative.id == representative_id)
            .first()
            .run()
        )
        assert row is not None, "the caller has just written the row"
        await (
            Representative.update(
                {
                    Representative.check_state: after_statement(
                        row["check_state"], fullmakt_uploaded=fullmakt_uploaded
                    ),
                    Representative.checked_by: None,
                    Representative.checked_at: None,
                }
            )
            .where(Representative.id == representative_id)
            .run()
        )

    async def mark_checked(
        self, actor: Actor, application_id: int, representative_id: int
    ) -> RepresentativeView:
        async with database.transaction():
            case, row = await _case_and_representative(actor, application_id, representative_id)
            if not row["basis"]:
                raise RuleNotMet("basis_not_stated")
            await _set(representative_id, CheckState.checked, actor)
            await events.record(
                "representation_checked",
                actor=actor,
                application_id=application_id,
                business_id=case["business"],
                detail={"representative_id": representative_id, "basis": row["basis"]},
            )
        return (await _one(representative_id))[0]

    async def ask_for_fullmakt(
        self, actor: Actor, application_id: int, representative_id: int
    ) -> RepresentativeView:
        async with database.transaction():
            case, row = await _case_and_representative(actor, application_id, representative_id)
            await _set(representative_id, CheckState.fullmakt_requested, actor)
            await events.record(
                "fullmakt_requested",
                actor=actor,
                application_id=application_id,
                business_id=case["business"],
                detail={"representative_id": representative_id},
            )
            message = messages.fullmakt_requested(
                recipient=Recipient(row["account.email"], row["account.language"] or ""),
                business_name=case["business.name"],
                kommun_name=await notifications.kommun_name(case["business.kommun"]),
                link=f"{public_base_url()}/butiker/{case['business']}/foretradare",
            )
            await notifications.enqueue(message, kommun_id=case["business.kommun"], event_id=None)
        return (await _one(representative_id))[0]

    async def booking_problem(self, business_id: int) -> str | None:
        found = await representatives.rows(Representative.business == business_id)
        return booking_problem(representatives.fact(r) for r in found)


async def _case_and_representative(
    actor: Actor, application_id: int, representative_id: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The case in the kommun user's scope and one representative of its company (else 404)."""
    policy.require(actor, Capability.check_representation)
    case = (
        await Application.select(Application.business, Application.business.name, Application.business.kommun)
        .where((Application.id == application_id) & application_scope(actor))
        .first()
        .run()
    )
    if case is None:
        raise NotFound("case_not_found")
    row = (
        await Representative.select(
            Representative.basis, Representative.account.email, Representative.account.language
        )
        .where((Representative.id == representative_id) & (Representative.business == case["business"]))
        .first()
        .run()
    )
    if row is None:
        raise NotFound("representative_not_found")
    return case, row


async def _set(representative_id: int, state: CheckState, actor: Actor) -> None:
    await (
        Representative.update(
            {
                Representative.check_state: state.value,
                Representative.checked_by: actor.id,
                Representative.checked_at: now(),
            }
        )
        .where(Representative.id == representative_id)
        .run()
    )


async def _one(representative_id: int) -> list[RepresentativeView]:
    return [
        representatives.view(r) for r in await representatives.rows(Representative.id == representative_id)
    ]


CHECK: RepresentationCheck = KommunCheck()
"""The check this installation uses."""
