"""The public check behind the decal's QR code, and the same check for a number typed by hand.

Anyone may look; the page shows no personal data. Every lookup, by QR code, by the form or through
the API, counts against one rate limit per client, so a script cannot walk the numbers.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from certify.domain.certificate_number import EXAMPLE, normalise_certificate_number
from certify.domain.errors import InvalidField, NotFound
from certify.services import certificates
from certify.text.catalogue import N_, gettext
from certify.text.vocabulary import certificate_status_label
from certify.web.api.certificates import LOOKUP_LIMIT
from certify.web.guards import PUBLIC
from certify.web.pages.render import page

MISSING_NUMBER = N_("Skriv intygets nummer, till exempel {example}.")
MALFORMED_NUMBER = N_(
    "Numret ska se ut som {example}: bokstäver, årtal och löpnummer med bindestreck emellan. "
    "Skriv av det som det står på intyget eller dekalen."
)
LONGEST_INPUT = 60


async def _result(request: Request[Any, Any, Any], number: str) -> Template:
    """The certificate's status, or "Okänt nummer" (404) with the form to try again."""
    try:
        found = await certificates.public_lookup(number)
    except NotFound:
        return await page(
            request,
            "verify.html",
            example=EXAMPLE,
            status_code=404,
            number=number,
            certificate=None,
            errors={},
        )
    return await page(
        request,
        "verify.html",
        example=EXAMPLE,
        number=found.number,
        certificate=found,
        verdict=certificate_status_label(found.status),
        errors={},
    )


class VerifyPages(Controller):
    include_in_schema = False

    @get("/verify", opt=PUBLIC, middleware=[LOOKUP_LIMIT.middleware])
    async def lookup(self, request: Request[Any, Any, Any], nummer: FromQuery[str | None] = None) -> Template:
        """A form for the number as printed; the answer is the same page the QR code opens."""
        if nummer is None:
            return await page(request, "verify.html", example=EXAMPLE, number="", certificate=None, errors={})
        typed = nummer[:LONGEST_INPUT]
        try:
            number = normalise_certificate_number(typed)
        except InvalidField:
            message = gettext(MALFORMED_NUMBER if typed.strip() else MISSING_NUMBER).format(example=EXAMPLE)
            return await page(
                request,
                "verify.html",
                example=EXAMPLE,
                status_code=400,
                number=typed,
                certificate=None,
                errors={"nummer": message},
            )
        return await _result(request, number)

    @get("/verify/{number:str}", opt=PUBLIC, middleware=[LOOKUP_LIMIT.middleware])
    async def verify(self, request: Request[Any, Any, Any], number: FromPath[str]) -> Template:
        """The address in the decal's QR code; a number that cannot exist is simply unknown."""
        try:
            normalised = normalise_certificate_number(number[:LONGEST_INPUT])
        except InvalidField:
            normalised = number[:40]
        return await _result(request, normalised)
