"""The chain case (kedjebesiktning, issue 17) up to the drawn sample: a chain representative opens a
case for the chain's member shops in one kommun, keeps the chain's central documentation (stored
once per chain, reused by its cases in every kommun), records the chain's internal audit of every
member and point, and submits; the kommun assigns an inspector, which draws the sample with a fresh
seed recorded with the case; the kommun may add shops to the sample, never remove drawn ones; the
chain may withdraw, the kommun reject.

The states and the rules are domain/chain_workflow.py's and domain/chain_rules.py's, the sample
domain/chain_sample.py's. Each write is one transaction with a compare-and-set on the case's
version, and an event in the audit trail. Who sees what is policy.chain_case_scope: the chain's
representatives, the case's kommun and its assigned inspector see the whole case; the owner of a
member shop sees only that his shop is in the case and whether it is sampled; anyone else gets 404.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import msgspec

from certify import database
from certify.domain import chain_sample
from certify.domain.chain_rules import CENTRAL_POINTS, ChainProblem, submit_problems
from certify.domain.chain_sample import MemberFacts, Sampled, SampleReason, SampleRefusal, SampleRefused
from certify.domain.chain_workflow import ChainCaseState, decide
from certify.domain.errors import ActionRefused, Conflict, InvalidField, NotFound, RuleNotMet
from certify.domain.rules import Problem
from certify.domain.status import ENDED_STATES as CASE_ENDED_STATES
from certify.domain.status import AnswerStatus, CaseState, Role, VerdictValue
from certify.pdf.certificate import CertificateLayoutError
from certify.services import (
    certificates,
    chain_case_record,
    checklist,
    diarium,
    events,
    evidence,
    local_points,
    policy,
)
from certify.services.actor import Actor
from certify.services.chain_case_record import ChainCaseRecord
from certify.services.clock import local_date, now, today
from certify.services.evidence import UploadLimits
from certify.services.policy import Capability, chain_case_scope, chain_document_scope
from certify.tables import (
    Account,
    Answer,
    Application,
    Business,
    Certificate,
    Chain,
    ChainAudit,
    ChainCase,
    ChainCaseMember,
    ChainCentralVerdict,
    ChainDocument,
    ChainMember,
    ChainSample,
    InspectorKommun,
    Kommun,
    Verdict,
)

OPEN_STATES = frozenset(
    {
        ChainCaseState.draft,
        ChainCaseState.submitted,
        ChainCaseState.inspecting,
        ChainCaseState.corrections_required,
        ChainCaseState.held,
    }
)
ENDED_STATES = chain_case_record.ENDED_STATES


class ChainAuditView(msgspec.Struct, kw_only=True):
    point: int
    status: str  # fulfilled, not_fulfilled, not_applicable
    comment: str


class ChainCaseMemberView(msgspec.Struct, kw_only=True):
    """A member shop in the case. `audits` only for those who see the whole case."""

    business_id: int
    name: str
    audited_points: int
    audit_complete: bool
    sampled: bool
    sample_reason: str | None  # chain_sample.SampleReason
    audits: list[ChainAuditView]


class ChainSampleView(msgspec.Struct, kw_only=True):
    """A sampled shop, with its sample case (the ordinary inspection page the inspector uses)."""

    business_id: int
    name: str
    reason: str  # chain_sample.SampleReason: random, never_inspected, failed_last_time, …
    round: int
    street_address: str = ""
    city: str = ""
    application_id: int | None = None  # its open sample case (open_sample_cases)
    inspector_id: int | None = None  # who visits it (the chain case's inspector unless reassigned)
    inspector_name: str | None = None
    visit_at: datetime | None = None  # the booked visit, if any
    judged_points: int = 0  # shop points judged in the sample case's current round
    shop_points: int = 0  # the points judged at each shop (the central ones are not)


class ChainCentralVerdictView(msgspec.Struct, kw_only=True):
    """The inspector's judgement of a central point on the chain's documentation."""

    point: int
    verdict: str  # pass, fail, not_applicable
    remark: str
    round: int
    inspector_name: str | None
    updated_at: datetime


class ChainDocumentView(msgspec.Struct, kw_only=True):
    id: int
    chain_id: int
    file_name: str
    content_type: str
    size: int
    uploaded_at: datetime


class ChainProblemView(msgspec.Struct, kw_only=True):
    code: str
    shops: list[int]
    points: list[int]


class ChainCaseView(msgspec.Struct, kw_only=True):
    """A chain case as the caller may see it. A member shop's owner (`whole_case` false) sees only
    his own shops in `members` and `sample`, no audits, no documents and no seed."""

    id: int
    chain_id: int
    chain_name: str
    kommun_code: str
    kommun_name: str
    state: str
    version: int
    round: int
    renewal: bool
    diarienummer: str | None
    inspector_id: int | None
    inspector_name: str | None
    whole_case: bool
    you_represent: bool
    points: list[int]
    central_points: list[int]
    sample_size: int  # the size the rule gives for this many members (first or renewal)
    seed: str | None  # recorded when the sample was drawn; None before, and for a member's owner
    members: list[ChainCaseMemberView]
    sample: list[ChainSampleView]
    documents: list[ChainDocumentView]
    submit_problems: list[ChainProblemView]  # what still stops submitting (draft only)
    central_verdicts: list[ChainCentralVerdictView] = msgspec.field(default_factory=list)  # whole case
    created_at: datetime
    submitted_at: datetime | None


class ChainCaseSummary(msgspec.Struct, kw_only=True):
    """A chain case in the kommun's list."""

    id: int
    chain_id: int
    chain_name: str
    state: str
    members: int
    sampled: int
    diarienummer: str | None
    inspector_name: str | None
    submitted_at: datetime | None


# --- facts (the rules' ChainFacts are chain_case_record.facts) ------------------------------------


async def member_facts(case: ChainCaseRecord) -> list[MemberFacts]:
    """What the risk order knows of each member, from its shop's own history: the last case with
    inspection verdicts (its date: the visit, else the decision), the failed points of its last
    round, and (for a renewal) whether the chain's previous case in this kommun sampled it."""
    case_id, chain_id, kommun_id = case.id, case.chain_id, case.kommun_id
    members = await chain_case_record.member_ids(case_id)
    verdicts = (
        await Verdict.select(
            Verdict.application,
            Verdict.application.business,
            Verdict.application.visit_at,
            Verdict.application.decided_at,
            Verdict.application.updated_at,
            Verdict.round,
            Verdict.verdict,
        )
        .where(Verdict.application.business.is_in(members))
        .run()
        if members
        else []
    )
    last: dict[int, tuple[datetime, int, int]] = {}  # business → (when, application, round)
    for v in verdicts:
        when = v["application.visit_at"] or v["application.decided_at"] or v["application.updated_at"]
        key = (when, v["application"], v["round"])
        business = v["application.business"]
        if business not in last or key > last[business]:
            last[business] = key
    failed: dict[int, int] = {}
    for v in verdicts:
        business = v["application.business"]
        _, application, round_ = last[business]
        if v["application"] == application and v["round"] == round_ and v["verdict"] == VerdictValue.failed:
            failed[business] = failed.get(business, 0) + 1
    visited = await _visited_last_time(case_id, chain_id, kommun_id)
    return [
        MemberFacts(
            business=business,
            last_inspected=local_date(last[business][0]) if business in last else None,
            failed_points_last_time=failed.get(business, 0),
            visited_last_time=business in visited,
        )
        for business in members
    ]


async def _visited_last_time(case_id: int, chain_id: int, kommun_id: int) -> set[int]:
    """The shops the chain's previous case in this kommun sampled (a renewal's risk order)."""
    previous = (
        await ChainCase.select(ChainCase.id)
        .where(
            (ChainCase.chain == chain_id)
            & (ChainCase.kommun == kommun_id)
            & (ChainCase.id != case_id)
            & (ChainCase.seed != "")
        )
        .order_by(ChainCase.id, ascending=False)
        .first()
        .run()
    )
    if previous is None:
        return set()
    rows = (
        await ChainSample.select(ChainSample.business).where(ChainSample.chain_case == previous["id"]).run()
    )
    return {r["business"] for r in rows}


# --- reading -------------------------------------------------------------------------------------


def _document_view(row: dict[str, Any]) -> ChainDocumentView:
    return ChainDocumentView(
        id=row["id"],
        chain_id=row["chain"],
        file_name=row["file_name"],
        content_type=row["content_type"],
        size=row["size"],
        uploaded_at=row["uploaded_at"],
    )


_DOCUMENT_COLUMNS = (
    ChainDocument.id,
    ChainDocument.chain,
    ChainDocument.file_name,
    ChainDocument.content_type,
    ChainDocument.size,
    ChainDocument.uploaded_at,
)


async def _documents(chain_id: int) -> list[ChainDocumentView]:
    rows = (
        await ChainDocument.select(*_DOCUMENT_COLUMNS)
        .where(ChainDocument.chain == chain_id)
        .order_by(ChainDocument.id)
        .run()
    )
    return [_document_view(r) for r in rows]


async def view(actor: Actor, case_id: int) -> ChainCaseView:
    case = await chain_case_record.load(actor, case_id)
    whole = await chain_case_record.whole_case(actor, case)
    members = (
        await ChainCaseMember.select(ChainCaseMember.business, ChainCaseMember.business.name)
        .where(ChainCaseMember.chain_case == case_id)
        .order_by(ChainCaseMember.business.name)
        .run()
    )
    if not whole:
        own = {
            r["id"]
            for r in await Business.select(Business.id)
            .where(Business.id.is_in(policy.represented(actor.id)))
            .run()
        }
        members = [m for m in members if m["business"] in own]
    names = {m["business"]: m["business.name"] for m in members}
    points = await checklist.case_points(case.checklist_version)
    audits = (
        await ChainAudit.select(ChainAudit.business, ChainAudit.point, ChainAudit.status, ChainAudit.comment)
        .where(ChainAudit.chain_case == case_id)
        .order_by(ChainAudit.point)
        .run()
        if whole
        else []
    )
    by_member: dict[int, list[ChainAuditView]] = {}
    for a in audits:
        by_member.setdefault(a["business"], []).append(
            ChainAuditView(point=a["point"], status=a["status"], comment=a["comment"])
        )
    samples = (
        await ChainSample.select(ChainSample.business, ChainSample.reason, ChainSample.round)
        .where(ChainSample.chain_case == case_id)
        .order_by(ChainSample.id)
        .run()
    )
    reasons = {s["business"]: s["reason"] for s in samples}
    wanted = set(points)
    member_views = [
        ChainCaseMemberView(
            business_id=business,
            name=name,
            audited_points=len({a.point for a in by_member.get(business, [])} & wanted),
            audit_complete=wanted <= {a.point for a in by_member.get(business, [])},
            sampled=business in reasons,
            sample_reason=reasons.get(business),
            audits=by_member.get(business, []),
        )
        for business, name in names.items()
    ]
    sample = await _sample_views(case, samples, names, points)
    problems: list[ChainProblemView] = []
    if whole and case.state == ChainCaseState.draft:
        problems = [
            ChainProblemView(code=p.code, shops=list(p.shops), points=list(p.points))
            for p in submit_problems(await chain_case_record.facts(case))
        ]
    all_members = len(await chain_case_record.member_ids(case_id))
    return ChainCaseView(
        id=case.id,
        chain_id=case.chain_id,
        chain_name=case.chain_name,
        kommun_code=case.kommun_code,
        kommun_name=case.kommun_name,
        state=case.state,
        version=case.version,
        round=case.round,
        renewal=case.renewal,
        diarienummer=case.diarienummer,
        inspector_id=case.inspector_id,
        inspector_name=case.inspector_name,
        whole_case=whole,
        you_represent=await policy.represents_chain(actor, case.chain_id),
        points=list(points),
        central_points=sorted(case.central_points),
        sample_size=chain_sample.sample_size(all_members, renewal=case.renewal) if all_members else 0,
        seed=(case.seed or None) if whole else None,
        members=member_views,
        sample=sample,
        documents=await _documents(case.chain_id) if whole else [],
        submit_problems=problems,
        central_verdicts=await _central_verdict_views(case_id) if whole else [],
        created_at=case.created_at,
        submitted_at=case.submitted_at,
    )


async def _sample_views(
    case: ChainCaseRecord, samples: list[dict[str, Any]], names: dict[int, str], points: tuple[int, ...]
) -> list[ChainSampleView]:
    """The sampled shops the caller sees (`names`), in the order they joined the sample, each with
    its address, its open sample case and how far the inspector has come there."""
    shown = [s for s in samples if s["business"] in names]
    if not shown:
        return []
    central = case.central_points
    shop_points = [p for p in points if p not in central]
    businesses = [s["business"] for s in shown]
    addresses = {
        r["id"]: r
        for r in await Business.select(Business.id, Business.street_address, Business.city)
        .where(Business.id.is_in(businesses))
        .run()
    }
    applications = {
        r["business"]: r
        for r in await Application.select(
            Application.id,
            Application.business,
            Application.inspector,
            Application.inspector.name,
            Application.visit_at,
        )
        .where(
            (Application.chain_case == case.id)
            & Application.business.is_in(businesses)
            & Application.state.not_in([s.value for s in CASE_ENDED_STATES])
        )
        .run()
    }
    judged = await chain_case_record.shop_verdicts(case.id, shop_points)
    views = []
    for s in shown:
        business = s["business"]
        application = applications.get(business)
        views.append(
            ChainSampleView(
                business_id=business,
                name=names[business],
                reason=s["reason"],
                round=s["round"],
                street_address=addresses[business]["street_address"],
                city=addresses[business]["city"],
                application_id=application["id"] if application else None,
                inspector_id=application["inspector"] if application else None,
                inspector_name=application["inspector.name"] if application else None,
                visit_at=application["visit_at"] if application else None,
                judged_points=len(judged.get(business, {})),
                shop_points=len(shop_points),
            )
        )
    return views


async def _central_verdict_views(case_id: int) -> list[ChainCentralVerdictView]:
    rows = (
        await ChainCentralVerdict.select(
            ChainCentralVerdict.point,
            ChainCentralVerdict.verdict,
            ChainCentralVerdict.remark,
            ChainCentralVerdict.round,
            ChainCentralVerdict.inspector.name,
            ChainCentralVerdict.updated_at,
        )
        .where(ChainCentralVerdict.chain_case == case_id)
        .order_by(ChainCentralVerdict.point)
        .run()
    )
    return [
        ChainCentralVerdictView(
            point=r["point"],
            verdict=r["verdict"],
            remark=r["remark"],
            round=r["round"],
            inspector_name=r["inspector.name"],
            updated_at=r["updated_at"],
        )
        for r in rows
    ]


async def list_for_kommun(actor: Actor) -> list[ChainCaseSummary]:
    """The kommun's chain cases, newest first."""
    kommun_id = policy.own_kommun(actor, Capability.handle_chain_cases)
    return await _listed(ChainCase.kommun == kommun_id)


async def list_for_chain(actor: Actor, chain_id: int) -> list[ChainCaseSummary]:
    """A chain's cases in every kommun (its representatives)."""
    policy.require(actor, Capability.keep_chain_cases)
    if not await policy.represents_chain(actor, chain_id):
        raise NotFound("chain_not_found")
    return await _listed(ChainCase.chain == chain_id)


async def list_for_inspector(actor: Actor) -> list[ChainCaseSummary]:
    """The chain cases assigned to the inspector (in kommuner he still serves), newest first."""
    policy.require(actor, Capability.judge_points)
    return await _listed(chain_case_scope(actor))


async def _listed(where: Any) -> list[ChainCaseSummary]:
    """The chain cases matching `where`, newest first."""
    rows = (
        await ChainCase.select(
            ChainCase.id,
            ChainCase.chain,
            ChainCase.chain.name,
            ChainCase.state,
            ChainCase.diarienummer,
            ChainCase.inspector.name,
            ChainCase.submitted_at,
        )
        .where(where)
        .order_by(ChainCase.id, ascending=False)
        .run()
    )
    return await _summaries(rows)


async def _summaries(rows: list[dict[str, Any]]) -> list[ChainCaseSummary]:
    ids = [r["id"] for r in rows]
    counts: dict[int, int] = {}
    sampled: dict[int, int] = {}
    if ids:
        for m in (
            await ChainCaseMember.select(ChainCaseMember.chain_case)
            .where(ChainCaseMember.chain_case.is_in(ids))
            .run()
        ):
            counts[m["chain_case"]] = counts.get(m["chain_case"], 0) + 1
        for s in (
            await ChainSample.select(ChainSample.chain_case).where(ChainSample.chain_case.is_in(ids)).run()
        ):
            sampled[s["chain_case"]] = sampled.get(s["chain_case"], 0) + 1
    return [
        ChainCaseSummary(
            id=r["id"],
            chain_id=r["chain"],
            chain_name=r["chain.name"],
            state=r["state"],
            members=counts.get(r["id"], 0),
            sampled=sampled.get(r["id"], 0),
            diarienummer=r["diarienummer"],
            inspector_name=r["inspector.name"],
            submitted_at=r["submitted_at"],
        )
        for r in rows
    ]


# --- the chain's side ----------------------------------------------------------------------------


async def open_case(actor: Actor, chain_id: int, kommun_code: str) -> ChainCaseView:
    """A chain representative opens the chain's case in one kommun, for its members there."""
    policy.require(actor, Capability.keep_chain_cases)
    async with database.transaction():
        if not await policy.represents_chain(actor, chain_id):
            raise NotFound("chain_not_found")
        if not database.is_sqlite():  # serialise openers of the same chain (SQLite's IMMEDIATE does)
            await Chain.select(Chain.id).where(Chain.id == chain_id).lock_rows().run()
        kommun = await Kommun.select(Kommun.id).where(Kommun.code == kommun_code).first().run()
        if kommun is None:
            raise InvalidField("kommun_code", "kommun_code_unknown", kommun=kommun_code)
        members = (
            await ChainMember.select(ChainMember.business)
            .where((ChainMember.chain == chain_id) & (ChainMember.business.kommun == kommun["id"]))
            .run()
        )
        if not members:
            raise RuleNotMet("chain_no_members_in_kommun")
        open_row = (
            await ChainCase.select(ChainCase.id)
            .where(
                (ChainCase.chain == chain_id)
                & (ChainCase.kommun == kommun["id"])
                & ChainCase.state.is_in([s.value for s in OPEN_STATES])
            )
            .first()
            .run()
        )
        if open_row is not None:
            raise RuleNotMet("chain_case_open_exists", extra={"chain_case_id": open_row["id"]})
        renewal = (
            await ChainCase.exists()
            .where(
                (ChainCase.chain == chain_id)
                & (ChainCase.kommun == kommun["id"])
                & (ChainCase.state == ChainCaseState.certified.value)
            )
            .run()
        )
        rows = (
            await ChainCase.insert(
                ChainCase(
                    chain=chain_id,
                    kommun=kommun["id"],
                    checklist_version=await local_points.in_force_for(kommun["id"], today()),
                    state=ChainCaseState.draft.value,
                    renewal=bool(renewal),
                    central_points=sorted(CENTRAL_POINTS),
                    created_by=actor.id,
                )
            )
            .returning(ChainCase.id)
            .run()
        )
        case_id = rows[0]["id"]
        await ChainCaseMember.insert(
            *(ChainCaseMember(chain_case=case_id, business=m["business"]) for m in members)
        ).run()
        await events.record(
            "chain_case_opened",
            actor=actor,
            to_state=ChainCaseState.draft.value,
            detail={"chain_case_id": case_id, "chain_id": chain_id, "members": len(members)},
        )
    return await view(actor, case_id)


async def add_document(
    actor: Actor, chain_id: int, file_name: str, data: bytes, limits: UploadLimits
) -> ChainDocumentView:
    """A representative uploads a file of the chain's central documentation (checked like every
    upload: photos normalised, PDFs without active content)."""
    policy.require(actor, Capability.keep_chain_cases)
    if not await policy.represents_chain(actor, chain_id):
        raise NotFound("chain_not_found")
    checked = await evidence.checked_upload(data, file_name, limits, "file")
    async with database.transaction():
        rows = (
            await ChainDocument.insert(
                ChainDocument(
                    chain=chain_id,
                    file_name=checked.name,
                    content_type=checked.content_type,
                    size=len(checked.data),
                    content=checked.data,
                    uploaded_by=actor.id,
                    uploaded_at=now(),
                )
            )
            .returning(*_DOCUMENT_COLUMNS)
            .run()
        )
        await events.record(
            "chain_document_added",
            actor=actor,
            detail={"chain_id": chain_id, "chain_document_id": rows[0]["id"], "file_name": checked.name},
        )
    return _document_view(rows[0])


async def list_documents(actor: Actor, chain_id: int) -> list[ChainDocumentView]:
    policy.require(actor, Capability.keep_chain_cases)
    if not await policy.represents_chain(actor, chain_id):
        raise NotFound("chain_not_found")
    return await _documents(chain_id)


async def read_document(actor: Actor, document_id: int) -> tuple[ChainDocumentView, bytes]:
    """One file of central documentation: the chain's representatives, the kommuner with a case of
    the chain, and the inspectors assigned to one."""
    row = (
        await ChainDocument.select(*_DOCUMENT_COLUMNS, ChainDocument.content)
        .where((ChainDocument.id == document_id) & chain_document_scope(actor))
        .first()
        .run()
    )
    if row is None:
        raise NotFound("chain_document_not_found")
    return _document_view(row), bytes(row["content"])


async def set_audit(
    actor: Actor,
    case_id: int,
    business_id: int,
    point: int,
    status: AnswerStatus,
    comment: str,
    version: int | None = None,
) -> ChainCaseView:
    """The chain's internal audit of one point at one member, while the case is a draft."""
    comment = comment.strip()
    if status == AnswerStatus.not_applicable and not comment:
        raise InvalidField("comment", "chain_audit_comment_missing")
    async with database.transaction():
        case = await chain_case_record.as_representative(actor, case_id)
        chain_case_record.check_version(case, version)
        if case.state != ChainCaseState.draft:
            raise Conflict("chain_case_not_draft", extra={"state": case.state})
        if business_id not in await chain_case_record.member_ids(case_id):
            raise NotFound("chain_member_not_found")
        await checklist.check_point(case.checklist_version, point)
        at = now()
        updated = (
            await ChainAudit.update(
                {
                    ChainAudit.status: status.value,
                    ChainAudit.comment: comment,
                    ChainAudit.updated_by: actor.id,
                    ChainAudit.updated_at: at,
                }
            )
            .where(
                (ChainAudit.chain_case == case_id)
                & (ChainAudit.business == business_id)
                & (ChainAudit.point == point)
            )
            .returning(ChainAudit.id)
            .run()
        )
        if not updated:
            await ChainAudit.insert(
                ChainAudit(
                    chain_case=case_id,
                    business=business_id,
                    point=point,
                    status=status.value,
                    comment=comment,
                    updated_by=actor.id,
                    updated_at=at,
                )
            ).run()
        await chain_case_record.advance(case, case.state)
        await chain_case_record.record_event(
            "chain_audit_recorded", actor, case, business_id=business_id, point=point
        )
    return await view(actor, case_id)


async def submit(actor: Actor, case_id: int, version: int | None = None) -> ChainCaseView:
    """The chain sends the case to the kommun, which receives it with a diarienummer."""
    async with database.transaction():
        case = await chain_case_record.as_representative(actor, case_id)
        chain_case_record.check_version(case, version)
        facts = await chain_case_record.facts(case)
        try:
            new_state = decide(case.state, "submit", facts=facts)
        except ActionRefused as refused:
            raise await chain_case_record.named(refused) from refused
        at = now()
        number = await diarium.hand_out(case.kommun_id, at)
        await chain_case_record.advance(
            case, new_state, {ChainCase.submitted_at: at, ChainCase.diarienummer: number}
        )
        documents = await _documents(case.chain_id)
        await chain_case_record.record_event(
            "chain_case_submitted",
            actor,
            case,
            new_state,
            diarienummer=number,
            kommun_id=case.kommun_id,
            chain_name=case.chain_name,
            members=len(facts.members),
            document_ids=[d.id for d in documents],
        )
    return await view(actor, case_id)


async def withdraw(actor: Actor, case_id: int, version: int | None = None) -> ChainCaseView:
    async with database.transaction():
        case = await chain_case_record.as_representative(actor, case_id)
        chain_case_record.check_version(case, version)
        new_state = decide(case.state, "withdraw")
        await chain_case_record.advance(case, new_state)
        await chain_case_record.record_event("chain_case_withdrawn", actor, case, new_state)
    return await view(actor, case_id)


# --- each sampled shop a normal inspection page --------------------------------------------------


async def open_sample_cases(actor: Actor | None, case_id: int, businesses: Iterable[int]) -> list[int]:
    """Give each sampled shop its ordinary shop case, inside the caller's transaction, after the
    chain case has its inspector: an application linked to the chain case (Application.chain_case),
    in the case's kommun and checklist version, `scheduled` with the chain case's inspector (the
    kommun books the visit or hands the shop to another of its inspectors with the ordinary assign;
    the inspector moves the visit), its answers the chain's internal audit of that shop. The
    inspector judges it on the ordinary inspection page, API and offline app; it is decided in the
    chain case, never on its own (cases._refuse_outside_chain_case). A shop that already has an
    open sample case in this chain case keeps it. Call it wherever shops join the sample (assign,
    add_to_sample, the enlargement after corrections). Answers the ids of the cases it opened."""
    # The caller holds the case; read again, as assign has just given it its inspector.
    case = await chain_case_record.load(None, case_id)
    wanted = list(dict.fromkeys(businesses))
    if not wanted:
        return []
    open_already = {
        r["business"]
        for r in await Application.select(Application.business)
        .where(
            (Application.chain_case == case_id)
            & Application.business.is_in(wanted)
            & Application.state.not_in([s.value for s in CASE_ENDED_STATES])
        )
        .run()
    }
    audits = (
        await ChainAudit.select(ChainAudit.business, ChainAudit.point, ChainAudit.status, ChainAudit.comment)
        .where((ChainAudit.chain_case == case_id) & ChainAudit.business.is_in(wanted))
        .run()
    )
    at = now()
    opened = []
    for business in (b for b in wanted if b not in open_already):
        rows = (
            await Application.insert(
                Application(
                    business=business,
                    kommun=case.kommun_id,
                    checklist_version=case.checklist_version,
                    state=CaseState.scheduled.value,
                    inspector=case.inspector_id,
                    submitted_at=at,
                    chain_case=case_id,
                )
            )
            .returning(Application.id)
            .run()
        )
        application_id = int(rows[0]["id"])
        answers = [
            Answer(
                application=application_id,
                point=a["point"],
                status=a["status"],
                comment=a["comment"],
                criteria={},
                updated_at=at,
            )
            for a in audits
            if a["business"] == business
        ]
        if answers:
            await Answer.insert(*answers).run()
        await events.record(
            "chain_sample_case_opened",
            actor=actor,
            application_id=application_id,
            business_id=business,
            to_state=CaseState.scheduled.value,
            detail={"chain_case_id": case_id, "chain_id": case.chain_id, "inspector_id": case.inspector_id},
        )
        opened.append(application_id)
    return opened


async def _end_sample_cases(
    actor: Actor, case_id: int, to_state: CaseState, business_id: int | None = None, reason: str = ""
) -> None:
    """End the open sample cases of the chain case (one shop's, or all): `withdrawn` when a shop
    leaves the sample, which is refused once the inspector has judged a point there (409: what was
    judged stays); `rejected` with the chain case."""
    where = (Application.chain_case == case_id) & Application.state.not_in(
        [s.value for s in CASE_ENDED_STATES]
    )
    if business_id is not None:
        where = where & (Application.business == business_id)
    rows = (
        await Application.select(Application.id, Application.business, Application.state, Application.version)
        .where(where)
        .run()
    )
    for row in rows:
        judged = await Verdict.exists().where(Verdict.application == row["id"]).run()
        if to_state == CaseState.withdrawn and judged:
            raise Conflict("chain_sample_shop_judged", extra={"application_id": row["id"]})
        at = now()
        updated = (
            await Application.update(
                {
                    Application.state: to_state.value,
                    Application.version: row["version"] + 1,
                    Application.updated_at: at,
                    Application.closed_at: at,
                    **({Application.decided_at: at} if to_state == CaseState.rejected else {}),
                }
            )
            .where((Application.id == row["id"]) & (Application.version == row["version"]))
            .returning(Application.id)
            .run()
        )
        if not updated:
            raise Conflict("changed_concurrently")
        await events.record(
            "chain_sample_case_ended",
            actor=actor,
            application_id=row["id"],
            business_id=row["business"],
            from_state=row["state"],
            to_state=to_state.value,
            detail={"chain_case_id": case_id, **({"reason": reason} if reason else {})},
        )


# --- the kommun's side ---------------------------------------------------------------------------


async def _check_inspector(inspector_id: int, kommun_id: int) -> None:
    """Same rule as a shop case: an active inspector who serves the kommun."""
    row = await Account.select(Account.role, Account.active).where(Account.id == inspector_id).first().run()
    if row is None or row["role"] != Role.inspector:
        raise ActionRefused("assign", [Problem("inspector_not_found")])
    if not row["active"]:
        raise ActionRefused("assign", [Problem("inspector_inactive")])
    serves = (
        await InspectorKommun.exists()
        .where((InspectorKommun.inspector == inspector_id) & (InspectorKommun.kommun == kommun_id))
        .run()
    )
    if not serves:
        raise ActionRefused("assign", [Problem("inspector_not_in_kommun")])


async def assign(
    actor: Actor, case_id: int, inspector_id: int | None, version: int | None = None
) -> ChainCaseView:
    """The kommun assigns an inspector; the sample is drawn now, from a fresh seed recorded with
    the case."""
    async with database.transaction():
        case = await chain_case_record.as_kommun(actor, case_id)
        if inspector_id is None:
            raise InvalidField("inspector_id", "invalid_field", field="inspector_id")
        chain_case_record.check_version(case, version)
        new_state = decide(case.state, "assign")
        await _check_inspector(inspector_id, case.kommun_id)
        seed = secrets.token_hex(16)
        drawn = chain_sample.draw(await member_facts(case), seed, renewal=case.renewal)
        await ChainSample.insert(
            *(
                ChainSample(chain_case=case_id, business=s.business, reason=s.reason.value, round=case.round)
                for s in drawn
            )
        ).run()
        await chain_case_record.advance(
            case, new_state, {ChainCase.inspector: inspector_id, ChainCase.seed: seed}
        )
        await open_sample_cases(actor, case_id, (s.business for s in drawn))
        await chain_case_record.record_event(
            "chain_case_assigned",
            actor,
            case,
            new_state,
            inspector_id=inspector_id,
            seed=seed,
            sample=[{"business_id": s.business, "reason": s.reason.value} for s in drawn],
        )
    return await view(actor, case_id)


async def set_central_points(
    actor: Actor, case_id: int, points: list[int], version: int | None = None
) -> ChainCaseView:
    """The kommun marks which points are judged on the chain's central documentation (default
    chain_rules.CENTRAL_POINTS), until the case is assigned."""
    async with database.transaction():
        case = await chain_case_record.as_kommun(actor, case_id)
        chain_case_record.check_version(case, version)
        if case.state not in (ChainCaseState.draft, ChainCaseState.submitted):
            raise Conflict("chain_central_points_fixed", extra={"state": case.state})
        case_points = await checklist.case_points(case.checklist_version)
        if not set(points) <= set(case_points):
            raise InvalidField("points", "point_number_invalid", count=len(case_points))
        marked = sorted(set(points))
        await chain_case_record.advance(case, case.state, {ChainCase.central_points: marked})
        await chain_case_record.record_event("chain_central_points_marked", actor, case, points=marked)
    return await view(actor, case_id)


async def set_central_verdict(
    actor: Actor,
    case_id: int,
    point: int,
    verdict: VerdictValue,
    remark: str,
    version: int | None = None,
) -> ChainCaseView:
    """The chain case's inspector judges a central point once, on the chain's documentation, while
    the case is inspected; like a shop verdict, a fail or not applicable needs a remark."""
    remark = remark.strip()
    policy.require(actor, Capability.judge_points)
    async with database.transaction():
        # The scope: the inspector assigned to it, else 404.
        case = await chain_case_record.load(actor, case_id)
        chain_case_record.check_version(case, version)
        if case.state != ChainCaseState.inspecting:
            raise Conflict("chain_central_verdicts_locked", extra={"state": case.state}, state=case.state)
        if point not in case.central_points:
            raise InvalidField("point", "chain_point_not_central", point=point)
        if verdict != VerdictValue.passed and not remark:
            raise RuleNotMet("remark_required", point=point)
        await chain_case_record.advance(case, case.state)  # serialises the case's writers (the row's lock)
        values = {
            ChainCentralVerdict.verdict: verdict.value,
            ChainCentralVerdict.remark: remark,
            ChainCentralVerdict.round: case.round,
            ChainCentralVerdict.inspector: actor.id,
            ChainCentralVerdict.updated_at: now(),
        }
        updated = (
            await ChainCentralVerdict.update(values)
            .where((ChainCentralVerdict.chain_case == case_id) & (ChainCentralVerdict.point == point))
            .returning(ChainCentralVerdict.id)
            .run()
        )
        if not updated:
            await ChainCentralVerdict.insert(
                ChainCentralVerdict(
                    chain_case=case_id,
                    point=point,
                    verdict=verdict.value,
                    remark=remark,
                    round=case.round,
                    inspector=actor.id,
                )
            ).run()
        await chain_case_record.record_event(
            "chain_central_verdict", actor, case, point=point, verdict=verdict.value
        )
    return await view(actor, case_id)


_SAMPLE_REFUSALS = {
    SampleRefusal.not_a_member: lambda: NotFound("chain_member_not_found"),
    SampleRefusal.already_sampled: lambda: Conflict("chain_shop_already_sampled"),
    SampleRefusal.drawn_shop_stays: lambda: Conflict("chain_drawn_shop_stays"),
    SampleRefusal.no_members: lambda: RuleNotMet("chain_no_members_in_kommun"),
}


async def _sample_case(
    actor: Actor, case_id: int, version: int | None
) -> tuple[ChainCaseRecord, list[Sampled]]:
    case = await chain_case_record.as_kommun(actor, case_id)
    chain_case_record.check_version(case, version)
    if case.state != ChainCaseState.inspecting:
        raise Conflict("chain_sample_not_open", extra={"state": case.state}, state=case.state)
    return case, await chain_case_record.sample(case_id)


async def add_to_sample(
    actor: Actor, case_id: int, business_id: int, version: int | None = None
) -> ChainCaseView:
    """The kommun adds a member shop to the sample."""
    async with database.transaction():
        case, sample = await _sample_case(actor, case_id, version)
        members = [MemberFacts(business=b) for b in await chain_case_record.member_ids(case_id)]
        try:
            chain_sample.add(sample, members, business_id)
        except SampleRefused as refused:
            raise _SAMPLE_REFUSALS[refused.reason]() from refused
        await ChainSample.insert(
            ChainSample(
                chain_case=case_id,
                business=business_id,
                reason=SampleReason.added_by_kommun.value,
                round=case.round,
            )
        ).run()
        await chain_case_record.advance(case, case.state)
        await open_sample_cases(actor, case_id, [business_id])
        await chain_case_record.record_event("chain_sample_added", actor, case, business_id=business_id)
    return await view(actor, case_id)


async def remove_from_sample(
    actor: Actor, case_id: int, business_id: int, version: int | None = None
) -> ChainCaseView:
    """The kommun takes back a shop it added; a drawn shop stays (409). The shop's sample case is
    withdrawn with it, unless the inspector has judged a point there (409)."""
    async with database.transaction():
        case, sample = await _sample_case(actor, case_id, version)
        try:
            chain_sample.remove(sample, business_id)
        except SampleRefused as refused:
            raise _SAMPLE_REFUSALS[refused.reason]() from refused
        await _end_sample_cases(actor, case_id, CaseState.withdrawn, business_id)
        await (
            ChainSample.delete()
            .where((ChainSample.chain_case == case_id) & (ChainSample.business == business_id))
            .run()
        )
        await chain_case_record.advance(case, case.state)
        await chain_case_record.record_event("chain_sample_removed", actor, case, business_id=business_id)
    return await view(actor, case_id)


async def reject(actor: Actor, case_id: int, reason: str, version: int | None = None) -> ChainCaseView:
    reason = reason.strip()
    async with database.transaction():
        case = await chain_case_record.as_kommun(actor, case_id)
        if not reason:
            raise InvalidField("reason", "chain_reject_reason_missing")
        chain_case_record.check_version(case, version)
        new_state = decide(case.state, "reject")
        await chain_case_record.advance(
            case, new_state, {ChainCase.reason: reason, ChainCase.decided_at: now()}
        )
        await _end_sample_cases(actor, case_id, CaseState.rejected, reason=reason)
        await chain_case_record.record_event("chain_case_rejected", actor, case, new_state, reason=reason)
    return await view(actor, case_id)


# --- the decision and afterwards -----------------------------------------------------------------


async def _renewed_certificates(members: list[int]) -> dict[int, str]:
    """Each member's certificate in force that a new one replaces, the way an ordinary renewal
    does (cases._renewable_certificate; a chain renewal is not bound to its 120-day window)."""
    rows = (
        await Certificate.select(Certificate.number, Certificate.business, Certificate.valid_until)
        .where(
            Certificate.business.is_in(members)
            & Certificate.revoked_at.is_null()
            & (Certificate.valid_until >= today())
            & (Certificate.replaced_by == "")
        )
        .order_by(Certificate.valid_until)
        .run()
        if members
        else []
    )
    return {r["business"]: r["number"] for r in rows}  # the latest ending last wins


async def _unfulfilled_audits(case: ChainCaseRecord, sampled: set[int]) -> list[ChainProblem]:
    """A member the inspector did not visit is certified on the chain's own audit: a point the chain
    itself found not fulfilled there stops the approval (a certificate never states a failure)."""
    rows = (
        await ChainAudit.select(ChainAudit.business, ChainAudit.point)
        .where((ChainAudit.chain_case == case.id) & (ChainAudit.status == AnswerStatus.not_fulfilled.value))
        .run()
    )
    unvisited = [r for r in rows if r["business"] not in sampled]
    if not unvisited:
        return []
    return [
        ChainProblem(
            "member_audit_not_fulfilled",
            shops=tuple(sorted({r["business"] for r in unvisited})),
            points=tuple(sorted({r["point"] for r in unvisited})),
        )
    ]


async def approval_problems(actor: Actor, case_id: int) -> list[ChainProblem]:
    """What still stops the assigned inspector from approving (empty: he may approve now); for his
    decision page, the same rules `approve` applies."""
    case = await chain_case_record.as_inspector(actor, case_id, Capability.decide_chain_cases)
    if case.state != ChainCaseState.inspecting:
        return []
    facts = await chain_case_record.facts(case)
    try:
        decide(case.state, "approve", facts=facts)
    except ActionRefused as refused:
        return list(refused.problems)  # type: ignore[arg-type]
    return await _unfulfilled_audits(case, {s.business for s in facts.sample})


async def approve(actor: Actor, case_id: int, version: int | None = None) -> ChainCaseView:
    """The inspector approves the chain case: in one transaction every member shop gets a certified
    shop case and its own certificate (services/certificates.py, the ordinary issuing: own number,
    PDF and decal, two years), each with its event and the ordinary notice, and the case is
    certified. A sampled shop's inspection case goes scheduled → certified; every other member gets
    a certified case of its own with the chain's internal audit as its answers. Anything failing
    rolls all of it back."""
    async with database.transaction():
        case = await chain_case_record.as_inspector(actor, case_id, Capability.decide_chain_cases)
        chain_case_record.check_version(case, version)
        facts = await chain_case_record.facts(case)
        try:
            new_state = decide(case.state, "approve", facts=facts)
            sampled = {s.business for s in facts.sample}
            problems = await _unfulfilled_audits(case, sampled)
            if problems:
                raise ActionRefused("approve", problems)  # type: ignore[arg-type]
        except ActionRefused as refused:
            raise await chain_case_record.named(refused) from refused
        at = now()
        await chain_case_record.advance(case, new_state, {ChainCase.decided_at: at})
        issued = await _certify_members(actor, case, sorted(facts.members), at)
        await chain_case_record.record_event(
            "chain_case_approved",
            actor,
            case,
            new_state,
            kommun_id=case.kommun_id,
            chain_name=case.chain_name,
            certificates=len(issued),
        )
    return await view(actor, case_id)


async def _certify_members(
    actor: Actor, case: ChainCaseRecord, members: list[int], at: datetime
) -> dict[int, str]:
    """Certify every member of an approved chain case (the caller's transaction): their shop cases,
    their certificates and an event each. The certificate number of each member."""
    renews = await _renewed_certificates(members)
    visited = {
        r["business"]: r["id"]
        for r in await Application.select(Application.id, Application.business)
        .where((Application.chain_case == case.id) & (Application.state == CaseState.scheduled.value))
        .run()
    }
    for business, application_id in visited.items():
        updated = (
            await Application.update(
                {
                    Application.state: CaseState.certified.value,
                    Application.version: Application.version + 1,
                    Application.decided_at: at,
                    Application.updated_at: at,
                    Application.previous_certificate: renews.get(business, ""),
                }
            )
            .where((Application.id == application_id) & (Application.state == CaseState.scheduled.value))
            .returning(Application.id)
            .run()
        )
        if not updated:
            raise Conflict("changed_concurrently", extra={"state": case.state})
    others = [m for m in members if m not in visited]
    if others:
        rows = (
            await Application.insert(
                *(
                    Application(
                        business=business,
                        kommun=case.kommun_id,
                        checklist_version=case.checklist_version,
                        state=CaseState.certified.value,
                        inspector=case.inspector_id,
                        previous_certificate=renews.get(business, ""),
                        submitted_at=case.submitted_at,
                        decided_at=at,
                        chain_case=case.id,
                    )
                    for business in others
                )
            )
            .returning(Application.id, Application.business)
            .run()
        )
        created = {r["business"]: r["id"] for r in rows}
        audits = (
            await ChainAudit.select(
                ChainAudit.business, ChainAudit.point, ChainAudit.status, ChainAudit.comment
            )
            .where((ChainAudit.chain_case == case.id) & ChainAudit.business.is_in(others))
            .run()
        )
        if audits:
            await Answer.insert(
                *(
                    Answer(
                        application=created[a["business"]],
                        point=a["point"],
                        status=a["status"],
                        comment=a["comment"],
                        updated_at=at,
                    )
                    for a in audits
                )
            ).run()
    else:
        created = {}
    applications = {**visited, **created}
    to_issue = [certificates.ToIssue(applications[m], m, previous_number=renews.get(m, "")) for m in members]
    try:
        numbers = await certificates.issue_many(
            kommun_id=case.kommun_id, inspector_id=case.inspector_id, cases=to_issue
        )
    except CertificateLayoutError as failed:
        raise RuleNotMet("chain_certificate_does_not_fit") from failed
    issued = dict(zip(members, numbers, strict=True))
    for business in members:
        await events.record(
            "approve",
            actor=actor,
            application_id=applications[business],
            business_id=business,
            from_state=CaseState.scheduled.value if business in visited else "",
            to_state=CaseState.certified.value,
            detail={"certificate": issued[business], "chain_case_id": case.id},
        )
    return issued


async def revoke(actor: Actor, case_id: int, reason: str, version: int | None = None) -> ChainCaseView:
    """The kommun revokes a certified chain case: every certificate it issued that still stands is
    revoked, and those shop cases with it, each with the ordinary revocation event and notice; all
    in one transaction."""
    reason = reason.strip()
    async with database.transaction():
        case = await chain_case_record.as_kommun(actor, case_id, Capability.revoke_chain_cases)
        if not reason:
            raise InvalidField("reason", "chain_revoke_reason_missing")
        chain_case_record.check_version(case, version)
        new_state = decide(case.state, "revoke")
        at = now()
        await chain_case_record.advance(case, new_state, {ChainCase.reason: reason})
        standing = (
            await Application.select(Application.id, Application.business)
            .where((Application.chain_case == case_id) & (Application.state == CaseState.certified.value))
            .run()
        )
        ids = [r["id"] for r in standing]
        if ids:
            await (
                Certificate.update({Certificate.revoked_at: at, Certificate.revoked_reason: reason})
                .where(Certificate.application.is_in(ids) & Certificate.revoked_at.is_null())
                .run()
            )
            await (
                Application.update(
                    {
                        Application.state: CaseState.revoked.value,
                        Application.version: Application.version + 1,
                        Application.updated_at: at,
                        Application.closed_at: at,
                    }
                )
                .where(Application.id.is_in(ids) & (Application.state == CaseState.certified.value))
                .run()
            )
        for r in standing:
            await events.record(
                "revoke",
                actor=actor,
                application_id=r["id"],
                business_id=r["business"],
                from_state=CaseState.certified.value,
                to_state=CaseState.revoked.value,
                detail={"reason": reason, "chain_case_id": case_id},
            )
        await chain_case_record.record_event(
            "chain_case_revoked", actor, case, new_state, reason=reason, revoked=len(standing)
        )
    return await view(actor, case_id)
