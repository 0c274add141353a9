"""The audit trail: one insert per thing that happened, inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from certify.services import document_register, notifications
from certify.services.actor import Actor
from certify.services.case_record import CaseRecord
from certify.services.clock import now
from certify.tables import Event


async def record(
    action: str,
    *,
    actor: Actor | None,
    application_id: int | None = None,
    business_id: int | None = None,
    from_state: str = "",
    to_state: str = "",
    detail: dict[str, Any] | None = None,
    case: CaseRecord | None = None,
) -> None:
    """`case`: the case as it stands after what happened, when the caller has it; the e-mails are
    written from it (else they load it once themselves)."""
    if case is not None:
        application_id = case.id
        business_id = case.shop.id
    at = now()
    rows = (
        await Event.insert(
            Event(
                application=application_id,
                business=business_id,
                actor=actor.id if actor else None,
                actor_label=actor.label if actor else "system",
                action=action,
                from_state=from_state,
                to_state=to_state,
                detail=detail or {},
                at=at,
            )
        )
        .returning(Event.id)
        .run()
    )
    # Same transaction: the register entries, e-mails and webhook deliveries exist exactly when
    # the event does.
    await document_register.after_event(
        action,
        actor=actor,
        application_id=application_id,
        business_id=business_id,
        detail=detail or {},
        at=at,
    )
    await notifications.after_event(
        rows[0]["id"],
        action,
        case=case,
        application_id=application_id,
        business_id=business_id,
        from_state=from_state,
        to_state=to_state,
        detail=detail or {},
        at=at,
    )
