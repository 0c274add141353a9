"""Reaching every business: CSV import, invitations by e-mail, and claiming an invited shop."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, QueryParameter

from certify.domain.errors import RuleNotMet
from certify.services import imports, invitations, outreach
from certify.services.actor import Actor
from certify.services.imports import ImportReport
from certify.services.invitations import InvitationView
from certify.services.outreach import Outreach, Stage
from certify.services.views import BusinessView
from certify.web.api.schemas import PathId
from certify.web.guards import KOMMUN, OWNER

MAX_IMPORT_BYTES = 20 * 1024 * 1024


@dataclass
class ImportUpload:
    file: UploadFile


class OutreachController(Controller):
    tags = ["businesses"]

    @post(
        "/api/businesses/import",
        opt=KOMMUN,
        status_code=200,
        summary="Import businesses from a CSV file (kommun only)",
        description=(
            "Multipart field `file`: CSV with namn;organisationsnummer;adress;postnummer;ort;område;e-post "
            "(`;` or `,`, UTF-8 or Windows-1252). Nothing is written unless every row is valid, or "
            "only_valid=true. Known businesses (same organisationsnummer and address) are left unchanged."
        ),
    )
    async def import_businesses(
        self,
        request: Request[Actor, Any, Any],
        data: Annotated[ImportUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        only_valid: FromQuery[bool] = False,
    ) -> ImportReport:
        content = await data.file.read(MAX_IMPORT_BYTES + 1)
        if len(content) > MAX_IMPORT_BYTES:
            raise RuleNotMet("import_file_too_large")
        assert request.user.kommun_id is not None
        return await imports.import_businesses(
            content, request.user.kommun_id, actor=request.user, only_valid=only_valid
        )

    @get(
        "/api/businesses/outreach",
        opt=KOMMUN,
        summary="How far each shop has come: not invited, invited, signed up, applied (kommun only)",
        description=(
            "Counts per stage for the kommun (or the area), and one page of 50 shops, optionally only "
            "those in one stage. Each shop is in the furthest stage it has reached."
        ),
    )
    async def outreach(
        self,
        request: Request[Actor, Any, Any],
        stage: FromQuery[Stage | None] = None,
        area: FromQuery[str | None] = None,
        page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
    ) -> Outreach:
        return await outreach.overview(request.user, stage=stage, area=area or None, page=page)

    @post(
        "/api/businesses/{business_id:int}/invite",
        opt=KOMMUN,
        status_code=201,
        summary="E-mail the shop a link to sign up and claim it (kommun only)",
    )
    async def invite(self, request: Request[Actor, Any, Any], business_id: PathId) -> InvitationView:
        return await invitations.invite(request.user, business_id)

    @post(
        "/api/invitations/{token:str}/claim",
        opt=OWNER,
        status_code=200,
        summary="Attach the invited shop to the logged-in owner",
    )
    async def claim(self, request: Request[Actor, Any, Any], token: FromPath[str]) -> BusinessView:
        return await invitations.claim(request.user, token)
