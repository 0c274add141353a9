"""Public certificate lookup."""

from __future__ import annotations

from litestar import Controller, get
from litestar.params import FromPath

from certify.services import certificates
from certify.services.views import PublicCertificateView
from certify.web.guards import PUBLIC


class CertificatesController(Controller):
    path = "/api/certificates"
    tags = ["public"]

    @get("/{number:str}", opt=PUBLIC, summary="Is this certificate valid? (public, no personal data)")
    async def lookup(self, number: FromPath[str]) -> PublicCertificateView:
        return await certificates.public_lookup(number)
