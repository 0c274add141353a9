"""Reported material changes (väsentlig förändring): the owner reports, the kommun decides."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, JSONBody

from certify.domain import file_types
from certify.domain.material_changes import MAX_FILES
from certify.services import material_changes
from certify.services.actor import Actor
from certify.services.views import MaterialChangeFileView, MaterialChangeView
from certify.web import downloads
from certify.web.api.evidence import limits_of, read_upload
from certify.web.api.schemas import MaterialChangeBody, MaterialChangeDecisionBody, PathId
from certify.web.guards import KOMMUN, OWNER, OWNER_OR_KOMMUN

SECRECY_NOTE = (
    " The description and the files describe the shop's security measures: they may be covered by "
    "secrecy (OSL 18 kap. 8 §) and never appear in webhooks, e-mails, the register or reports."
)


@dataclass
class MaterialChangeUpload:
    file: UploadFile


class MaterialChangesController(Controller):
    tags = ["material changes"]

    @post(
        "/api/businesses/{business_id:int}/material-changes",
        opt=OWNER,
        status_code=201,
        summary="Report a change that may affect a certified shop's security level (owner)",
        description=(
            "`kind`: premises, counter, till, alarm, owner or other; `description` in words. 422 "
            "`change_needs_certificate` when the shop has no certificate in force; another shop: 404."
            + SECRECY_NOTE
        ),
    )
    async def report(
        self, request: Request[Actor, Any, Any], business_id: PathId, data: JSONBody[MaterialChangeBody]
    ) -> MaterialChangeView:
        return await material_changes.report(request.user, business_id, data.kind, data.description)

    @get(
        "/api/businesses/{business_id:int}/material-changes",
        opt=OWNER_OR_KOMMUN,
        summary="A shop's reported material changes, newest first (its representatives and kommun)",
    )
    async def list_for_business(
        self, request: Request[Actor, Any, Any], business_id: PathId
    ) -> list[MaterialChangeView]:
        return await material_changes.list_for_business(request.user, business_id)

    @get(
        "/api/material-changes",
        opt=KOMMUN,
        summary="The kommun's reported material changes waiting for its decision, oldest first",
    )
    async def waiting(self, request: Request[Actor, Any, Any]) -> list[MaterialChangeView]:
        return await material_changes.waiting(request.user)

    @get(
        "/api/material-changes/{material_change_id:int}",
        opt=OWNER_OR_KOMMUN,
        summary="One reported material change with its files",
    )
    async def get_change(
        self, request: Request[Actor, Any, Any], material_change_id: PathId
    ) -> MaterialChangeView:
        return await material_changes.get(request.user, material_change_id)

    @post(
        "/api/material-changes/{material_change_id:int}/files",
        opt=OWNER,
        status_code=201,
        summary="Send a photo or document with a reported material change (owner)",
        description=(
            f"Multipart field `file`: {file_types.ACCEPTED_LABEL}; at most {MAX_FILES} per change. "
            "409 once the kommun has decided." + SECRECY_NOTE
        ),
    )
    async def add_file(
        self,
        request: Request[Actor, Any, Any],
        material_change_id: PathId,
        data: Annotated[MaterialChangeUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> MaterialChangeFileView:
        limits = limits_of(request)
        content = await read_upload(data.file, limits)
        return await material_changes.add_file(
            request.user, material_change_id, data.file.filename, content, limits
        )

    @get(
        "/api/material-change-files/{material_file_id:int}",
        opt=OWNER_OR_KOMMUN,
        summary="Download a file sent with a reported material change",
        operation_class=downloads.file_operation(file_types.EXTENSIONS),
    )
    async def read_file(self, request: Request[Actor, Any, Any], material_file_id: PathId) -> Response[bytes]:
        view, content = await material_changes.read_file(request.user, material_file_id)
        return downloads.file_response(
            content,
            view.content_type,
            view.file_name,
            cache="private, no-store",
            headers={"Content-Security-Policy": "default-src 'none'; sandbox"},
        )

    @post(
        "/api/material-changes/{material_change_id:int}/decision",
        opt=KOMMUN,
        status_code=200,
        summary="Decide on a reported material change (the shop's kommun)",
        description=(
            "`note`: recorded on the certificate's history, the certificate stands. `reinspect`: opens "
            "a linked case (submitted, on the checklist in force, prefilled from the certified case's "
            "answers) that the kommun assigns as usual; the certificate stays valid while it runs, a "
            "rejection revokes it, an approval issues a new certificate that replaces it from that day. "
            "409 when already decided; 422 `open_case_exists` when the shop has an open case; another "
            "kommun's change: 404."
        ),
    )
    async def decide(
        self,
        request: Request[Actor, Any, Any],
        material_change_id: PathId,
        data: JSONBody[MaterialChangeDecisionBody],
    ) -> MaterialChangeView:
        return await material_changes.decide(request.user, material_change_id, data.decision)
