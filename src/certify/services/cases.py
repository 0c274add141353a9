"""The certification case: opening, answers, verdicts and every workflow action.

Each write is one transaction: load the case within the caller's scope, ask the domain, change
the row with a compare-and-set on (state, version), write side effects and the event, commit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import msgspec

from certify import database
from certify.domain import rules, workflow
from certify.domain.actions import ACTIONS, SYSTEM, Action
from certify.domain.checklist import CriterionSpec, criteria_from_data, criteria_named
from certify.domain.errors import Conflict, DomainError, Forbidden, InvalidField, NotFound, RuleNotMet
from certify.domain.rules import (
    AnswerFact,
    CaseFacts,
    CriteriaProblem,
    InspectorFact,
    VerdictFact,
)
from certify.domain.status import (
    ANSWER_EDITABLE_STATES,
    ENDED_STATES,
    OPEN_STATES,
    AnswerStatus,
    CaseState,
    CriterionMark,
    Role,
    VerdictValue,
)
from certify.services import (
    access_log,
    case_record,
    certificates,
    checklist,
    diarium,
    events,
    issued_protocols,
    local_points,
    not_applicable,
    policy,
    representatives,
)
from certify.services.actor import Actor, kommun_reader
from certify.services.case_record import CaseRecord
from certify.services.clock import local_date, now, today
from certify.services.policy import Capability, application_scope, application_scope_sql, business_scope
from certify.services.representation_check import CHECK
from certify.services.views import (
    AnswerView,
    ApplicationListItem,
    ApplicationView,
    CertificateSummary,
    ChecklistView,
    EventView,
    RepresentativeView,
    VerdictView,
)
from certify.tables import (
    Account,
    Answer,
    Application,
    Business,
    Certificate,
    ChecklistPoint,
    Event,
    InspectorKommun,
    MaterialChange,
    Verdict,
)
from certify.text.problems import problem_texts

RENEWAL_WINDOW = timedelta(days=120)


@dataclass(frozen=True, slots=True)
class ActionInput:
    """Everything any action may carry; each action reads the fields it needs."""

    version: int | None = None
    inspector_id: int | None = None
    visit_at: datetime | None = None
    deadline: date | None = None
    reason: str | None = None
    comment: str | None = None


async def _facts(case: CaseRecord, on: date | None = None, at: datetime | None = None) -> CaseFacts:
    answers = (
        await Answer.select(Answer.point, Answer.status, Answer.comment, Answer.carried_over)
        .where(Answer.application == case.id)
        .run()
    )
    verdicts = (
        await Verdict.select(Verdict.point, Verdict.verdict, Verdict.remark)
        .where((Verdict.application == case.id) & (Verdict.round == case.round))
        .run()
    )
    certificate = (
        await Certificate.select(Certificate.valid_until)
        .where(Certificate.application == case.id)
        .first()
        .run()
    )
    return CaseFacts(
        points=await checklist.case_points(case.checklist_version),
        not_applicable=await not_applicable.facts(
            checklist_version=case.checklist_version, kommun=case.kommun, cash_free=case.shop.cash_free
        ),
        today=on or (local_date(at) if at else today()),
        now=at or now(),
        answers={a["point"]: AnswerFact(a["status"], a["comment"], bool(a["carried_over"])) for a in answers},
        verdicts={v["point"]: VerdictFact(v["verdict"], v["remark"]) for v in verdicts},
        valid_until=certificate["valid_until"] if certificate else None,
    )


async def _inspector_fact(inspector_id: int | None, kommun_id: int) -> InspectorFact | None:
    if inspector_id is None:
        return None
    row = await Account.select(Account.role, Account.active).where(Account.id == inspector_id).first().run()
    if row is None:
        return None
    serves = (
        await InspectorKommun.exists()
        .where((InspectorKommun.inspector == inspector_id) & (InspectorKommun.kommun == kommun_id))
        .run()
    )
    return InspectorFact(
        active=row["active"], serves_kommun=serves, is_inspector=row["role"] == Role.inspector
    )


async def _advance(case: CaseRecord, new_state: str, changes: dict[Any, Any]) -> int:
    """Compare-and-set on state and version: of two concurrent writers exactly one wins."""
    rows = (
        await Application.update(
            {
                Application.state: new_state,
                Application.version: case.version + 1,
                Application.updated_at: now(),
                **({Application.closed_at: now()} if new_state in ENDED_STATES else {}),
                **changes,
            }
        )
        .where(
            (Application.id == case.id)
            & (Application.state == case.state)
            & (Application.version == case.version)
        )
        .returning(Application.version)
        .run()
    )
    if not rows:
        raise Conflict(
            "changed_concurrently",
            extra={"state": case.state},
        )
    return int(rows[0]["version"])


def _check_version(case: CaseRecord, expected: int | None) -> None:
    if expected is not None and expected != case.version:
        raise Conflict(
            "stale_version",
            extra={"version": case.version, "state": case.state},
        )


def _authorise(actor: Actor | None, action: Action) -> None:
    role = SYSTEM if actor is None else actor.role
    if role not in action.roles:
        raise Forbidden("role_may_not_act", extra={"action": action.name})


def _refuse_outside_chain_case(case: CaseRecord, action: Action | None = None) -> None:
    """A sampled shop's case is decided in its chain case, never on its own (409): only the actions
    whose spec allows it there (booking, reassigning, a member's own revocation), and no answer
    editing (the answers are the chain's internal audit)."""
    if case.chain_case is not None and (action is None or not action.in_chain_case):
        raise Conflict(
            "decided_in_chain_case",
            extra={"chain_case_id": case.chain_case, **({"action": action.name} if action else {})},
        )


# --- opening a case -------------------------------------------------------------------------


async def _refuse_second_open_case(business_id: int) -> None:
    """A shop has one open case at a time (the caller holds the shop's lock)."""
    open_case_row = (
        await Application.select(Application.id)
        .where((Application.business == business_id) & Application.state.is_in(list(OPEN_STATES)))
        .first()
        .run()
    )
    if open_case_row is not None:
        raise RuleNotMet("open_case_exists", extra={"application_id": open_case_row["id"]})


async def open_case(actor: Actor, business_id: int) -> ApplicationView:
    """Start a case in draft; a renewal starts from the previous answers."""
    policy.require(actor, Capability.start_case)
    async with database.transaction():
        business = (
            await Business.select(Business.id, Business.kommun)
            .where((Business.id == business_id) & business_scope(actor))
            .first()
            .run()
        )
        if business is None:
            raise NotFound("business_not_found")
        await database.lock_business(business_id)
        await _refuse_second_open_case(business_id)
        previous = await _renewable_certificate(business_id)
        version_id = await local_points.in_force_for(business["kommun"], today())
        rows = (
            await Application.insert(
                Application(
                    business=business_id,
                    kommun=business["kommun"],
                    checklist_version=version_id,
                    state=CaseState.draft.value,
                    previous_certificate=previous["number"] if previous else "",
                )
            )
            .returning(Application.id)
            .run()
        )
        application_id = rows[0]["id"]
        if previous:
            await _copy_answers(previous["application"], application_id, version_id)
        await events.record(
            "open",
            actor=actor,
            application_id=application_id,
            business_id=business_id,
            to_state=CaseState.draft.value,
            detail={"renews": previous["number"]} if previous else {},
        )
    return await view(actor, application_id)


async def open_reinspection(actor: Actor, business_id: int, certificate: str, change_id: int) -> int:
    """The re-inspection a kommun requires after a reported material change (caller's transaction,
    shop locked): a case on the checklist in force, already with the kommun (submitted, so it is
    assigned as usual), prefilled like a renewal from the answers the certificate was given on.
    The certificate stays valid while it runs; its end is `_issue_certificate`/`_revoke_reinspected`."""
    await _refuse_second_open_case(business_id)
    issued = (
        await Certificate.select(Certificate.application, Certificate.kommun)
        .where(Certificate.number == certificate)
        .first()
        .run()
    )
    assert issued is not None, "a reported change names the certificate in force"
    at = now()
    version_id = await local_points.in_force_for(issued["kommun"], today())
    rows = (
        await Application.insert(
            Application(
                business=business_id,
                kommun=issued["kommun"],
                checklist_version=version_id,
                state=CaseState.submitted.value,
                previous_certificate=certificate,
                submitted_at=at,
                diarienummer=await diarium.hand_out(issued["kommun"], at),
            )
        )
        .returning(Application.id)
        .run()
    )
    application_id = int(rows[0]["id"])
    await _copy_answers(issued["application"], application_id, version_id)
    await events.record(
        "reinspection_opened",
        actor=actor,
        application_id=application_id,
        business_id=business_id,
        to_state=CaseState.submitted.value,
        detail={"certificate": certificate, "change_id": change_id},
    )
    return application_id


async def _reinspected_certificate(application_id: int) -> str | None:
    """The certificate a case re-inspects after a reported material change, or None."""
    row = (
        await MaterialChange.select(MaterialChange.certificate)
        .where(MaterialChange.reinspection == application_id)
        .first()
        .run()
    )
    return row["certificate"] if row else None


async def _renewable_certificate(business_id: int) -> dict[str, Any] | None:
    """The shop's valid certificate, if any; renewal opens 120 days before it ends."""
    rows = (
        await Certificate.select(Certificate.number, Certificate.application, Certificate.valid_until)
        .where(
            (Certificate.business == business_id)
            & Certificate.revoked_at.is_null()
            & (Certificate.valid_until >= today())
            & (Certificate.replaced_by == "")
        )
        .order_by(Certificate.valid_until, ascending=False)
        .first()
        .run()
    )
    if rows is None:
        return None
    opens_on = rows["valid_until"] - RENEWAL_WINDOW
    if today() < opens_on:
        raise RuleNotMet("renewal_not_open", valid_until=rows["valid_until"], opens_on=opens_on)
    return rows


async def _named_criteria_ids(version_id: int) -> dict[int, tuple[str, ...]]:
    """Each point's criterion ids in a version, for the points whose criteria carry ids of their own."""
    rows = (
        await ChecklistPoint.select(ChecklistPoint.number, ChecklistPoint.criteria)
        .where(ChecklistPoint.checklist_version == version_id)
        .output(load_json=True)
        .run()
    )
    return {
        r["number"]: tuple(c.id for c in criteria_from_data(r["number"], r["criteria"]))
        for r in rows
        if criteria_named(r["criteria"])
    }


async def _copy_answers(from_application: int, to_application: int, to_version: int) -> None:
    """A renewal brings the previous answers over point by point, each marked for the owner to
    confirm: only the points the new version still has, and the criterion marks only where the
    point's criteria have the same ids in both versions (a mark belongs to its criterion)."""
    answers = (
        await Answer.select(Answer.point, Answer.status, Answer.comment, Answer.criteria)
        .where(Answer.application == from_application)
        .output(load_json=True)
        .run()
    )
    from_version = (
        await Application.select(Application.checklist_version)
        .where(Application.id == from_application)
        .first()
        .run()
    )
    points = set(await checklist.case_points(to_version))
    old_ids = await _named_criteria_ids(from_version["checklist_version"])
    new_ids = await _named_criteria_ids(to_version)
    copied = [
        Answer(
            application=to_application,
            point=a["point"],
            status=a["status"],
            comment=a["comment"],
            criteria=a["criteria"] if old_ids.get(a["point"], ()) == new_ids.get(a["point"], (None,)) else {},
            carried_over=True,
            updated_at=now(),
        )
        for a in answers
        if a["point"] in points
    ]
    if copied:
        await Answer.insert(*copied).run()


# --- answers and verdicts -------------------------------------------------------------------


async def _touch(case: CaseRecord, expected_version: int | None) -> None:
    """Bump the version without changing state: serialises edits and detects a state change."""
    where = (Application.id == case.id) & (Application.state == case.state)
    if expected_version is not None:
        where = where & (Application.version == expected_version)
    rows = (
        await Application.update(
            {Application.version: Application.version + 1, Application.updated_at: now()}
        )
        .where(where)
        .returning(Application.id)
        .run()
    )
    if not rows:
        raise Conflict("changed_concurrently")


async def _point_criteria(case: CaseRecord, point: int) -> tuple[tuple[CriterionSpec, ...], bool]:
    """The point's criteria in the version the case started on, and whether they are named (a
    version written with ids and kinds, so a fail must name the criteria not met)."""
    row = (
        await ChecklistPoint.select(ChecklistPoint.criteria)
        .where(
            (ChecklistPoint.checklist_version == case.checklist_version) & (ChecklistPoint.number == point)
        )
        .output(load_json=True)
        .first()
        .run()
    )
    raw = row["criteria"] if row else []
    return criteria_from_data(point, raw), criteria_named(raw)


def _refuse_criteria(problem: CriteriaProblem, point: int, field: str) -> DomainError:
    """The error for criteria that cannot be accepted: an id the point does not have names the
    field (400); every other problem is a rule (422)."""
    named = ", ".join(problem.criteria)
    extra = {"field": field, "criteria": list(problem.criteria)}
    if problem.code == "criterion_unknown":
        return InvalidField(field, problem.code, point=point, criteria=named)
    return RuleNotMet(problem.code, extra=extra, point=point, criteria=named)


async def _check_not_applicable(case: CaseRecord, point: int) -> None:
    """422 when the point of this case may not be not applicable, saying why."""
    refusal = rules.not_applicable_refusal(
        point,
        await not_applicable.facts(
            checklist_version=case.checklist_version, kommun=case.kommun, cash_free=case.shop.cash_free
        ),
    )
    if refusal is not None:
        raise RuleNotMet(refusal, point=point)


async def set_answer(
    actor: Actor,
    application_id: int,
    point: int,
    status: AnswerStatus | None,
    comment: str,
    expected_version: int | None = None,
    marks: Mapping[str, CriterionMark] | None = None,
) -> AnswerView:
    """The owner's answer to one point: a status, marks on its criteria, or both (see
    rules.answer_from_criteria); the answer stored is the one the criteria give."""
    marks = dict(marks or {})
    if status is None and not marks:
        raise InvalidField("status", "invalid_field", field="status")
    async with database.transaction():
        case = await case_record.load(actor, application_id)
        await checklist.check_point(case.checklist_version, point)
        policy.require(actor, Capability.answer_points)
        _refuse_outside_chain_case(case)
        if case.state not in ANSWER_EDITABLE_STATES:
            raise Conflict(
                "answers_locked",
                extra={"state": case.state},
            )
        criteria, _named = await _point_criteria(case, point)
        answered, problem = rules.answer_from_criteria(criteria, status, marks)
        if problem is not None:
            raise _refuse_criteria(problem, point, "criteria")
        assert answered is not None, "the rule answers a status or a problem"
        if answered == AnswerStatus.not_applicable:
            await _check_not_applicable(case, point)
        await _touch(case, expected_version)
        existing = (
            await Answer.select(Answer.id)
            .where((Answer.application == application_id) & (Answer.point == point))
            .first()
            .run()
        )
        stored = {k: v.value for k, v in marks.items()}
        values = {
            Answer.status: answered.value,
            Answer.comment: comment,
            Answer.criteria: stored,
            Answer.carried_over: False,  # saving the point is the owner's confirmation
            Answer.updated_at: now(),
        }
        if existing:
            await Answer.update(values).where(Answer.id == existing["id"]).run()
        else:
            await Answer.insert(
                Answer(
                    application=application_id,
                    point=point,
                    status=answered.value,
                    comment=comment,
                    criteria=stored,
                )
            ).run()
        await events.record(
            "answer", actor=actor, case=case, detail={"point": point, "status": answered.value}
        )
    return AnswerView(point=point, status=answered.value, comment=comment, criteria=stored)


async def set_verdict(
    actor: Actor,
    application_id: int,
    point: int,
    verdict: VerdictValue,
    remark: str,
    expected_version: int | None = None,
    failed_criteria: Sequence[str] = (),
) -> VerdictView:
    failed = list(dict.fromkeys(failed_criteria))  # each once, in the order given
    async with database.transaction():
        case = await case_record.load(actor, application_id)
        await checklist.check_point(case.checklist_version, point)
        policy.require(actor, Capability.judge_points)
        if case.state != CaseState.scheduled:
            raise Conflict(
                "verdicts_locked",
                extra={"state": case.state},
            )
        if verdict == VerdictValue.not_applicable:
            await _check_not_applicable(case, point)
        if verdict != VerdictValue.passed and not remark.strip():
            raise RuleNotMet("remark_required", point=point)
        criteria, named = await _point_criteria(case, point)
        problem = rules.failed_criteria_problem(criteria, verdict, failed, named)
        if problem is not None:
            raise _refuse_criteria(problem, point, "failed_criteria")
        await _touch(case, expected_version)
        round_ = case.round
        existing = (
            await Verdict.select(Verdict.id)
            .where(
                (Verdict.application == application_id) & (Verdict.round == round_) & (Verdict.point == point)
            )
            .first()
            .run()
        )
        values = {
            Verdict.verdict: verdict.value,
            Verdict.remark: remark,
            Verdict.failed_criteria: failed,
            Verdict.inspector: actor.id,
            Verdict.updated_at: now(),
        }
        if existing:
            await Verdict.update(values).where(Verdict.id == existing["id"]).run()
        else:
            await Verdict.insert(
                Verdict(
                    application=application_id,
                    round=round_,
                    point=point,
                    verdict=verdict.value,
                    remark=remark,
                    failed_criteria=failed,
                    inspector=actor.id,
                )
            ).run()
        await events.record(
            "verdict",
            actor=actor,
            case=case,
            detail={"point": point, "round": round_, "verdict": verdict.value},
        )
    return VerdictView(
        point=point, round=round_, verdict=verdict.value, remark=remark, failed_criteria=failed
    )


# --- workflow actions -----------------------------------------------------------------------


async def perform(
    actor: Actor | None,
    application_id: int,
    action: str,
    data: ActionInput,
    *,
    on: date | None = None,
    at: datetime | None = None,
) -> ApplicationView | None:
    """Run one workflow action as one transaction; answers the updated case.

    `on` is the calendar day the rules judge by (today unless a scheduled job says otherwise);
    `at` the moment (now, unless demo data replays a case's history).
    """
    await _transition(actor, application_id, action, data, on=on, at=at)
    return None if actor is None else await view(actor, application_id)


async def unassign(actor: Actor, application_id: int, *, reason: str) -> None:
    """The case goes back to the kommun's queue of cases without an inspector (see workflow)."""
    await _transition(actor, application_id, "unassign", ActionInput(reason=reason))


async def _transition(
    actor: Actor | None,
    application_id: int,
    action: str,
    data: ActionInput,
    *,
    on: date | None = None,
    at: datetime | None = None,
) -> None:
    if action not in ACTIONS:
        raise NotFound("action_not_found", action=action)
    async with database.transaction():
        case = await case_record.load(actor, application_id)
        _authorise(actor, ACTIONS[action])
        _refuse_outside_chain_case(case, ACTIONS[action])
        _check_version(case, data.version)
        facts = await _facts(case, on, at)
        inspector = await _inspector_fact(data.inspector_id, case.shop.kommun)
        new_state = workflow.decide(
            case.state,
            action,
            facts=facts,
            inspector=inspector,
            visit_at=data.visit_at,
            deadline=data.deadline,
            reason=data.reason,
            assigned=case.inspector is not None,
        )
        effects = EFFECTS[action]
        if effects.allowed_now is not None:
            await effects.allowed_now(case)
        changes, detail = effects.before(case, facts, data) if effects.before else ({}, {})
        await _advance(case, new_state, changes)
        if effects.after is not None:
            detail.update(await effects.after(case, facts, data))
        await events.record(
            action,
            actor=actor,
            case=await case_record.load(None, application_id),  # as the action left it
            from_state=case.state,
            to_state=new_state,
            detail=detail,
        )


Changes = tuple[dict[Any, Any], dict[str, Any]]
"""The column changes and the event's detail that go with an action."""
AfterEffect = Callable[[CaseRecord, CaseFacts, "ActionInput"], Awaitable[dict[str, Any]]]
"""Rows written after the state update, and more of the event's detail."""


@dataclass(frozen=True, slots=True)
class _Effects:
    """What the service writes with an action besides the new state (the action itself is described
    in domain/actions.py): `before` the state update, column changes and the event's detail; `after`
    it, rows that need the new state in place (they commit with it or not at all) and more detail.
    `allowed_now` may refuse the action for a reason outside the case itself (after the machine's
    own guards said yes)."""

    allowed_now: Callable[[CaseRecord], Awaitable[None]] | None = None
    before: Callable[[CaseRecord, CaseFacts, ActionInput], Changes] | None = None
    after: AfterEffect | None = None


def _submitted(case: CaseRecord, facts: CaseFacts, data: ActionInput) -> Changes:
    return {Application.submitted_at: facts.now}, {}


async def _diarienummer(case: CaseRecord, facts: CaseFacts, data: ActionInput) -> dict[str, Any]:
    """The kommun receives the case: it gets its diarienummer (unless the kommun types it in)."""
    number = await diarium.hand_out(case.kommun, facts.now)
    if number is None:
        return {}
    await Application.update({Application.diarienummer: number}).where(Application.id == case.id).run()
    return {"diarienummer": number}


def _assigned(case: CaseRecord, facts: CaseFacts, data: ActionInput) -> Changes:
    assert data.visit_at is not None
    detail: dict[str, Any] = {"inspector_id": data.inspector_id, "visit_at": data.visit_at.isoformat()}
    if case.state == CaseState.scheduled and case.visit_at is not None:
        # A rebooking: the messages and the timeline say what the booking was before.
        detail["previous_visit_at"] = case.visit_at.isoformat()
        detail["previous_inspector_id"] = case.inspector
    return {Application.inspector: data.inspector_id, Application.visit_at: data.visit_at}, detail


def _unassigned(case: CaseRecord, facts: CaseFacts, data: ActionInput) -> Changes:
    return (
        {Application.inspector: None, Application.visit_at: None},
        {"inspector_id": case.inspector, "reason": data.reason or ""},
    )


def _corrections_required(case: CaseRecord, facts: CaseFacts, data: ActionInput) -> Changes:
    assert data.deadline is not None
    failed = sorted(p for p, v in facts.verdicts.items() if v.verdict == VerdictValue.failed)
    return (
        {Application.deadline: data.deadline},
        {"deadline": data.deadline.isoformat(), "failed_points": failed, "round": case.round},
    )


def _corrections_reported(case: CaseRecord, facts: CaseFacts, data: ActionInput) -> Changes:
    return (
        {Application.round: case.round + 1, Application.deadline: None},
        {"comment": data.comment or "", "round": case.round + 1},
    )


def _decided(case: CaseRecord, facts: CaseFacts, data: ActionInput) -> Changes:
    return {Application.decided_at: now()}, {}


def _rejected(case: CaseRecord, facts: CaseFacts, data: ActionInput) -> Changes:
    return {Application.decided_at: now()}, {"reason": data.reason}


def _with_reason(case: CaseRecord, facts: CaseFacts, data: ActionInput) -> Changes:
    return {}, {"reason": data.reason}


async def _not_a_required_reinspection(case: CaseRecord) -> None:
    """A re-inspection the kommun required after a reported change is not the owner's to withdraw
    (the certificate would then stand unchecked); the kommun rejects it if it should end."""
    if await _reinspected_certificate(case.id) is not None:
        raise Conflict("reinspection_not_withdrawable")


async def _representation_allows_booking(case: CaseRecord) -> None:
    """No inspection is booked while the representation check waits for something (a fullmakt)."""
    problem = await CHECK.booking_problem(case.shop.id)
    if problem is not None:
        raise Conflict(problem)


async def _carry_forward(case: CaseRecord, facts: CaseFacts, data: ActionInput) -> dict[str, Any]:
    await carry_forward_passed(case.id, case.round)
    return {}


async def _issue_certificate(case: CaseRecord, facts: CaseFacts, data: ActionInput) -> dict[str, Any]:
    number = await certificates.issue(
        application_id=case.id,
        business_id=case.shop.id,
        kommun_id=case.shop.kommun,
        inspector_id=case.inspector,
        previous_number=case.previous_certificate,
        replaces_at_once=await _reinspected_certificate(case.id) is not None,
    )
    return {"certificate": number}


async def _revoke_reinspected(case: CaseRecord, facts: CaseFacts, data: ActionInput) -> dict[str, Any]:
    """A re-inspection after a reported change ends in rejection: the certificate it re-inspected
    is revoked with the rejection's reason, and its case with it, at once."""
    number = await _reinspected_certificate(case.id)
    if number is None:
        return {}
    issued = (
        await Certificate.select(Certificate.application, Certificate.revoked_at)
        .where(Certificate.number == number)
        .first()
        .run()
    )
    if issued is None or issued["revoked_at"] is not None:
        return {}
    await certificates.revoke(issued["application"], reason=data.reason or "")
    revoked = (
        await Application.update(
            {
                Application.state: CaseState.revoked.value,
                Application.version: Application.version + 1,
                Application.updated_at: now(),
                Application.closed_at: now(),
            }
        )
        .where((Application.id == issued["application"]) & (Application.state == CaseState.certified.value))
        .returning(Application.id)
        .run()
    )
    await events.record(
        "reinspection_revoked",
        actor=None,
        application_id=issued["application"],
        business_id=case.shop.id,
        from_state=CaseState.certified.value if revoked else "",
        to_state=CaseState.revoked.value if revoked else "",
        # The reason is the rejection's, which stays inside the case (domain/secrecy.py): the
        # certificate row keeps it, the event only points at the re-inspection.
        detail={"certificate": number, "reinspection_id": case.id},
    )
    return {"revoked_certificate": number}


async def _revoke_certificate(case: CaseRecord, facts: CaseFacts, data: ActionInput) -> dict[str, Any]:
    await certificates.revoke(case.id, reason=data.reason or "")
    return {}


def _protocol_sent(action: str) -> AfterEffect:
    """The decision sends the round's protocol out: it is stored as issued, with the decision
    (services/issued_protocols.py), drawn from the case as the decision leaves it."""

    async def store(case: CaseRecord, facts: CaseFacts, data: ActionInput) -> dict[str, Any]:
        reader = kommun_reader(case.kommun)
        await issued_protocols.issue(reader, await view(reader, case.id), action, facts.now)
        return {}

    return store


def _in_turn(*effects: AfterEffect) -> AfterEffect:
    """Several `after` effects one after the other (the protocol after the certificate it names)."""

    async def run(case: CaseRecord, facts: CaseFacts, data: ActionInput) -> dict[str, Any]:
        detail: dict[str, Any] = {}
        for effect in effects:
            detail.update(await effect(case, facts, data))
        return detail

    return run


EFFECTS: Mapping[str, _Effects] = {
    "submit": _Effects(before=_submitted, after=_diarienummer),
    "assign": _Effects(allowed_now=_representation_allows_booking, before=_assigned),
    "unassign": _Effects(before=_unassigned),
    "require_corrections": _Effects(
        before=_corrections_required, after=_protocol_sent("require_corrections")
    ),
    "report_corrections": _Effects(before=_corrections_reported, after=_carry_forward),
    "approve": _Effects(before=_decided, after=_in_turn(_issue_certificate, _protocol_sent("approve"))),
    "reject": _Effects(before=_rejected, after=_in_turn(_revoke_reinspected, _protocol_sent("reject"))),
    "withdraw": _Effects(allowed_now=_not_a_required_reinspection),
    "expire": _Effects(),
    "revoke": _Effects(before=_with_reason, after=_revoke_certificate),
}
"""Each action's writes, by the name of its spec in domain/actions.py (a test checks they match)."""


async def carry_forward_passed(application_id: int, from_round: int) -> None:
    """Next round: passed and not-applicable verdicts stand; failed points are judged again."""
    kept = (
        await Verdict.select(Verdict.point, Verdict.verdict, Verdict.remark, Verdict.inspector)
        .where(
            (Verdict.application == application_id)
            & (Verdict.round == from_round)
            & (Verdict.verdict != VerdictValue.failed.value)
        )
        .run()
    )
    if kept:
        await Verdict.insert(
            *[Verdict(application=application_id, round=from_round + 1, updated_at=now(), **v) for v in kept]
        ).run()


# --- reading --------------------------------------------------------------------------------


_CASE_READ_TEMPLATE = """
SELECT a.id, a.business, a.state, a.round, a.version, a.inspector, a.visit_at, a.deadline,
       a.previous_certificate, a.diarienummer, a.created_at, a.updated_at, a.chain_case,
       b.name AS business_name, cv.version AS checklist_version, u.name AS inspector_name,
       c.number AS c_number, c.issued_at AS c_issued_at, c.valid_from AS c_valid_from,
       c.valid_until AS c_valid_until, c.revoked_at AS c_revoked_at, c.replaced_by AS c_replaced_by,
       (SELECT {array}({object}('point', point, 'status', status, 'comment', comment,
                                 'criteria', {embed}(criteria), 'carried_over', {flag}))
        FROM answers WHERE application = a.id) AS answers,
       (SELECT {array}({object}('point', point, 'round', round, 'verdict', verdict, 'remark', remark,
                                 'failed_criteria', {embed}(failed_criteria)))
        FROM verdicts WHERE application = a.id) AS verdicts,
       (SELECT {array}({object}('id', r.id, 'business', r.business, 'account', r.account,
                                 'account.name', ru.name, 'basis', r.basis, 'check_state', r.check_state,
                                 'checked_at', r.checked_at, 'fullmakt_name', r.fullmakt_name,
                                 'fullmakt_type', r.fullmakt_type, 'fullmakt_size', r.fullmakt_size,
                                 'fullmakt_uploaded_at', r.fullmakt_uploaded_at))
        FROM representatives r JOIN users ru ON ru.id = r.account
        WHERE r.business = a.business) AS representatives
FROM applications a
JOIN businesses b ON b.id = a.business
JOIN checklist_versions cv ON cv.id = a.checklist_version
LEFT JOIN users u ON u.id = a.inspector
LEFT JOIN certificates c ON c.application = a.id
WHERE a.id = {{}} AND """
# The same JSON aggregation under each database's names for it, keyed by database.is_sqlite();
# SQLite keeps a JSON column as text, which json() embeds as JSON rather than as a string, and a
# boolean as 0 or 1, which the CASE turns into JSON true or false.
CASE_READ_SQL = {
    True: _CASE_READ_TEMPLATE.format(
        array="json_group_array",
        object="json_object",
        embed="json",
        flag="json(CASE WHEN carried_over THEN 'true' ELSE 'false' END)",
    ),
    False: _CASE_READ_TEMPLATE.format(
        array="json_agg", object="json_build_object", embed="", flag="carried_over"
    ),
}


def _decoded(value: str | None, kind: type[AnswerView] | type[VerdictView]) -> list[Any]:
    """A JSON array from the case read (PostgreSQL answers NULL where SQLite answers [])."""
    return msgspec.json.decode(value, type=list[kind]) if value else []  # type: ignore[valid-type]


def _representatives(value: str | None) -> list[RepresentativeView]:
    """The shop's representatives from the case read's JSON array, in the order they were added
    (timestamps in JSON are text on both databases)."""
    found: list[dict[str, Any]] = msgspec.json.decode(value) if value else []
    for row in found:
        for key in ("checked_at", "fullmakt_uploaded_at"):
            if row[key] is not None:
                row[key] = database.as_datetime(row[key]).astimezone(UTC)
    return [representatives.view(row) for row in sorted(found, key=lambda row: row["id"])]


async def view(actor: Actor, application_id: int) -> ApplicationView:
    """The whole case in one hand-written query, its answers and verdicts as JSON arrays: the
    hottest read of the service, measured in benchmarks/load.py (Piccolo's query building cost
    more than the queries themselves, and each further query is a round trip), sent without
    Piccolo (database.read)."""
    scope, scope_value = application_scope_sql(actor)
    sql = CASE_READ_SQL[database.is_sqlite()] + scope
    rows = await database.read(sql, application_id, scope_value)
    if not rows:
        raise NotFound("case_not_found")
    row = rows[0]
    answers: list[AnswerView] = sorted(_decoded(row["answers"], AnswerView), key=lambda a: a.point)
    verdicts: list[VerdictView] = sorted(
        _decoded(row["verdicts"], VerdictView), key=lambda v: (v.round, v.point)
    )
    certificate = None
    if row["c_number"] is not None:
        certificate = CertificateSummary(
            number=row["c_number"],
            issued_at=row["c_issued_at"],
            valid_from=row["c_valid_from"],
            valid_until=row["c_valid_until"],
            status=certificates.status_of(
                {"revoked_at": row["c_revoked_at"], "valid_until": row["c_valid_until"]}
            ).value,
            replaced_by=row["c_replaced_by"] or None,
        )
    return ApplicationView(
        id=row["id"],
        business_id=row["business"],
        business_name=row["business_name"],
        state=row["state"],
        round=row["round"],
        version=row["version"],
        checklist_version=row["checklist_version"],
        inspector_id=row["inspector"],
        inspector_name=row["inspector_name"],
        visit_at=row["visit_at"],
        deadline=row["deadline"],
        answers=answers,
        verdicts=verdicts,
        certificate=certificate,
        previous_certificate=row["previous_certificate"] or None,
        diarienummer=row["diarienummer"],
        allowed_actions=workflow.allowed_actions(
            row["state"], actor.role, in_chain_case=row["chain_case"] is not None
        ),
        chain_case_id=row["chain_case"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        representatives=_representatives(row["representatives"]),
    )


async def list_visible(
    actor: Actor,
    *,
    state: CaseState | None = None,
    area: str | None = None,
    inspector_id: int | None = None,
) -> list[ApplicationListItem]:
    query = Application.select(
        Application.id,
        Application.business,
        Application.business.name,
        Application.business.area,
        Application.state,
        Application.round,
        Application.inspector,
        Application.visit_at,
        Application.deadline,
        Application.updated_at,
    ).where(application_scope(actor))
    if state is not None:
        query = query.where(Application.state == state.value)
    if area:
        query = query.where(Application.business.area == area)
    if inspector_id is not None:
        query = query.where(Application.inspector == inspector_id)
    rows = await query.order_by(Application.updated_at, ascending=False).run()
    return [
        ApplicationListItem(
            id=r["id"],
            business_id=r["business"],
            business_name=r["business.name"],
            area=r["business.area"],
            state=r["state"],
            round=r["round"],
            inspector_id=r["inspector"],
            visit_at=r["visit_at"],
            deadline=r["deadline"],
            updated_at=r["updated_at"],
        )
        for r in rows
    ]


async def list_events(actor: Actor, application_id: int) -> list[EventView]:
    await case_record.load(actor, application_id)
    rows = (
        await Event.select(
            Event.at, Event.actor_label, Event.action, Event.from_state, Event.to_state, Event.detail
        )
        .where((Event.application == application_id) & (Event.action != access_log.LEGACY_READ_ACTION))
        .order_by(Event.id)
        .output(load_json=True)
        .run()
    )
    return [
        EventView(
            at=r["at"],
            actor=r["actor_label"],
            action=r["action"],
            from_state=r["from_state"],
            to_state=r["to_state"],
            detail=r["detail"] or {},
        )
        for r in rows
    ]


async def checklist_of(actor: Actor, application_id: int) -> ChecklistView:
    """The version the case is judged on (a kommun's own version included), for whoever may see it."""
    case = await case_record.load(actor, application_id)
    return await checklist.by_id(case.checklist_version)


async def submit_problems(actor: Actor, application_id: int) -> list[str]:
    """What still stops submitting, in words: the submit guard's own rule, shown before the button."""
    case = await case_record.load(actor, application_id)
    return problem_texts(rules.submit_problems(await _facts(case)))


async def decision_problems(actor: Actor, application_id: int, deadline: date | None) -> dict[str, list[str]]:
    """What stops each inspector decision now, in words: the guards' own rules, shown on the page."""
    case = await case_record.load(actor, application_id)
    facts = await _facts(case)
    return {
        "approve": problem_texts(rules.approve_problems(facts)),
        "require_corrections": problem_texts(rules.require_corrections_problems(facts, deadline)),
    }
