"""The kommun's document register for its own case system (kommun only, its own kommun's entries)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.params import QueryParameter

from certify.domain.document_register import Direction
from certify.services import document_register
from certify.services.actor import Actor
from certify.services.document_register import RegisterQuery
from certify.services.views import RegisteredDocumentView
from certify.web.api.schemas import MAX_ID
from certify.web.guards import KOMMUN

From = Annotated[date | None, QueryParameter(name="from", description="First day (Swedish time)")]
To = Annotated[date | None, QueryParameter(name="to", description="Last day, inclusive")]
Case = Annotated[
    int | None, QueryParameter(name="case", ge=1, le=MAX_ID, description="Only this case (its id)")
]
WhichWay = Annotated[
    Direction | None, QueryParameter(name="direction", description="Only incoming (in) or outgoing (out)")
]


class DocumentRegisterController(Controller):
    path = "/api/register"
    tags = ["register"]
    opt = KOMMUN

    @get(
        "/documents",
        summary="The kommun's register of documents in and out, oldest first (kommun only)",
        description=(
            "Each entry: when it was registered, the case's diarienummer, direction (in or out), the "
            "sender or recipient, a description that names the kind of document but none of its "
            "content, and the secrecy marking. Only the caller's own kommun's documents."
        ),
    )
    async def documents(
        self,
        request: Request[Actor, Any, Any],
        start: From = None,
        end: To = None,
        case: Case = None,
        direction: WhichWay = None,
    ) -> list[RegisteredDocumentView]:
        query = RegisterQuery(date_from=start, date_to=end, case_id=case, direction=direction)
        return await document_register.entries(request.user, query)
