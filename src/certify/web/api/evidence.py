"""Evidence files: upload per point, list per case, download, remove."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import ETag, UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import ImproperlyConfiguredException, ValidationException
from litestar.params import Body, FromQuery, QueryParameter

from certify.domain import file_types
from certify.images import thumbnail
from certify.services import access_log, evidence
from certify.services.access_log import AccessLogPage, ReadKind
from certify.services.actor import Actor
from certify.services.evidence import Download, EvidenceView, UploadLimits
from certify.web import downloads
from certify.web.api.schemas import PathId, QueryId
from certify.web.guards import ANY_USER, KOMMUN, OWNER
from certify.web.idempotency import idempotent


@dataclass
class EvidenceUpload:
    file: UploadFile


async def read_upload(upload: UploadFile, limits: UploadLimits) -> bytes:
    """The file's bytes, or RuleNotMet naming its real size when it is over the limit (the parser
    has spooled the whole file already; the refusal says how large it is, not how much was read)."""
    size = upload.file.seek(0, os.SEEK_END)  # a seek, not a read: cheap in memory and on disk
    await upload.seek(0)
    evidence.check_size(size, limits)
    return await upload.read(limits.max_bytes + 1)


def limits_of(request: Request[Any, Any, Any]) -> UploadLimits:
    return UploadLimits.from_settings(request.app.state.settings)


FILE_CACHE = "private, max-age=3600"
"""The whole file: the browser keeps it an hour, then asks again (a 304 when nothing changed)."""
THUMBNAIL_CACHE = "private, max-age=31536000, immutable"
"""A thumbnail's ETag names its version for good: kept a year, by the reader's browser only."""


def current_etags(request: Request[Any, Any, Any]) -> frozenset[str]:
    """The versions the browser already holds (If-None-Match), weak or strong alike, unquoted."""
    held: set[str] = set()
    for item in request.headers.get("if-none-match", "").split(","):
        try:
            held.add(str(ETag.from_header(item.strip()).value))
        except (ImproperlyConfiguredException, ValidationException):
            continue  # not an entity tag ("*" cannot name one of our files)
    return frozenset(held)


def evidence_response(download: Download, cache_control: str) -> Response[bytes]:
    """Images are shown inline; documents and HEIC are downloaded, never rendered here. 304 when
    the browser's copy is current."""
    headers = {
        "ETag": ETag(value=download.etag).to_header(),
        "Cache-Control": cache_control,
        "X-Content-Type-Options": "nosniff",
    }
    if download.content is None:
        return Response(content=b"", status_code=304, headers=headers)
    view = download.view
    return downloads.file_response(
        download.content,
        download.media_type,
        view.file_name,
        inline=view.is_image,
        cache=cache_control,
        headers={
            "ETag": headers["ETag"],
            "Content-Security-Policy": "default-src 'none'; img-src 'self'; sandbox",
        },
    )


class EvidenceController(Controller):
    tags = ["evidence"]

    @post(
        "/api/applications/{application_id:int}/evidence",
        opt=ANY_USER,
        middleware=[idempotent],
        status_code=201,
        summary="Attach a photo or document to one point",
        description=(
            f"Multipart field `file`: {file_types.ACCEPTED_LABEL} (recognised from the content). "
            "A photo is stored normalised: upright, longest side at most CERTIFY_IMAGE_MAX_PX, "
            "without EXIF, GPS or XMP, encoded anew in its own format; the answer's size and type "
            "are the stored file's. PDFs are stored as sent. 400 `image_too_many_pixels` for a "
            "decompression bomb; 422 when the file is empty, too large, of another type, an "
            "unreadable image, or the case has the maximum number of files; 409 when the case is "
            "not open for uploads."
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

    @get("/api/applications/{application_id:int}/evidence", opt=ANY_USER, summary="A case's files")
    async def list_evidence(
        self, request: Request[Actor, Any, Any], application_id: PathId
    ) -> list[EvidenceView]:
        return await evidence.list_for_case(request.user, application_id)

    @get(
        "/api/evidence/{evidence_id:int}",
        opt=ANY_USER,
        summary="Download one file",
        operation_class=downloads.file_operation(file_types.EXTENSIONS, not_modified=True),
        description="Every read goes to the access log. ETag and If-None-Match: 304 when unchanged.",
    )
    async def download(self, request: Request[Actor, Any, Any], evidence_id: PathId) -> Response[bytes]:
        download = await evidence.read(request.user, evidence_id, ReadKind.file, current_etags(request))
        return evidence_response(download, FILE_CACHE)

    @get(
        "/api/evidence/{evidence_id:int}/thumbnail",
        opt=ANY_USER,
        summary="A photo's thumbnail (WebP, longest side 480 px)",
        operation_class=downloads.file_operation({thumbnail.MEDIA_TYPE}, not_modified=True),
        description=(
            "Authorised like the file; made on first request and kept. Cached privately for a year "
            "with an ETag (304 on If-None-Match). 404 for documents; 422 when the image has more "
            "pixels than allowed or cannot be read."
        ),
    )
    async def thumbnail(self, request: Request[Actor, Any, Any], evidence_id: PathId) -> Response[bytes]:
        download = await evidence.read(request.user, evidence_id, ReadKind.thumbnail, current_etags(request))
        return evidence_response(download, THUMBNAIL_CACHE)

    @delete("/api/evidence/{evidence_id:int}", opt=OWNER, summary="Remove a file (owner, open case)")
    async def remove(self, request: Request[Actor, Any, Any], evidence_id: PathId) -> None:
        await evidence.remove(request.user, evidence_id)

    @get(
        "/api/evidence-reads",
        opt=KOMMUN,
        summary="The access log of evidence and fullmakter: who read which file of which case, when (kommun)",
        description=(
            f"The kommun's own cases and shops, newest first, {access_log.PAGE_SIZE} a page. A fullmakt "
            "read has `kind` `fullmakt` and its `representative_id`; it belongs to the shop's newest "
            "case (`application_id` null while the shop has none)."
        ),
    )
    async def access_log(
        self,
        request: Request[Actor, Any, Any],
        application_id: QueryId = None,
        page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
    ) -> AccessLogPage:
        return await access_log.list_for(request.user, application_id=application_id, page=page)
