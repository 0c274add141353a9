"""The inspection protocol as a PDF, for the assigned inspector and the case's kommun.

A round that was decided hands out the protocol exactly as it went out with the decision (stored
then, services/issued_protocols.py): the same bytes every time, whatever changed since. A round
still under way — and a round decided before protocols were stored — is drawn now from the round's
facts (services/protocols.py), worded by pdf/protocol_words.py and drawn by pdf/protocol.py.

Two downloads of one round (`?omgang=` names it):
- `/arenden/{id}/protokoll.pdf`: in the language of the shop's owner (his account's choice), whom the
  protocol is handed to; Swedish when he chose none. The language of the request does not matter,
  so inspector and kommun get the same document. A stored round: the copy the owner was sent.
- `/arenden/{id}/protokoll.sv.pdf`: the Swedish original, the authoritative text for the archive.
"""

from __future__ import annotations

import asyncio
from typing import Any

from litestar import Request, Response, get
from litestar.params import FromPath, FromQuery

from certify.domain.status import Role
from certify.pdf.protocol import render_protocol
from certify.pdf.protocol_words import protocol_data
from certify.services import cases, issued_protocols, protocols
from certify.services.actor import Actor
from certify.services.clock import today
from certify.text import catalogue
from certify.text.languages import DEFAULT
from certify.web import downloads
from certify.web.guards import allow


async def _protocol(
    actor: Actor, application_id: int, round_: int | None, *, original: bool
) -> Response[bytes]:
    case = await cases.view(actor, application_id)
    round_ = await protocols.round_of(case, round_)
    issued = await issued_protocols.stored(case.id, round_, original=original)
    if issued is not None:
        code, pdf = issued.language, issued.pdf
    else:
        facts = await protocols.facts(actor, case, round_)
        code = DEFAULT if original else facts.owner_language
        with catalogue.use(code):  # asyncio.to_thread carries the language into the thread
            pdf = await asyncio.to_thread(render_protocol, protocol_data(facts, today()))
    name = f"besiktningsprotokoll-{application_id}-{round_}-{code}.pdf"
    return downloads.file_response(
        pdf,
        "application/pdf",
        name,
        inline=True,
        cache="private, no-cache",
        headers={"Content-Language": code},
    )


ORIGINAL_SUFFIX = ".sv.pdf"


@get(
    ["/arenden/{application_id:int}/protokoll.pdf", "/arenden/{application_id:int}/protokoll.sv.pdf"],
    opt=allow(Role.inspector, Role.kommun),
    include_in_schema=False,
)
async def protocol_pdf(
    request: Request[Actor, Any, Any], application_id: FromPath[int], omgang: FromQuery[int | None] = None
) -> Response[bytes]:
    """In the shop owner's language, or the Swedish original at `protokoll.sv.pdf`; for the assigned
    inspector and the case's kommun (others get 404 from the scoped view)."""
    original = request.url.path.endswith(ORIGINAL_SUFFIX)
    return await _protocol(request.user, application_id, omgang, original=original)
