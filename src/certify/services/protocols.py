"""What the inspection protocol of one round records: the case, the shop, the kommun and the
round's verdicts, read within the caller's scope, and the language of the shop's owner, whom the
protocol is for. pdf/protocol_words.py words it; pdf/protocol.py draws it. A decided round's protocol
is stored as it went out (services/issued_protocols.py); this is what it is drawn from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from certify.domain.errors import NotFound
from certify.domain.retention import RecordKind
from certify.domain.status import CaseState
from certify.services import businesses, checklist, kommuner, retention
from certify.services.actor import Actor
from certify.services.views import ApplicationView, BusinessView, VerdictView
from certify.tables import Account, Event
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


async def round_of(case: ApplicationView, round_: int | None) -> int:
    """The round asked for (the current one unless named); a round the case never had is 404, and
    so is a protocol the retention plan destroyed (never a blank one in its place)."""
    round_ = round_ or case.round
    if not 1 <= round_ <= case.round:
        raise NotFound("round_not_found")
    if await retention.purged(case.id, RecordKind.protocol):
        raise NotFound("protocol_purged")
    return round_


async def _deadline(case: ApplicationView, round_: int) -> date | None:
    """The last day for corrections that the round set, if it required any: the case's own while
    it waits for them (also inside the decision, before its event is written); else the round's
    require_corrections event (each round requires corrections at most once, so the n-th is round n's)."""
    if round_ == case.round and case.state == CaseState.corrections_required:
        return case.deadline
    rows = (
        await Event.select(Event.detail)
        .where((Event.application == case.id) & (Event.action == "require_corrections"))
        .order_by(Event.id)
        .output(load_json=True)
        .run()
    )
    deadlines = [(row["detail"] or {}).get("deadline") for row in rows]
    found = deadlines[round_ - 1] if len(deadlines) >= round_ else None
    return date.fromisoformat(found) if found else None


async def facts(actor: Actor, case: ApplicationView, round_: int | None) -> ProtocolFacts:
    """One round of a case the caller has read within its scope (services.cases.view)."""
    round_ = await round_of(case, round_)
    shop = await businesses.get(actor, case.business_id)
    kommun = next((k.name for k in await kommuner.list_all() if k.code == shop.kommun_code), "")
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
        deadline=await _deadline(case, round_),
        owner_language=await _language_of(shop.owner_id),
    )


async def _language_of(account_id: int | None) -> str:
    """The language an account chose (for its pages and mails), Swedish when it chose none."""
    if account_id is None:
        return DEFAULT
    row = await Account.select(Account.language).where(Account.id == account_id).first().run()
    return known(row["language"] if row else None) or DEFAULT
