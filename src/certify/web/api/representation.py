"""Acting for a company over the API: the representatives of a shop, stating one's own basis,
uploading a fullmakt, inviting or removing another representative (or leaving), and the kommun's
check on a case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, JSONBody

from certify.domain import file_types
from certify.services import fullmakter, invitations, representation
from certify.services.actor import Actor
from certify.services.fullmakter import KeptFullmaktView
from certify.services.invitations import InvitationView
from certify.services.representation import FullmaktDownload, FullmaktFile
from certify.services.representation_check import CHECK
from certify.services.views import RepresentativeView
from certify.web import downloads
from certify.web.api.evidence import limits_of, read_upload
from certify.web.api.schemas import PathId, RepresentationBody, RepresentativeInviteBody
from certify.web.guards import ANY_USER, KOMMUN, OWNER, OWNER_OR_KOMMUN


@dataclass
class FullmaktUpload:
    file: UploadFile


def fullmakt_response(download: FullmaktDownload) -> Response[bytes]:
    """Always downloaded, never rendered here, and not kept by the browser."""
    return downloads.file_response(
        download.content,
        download.content_type,
        download.file_name,
        cache="private, no-store",
        headers={"Content-Security-Policy": "default-src 'none'; sandbox"},
    )


UPLOADED_FILE = downloads.file_operation(file_types.EXTENSIONS)
"""A fullmakt is any file type we accept."""


class RepresentationController(Controller):
    tags = ["representation"]

    @get(
        "/api/businesses/{business_id:int}/representatives",
        opt=ANY_USER,
        summary="Who acts for the shop's company, on what basis, and how far the kommun has checked it",
    )
    async def list_representatives(
        self, request: Request[Actor, Any, Any], business_id: PathId
    ) -> list[RepresentativeView]:
        return await representation.list_for(request.user, business_id)

    @put(
        "/api/businesses/{business_id:int}/representation",
        opt=OWNER,
        summary="State how you act for the company: signatory, or agent with a fullmakt (owner)",
        description="`agent` needs a fullmakt uploaded first (400 `fullmakt_missing`, field `fullmakt`).",
    )
    async def state_basis(
        self, request: Request[Actor, Any, Any], business_id: PathId, data: JSONBody[RepresentationBody]
    ) -> RepresentativeView:
        return await representation.state_basis(request.user, business_id, data.basis, limits_of(request))

    @post(
        "/api/businesses/{business_id:int}/representation/fullmakt",
        opt=OWNER,
        status_code=200,
        summary="Upload your fullmakt and act as the company's agent (owner)",
        description=(
            f"Multipart field `file`: {file_types.ACCEPTED_LABEL}, checked like evidence (a photo is "
            "stored normalised: upright, no EXIF or GPS, longest side CERTIFY_IMAGE_MAX_PX). Answers a "
            "kommun's request for a fullmakt: the inspection can be booked again."
        ),
    )
    async def upload_fullmakt(
        self,
        request: Request[Actor, Any, Any],
        business_id: PathId,
        data: Annotated[FullmaktUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> RepresentativeView:
        limits = limits_of(request)
        content = await read_upload(data.file, limits)
        upload = FullmaktFile(file_name=data.file.filename, data=content)
        return await representation.state_basis(request.user, business_id, "agent", limits, upload)

    @post(
        "/api/businesses/{business_id:int}/representatives/invite",
        opt=OWNER,
        status_code=201,
        summary="E-mail another person a one-time link to act for the company too (owner)",
    )
    async def invite(
        self, request: Request[Actor, Any, Any], business_id: PathId, data: JSONBody[RepresentativeInviteBody]
    ) -> InvitationView:
        return await invitations.invite_representative(request.user, business_id, data.email)

    @delete(
        "/api/businesses/{business_id:int}/representatives/{representative_id:int}",
        opt=OWNER,
        summary="Remove a representative of the company, or leave yourself (owner)",
        description=(
            "Any representative of the company may remove another one, or his own entry (he leaves); "
            "access to the shop and its cases ends at once. A company always keeps one representative: "
            "removing the last one is refused with 422 `last_representative`."
        ),
    )
    async def remove_representative(
        self, request: Request[Actor, Any, Any], business_id: PathId, representative_id: PathId
    ) -> None:
        await representation.remove(request.user, business_id, representative_id)

    @get(
        "/api/representatives/{representative_id:int}/fullmakt",
        opt=OWNER_OR_KOMMUN,
        summary="Download a representative's fullmakt (the company's representatives, the kommun)",
        operation_class=UPLOADED_FILE,
    )
    async def fullmakt(self, request: Request[Actor, Any, Any], representative_id: PathId) -> Response[bytes]:
        return fullmakt_response(await representation.read_fullmakt(request.user, representative_id))

    @get(
        "/api/businesses/{business_id:int}/kept-fullmakter",
        opt=KOMMUN,
        summary="The fullmakter kept after their representatives stopped acting for the shop (kommun)",
        description=(
            "A fullmakt is a registered document: when its representative is removed, leaves, closes "
            "his account or uploads a new one, it is kept here until the kommun's retention plan "
            "destroys it with the case data of `application_id`. A closed account's name reads "
            "`(borttaget)`. Another kommun's shop is 404."
        ),
    )
    async def kept_fullmakter(
        self, request: Request[Actor, Any, Any], business_id: PathId
    ) -> list[KeptFullmaktView]:
        return await fullmakter.list_for(request.user, business_id)

    @get(
        "/api/kept-fullmakter/{document_id:int}/file",
        opt=KOMMUN,
        summary="Download a kept fullmakt (the shop's kommun; the read is access-logged)",
        operation_class=UPLOADED_FILE,
    )
    async def kept_fullmakt_file(
        self, request: Request[Actor, Any, Any], document_id: PathId
    ) -> Response[bytes]:
        kept = await fullmakter.read(request.user, document_id)
        return fullmakt_response(
            FullmaktDownload(file_name=kept.file_name, content_type=kept.content_type, content=kept.content)
        )

    @post(
        "/api/applications/{application_id:int}/representatives/{representative_id:int}/checked",
        opt=KOMMUN,
        status_code=200,
        summary="Mark a representative's basis as checked (kommun)",
    )
    async def mark_checked(
        self, request: Request[Actor, Any, Any], application_id: PathId, representative_id: PathId
    ) -> RepresentativeView:
        return await CHECK.mark_checked(request.user, application_id, representative_id)

    @post(
        "/api/applications/{application_id:int}/representatives/{representative_id:int}/ask-for-fullmakt",
        opt=KOMMUN,
        status_code=200,
        summary="Ask a representative for a fullmakt; no inspection is booked until one is uploaded (kommun)",
    )
    async def ask_for_fullmakt(
        self, request: Request[Actor, Any, Any], application_id: PathId, representative_id: PathId
    ) -> RepresentativeView:
        return await CHECK.ask_for_fullmakt(request.user, application_id, representative_id)
