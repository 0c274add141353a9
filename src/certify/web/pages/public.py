"""The start page: what the programme is and what it takes, for someone who has never heard of it."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromQuery
from litestar.response import Template

from certify.domain.errors import NotFound
from certify.services import checklist
from certify.text.catalogue import N_
from certify.web.guards import PUBLIC
from certify.web.pages.render import notice_for, page

NOTICES = {
    "utloggad": N_("Du är utloggad."),
    "konto-stangt": N_("Ditt konto är stängt. Dina personuppgifter är borttagna."),
}


class PublicPages(Controller):
    include_in_schema = False

    @get("/", opt=PUBLIC)
    async def start(self, request: Request[Any, Any, Any], klart: FromQuery[str | None] = None) -> Template:
        try:
            points = (await checklist.current()).points
        except NotFound:
            points = []
        return await page(request, "start.html", points=points, notice=notice_for(NOTICES, klart))
