"""The public check behind the decal's QR code: is this certificate valid right now?"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath
from litestar.response import Template

from certify.domain.errors import NotFound
from certify.services import certificates
from certify.web.api.certificates import LOOKUP_LIMIT
from certify.web.guards import PUBLIC
from certify.web.pages.render import page

VERDICTS = {
    "valid": "Giltigt",
    "expired": "Utgånget",
    "revoked": "Återkallat",
}


class VerifyPages(Controller):
    include_in_schema = False

    @get("/verify/{number:str}", opt=PUBLIC, middleware=[LOOKUP_LIMIT.middleware])
    async def verify(self, request: Request[Any, Any, Any], number: FromPath[str]) -> Template:
        """Anyone may look; the page shows no personal data, and lookups are rate limited."""
        try:
            found = await certificates.public_lookup(number[:40])
        except NotFound:
            return await page(request, "verify.html", status_code=404, number=number[:40], certificate=None)
        return await page(
            request, "verify.html", number=found.number, certificate=found, verdict=VERDICTS[found.status]
        )
