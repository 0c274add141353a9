"""Retention by the kommun's decision: the kommun's plan, and `certify tick` destroying (gallring)
exactly what the plan allows, each destruction written to the purge log that is itself kept.

What destroying each kind means (README, "Gallring enligt kommunens beslut"):
- case_data: names in the case's history and access log become "(borttaget)"; the shop's phone and
  e-mail go once no other case of it still needs them; the kept fullmakter of representatives who
  stopped acting for the shop (services/fullmakter.py) that follow this case are deleted. The case
  row (state, dates, diarienummer), the document register and the certificate's facts stay: they
  are the register's skeleton.
- self_assessment: the owner's answers (status, comment, criterion marks) are deleted.
- evidence: the uploaded files are deleted, and the files sent with the material changes reported
  against the case's certificate (the reports themselves stay).
- protocol: the inspector's verdicts, remarks and failed criteria (every round) and the protocol PDFs
  stored as issued (services/issued_protocols.py) are deleted.
- certificate: the issued certificate and decal PDFs are deleted; its number, dates and shop stay,
  so a decal can still be checked as expired or revoked.
- email: the case's e-mails in the outbox are deleted.
- audit: the case's events and the access log of its files are deleted; an event an e-mail of the
  case still points to goes with that e-mail.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from dateutil.relativedelta import relativedelta

from certify import database
from certify.domain.retention import (
    KINDS,
    Disposal,
    LineInput,
    PlanLine,
    RecordKind,
    check_plan,
)
from certify.domain.status import ENDED_STATES, CaseState
from certify.services import evidence, fullmakter, material_changes, policy
from certify.services.actor import Actor
from certify.services.clock import now
from certify.services.policy import Capability
from certify.tables import (
    Answer,
    Application,
    Business,
    Certificate,
    Event,
    EvidenceRead,
    OutboxMessage,
    Protocol,
    RetentionPlanLine,
    RetentionPurge,
    Verdict,
    WebhookDelivery,
)

REMOVED = "(borttaget)"
PURGE_LOG_PAGE = 200


@dataclass(frozen=True, slots=True)
class Plan:
    lines: tuple[PlanLine, ...]  # one per kind in KINDS order; empty when the kommun has entered none

    @property
    def in_force(self) -> bool:
        return bool(self.lines)


@dataclass(frozen=True, slots=True)
class PurgeEntry:
    case_id: int
    diarienummer: str | None
    kind: RecordKind
    years: int
    decision: str
    detail: dict[str, int]
    purged_at: datetime


@dataclass(frozen=True, slots=True)
class Purged:
    case_id: int
    kind: RecordKind


def _kommun_of(actor: Actor) -> int:
    return policy.own_kommun(actor, Capability.keep_retention_plan)


async def plan_of(kommun_id: int) -> Plan:
    rows = (
        await RetentionPlanLine.select(
            RetentionPlanLine.kind,
            RetentionPlanLine.disposal,
            RetentionPlanLine.years,
            RetentionPlanLine.decision,
        )
        .where(RetentionPlanLine.kommun == kommun_id)
        .run()
    )
    by_kind = {row["kind"]: row for row in rows if row["kind"] in RecordKind.__members__}
    if set(by_kind) != set(KINDS):  # a plan is whole or not there
        return Plan(lines=())
    return Plan(
        lines=tuple(
            PlanLine(
                kind=kind,
                disposal=Disposal(by_kind[kind]["disposal"]),
                years=by_kind[kind]["years"],
                decision=by_kind[kind]["decision"],
            )
            for kind in KINDS
        )
    )


async def own_plan(actor: Actor) -> Plan:
    return await plan_of(_kommun_of(actor))


async def save_plan(actor: Actor, lines: list[LineInput]) -> Plan:
    """Replace the kommun's plan with these lines (every kind once); the next tick applies it."""
    kommun_id = _kommun_of(actor)
    checked = check_plan(lines)
    async with database.transaction():
        for line in checked:
            values: dict[Any, Any] = {
                RetentionPlanLine.disposal: line.disposal.value,
                RetentionPlanLine.years: line.years,
                RetentionPlanLine.decision: line.decision,
                RetentionPlanLine.updated_by: actor.id,
                RetentionPlanLine.updated_at: now(),
            }
            updated = (
                await RetentionPlanLine.update(values)
                .where((RetentionPlanLine.kommun == kommun_id) & (RetentionPlanLine.kind == line.kind.value))
                .returning(RetentionPlanLine.id)
                .run()
            )
            if not updated:
                await RetentionPlanLine.insert(
                    RetentionPlanLine(
                        kommun=kommun_id,
                        kind=line.kind.value,
                        disposal=line.disposal.value,
                        years=line.years,
                        decision=line.decision,
                        updated_by=actor.id,
                    )
                ).run()
    return await plan_of(kommun_id)


async def purge_log(actor: Actor) -> list[PurgeEntry]:
    """The kommun's purge log, newest first (the latest PURGE_LOG_PAGE entries)."""
    rows = (
        await RetentionPurge.select(
            RetentionPurge.application,
            RetentionPurge.application.diarienummer,
            RetentionPurge.kind,
            RetentionPurge.years,
            RetentionPurge.decision,
            RetentionPurge.detail,
            RetentionPurge.purged_at,
        )
        .where(RetentionPurge.kommun == _kommun_of(actor))
        .order_by(RetentionPurge.id, ascending=False)
        .limit(PURGE_LOG_PAGE)
        .output(load_json=True)
        .run()
    )
    return [
        PurgeEntry(
            case_id=row["application"],
            diarienummer=row["application.diarienummer"],
            kind=RecordKind(row["kind"]),
            years=row["years"],
            decision=row["decision"],
            detail=dict(row["detail"] or {}),
            purged_at=row["purged_at"],
        )
        for row in rows
    ]


# --- destroying: one function per kind, inside the caller's transaction -----------------------------


def _case_events(case_id: int) -> Any:
    return Event.select(Event.id).where(Event.application == case_id)


async def _purge_case_data(case_id: int) -> dict[str, int]:
    await Event.update({Event.actor_label: REMOVED}).where(Event.application == case_id).run()
    await (
        EvidenceRead.update({EvidenceRead.actor_label: REMOVED, EvidenceRead.file_name: REMOVED})
        .where(EvidenceRead.application == case_id)
        .run()
    )
    await (
        Application.update({Application.personal_data_removed_at: now()})
        .where(Application.id == case_id)
        .run()
    )
    case = await Application.select(Application.business).where(Application.id == case_id).first().run()
    assert case is not None
    still_needed = (
        await Application.exists()
        .where(
            (Application.business == case["business"])
            & (Application.id != case_id)
            & (
                Application.state.not_in([s.value for s in ENDED_STATES])
                | Application.personal_data_removed_at.is_null()
            )
        )
        .run()
    )
    kept = await fullmakter.delete_for_case(case_id)
    if still_needed:
        return {"shop_contacts": 0, "fullmakter": kept}
    await (
        Business.update({Business.phone: "", Business.email: ""}).where(Business.id == case["business"]).run()
    )
    return {"shop_contacts": 1, "fullmakter": kept}


async def _purge_self_assessment(case_id: int) -> dict[str, int]:
    count = await Answer.count().where(Answer.application == case_id).run()
    await Answer.delete().where(Answer.application == case_id).run()
    return {"answers": count}


async def _purge_evidence(case_id: int) -> dict[str, int]:
    return {
        "files": await evidence.delete_for_case(case_id),
        "change_files": await material_changes.delete_files_for_case(case_id),
    }


async def _purge_protocol(case_id: int) -> dict[str, int]:
    count = await Verdict.count().where(Verdict.application == case_id).run()
    await Verdict.delete().where(Verdict.application == case_id).run()
    issued = await Protocol.count().where(Protocol.application == case_id).run()
    await Protocol.delete().where(Protocol.application == case_id).run()
    return {"verdicts": count, "protocols": issued}


async def _purge_certificate(case_id: int) -> dict[str, int]:
    count = await Certificate.count().where(Certificate.application == case_id).run()
    await (
        Certificate.update({Certificate.pdf: None, Certificate.decal_pdf: None})
        .where(Certificate.application == case_id)
        .run()
    )
    return {"certificates": count}


async def purged_kinds(case_id: int) -> list[RecordKind]:
    """What the plan has destroyed of a case, in KINDS order (the caller has checked its scope)."""
    rows = await RetentionPurge.select(RetentionPurge.kind).where(RetentionPurge.application == case_id).run()
    done = {row["kind"] for row in rows}
    return [kind for kind in KINDS if kind.value in done]


async def purged(case_id: int, kind: RecordKind) -> bool:
    """Whether the plan has destroyed this kind of the case (a page then says so, never shows a blank)."""
    return bool(
        await RetentionPurge.exists()
        .where((RetentionPurge.application == case_id) & (RetentionPurge.kind == kind.value))
        .run()
    )


async def _delete_events(case_id: int) -> int:
    """The case's events that no e-mail still points to (an e-mail keeps its event until it goes)."""
    mailed = OutboxMessage.select(OutboxMessage.event).where(OutboxMessage.event.is_not_null())
    going = Event.select(Event.id).where((Event.application == case_id) & Event.id.not_in(mailed))
    count = await Event.count().where((Event.application == case_id) & Event.id.not_in(mailed)).run()
    await (
        WebhookDelivery.update({WebhookDelivery.event: None}).where(WebhookDelivery.event.is_in(going)).run()
    )
    await Event.delete().where((Event.application == case_id) & Event.id.not_in(mailed)).run()
    return count


async def _purge_email(case_id: int) -> dict[str, int]:
    count = await OutboxMessage.count().where(OutboxMessage.event.is_in(_case_events(case_id))).run()
    await OutboxMessage.delete().where(OutboxMessage.event.is_in(_case_events(case_id))).run()
    if await purged(case_id, RecordKind.audit):
        await _delete_events(case_id)  # the events the e-mails held back
    return {"emails": count}


async def _purge_audit(case_id: int) -> dict[str, int]:
    events = await _delete_events(case_id)
    reads = await EvidenceRead.count().where(EvidenceRead.application == case_id).run()
    await EvidenceRead.delete().where(EvidenceRead.application == case_id).run()
    return {"events": events, "reads": reads}


PURGERS: dict[RecordKind, Callable[[int], Awaitable[dict[str, int]]]] = {
    RecordKind.case_data: _purge_case_data,
    RecordKind.self_assessment: _purge_self_assessment,
    RecordKind.evidence: _purge_evidence,
    RecordKind.protocol: _purge_protocol,
    RecordKind.certificate: _purge_certificate,
    RecordKind.email: _purge_email,
    RecordKind.audit: _purge_audit,
}


async def purge_due(on: date) -> list[Purged]:
    """Destroy, in every kommun with a plan, each kind its plan destroys in the cases that closed
    more than that line's years before `on`, once per case and kind, each logged."""
    lines = (
        await RetentionPlanLine.select(
            RetentionPlanLine.kommun,
            RetentionPlanLine.kind,
            RetentionPlanLine.years,
            RetentionPlanLine.decision,
        )
        .where(RetentionPlanLine.disposal == Disposal.purge.value)
        .order_by(RetentionPlanLine.kommun)
        .run()
    )
    plans: dict[int, Plan] = {}
    purged: list[Purged] = []
    for line in sorted(lines, key=lambda row: (row["kommun"], KINDS.index(RecordKind(row["kind"])))):
        if line["kommun"] not in plans:
            plans[line["kommun"]] = await plan_of(line["kommun"])
        if not plans[line["kommun"]].in_force:
            continue
        kind = RecordKind(line["kind"])
        closed_before = datetime.combine(on - relativedelta(years=line["years"]), time(), tzinfo=UTC)
        done = RetentionPurge.select(RetentionPurge.application).where(RetentionPurge.kind == kind.value)
        due = (
            await Application.select(Application.id)
            .where(
                (Application.kommun == line["kommun"])
                & Application.state.is_in([s.value for s in ENDED_STATES])
                & (Application.closed_at < closed_before)
                & Application.id.not_in(done)
            )
            .order_by(Application.id)
            .run()
        )
        for case in due:
            if await _purge_one(line, kind, case["id"]):
                purged.append(Purged(case_id=case["id"], kind=kind))
    return purged


async def _purge_one(line: dict[str, Any], kind: RecordKind, case_id: int) -> bool:
    """One kind of one case and its log entry, in one transaction; False when another instance did it."""
    try:
        async with database.transaction():
            state = await Application.select(Application.state).where(Application.id == case_id).first().run()
            if state is None or CaseState(state["state"]) not in ENDED_STATES:
                return False
            await RetentionPurge.insert(
                RetentionPurge(
                    kommun=line["kommun"],
                    application=case_id,
                    kind=kind.value,
                    years=line["years"],
                    decision=line["decision"],
                    purged_at=now(),
                )
            ).run()
            detail = await PURGERS[kind](case_id)
            await (
                RetentionPurge.update({RetentionPurge.detail: detail})
                .where((RetentionPurge.application == case_id) & (RetentionPurge.kind == kind.value))
                .run()
            )
    except database.INTEGRITY_ERRORS:
        return False
    return True
