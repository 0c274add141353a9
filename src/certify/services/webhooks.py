"""Webhooks: the kommun registers endpoints; deliveries are POSTed, signed, retried and logged.

Deliveries are queued in the event's transaction (services/notifications.py) and sent later by
`deliver_due`, so a slow or dead endpoint never holds up a workflow action.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
import msgspec

from certify.domain.errors import InvalidField, NotFound
from certify.services import delivery, policy, webhook_target
from certify.services.actor import Actor
from certify.services.clock import now
from certify.services.policy import Capability
from certify.settings import Settings
from certify.tables import Webhook, WebhookDelivery

log = logging.getLogger("certify.webhooks")

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
SIGNATURE_HEADER = "X-Certify-Signature"
DELIVERY_HEADER = "X-Certify-Delivery"
EVENT_HEADER = "X-Certify-Event"
REFUSED = "refused: address not allowed"
FAILED = "failed: no answer"


def signature(secret: str, body: bytes) -> str:
    """The header value a receiver recomputes: sha256=<HMAC-SHA256 of the raw body, hex>."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookView(msgspec.Struct, kw_only=True):
    id: int
    url: str
    event_types: list[str]
    active: bool
    secret: str | None = None  # shown once, when the webhook is registered


class DeliveryView(msgspec.Struct, kw_only=True):
    id: int
    event_type: str
    status: str
    attempts: int
    last_status_code: int | None
    log: list[dict[str, Any]]
    created_at: datetime
    delivered_at: datetime | None


@dataclass(slots=True)
class DeliveryReport:
    delivered: int = 0
    retrying: int = 0
    given_up: int = 0


async def register(actor: Actor, url: str, event_types: list[str], settings: Settings) -> WebhookView:
    webhook_target.check_url(url, settings)
    types = sorted({t.strip() for t in event_types if t.strip()})
    if not types:
        raise InvalidField("event_types", "event_types_missing")
    secret = secrets.token_urlsafe(32)
    rows = (
        await Webhook.insert(
            Webhook(
                kommun=policy.own_kommun(actor, Capability.keep_webhooks),
                url=url,
                event_types=types,
                secret=secret,
            )
        )
        .returning(Webhook.id)
        .run()
    )
    return WebhookView(id=rows[0]["id"], url=url, event_types=types, active=True, secret=secret)


async def list_for(actor: Actor) -> list[WebhookView]:
    rows = (
        await Webhook.select(Webhook.id, Webhook.url, Webhook.event_types, Webhook.active)
        .where(Webhook.kommun == policy.own_kommun(actor, Capability.keep_webhooks))
        .order_by(Webhook.id)
        .output(load_json=True)
        .run()
    )
    return [WebhookView(**r) for r in rows]


async def deliveries(actor: Actor, webhook_id: int) -> list[DeliveryView]:
    owned = (
        await Webhook.exists()
        .where(
            (Webhook.id == webhook_id)
            & (Webhook.kommun == policy.own_kommun(actor, Capability.keep_webhooks))
        )
        .run()
    )
    if not owned:
        raise NotFound("webhook_not_found")
    rows = (
        await WebhookDelivery.select(
            WebhookDelivery.id,
            WebhookDelivery.event_type,
            WebhookDelivery.status,
            WebhookDelivery.attempts,
            WebhookDelivery.last_status_code,
            WebhookDelivery.log,
            WebhookDelivery.created_at,
            WebhookDelivery.delivered_at,
        )
        .where(WebhookDelivery.webhook == webhook_id)
        .order_by(WebhookDelivery.id, ascending=False)
        .limit(500)
        .output(load_json=True)
        .run()
    )
    return [DeliveryView(**r) for r in rows]


async def deliver_due(settings: Settings, *, at: datetime | None = None, batch: int = 50) -> DeliveryReport:
    """POST every delivery that is due; 2xx counts as delivered, anything else is retried."""
    report = DeliveryReport()
    seen: set[int] = set()
    # No kept-alive connections: each delivery connects to the address checked for it.
    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False, limits=limits) as client:
        while rows := await delivery.due(WebhookDelivery, at or now(), batch, skip=seen):
            for row in rows:
                seen.add(row["id"])
                attempt = await delivery.claim(WebhookDelivery, row)
                if attempt is not None:
                    await _post(client, settings, row["id"], attempt, report)
    return report


async def _send(
    client: httpx.AsyncClient, settings: Settings, url: str, body: bytes, headers: dict[str, str]
) -> tuple[int | None, str]:
    """The status code, or what the log may say: never which way a connection failed, which
    would tell a kommun user about ports and hosts it cannot otherwise see."""
    try:
        target = await webhook_target.resolve(url, settings)
    except webhook_target.AddressNotAllowed:
        return None, REFUSED
    except webhook_target.Unreachable:
        return None, FAILED
    extensions = {"sni_hostname": target.server_name} if target.server_name else {}
    try:
        response = await client.post(
            target.url, content=body, headers={**headers, "Host": target.host_header}, extensions=extensions
        )
    except httpx.HTTPError as exc:
        log.info("webhook delivery to %s failed: %s", url, exc.__class__.__name__)
        return None, FAILED
    return response.status_code, ""


async def _post(
    client: httpx.AsyncClient, settings: Settings, delivery_id: int, attempt: int, report: DeliveryReport
) -> None:
    row = (
        await WebhookDelivery.select(
            WebhookDelivery.payload,
            WebhookDelivery.event_type,
            WebhookDelivery.log,
            WebhookDelivery.webhook.url,
            WebhookDelivery.webhook.secret,
        )
        .where(WebhookDelivery.id == delivery_id)
        .first()
        .output(load_json=True)
        .run()
    )
    assert row is not None
    body = row["payload"].encode()
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: signature(row["webhook.secret"], body),
        DELIVERY_HEADER: str(delivery_id),
        EVENT_HEADER: row["event_type"],
    }
    status_code, error = await _send(client, settings, row["webhook.url"], body, headers)
    entry = {"attempt": attempt, "at": now().isoformat(), "status_code": status_code, "error": error}
    values = {WebhookDelivery.last_status_code: status_code, WebhookDelivery.log: [*row["log"], entry]}
    if status_code is not None and 200 <= status_code < 300:
        await delivery.finish(
            WebhookDelivery,
            delivery_id,
            attempt,
            {WebhookDelivery.status: "delivered", WebhookDelivery.delivered_at: now(), **values},
        )
        report.delivered += 1
    elif await delivery.fail(WebhookDelivery, delivery_id, attempt, values):
        report.retrying += 1
    else:
        report.given_up += 1


async def run_deliverer(settings: Settings, interval_seconds: float = 10.0) -> None:
    """The in-process deliverer; failures are logged and the loop keeps going."""
    while True:
        try:
            report = await deliver_due(settings)
            if report.delivered or report.retrying or report.given_up:
                log.info("webhooks: %d delivered, %d to retry", report.delivered, report.retrying)
        except Exception:  # keep the deliverer alive; the failure is logged with its traceback
            log.exception("the webhook deliverer failed")
        await asyncio.sleep(interval_seconds)
