"""The inspection protocol's words: one round's facts (services/protocols.py) worded in the language
of the moment for pdf/protocol.py. Used when a decision stores the protocol as issued
(services/issued_protocols.py), and by the download and the archive package for a round that has none."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from certify.domain.status import CaseState, VerdictValue
from certify.formatting import format_date, format_datetime
from certify.pdf.protocol import ProtocolData, ProtocolPoint
from certify.text.catalogue import _
from certify.text.vocabulary import failed_criterion, state_label, verdict_label

if TYPE_CHECKING:
    from certify.services.protocols import ProtocolFacts


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


def protocol_data(facts: ProtocolFacts, printed_on: date) -> ProtocolData:
    """The round worded in the language of the moment, as printed on `printed_on`."""
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
        printed_on=format_date(printed_on),
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
