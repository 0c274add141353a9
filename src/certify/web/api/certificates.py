"""Certificates: public lookup, archived downloads, and the open register."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.params import FromPath

from certify.services import certificates, spreadsheets
from certify.services.actor import Actor
from certify.services.views import PublicCertificateView, RegisterEntry
from certify.web import downloads
from certify.web.client_address import client_address
from certify.web.guards import ANY_USER, PUBLIC

# A person checks a sticker or two; a script trying every number is slowed to a crawl.
LOOKUP_LIMIT = RateLimitConfig(
    rate_limit=("minute", 30), store="rate_limit", identifier_for_request=client_address
)


CERTIFICATE_CACHE = "private, max-age=0"
"""An issued certificate or decal: the reader's browser only, asked again each time (it may be revoked)."""


def _pdf(download: certificates.Download) -> Response[bytes]:
    return downloads.file_response(
        download.content, "application/pdf", download.filename, cache=CERTIFICATE_CACHE
    )


class CertificatesController(Controller):
    path = "/api/certificates"
    tags = ["certificates"]

    @get(
        "/{number:str}",
        opt=PUBLIC,
        middleware=[LOOKUP_LIMIT.middleware],
        summary="Is this certificate valid? (public, no personal data, rate limited per client)",
    )
    async def lookup(self, number: FromPath[str]) -> PublicCertificateView:
        return await certificates.public_lookup(number)

    @get(
        "/{number:str}/pdf",
        opt=ANY_USER,
        media_type="application/pdf",
        summary="The certificate PDF as issued (the shop's owner, its kommun, the approving inspector)",
    )
    async def certificate_pdf(
        self, request: Request[Actor, Any, Any], number: FromPath[str]
    ) -> Response[bytes]:
        return _pdf(await certificates.download(request.user, number, "certificate"))

    @get(
        "/{number:str}/decal.pdf",
        opt=ANY_USER,
        media_type="application/pdf",
        summary="The window decal PDF, 10×10 cm (same access as the certificate)",
    )
    async def decal_pdf(self, request: Request[Actor, Any, Any], number: FromPath[str]) -> Response[bytes]:
        return _pdf(await certificates.download(request.user, number, "decal"))


REGISTER_COLUMNS = {
    "number": "Intygsnummer",
    "shop_name": "Butik",
    "street_address": "Gatuadress",
    "postal_code": "Postnummer",
    "city": "Ort",
    "area": "Område",
    "kommun": "Kommun",
    "valid_until": "Giltigt till",
}
"""The open register's columns: the field of each entry and its Swedish heading in the CSV."""


class RegisterController(Controller):
    tags = ["public"]

    @get("/api/public/certified", opt=PUBLIC, summary="Shops with a certificate in force today (public)")
    async def certified(self) -> list[RegisterEntry]:
        return await certificates.register()

    @get(
        "/register.csv",
        opt=PUBLIC,
        media_type="text/csv",
        summary="The open register as CSV (UTF-8 with BOM, ; separated)",
    )
    async def register_csv(self) -> Response[bytes]:
        entries = await certificates.register()
        rows = [
            list(REGISTER_COLUMNS.values()),
            *([str(getattr(e, field)) for field in REGISTER_COLUMNS] for e in entries),
        ]
        return downloads.file_response(
            spreadsheets.csv_bytes(rows), "text/csv", "certifierade-butiker.csv", cache="no-cache"
        )
