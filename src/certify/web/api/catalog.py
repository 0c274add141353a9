"""Public reference data: the checklist and the kommuner."""

from __future__ import annotations

from litestar import Controller, get

from certify.services import checklist, kommuner
from certify.services.views import ChecklistView, KommunView
from certify.web.guards import PUBLIC


class CatalogController(Controller):
    path = "/api"
    tags = ["public"]

    @get(
        "/checklist",
        opt=PUBLIC,
        summary="The current checklist with its 13 points, in the request's language (public)",
    )
    async def current_checklist(self) -> ChecklistView:
        return checklist.in_reader_language(await checklist.current())

    @get("/kommuner", opt=PUBLIC, summary="The kommuner served by this installation (public)")
    async def list_kommuner(self) -> list[KommunView]:
        return await kommuner.list_all()
