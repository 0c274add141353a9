"""Moving a booked visit: the assigned inspector agrees a new time with the shop.

Not a workflow transition (the case stays booked, with the same inspector), so it lives beside
the state machine: a compare-and-set on state and version, and an event for the timeline.
"""

from __future__ import annotations

from datetime import datetime

from certify import database
from certify.domain import rules
from certify.domain.errors import Conflict, NotFound, RuleNotMet
from certify.domain.status import CaseState
from certify.services import events, policy
from certify.services.actor import Actor
from certify.services.clock import now
from certify.services.policy import Capability, application_scope
from certify.tables import Application


async def reschedule(actor: Actor, application_id: int, visit_at: datetime | None) -> None:
    policy.require(actor, Capability.reschedule_visit)
    if problems := rules.visit_problems(visit_at, now()):
        raise RuleNotMet(problems[0].code)
    async with database.transaction():
        case = (
            await Application.select(
                Application.id,
                Application.business,
                Application.state,
                Application.version,
                Application.visit_at,
            )
            .where((Application.id == application_id) & application_scope(actor))
            .first()
            .run()
        )
        if case is None:
            raise NotFound("case_not_found")
        if case["state"] != CaseState.scheduled:
            raise Conflict("visit_not_reschedulable", extra={"state": case["state"]})
        rows = (
            await Application.update(
                {
                    Application.visit_at: visit_at,
                    Application.version: case["version"] + 1,
                    Application.updated_at: now(),
                }
            )
            .where(
                (Application.id == application_id)
                & (Application.state == case["state"])
                & (Application.version == case["version"])
            )
            .returning(Application.id)
            .run()
        )
        if not rows:
            raise Conflict("changed_concurrently")
        await events.record(
            "reschedule",
            actor=actor,
            application_id=application_id,
            business_id=case["business"],
            detail={
                "visit_at": visit_at.isoformat(),
                "previous_visit_at": case["visit_at"].isoformat() if case["visit_at"] else None,
            },
        )
