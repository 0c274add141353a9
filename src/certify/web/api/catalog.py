"""Public reference data: the checklist and the kommuner."""

from __future__ import annotations

from litestar import Controller, get
from litestar.params import FromPath

from certify.services import checklist, kommuner
from certify.services.views import ChecklistView, KommunView
from certify.web.guards import PUBLIC


class CatalogController(Controller):
    path = "/api"
    tags = ["public"]

    @get(
        "/checklist",
        opt=PUBLIC,
        summary="The checklist in force for new cases, in the request's language (public)",
    )
    async def current_checklist(self) -> ChecklistView:
        return checklist.in_reader_language(await checklist.current())

    @get(
        "/checklist/{version:str}",
        opt=PUBLIC,
        summary="One national checklist version (e.g. 2026.1), in the request's language (public)",
        description=(
            "A case is judged on the version it started on: its `checklist_version`. A kommun's own "
            "version (with its local points) is read through the case: "
            "`/api/applications/{id}/checklist`."
        ),
    )
    async def checklist_version(self, version: FromPath[str]) -> ChecklistView:
        return checklist.in_reader_language(await checklist.national(version))

    @get("/kommuner", opt=PUBLIC, summary="The kommuner served by this installation (public)")
    async def list_kommuner(self) -> list[KommunView]:
        return await kommuner.list_all()
