"""The case's certificate and decal from the case pages: for the shop's owner, the shop's kommun
(a case officer reprinting a decal) and the inspector who approved — the scope is the services'."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.params import FromPath

from certify.domain.errors import NotFound
from certify.services import cases, certificates
from certify.services.actor import Actor
from certify.web import downloads
from certify.web.api.certificates import CERTIFICATE_CACHE
from certify.web.guards import ANY_USER


async def _issued_document(actor: Actor, application_id: int, kind: str) -> Response[bytes]:
    """The certificate or decal of the case, exactly as archived when it was issued."""
    case = await cases.view(actor, application_id)
    if case.certificate is None:
        raise NotFound("case_has_no_certificate")
    download = await certificates.download(actor, case.certificate.number, kind)
    return downloads.file_response(
        download.content, "application/pdf", download.filename, cache=CERTIFICATE_CACHE
    )


@get("/arenden/{application_id:int}/intyg.pdf", opt=ANY_USER, include_in_schema=False)
async def certificate_pdf(
    request: Request[Actor, Any, Any], application_id: FromPath[int]
) -> Response[bytes]:
    return await _issued_document(request.user, application_id, "certificate")


@get("/arenden/{application_id:int}/dekal.pdf", opt=ANY_USER, include_in_schema=False)
async def decal_pdf(request: Request[Actor, Any, Any], application_id: FromPath[int]) -> Response[bytes]:
    return await _issued_document(request.user, application_id, "decal")
