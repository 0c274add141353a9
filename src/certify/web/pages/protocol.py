"""The inspection protocol as a PDF, for the assigned inspector and the case's kommun: the round's
facts from services/protocols.py, worded here, drawn by pdf/protocol.py.

Two downloads of one round (`?omgang=` names it):
- `/arenden/{id}/protokoll.pdf`: in the language of the shop's owner (his account's choice), whom the
  protocol is handed to; Swedish when he chose none. The language of the request does not matter,
  so inspector and kommun get the same document.
- `/arenden/{id}/protokoll.sv.pdf`: the Swedish original, the authoritative text for the archive.
"""

from __future__ import annotations

import asyncio
from typing import Any

from litestar import Request, Response, get
from litestar.params import FromPath, FromQuery

from certify.domain.status import CaseState, Role, VerdictValue
from certify.formatting import format_date, format_datetime
from certify.pdf.protocol import ProtocolData, ProtocolPoint, render_protocol
from certify.services import protocols
from certify.services.actor import Actor
from certify.services.clock import today
from certify.services.protocols import ProtocolFacts
from certify.text import catalogue
from certify.text.catalogue import _
from certify.text.languages import DEFAULT
from certify.text.vocabulary import failed_criterion, state_label, verdict_label
from certify.web.guards import allow


def _outcome(facts: ProtocolFacts) -> str:
    """What came of a round: earlier rounds ended in corrections; the current one in the state."""
    case = facts.case
    if facts.round < case.round:
        return _("Brister att åtgärda (ny besiktning gjordes)")
    if case.state == CaseState.corrections_required:
        return _("Brister att åtgärda senast {date}").format(date=format_date(case.deadline))
    if case.state == CaseState.certified and case.certificate:
        return _("Godkänd – intyg {number}").format(number=case.certificate.number)
    if case.state == CaseState.scheduled:
        return _("Inte beslutad än")
    return state_label(case.state)


def _point_title(title_sv: str, local: bool) -> str:
    """A point's title in the protocol; a kommun's own point says so, in the kommun's words."""
    if not local:
        return _(title_sv)
    return _("Lokal punkt: {title}").format(title=title_sv)


def protocol_data(facts: ProtocolFacts) -> ProtocolData:
    """The round worded in the language of the moment."""
    shop, verdicts = facts.shop, facts.verdicts
    postal = f"{shop.postal_code[:3]} {shop.postal_code[3:]}"
    return ProtocolData(
        kommun_name=facts.kommun_name,
        case_id=facts.case.id,
        diarienummer=facts.case.diarienummer or "",
        round=facts.round,
        shop_name=shop.name,
        org_number=shop.org_number,
        address=f"{shop.street_address}, {postal} {shop.city}",
        area=shop.area,
        cash_free=shop.cash_free,
        inspector_name=facts.case.inspector_name or "",
        visit=format_datetime(facts.case.visit_at),
        outcome=_outcome(facts),
        printed_on=format_date(today()),
        deadline=format_date(facts.deadline) if facts.deadline else "",
        points=tuple(
            ProtocolPoint(
                number=number,
                title=_point_title(title, number in facts.local),
                verdict=verdict_label(verdicts[number].verdict if number in verdicts else None),
                remark=verdicts[number].remark if number in verdicts else "",
                failed=number in verdicts and verdicts[number].verdict == VerdictValue.failed,
                failed_criteria=tuple(
                    failed_criterion(c, facts.criteria.get(c, ""), number in facts.local)
                    for c in (verdicts[number].failed_criteria if number in verdicts else [])
                ),
            )
            for number, title in sorted(facts.titles.items())
        ),
    )


async def _protocol(
    actor: Actor, application_id: int, round_: int | None, *, original: bool
) -> Response[bytes]:
    facts = await protocols.facts(actor, application_id, round_)
    code = DEFAULT if original else facts.owner_language
    with catalogue.use(code):  # asyncio.to_thread carries the language into the thread
        data = protocol_data(facts)
        pdf = await asyncio.to_thread(render_protocol, data)
    name = f"besiktningsprotokoll-{application_id}-{data.round}-{code}.pdf"
    return Response(
        content=pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{name}"',
            "Content-Language": code,
            "Cache-Control": "private, no-cache",
        },
    )


ORIGINAL_SUFFIX = ".sv.pdf"


@get(
    ["/arenden/{application_id:int}/protokoll.pdf", "/arenden/{application_id:int}/protokoll.sv.pdf"],
    guards=allow(Role.inspector, Role.kommun),
    include_in_schema=False,
)
async def protocol_pdf(
    request: Request[Actor, Any, Any], application_id: FromPath[int], omgang: FromQuery[int | None] = None
) -> Response[bytes]:
    """In the shop owner's language, or the Swedish original at `protokoll.sv.pdf`; for the assigned
    inspector and the case's kommun (others get 404 from the scoped view)."""
    original = request.url.path.endswith(ORIGINAL_SUFFIX)
    return await _protocol(request.user, application_id, omgang, original=original)
