"""The kommun's outbox page: every queued or sent e-mail, readable even when no SMTP is configured."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from certify.services import mailer
from certify.services.actor import Actor
from certify.text.catalogue import N_, _
from certify.web.guards import KOMMUN
from certify.web.pages.render import page, see_other

STATUS_LABELS = {
    "pending": N_("Väntar"),
    "sending": N_("Skickas"),
    "sent": N_("Skickat"),
    "failed": N_("Misslyckades"),
}


class OutboxPages(Controller):
    opt = KOMMUN
    include_in_schema = False

    @get("/kommun/utkorg")
    async def outbox(self, request: Request[Actor, Any, Any]) -> Template:
        return await page(
            request,
            "kommun/outbox.html",
            messages=await mailer.list_for(request.user),
            smtp_configured=request.app.state.settings.smtp is not None,
            status_labels={status: _(label) for status, label in STATUS_LABELS.items()},
        )

    @post("/kommun/utkorg/{message_id:int}/skicka-igen")
    async def resend(self, request: Request[Actor, Any, Any], message_id: FromPath[int]) -> Redirect:
        await mailer.resend(request.user, message_id)
        return see_other("/kommun/utkorg")
