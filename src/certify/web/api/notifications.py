"""The kommun's view of outgoing messages: the e-mail outbox and webhooks with their delivery log."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromQuery, JSONBody

from certify.services import mailer, webhooks
from certify.services.actor import Actor
from certify.services.mailer import OutboxView
from certify.services.webhooks import DeliveryView, WebhookView
from certify.web.api.schemas import PathId
from certify.web.guards import KOMMUN


class WebhookBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    url: Annotated[str, msgspec.Meta(min_length=8, max_length=500)]
    event_types: Annotated[list[Annotated[str, msgspec.Meta(max_length=40)]], msgspec.Meta(max_length=30)]


class OutboxController(Controller):
    path = "/api/outbox"
    tags = ["notifications"]
    opt = KOMMUN

    @get("/", summary="The kommun's e-mail outbox, newest first (kommun only)")
    async def list_outbox(
        self, request: Request[Actor, Any, Any], status: FromQuery[str | None] = None
    ) -> list[OutboxView]:
        return await mailer.list_for(request.user, status)

    @post("/{message_id:int}/resend", status_code=202, summary="Send a message again (kommun only)")
    async def resend(self, request: Request[Actor, Any, Any], message_id: PathId) -> None:
        await mailer.resend(request.user, message_id)


class WebhooksController(Controller):
    path = "/api/webhooks"
    tags = ["notifications"]
    opt = KOMMUN

    @post(
        "/",
        status_code=201,
        summary="Register a URL for event types (kommun only); the signing secret is shown once",
        description=(
            "Each delivery is a POST of the event as JSON with X-Certify-Signature: "
            "sha256=<HMAC-SHA256 of the raw body with the secret, hex> and X-Certify-Delivery: <id>."
        ),
    )
    async def register(self, request: Request[Actor, Any, Any], data: JSONBody[WebhookBody]) -> WebhookView:
        return await webhooks.register(request.user, data.url, data.event_types, request.app.state.settings)

    @get("/", summary="The kommun's webhooks (kommun only)")
    async def list_webhooks(self, request: Request[Actor, Any, Any]) -> list[WebhookView]:
        return await webhooks.list_for(request.user)

    @get("/{webhook_id:int}/deliveries", summary="The delivery log with HTTP status codes (kommun only)")
    async def list_deliveries(
        self, request: Request[Actor, Any, Any], webhook_id: PathId
    ) -> list[DeliveryView]:
        return await webhooks.deliveries(request.user, webhook_id)
