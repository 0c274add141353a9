"""Evidence files: upload per point, list per case, download, remove."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery, QueryParameter

from certify.domain import file_types
from certify.services import access_log, evidence
from certify.services.access_log import AccessLogPage
from certify.services.actor import Actor
from certify.services.evidence import EvidenceView, UploadLimits
from certify.web.api.schemas import PathId, QueryId
from certify.web.guards import ANY_USER, KOMMUN, OWNER


@dataclass
class EvidenceUpload:
    file: UploadFile


async def read_upload(upload: UploadFile, limits: UploadLimits) -> bytes:
    """At most one byte over the limit is read: enough for the service to refuse it."""
    return await upload.read(limits.max_bytes + 1)


def limits_of(request: Request[Any, Any, Any]) -> UploadLimits:
    return UploadLimits.from_settings(request.app.state.settings)


def file_response(view: EvidenceView, data: bytes) -> Response[bytes]:
    """Images are shown inline (thumbnails); documents and HEIC are downloaded, never rendered here."""
    disposition = "inline" if view.is_image else "attachment"
    ascii_name = view.file_name.encode("ascii", "replace").decode().replace("?", "_")
    return Response(
        content=data,
        media_type=view.content_type,
        headers={
            "Content-Disposition": f'{disposition}; filename="{ascii_name}"; '
            f"filename*=UTF-8''{quote(view.file_name)}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; img-src 'self'; sandbox",
            "Cache-Control": "private, no-cache",
        },
    )


class EvidenceController(Controller):
    tags = ["evidence"]

    @post(
        "/api/applications/{application_id:int}/evidence",
        guards=ANY_USER,
        status_code=201,
        summary="Attach a photo or document to one point",
        description=(
            f"Multipart field `file`: {file_types.ACCEPTED_LABEL} (recognised from the content). "
            "422 when the file is empty, too large, of another type, or the case has the maximum "
            "number of files; 409 when the case is not open for uploads."
        ),
    )
    async def upload(
        self,
        request: Request[Actor, Any, Any],
        application_id: PathId,
        point: FromQuery[int],
        data: Annotated[EvidenceUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> EvidenceView:
        limits = limits_of(request)
        content = await read_upload(data.file, limits)
        return await evidence.add(request.user, application_id, point, data.file.filename, content, limits)

    @get("/api/applications/{application_id:int}/evidence", guards=ANY_USER, summary="A case's files")
    async def list_evidence(
        self, request: Request[Actor, Any, Any], application_id: PathId
    ) -> list[EvidenceView]:
        return await evidence.list_for_case(request.user, application_id)

    @get("/api/evidence/{evidence_id:int}", guards=ANY_USER, summary="Download one file")
    async def download(self, request: Request[Actor, Any, Any], evidence_id: PathId) -> Response[bytes]:
        view, data = await evidence.get_file(request.user, evidence_id)
        return file_response(view, data)

    @delete("/api/evidence/{evidence_id:int}", guards=OWNER, summary="Remove a file (owner, open case)")
    async def remove(self, request: Request[Actor, Any, Any], evidence_id: PathId) -> None:
        await evidence.remove(request.user, evidence_id)

    @get(
        "/api/evidence-reads",
        guards=KOMMUN,
        summary="The evidence access log: who read which file of which case, when (kommun)",
        description=f"The kommun's own cases, newest first, {access_log.PAGE_SIZE} a page.",
    )
    async def access_log(
        self,
        request: Request[Actor, Any, Any],
        application_id: QueryId = None,
        page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
    ) -> AccessLogPage:
        return await access_log.list_for(request.user, application_id=application_id, page=page)
