"""The inspection protocol as a PDF, for the assigned inspector and the case's kommun: the round's
facts from services/protocols.py, worded here, drawn by pdf/protocol.py."""

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
from certify.text.vocabulary import state_label
from certify.web.guards import allow
from certify.web.pages.case_screen import verdict_label


def _outcome(facts: ProtocolFacts) -> str:
    """What came of a round: earlier rounds ended in corrections; the current one in the state."""
    case = facts.case
    if facts.round < case.round:
        return "Brister att åtgärda (ny besiktning gjordes)"
    if case.state == CaseState.corrections_required:
        return f"Brister att åtgärda senast {format_date(case.deadline)}"
    if case.state == CaseState.certified and case.certificate:
        return f"Godkänd – intyg {case.certificate.number}"
    if case.state == CaseState.scheduled:
        return "Inte beslutad än"
    return state_label(case.state)


def protocol_data(facts: ProtocolFacts) -> ProtocolData:
    shop, verdicts = facts.shop, facts.verdicts
    postal = f"{shop.postal_code[:3]} {shop.postal_code[3:]}"
    return ProtocolData(
        kommun_name=facts.kommun_name,
        case_id=facts.case.id,
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
                title=title,
                verdict=verdict_label(verdicts[number].verdict if number in verdicts else None),
                remark=verdicts[number].remark if number in verdicts else "",
                failed=number in verdicts and verdicts[number].verdict == VerdictValue.failed,
            )
            for number, title in sorted(facts.titles.items())
        ),
    )


@get(
    "/arenden/{application_id:int}/protokoll.pdf",
    guards=allow(Role.inspector, Role.kommun),
    include_in_schema=False,
)
async def protocol_pdf(
    request: Request[Actor, Any, Any], application_id: FromPath[int], omgang: FromQuery[int | None] = None
) -> Response[bytes]:
    """For the assigned inspector and the case's kommun (others get 404 from the scoped view)."""
    data = protocol_data(await protocols.facts(request.user, application_id, omgang))
    pdf = await asyncio.to_thread(render_protocol, data)
    name = f"besiktningsprotokoll-{application_id}-{data.round}.pdf"
    return Response(
        content=pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{name}"',
            "Cache-Control": "private, no-cache",
        },
    )
