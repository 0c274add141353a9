"""The correction round of a chain case (kedjebesiktning, issue 17): what happens after the inspector
finds a failed point at a sampled shop or in the chain's central documentation.

- **Corrections**: the case's inspector requires corrections; the chain's representatives are told
  by e-mail. For every failed point the chain declares for *every* member shop whether the same
  deficiency exists there (the systemic check, per round). Only then may it report the corrections:
  the round goes up, the failed shops' sample cases are reopened (failed points are judged again,
  passed ones stand, as in a shop case's next round) and the sample is enlarged by its first size
  again, drawn at random from the recorded seed and the new round (chain_sample.enlarge).
- **Serious deficiency** ("allvarlig brist"): the inspector marks a failed point serious, which
  holds the whole case. The chain uploads evidence that the point is fixed at every member shop;
  the inspector accepts or refuses each piece; release needs accepted evidence from every member
  for every serious point.

The rules are domain/chain_rules.py's; the case, its scope and its compare-and-set are
services/chain_case_record.py's. The evidence is a security detail of the shop
(policy.chain_fix_scope): the chain's representatives, the case's kommun and its inspector read it;
a member shop's owner only his own shop's.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import msgspec

from certify import database
from certify.domain import chain_rules, chain_sample, messages
from certify.domain.chain_rules import ChainFacts
from certify.domain.chain_sample import MemberFacts, SampleReason
from certify.domain.chain_workflow import ChainCaseState, decide
from certify.domain.errors import ActionRefused, Conflict, InvalidField, NotFound, RuleNotMet
from certify.domain.messages import Recipient
from certify.services import chain_case_record, chain_cases, evidence, notifications, policy
from certify.services.actor import Actor
from certify.services.cases import carry_forward_passed
from certify.services.chain_case_record import ChainCaseRecord
from certify.services.clock import now
from certify.services.evidence import UploadLimits
from certify.services.policy import Capability
from certify.settings import public_base_url
from certify.tables import (
    Application,
    Business,
    ChainCase,
    ChainCaseMember,
    ChainFix,
    ChainRepresentative,
    ChainSample,
    ChainSeriousPoint,
    ChainSystemicCheck,
)

SERIOUS_OPEN = frozenset(
    {ChainCaseState.inspecting, ChainCaseState.corrections_required, ChainCaseState.held}
)
"""While a serious deficiency may be marked: from the first verdict until the decision."""
FIX_JUDGEMENTS = ("accepted", "refused")  # the inspector's judgement of one piece of evidence


class SystemicDeclaration(msgspec.Struct, kw_only=True):
    """The chain's declaration for one member shop and one failed point."""

    business_id: int
    point: int
    present: bool  # the same deficiency exists at the shop
    comment: str


class FailedAt(msgspec.Struct, kw_only=True):
    business_id: int | None  # None: the chain's central documentation
    name: str
    points: list[int]


class SeriousPointView(msgspec.Struct, kw_only=True):
    point: int
    business_id: int | None  # where it was found; None: the central documentation
    remark: str
    marked_at: datetime
    released_at: datetime | None


class ChainFixView(msgspec.Struct, kw_only=True):
    id: int
    business_id: int
    point: int
    comment: str
    file_name: str
    content_type: str
    size: int
    uploaded_at: datetime
    judgement: str  # "" until judged, then accepted or refused
    judged_at: datetime | None


class ChainProblemText(msgspec.Struct, kw_only=True):
    code: str  # chain_rules' problem code
    shops: list[int]
    points: list[int]


class ChainCorrectionsView(msgspec.Struct, kw_only=True):
    """The correction round as the caller may see it. A member shop's owner (`whole_case` false)
    sees only his own shops' declarations and evidence."""

    chain_case_id: int
    state: str
    round: int
    version: int
    whole_case: bool
    failed: list[FailedAt]  # the failed points of this round, per sampled shop and central
    failed_points: list[int]
    systemic: list[SystemicDeclaration]  # this round's declarations
    serious: list[SeriousPointView]
    fixes: list[ChainFixView]
    report_problems: list[ChainProblemText]  # what still stops reporting the corrections
    release_problems: list[ChainProblemText]  # what still stops releasing a held case


# --- facts ---------------------------------------------------------------------------------------


facts_of = chain_case_record.correction_facts
"""The correction round's part of ChainFacts (chain_case_record.correction_facts, where
chain_case_record.facts reads it)."""


# --- who acts ------------------------------------------------------------------------------------


async def _as_inspector(actor: Actor, case_id: int) -> ChainCaseRecord:
    """The case's assigned inspector (the scope shows a case to no other inspector)."""
    return await chain_case_record.as_inspector(actor, case_id, Capability.judge_chain_corrections)


def _problems(problems: list[chain_rules.ChainProblem]) -> list[ChainProblemText]:
    return [ChainProblemText(code=p.code, shops=list(p.shops), points=list(p.points)) for p in problems]


async def _decide(case: ChainCaseRecord, action: str, facts: ChainFacts) -> str:
    try:
        return decide(case.state, action, facts=facts)
    except ActionRefused as refused:
        raise await chain_case_record.named(refused) from refused


# --- reading -------------------------------------------------------------------------------------


_FIX_COLUMNS = (
    ChainFix.id,
    ChainFix.business,
    ChainFix.point,
    ChainFix.comment,
    ChainFix.file_name,
    ChainFix.content_type,
    ChainFix.size,
    ChainFix.uploaded_at,
    ChainFix.judgement,
    ChainFix.judged_at,
)


def _fix_view(row: dict[str, Any]) -> ChainFixView:
    return ChainFixView(
        id=row["id"],
        business_id=row["business"],
        point=row["point"],
        comment=row["comment"],
        file_name=row["file_name"],
        content_type=row["content_type"],
        size=row["size"],
        uploaded_at=row["uploaded_at"],
        judgement=row["judgement"],
        judged_at=row["judged_at"],
    )


async def view(actor: Actor, case_id: int) -> ChainCorrectionsView:
    case = await chain_case_record.load(actor, case_id)
    whole = await chain_case_record.whole_case(actor, case)
    facts = await chain_case_record.facts(case)
    own: set[int] | None = None
    if not whole:
        own = {
            r["id"]
            for r in await Business.select(Business.id)
            .where(Business.id.is_in(policy.represented(actor.id)))
            .run()
        }
    at_shops, central = chain_rules.failures(facts)
    names = {
        r["id"]: r["name"]
        for r in (
            await Business.select(Business.id, Business.name).where(Business.id.is_in(list(at_shops))).run()
            if at_shops
            else []
        )
    }
    failed = [
        FailedAt(business_id=shop, name=names.get(shop, ""), points=list(points))
        for shop, points in sorted(at_shops.items(), key=lambda item: names.get(item[0], ""))
        if own is None or shop in own
    ]
    if central and whole:
        failed.append(FailedAt(business_id=None, name="", points=list(central)))
    declarations = (
        await ChainSystemicCheck.select(
            ChainSystemicCheck.business,
            ChainSystemicCheck.point,
            ChainSystemicCheck.present,
            ChainSystemicCheck.comment,
        )
        .where((ChainSystemicCheck.chain_case == case_id) & (ChainSystemicCheck.round == case.round))
        .order_by(ChainSystemicCheck.point)
        .run()
    )
    serious = (
        await ChainSeriousPoint.select(
            ChainSeriousPoint.point,
            ChainSeriousPoint.business,
            ChainSeriousPoint.remark,
            ChainSeriousPoint.marked_at,
            ChainSeriousPoint.released_at,
        )
        .where(ChainSeriousPoint.chain_case == case_id)
        .order_by(ChainSeriousPoint.point)
        .run()
    )
    fixes = (
        await ChainFix.select(*_FIX_COLUMNS).where(ChainFix.chain_case == case_id).order_by(ChainFix.id).run()
    )
    return ChainCorrectionsView(
        chain_case_id=case_id,
        state=case.state,
        round=case.round,
        version=case.version,
        whole_case=whole,
        failed=failed,
        failed_points=sorted(chain_rules.failed_points(facts)) if whole else [],
        systemic=[
            SystemicDeclaration(
                business_id=d["business"], point=d["point"], present=d["present"], comment=d["comment"]
            )
            for d in declarations
            if own is None or d["business"] in own
        ],
        serious=[
            SeriousPointView(
                point=s["point"],
                business_id=s["business"] if whole else None,
                remark=s["remark"] if whole else "",
                marked_at=s["marked_at"],
                released_at=s["released_at"],
            )
            for s in serious
        ],
        fixes=[_fix_view(f) for f in fixes if own is None or f["business"] in own],
        report_problems=_problems(chain_rules.report_corrections_problems(facts))
        if whole and case.state == ChainCaseState.corrections_required
        else [],
        release_problems=_problems(chain_rules.release_problems(facts))
        if whole and case.state == ChainCaseState.held
        else [],
    )


# --- the inspector: corrections ------------------------------------------------------------------


async def _tell_representatives(case: ChainCaseRecord, failed: list[int]) -> None:
    """The chain's representatives hear by e-mail, each in his own language."""
    rows = (
        await ChainRepresentative.select(
            ChainRepresentative.account.email, ChainRepresentative.account.language
        )
        .where((ChainRepresentative.chain == case.chain_id) & (ChainRepresentative.account.active == True))  # noqa: E712
        .run()
    )
    link = f"{public_base_url()}/kedjor/{case.chain_id}/arenden/{case.id}"
    for row in rows:
        message = messages.chain_corrections_required(
            recipient=Recipient(row["account.email"], row["account.language"] or ""),
            chain_name=case.chain_name,
            kommun_name=case.kommun_name,
            case_number=case.id,
            points=failed,
            link=link,
        )
        await notifications.enqueue(message, kommun_id=case.kommun_id, event_id=None)


async def require_corrections(
    actor: Actor, case_id: int, version: int | None = None
) -> chain_cases.ChainCaseView:
    """The inspector found a failed point at a sampled shop or in the central documentation."""
    async with database.transaction():
        case = await _as_inspector(actor, case_id)
        chain_case_record.check_version(case, version)
        facts = await chain_case_record.facts(case)
        new_state = await _decide(case, "require_corrections", facts)
        failed = sorted(chain_rules.failed_points(facts))
        await chain_case_record.advance(case, new_state)
        await chain_case_record.record_event(
            "chain_corrections_required", actor, case, new_state, failed_points=failed, round=case.round
        )
        await _tell_representatives(case, failed)
    return await chain_cases.view(actor, case_id)


# --- the chain: the systemic check and the report ------------------------------------------------


async def declare(
    actor: Actor, case_id: int, declarations: list[SystemicDeclaration], version: int | None = None
) -> ChainCorrectionsView:
    """The chain declares, per member shop and failed point, whether the same deficiency exists
    there; a present deficiency needs a comment saying what the chain did."""
    for index, d in enumerate(declarations):
        d.comment = d.comment.strip()
        if d.present and not d.comment:
            raise InvalidField(f"declarations[{index}].comment", "chain_systemic_comment_missing")
    async with database.transaction():
        case = await chain_case_record.as_representative(actor, case_id)
        chain_case_record.check_version(case, version)
        if case.state != ChainCaseState.corrections_required:
            raise Conflict("chain_systemic_check_not_open", extra={"state": case.state}, state=case.state)
        members = set(await chain_case_record.member_ids(case_id))
        failed = chain_rules.failed_points(await chain_case_record.facts(case))
        for d in declarations:
            if d.business_id not in members:
                raise NotFound("chain_member_not_found")
            if d.point not in failed:
                raise RuleNotMet("chain_point_not_failed", extra={"point": d.point}, point=d.point)
        at = now()
        for d in declarations:
            where = (
                (ChainSystemicCheck.chain_case == case_id)
                & (ChainSystemicCheck.round == case.round)
                & (ChainSystemicCheck.business == d.business_id)
                & (ChainSystemicCheck.point == d.point)
            )
            values = {
                ChainSystemicCheck.present: d.present,
                ChainSystemicCheck.comment: d.comment,
                ChainSystemicCheck.updated_by: actor.id,
                ChainSystemicCheck.updated_at: at,
            }
            if (
                not await ChainSystemicCheck.update(values)
                .where(where)
                .returning(ChainSystemicCheck.id)
                .run()
            ):
                await ChainSystemicCheck.insert(
                    ChainSystemicCheck(
                        chain_case=case_id,
                        round=case.round,
                        business=d.business_id,
                        point=d.point,
                        present=d.present,
                        comment=d.comment,
                        updated_by=actor.id,
                        updated_at=at,
                    )
                ).run()
        await chain_case_record.advance(case, case.state)
        await chain_case_record.record_event(
            "chain_systemic_check_declared",
            actor,
            case,
            round=case.round,
            declarations=len(declarations),
            present=sorted({(d.business_id, d.point) for d in declarations if d.present}),
        )
    return await view(actor, case_id)


async def _reopen(case_id: int, shops: list[int]) -> list[int]:
    """The failed shops' sample cases go to their next round: passed and not-applicable verdicts
    stand, the failed points are judged again (as a shop case's next round)."""
    if not shops:
        return []
    rows = (
        await Application.select(Application.id, Application.round, Application.version)
        .where((Application.chain_case == case_id) & Application.business.is_in(shops))
        .run()
    )
    for row in rows:
        await carry_forward_passed(row["id"], row["round"])
        await (
            Application.update(
                {
                    Application.round: row["round"] + 1,
                    Application.version: row["version"] + 1,
                    Application.updated_at: now(),
                }
            )
            .where(Application.id == row["id"])
            .run()
        )
    return sorted(row["id"] for row in rows)


async def report_corrections(
    actor: Actor, case_id: int, version: int | None = None
) -> chain_cases.ChainCaseView:
    """The chain reports its corrections: only with the systemic check complete (422 naming the
    undeclared shops). The round goes up, the failed shops are judged again and the sample is
    enlarged by its first size, drawn at random from the recorded seed and the new round."""
    async with database.transaction():
        case = await chain_case_record.as_representative(actor, case_id)
        chain_case_record.check_version(case, version)
        facts = await chain_case_record.facts(case)
        new_state = await _decide(case, "report_corrections", facts)
        at_shops, _central = chain_rules.failures(facts)
        reopened = await _reopen(case_id, sorted(at_shops))
        next_round = case.round + 1
        sample = await chain_case_record.sample(case_id)
        members = [MemberFacts(business=b) for b in sorted(facts.members)]
        enlarged = chain_sample.enlarge(sample, members, case.seed, renewal=case.renewal, round_=next_round)
        added = [s for s in enlarged[len(sample) :] if s.reason is SampleReason.enlarged]
        if added:
            await ChainSample.insert(
                *(
                    ChainSample(
                        chain_case=case_id, business=s.business, reason=s.reason.value, round=next_round
                    )
                    for s in added
                )
            ).run()
            # The new shops get their sample cases, the same way the first sample's did.
            await chain_cases.open_sample_cases(actor, case_id, [s.business for s in added])
        await chain_case_record.advance(case, new_state, {ChainCase.round: next_round})
        await chain_case_record.record_event(
            "chain_corrections_reported",
            actor,
            case,
            new_state,
            round=next_round,
            reopened_application_ids=reopened,
            enlarged=[s.business for s in added],
        )
    return await chain_cases.view(actor, case_id)


# --- serious deficiencies ------------------------------------------------------------------------


async def mark_serious(
    actor: Actor,
    case_id: int,
    point: int,
    business_id: int | None,
    remark: str,
    version: int | None = None,
) -> chain_cases.ChainCaseView:
    """The inspector marks a failed point a serious deficiency, found at a sampled shop
    (`business_id`) or in the central documentation (None): the case is held."""
    remark = remark.strip()
    async with database.transaction():
        case = await _as_inspector(actor, case_id)
        chain_case_record.check_version(case, version)
        facts = await chain_case_record.facts(case)
        at_shops, central = chain_rules.failures(facts)
        found = point in at_shops.get(business_id, ()) if business_id is not None else point in central
        if not found:
            raise RuleNotMet("chain_point_not_failed", extra={"point": point}, point=point)
        if point in facts.serious:
            raise Conflict("chain_point_already_serious", extra={"point": point}, point=point)
        if case.state not in (
            ChainCaseState.inspecting,
            ChainCaseState.corrections_required,
            ChainCaseState.held,
        ):
            raise Conflict("chain_serious_not_open", extra={"state": case.state}, state=case.state)
        at = now()
        values = {
            ChainSeriousPoint.business: business_id,
            ChainSeriousPoint.remark: remark,
            ChainSeriousPoint.marked_by: actor.id,
            ChainSeriousPoint.marked_at: at,
            ChainSeriousPoint.released_at: None,
        }
        again = (
            await ChainSeriousPoint.update(values)
            .where((ChainSeriousPoint.chain_case == case_id) & (ChainSeriousPoint.point == point))
            .returning(ChainSeriousPoint.id)
            .run()
        )
        if not again:
            await ChainSeriousPoint.insert(
                ChainSeriousPoint(
                    chain_case=case_id,
                    point=point,
                    business=business_id,
                    remark=remark,
                    marked_by=actor.id,
                    marked_at=at,
                )
            ).run()
        if case.state == ChainCaseState.held:
            new_state = case.state
        else:
            new_state = await _decide(case, "hold", replace(facts, serious=facts.serious | {point}))
        await chain_case_record.advance(case, new_state)
        await chain_case_record.record_event(
            "chain_serious_marked",
            actor,
            case,
            new_state if new_state != case.state else "",
            point=point,
            business_id=business_id,
        )
    return await chain_cases.view(actor, case_id)


async def add_fix(
    actor: Actor,
    case_id: int,
    business_id: int,
    point: int,
    comment: str,
    file_name: str,
    data: bytes,
    limits: UploadLimits,
) -> ChainFixView:
    """The chain's evidence that a serious point is fixed at one member shop, checked like every
    upload (types, sizes, PDFs without active content, photos normalised)."""
    checked = await evidence.checked_upload(data, file_name, limits, "file")
    async with database.transaction():
        case = await chain_case_record.as_representative(actor, case_id)
        if case.state != ChainCaseState.held:
            raise Conflict("chain_case_not_held", extra={"state": case.state}, state=case.state)
        if business_id not in await chain_case_record.member_ids(case_id):
            raise NotFound("chain_member_not_found")
        serious = (await facts_of(case_id, case.round))["serious"]
        if point not in serious:
            raise RuleNotMet("chain_point_not_serious", extra={"point": point}, point=point)
        rows = (
            await ChainFix.insert(
                ChainFix(
                    chain_case=case_id,
                    business=business_id,
                    point=point,
                    comment=comment.strip(),
                    file_name=checked.name,
                    content_type=checked.content_type,
                    size=len(checked.data),
                    content=checked.data,
                    uploaded_by=actor.id,
                    uploaded_at=now(),
                )
            )
            .returning(*_FIX_COLUMNS)
            .run()
        )
        await chain_case_record.advance(case, case.state)
        await chain_case_record.record_event(
            "chain_fix_added", actor, case, chain_fix_id=rows[0]["id"], business_id=business_id, point=point
        )
    return _fix_view(rows[0])


async def _fix(actor: Actor, fix_id: int) -> dict[str, Any]:
    row = (
        await ChainFix.select(*_FIX_COLUMNS, ChainFix.chain_case)
        .where((ChainFix.id == fix_id) & policy.chain_fix_scope(actor))
        .first()
        .run()
    )
    if row is None:
        raise NotFound("chain_fix_not_found")
    return row


async def read_fix(actor: Actor, fix_id: int) -> tuple[ChainFixView, bytes]:
    """One piece of evidence: the chain's representatives, the case's kommun and its inspector; a
    member shop's owner his own shop's only; anyone else 404."""
    row = await _fix(actor, fix_id)
    content = await ChainFix.select(ChainFix.content).where(ChainFix.id == fix_id).first().run()
    assert content is not None
    return _fix_view(row), bytes(content["content"])


async def judge_fix(
    actor: Actor, fix_id: int, judgement: str, case_id: int | None = None
) -> ChainCorrectionsView:
    """The inspector accepts or refuses one piece of evidence while the case is held; refused
    evidence does not count, the chain uploads again. `case_id`: the case the caller means (a page's
    address); evidence of another case is then 404."""
    if judgement not in FIX_JUDGEMENTS:
        raise InvalidField("judgement", "invalid_field", field="judgement")
    async with database.transaction():
        policy.require(actor, Capability.judge_chain_corrections)
        fix = await _fix(actor, fix_id)
        if case_id is not None and fix["chain_case"] != case_id:
            raise NotFound("chain_fix_not_found")
        case = await _as_inspector(actor, fix["chain_case"])
        if case.state != ChainCaseState.held:
            raise Conflict("chain_case_not_held", extra={"state": case.state}, state=case.state)
        await (
            ChainFix.update(
                {ChainFix.judgement: judgement, ChainFix.judged_by: actor.id, ChainFix.judged_at: now()}
            )
            .where(ChainFix.id == fix_id)
            .run()
        )
        await chain_case_record.advance(case, case.state)
        await chain_case_record.record_event(
            "chain_fix_judged",
            actor,
            case,
            chain_fix_id=fix_id,
            business_id=fix["business"],
            point=fix["point"],
            judgement=judgement,
        )
    return await view(actor, case.id)


async def release(actor: Actor, case_id: int, version: int | None = None) -> chain_cases.ChainCaseView:
    """The inspector releases a held case: only with accepted evidence from every member for every
    serious point (422 naming the shops)."""
    async with database.transaction():
        case = await _as_inspector(actor, case_id)
        chain_case_record.check_version(case, version)
        facts = await chain_case_record.facts(case)
        new_state = await _decide(case, "release", facts)
        at = now()
        await (
            ChainSeriousPoint.update({ChainSeriousPoint.released_at: at})
            .where((ChainSeriousPoint.chain_case == case_id) & ChainSeriousPoint.released_at.is_null())
            .run()
        )
        await chain_case_record.advance(case, new_state)
        await chain_case_record.record_event(
            "chain_case_released", actor, case, new_state, points=sorted(facts.serious)
        )
    return await chain_cases.view(actor, case_id)


async def member_names(case_id: int) -> dict[int, str]:
    """The member shops of the case by id, for the pages' tables."""
    rows = (
        await ChainCaseMember.select(ChainCaseMember.business, ChainCaseMember.business.name)
        .where(ChainCaseMember.chain_case == case_id)
        .order_by(ChainCaseMember.business.name)
        .run()
    )
    return {r["business"]: r["business.name"] for r in rows}
