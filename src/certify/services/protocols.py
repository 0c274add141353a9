"""What the inspection protocol of one round records: the case, the shop, the kommun and the
round's verdicts, read within the caller's scope, and the language of the shop's owner, whom the
protocol is for. The page words it; pdf/protocol.py draws it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from certify.domain.errors import NotFound
from certify.domain.retention import RecordKind
from certify.services import businesses, cases, checklist, kommuner, retention
from certify.services.actor import Actor
from certify.services.views import ApplicationView, BusinessView, VerdictView
from certify.tables import Account
from certify.text.languages import DEFAULT, known


@dataclass(frozen=True, slots=True)
class ProtocolFacts:
    case: ApplicationView
    shop: BusinessView
    kommun_name: str
    round: int
    titles: dict[int, str]  # point -> title, every point of the case's version in order
    local: frozenset[int]  # the kommun's own points among them (shown as the kommun wrote them)
    criteria: dict[str, str]  # criterion id -> its official Swedish text, every point's
    verdicts: dict[int, VerdictView]  # point -> this round's verdict
    deadline: date | None  # the last day for corrections the round set, if it required any
    owner_language: str  # the language the shop's owner chose; Swedish when none or no owner


async def facts(actor: Actor, application_id: int, round_: int | None) -> ProtocolFacts:
    """One round (the current one unless named); a round the case never had is 404."""
    case = await cases.view(actor, application_id)
    round_ = round_ or case.round
    if not 1 <= round_ <= case.round:
        raise NotFound("round_not_found")
    if await retention.purged(application_id, RecordKind.protocol):
        raise NotFound("protocol_purged")  # never a blank protocol in place of the destroyed one
    shop = await businesses.get(actor, case.business_id)
    kommun = next((k.name for k in await kommuner.list_all() if k.code == shop.kommun_code), "")
    # Each round requires corrections at most once, so the n-th such event is round n's.
    deadlines = [
        e.detail.get("deadline")
        for e in await cases.list_events(actor, application_id)
        if e.action == "require_corrections"
    ]
    deadline = deadlines[round_ - 1] if len(deadlines) >= round_ else None
    spec = await checklist.by_version(case.checklist_version)
    return ProtocolFacts(
        case=case,
        shop=shop,
        kommun_name=kommun,
        round=round_,
        titles={p.number: p.title_sv for p in spec.points},
        local=frozenset(p.number for p in spec.points if p.local),
        criteria={c.id: c.text_sv for p in spec.points for c in p.criteria},
        verdicts={v.point: v for v in case.verdicts if v.round == round_},
        deadline=date.fromisoformat(deadline) if deadline else None,
        owner_language=await _language_of(shop.owner_id),
    )


async def _language_of(account_id: int | None) -> str:
    """The language an account chose (for its pages and mails), Swedish when it chose none."""
    if account_id is None:
        return DEFAULT
    row = await Account.select(Account.language).where(Account.id == account_id).first().run()
    return known(row["language"] if row else None) or DEFAULT
