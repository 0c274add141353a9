"""The outbox side of every event: e-mails and webhook deliveries, written in the event's transaction.

events.record calls `after_event`; who hears what is an action's spec (domain/actions.py) and
domain/messages.py, which also words each mail in its recipient's language; this module only
gathers the facts (each recipient's address and chosen language) and inserts rows. Sending happens
later (services/mailer.py, services/webhooks.py), so a slow or dead SMTP server or endpoint never
touches the workflow.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from certify.domain.actions import Audience
from certify.domain.messages import CaseNotice, Message, Recipient, audiences, messages_for
from certify.domain.secrecy import disclosable
from certify.domain.status import Role
from certify.services import case_record
from certify.services.case_record import CaseRecord, Shop
from certify.services.clock import SWEDEN, now
from certify.settings import public_base_url
from certify.tables import (
    Account,
    Business,
    Certificate,
    Kommun,
    OutboxMessage,
    Representative,
    Webhook,
    WebhookDelivery,
)


def new_message_id() -> str:
    """A globally unique Message-ID per outbox row: receivers can drop a rare duplicate by it."""
    host = urlsplit(public_base_url()).hostname or "certify.invalid"
    return f"<{uuid.uuid4().hex}@{host}>"


async def enqueue(message: Message, *, kommun_id: int | None, event_id: int | None) -> None:
    await OutboxMessage.insert(
        OutboxMessage(
            kommun=kommun_id,
            event=event_id,
            kind=message.kind,
            recipient=message.recipient,
            subject=message.subject,
            body_text=message.text,
            body_html=message.html,
            message_id=new_message_id(),
            next_attempt_at=now(),
        )
    ).run()


async def after_event(
    event_id: int,
    action: str,
    *,
    case: CaseRecord | None,
    application_id: int | None,
    business_id: int | None,
    from_state: str,
    to_state: str,
    detail: dict[str, Any],
    at: datetime,
) -> None:
    """Queue the e-mails and webhook deliveries for one event (inside the caller's transaction).
    Both carry only what the secrecy rule lets out of the case. A case event is written from the
    case's typed record (the caller's, or loaded once here); a shop event from the shop."""
    if business_id is None:
        return
    detail = disclosable(action, detail)
    if case is None and application_id is not None:
        case = await case_record.load(None, application_id)
    shop = case.shop if case is not None and case.shop.id == business_id else await _shop(business_id)
    if shop is None:
        return
    if audiences(action):
        notice = await _notice(action, case if application_id is not None else None, shop, detail)
        for message in messages_for(notice):
            await enqueue(message, kommun_id=shop.kommun, event_id=event_id)
    await _queue_webhooks(
        shop.kommun,
        event_id,
        action,
        {
            "event_id": event_id,
            "event": action,
            "at": at.isoformat(),
            "application_id": application_id,
            "business_id": business_id,
            "from_state": from_state,
            "to_state": to_state,
            "detail": detail,
        },
    )


async def _shop(business_id: int) -> Shop | None:
    """The shop of an event that is not about one case (a reported change, a representative)."""
    row = (
        await Business.select(
            Business.id,
            Business.kommun,
            Business.name,
            Business.email,
            Business.area,
            Business.cash_free,
            Business.kommun.name,
        )
        .where(Business.id == business_id)
        .first()
        .run()
    )
    if row is None:
        return None
    return Shop(
        id=row["id"],
        kommun=row["kommun"],
        name=row["name"],
        email=row["email"],
        area=row["area"],
        cash_free=bool(row["cash_free"]),
        kommun_name=row["kommun.name"],
    )


async def _notice(action: str, case: CaseRecord | None, shop: Shop, detail: dict[str, Any]) -> CaseNotice:
    certificate = str(detail.get("certificate") or "")
    if case is not None and not certificate and action == "revoke":
        row = (
            await Certificate.select(Certificate.number)
            .where(Certificate.application == case.id)
            .first()
            .run()
        )
        certificate = row["number"] if row else ""
    owners: tuple[Recipient, ...] = ()
    if Audience.owner in audiences(action):
        owners = await _representatives(shop.id, shop.email or "")
    kommun_officers: tuple[Recipient, ...] = ()
    if Audience.kommun in audiences(action):
        rows = (
            await Account.select(Account.email, Account.language)
            .where(
                (Account.kommun == shop.kommun)
                & (Account.role == Role.kommun.value)
                & (Account.active == True)  # noqa: E712 - Piccolo builds SQL from ==
            )
            .order_by(Account.id)
            .run()
        )
        kommun_officers = tuple(Recipient(r["email"], r["language"] or "") for r in rows)
    booking = case.booking if case is not None else None
    visit_at = booking.visit_at if booking else None
    previous_visit = detail.get("previous_visit_at")
    previous_inspector = detail.get("previous_inspector_id")
    return CaseNotice(
        action=action,
        base_url=public_base_url(),
        application_id=case.id if case is not None else None,
        business_id=shop.id,
        business_name=shop.name,
        owners=owners,
        inspector_name=booking.inspector_name if booking else "",
        inspector=Recipient(
            booking.inspector_email if booking else "", booking.inspector_language if booking else ""
        ),
        kommun_name=shop.kommun_name,
        kommun_officers=kommun_officers,
        visit_at=visit_at.astimezone(SWEDEN) if visit_at else None,
        previous_visit_at=datetime.fromisoformat(previous_visit).astimezone(SWEDEN)
        if previous_visit
        else None,
        inspector_changed=previous_inspector is not None and previous_inspector != detail.get("inspector_id"),
        deadline=case.deadline if case is not None else None,
        certificate=certificate,
        reason=str(detail.get("reason") or ""),
        days_left=detail.get("days_left"),
        proposed=tuple((str(k), str(v)) for k, v in (detail.get("proposed") or {}).items()),
    )


async def _representatives(business_id: int, shop_email: str) -> tuple[Recipient, ...]:
    """Everyone who acts for the shop with an active account, each in his own language; a shop
    nobody acts for yet (imported, not claimed) is written to at its own address, in Swedish."""
    rows = (
        await Representative.select(Representative.account.email, Representative.account.language)
        .where(
            (Representative.business == business_id) & (Representative.account.active == True)  # noqa: E712 - Piccolo builds SQL from ==
        )
        .order_by(Representative.id)
        .run()
    )
    found = tuple(Recipient(r["account.email"], r["account.language"] or "") for r in rows)
    return found or (Recipient(shop_email),)


async def _queue_webhooks(kommun_id: int, event_id: int, action: str, payload: dict[str, Any]) -> None:
    hooks = (
        await Webhook.select(Webhook.id, Webhook.event_types)
        .where((Webhook.kommun == kommun_id) & (Webhook.active == True))  # noqa: E712
        .output(load_json=True)
        .run()
    )
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str)
    for hook in hooks:
        if action in hook["event_types"] or "*" in hook["event_types"]:
            await WebhookDelivery.insert(
                WebhookDelivery(
                    webhook=hook["id"], event=event_id, event_type=action, payload=body, next_attempt_at=now()
                )
            ).run()


async def kommun_name(kommun_id: int) -> str:
    """The kommun's name as a mail signs it ("" when it is gone: the mail then signs without it)."""
    row = await Kommun.select(Kommun.name).where(Kommun.id == kommun_id).first().run()
    return row["name"] if row else ""
