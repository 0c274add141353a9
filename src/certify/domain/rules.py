"""The guard rules of the workflow as pure functions: each returns what is missing, as Problems.

The state machine calls them as validators; the pages call them to show what is still missing
before the user presses a button. One place, both uses. The words are certify.text.problems'.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from certify.domain.checklist import CriterionKind, CriterionSpec
from certify.domain.status import AnswerStatus, CriterionMark, VerdictValue


@dataclass(frozen=True, slots=True)
class AnswerFact:
    status: str
    comment: str = ""
    carried_over: bool = False  # brought over by a renewal and not yet confirmed by the owner


@dataclass(frozen=True, slots=True)
class VerdictFact:
    verdict: str
    remark: str = ""


@dataclass(frozen=True, slots=True)
class InspectorFact:
    active: bool
    serves_kommun: bool
    is_inspector: bool = True


@dataclass(frozen=True, slots=True)
class NotApplicableFacts:
    """What decides whether a point of a case may be not applicable: the shop, the points the
    case's checklist version marks as possibly not applicable without cash or valuables, and the
    points for which the kommun has switched "not applicable" off."""

    cash_free: bool
    cash_related: frozenset[int] = frozenset()
    switched_off: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the rules need to know about one case, loaded by the service."""

    not_applicable: NotApplicableFacts
    today: date
    points: tuple[int, ...]  # the numbers of the case's checklist version: the 13 and any local ones
    answers: Mapping[int, AnswerFact] = field(default_factory=dict)
    verdicts: Mapping[int, VerdictFact] = field(default_factory=dict)  # the current round
    valid_until: date | None = None  # of the case's certificate
    now: datetime | None = None  # the moment the rules judge by (a visit must come after it)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing that stops an action: a stable code and the points it concerns (worded by
    certify.text.problems.problem_text)."""

    code: str
    points: tuple[int, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {"code": self.code, "points": list(self.points)}


def not_applicable_refusal(point: int, facts: NotApplicableFacts) -> str | None:
    """Why a point may not be not applicable (a stable code), None when it may: only a point the
    checklist marks, in a cash-free shop, and only while its kommun has not switched it off."""
    if not (facts.cash_free and point in facts.cash_related):
        return "not_applicable_not_allowed"
    if point in facts.switched_off:
        return "not_applicable_switched_off"
    return None


def may_be_not_applicable(point: int, facts: NotApplicableFacts) -> bool:
    return not_applicable_refusal(point, facts) is None


def submit_problems(facts: CaseFacts) -> list[Problem]:
    unanswered = [p for p in facts.points if p not in facts.answers]
    unconfirmed = [p for p in facts.points if p in facts.answers and facts.answers[p].carried_over]
    not_met = [
        p
        for p in facts.points
        if p in facts.answers and facts.answers[p].status == AnswerStatus.not_fulfilled
    ]
    bad_na = [
        p
        for p in facts.points
        if p in facts.answers
        and facts.answers[p].status == AnswerStatus.not_applicable
        and not may_be_not_applicable(p, facts.not_applicable)
    ]
    na_without_comment = [
        p
        for p in facts.points
        if p in facts.answers
        and facts.answers[p].status == AnswerStatus.not_applicable
        and may_be_not_applicable(p, facts.not_applicable)
        and not facts.answers[p].comment.strip()
    ]
    problems: list[Problem] = []
    if unanswered:
        problems.append(Problem("points_unanswered", tuple(unanswered)))
    if unconfirmed:  # a renewal's answers are the owner's only once the owner has saved them again
        problems.append(Problem("answers_not_confirmed", tuple(unconfirmed)))
    if not_met:
        problems.append(Problem("points_not_fulfilled", tuple(not_met)))
    if bad_na:
        problems.append(Problem("not_applicable_not_allowed", tuple(bad_na)))
    if na_without_comment:
        problems.append(Problem("not_applicable_without_comment", tuple(na_without_comment)))
    return problems


def _unjudged(facts: CaseFacts) -> list[int]:
    return [p for p in facts.points if p not in facts.verdicts]


def approve_problems(facts: CaseFacts) -> list[Problem]:
    problems: list[Problem] = []
    unjudged = _unjudged(facts)
    if unjudged:
        problems.append(Problem("points_not_judged", tuple(unjudged)))
    failed = [p for p, v in sorted(facts.verdicts.items()) if v.verdict == VerdictValue.failed]
    if failed:
        problems.append(Problem("points_failed", tuple(failed)))
    bad_na = [
        p
        for p, v in sorted(facts.verdicts.items())
        if v.verdict == VerdictValue.not_applicable and not may_be_not_applicable(p, facts.not_applicable)
    ]
    if bad_na:
        problems.append(Problem("not_applicable_not_allowed", tuple(bad_na)))
    na_without_remark = [
        p
        for p, v in sorted(facts.verdicts.items())
        if v.verdict == VerdictValue.not_applicable
        and may_be_not_applicable(p, facts.not_applicable)
        and not v.remark.strip()
    ]
    if na_without_remark:
        problems.append(Problem("not_applicable_without_remark", tuple(na_without_remark)))
    return problems


def require_corrections_problems(facts: CaseFacts, deadline: date | None) -> list[Problem]:
    problems: list[Problem] = []
    unjudged = _unjudged(facts)
    if unjudged:
        problems.append(Problem("points_not_judged", tuple(unjudged)))
    if not any(v.verdict == VerdictValue.failed for v in facts.verdicts.values()):
        problems.append(Problem("no_point_failed"))
    if deadline is None:
        problems.append(Problem("deadline_missing"))
    elif deadline <= facts.today:
        problems.append(Problem("deadline_not_in_future"))
    return problems


def visit_problems(visit_at: datetime | None, now: datetime | None) -> list[Problem]:
    """A visit is booked for a time still to come: a time that has passed is refused."""
    if visit_at is None:
        return [Problem("visit_time_missing")]
    if now is not None and visit_at <= now:
        return [Problem("visit_in_past")]
    return []


def assign_problems(
    inspector: InspectorFact | None, visit_at: datetime | None, now: datetime | None = None
) -> list[Problem]:
    problems: list[Problem] = []
    if inspector is None or not inspector.is_inspector:
        problems.append(Problem("inspector_not_found"))
    elif not inspector.active:
        problems.append(Problem("inspector_inactive"))
    elif not inspector.serves_kommun:
        problems.append(Problem("inspector_not_in_kommun"))
    return problems + visit_problems(visit_at, now)


def reason_problems(reason: str | None) -> list[Problem]:
    return [] if reason and reason.strip() else [Problem("reason_missing")]


def expire_problems(facts: CaseFacts) -> list[Problem]:
    if facts.valid_until is None or facts.valid_until >= facts.today:
        return [Problem("certificate_still_valid")]
    return []


# --- judging a point criterion by criterion ------------------------------------------------


@dataclass(frozen=True, slots=True)
class CriteriaProblem:
    """What is wrong with the criteria sent for one point: a stable code (worded by
    certify.text.errors, where the service raises it) and the criteria it concerns."""

    code: str
    criteria: tuple[str, ...] = ()


JUDGED_KINDS = frozenset({CriterionKind.required, CriterionKind.conditional})
"""The kinds that decide a point; a recommended criterion is advice and never fails one."""


def _unknown(criteria: Sequence[CriterionSpec], ids: Sequence[str]) -> tuple[str, ...]:
    known = {c.id for c in criteria}
    return tuple(i for i in ids if i not in known)


def answer_from_criteria(
    criteria: Sequence[CriterionSpec], status: AnswerStatus | None, marks: Mapping[str, CriterionMark]
) -> tuple[AnswerStatus | None, CriteriaProblem | None]:
    """The owner's answer to a point from the marks on its criteria, the status the owner sent, or
    both. A required or applicable conditional criterion not met makes the point not fulfilled; a
    status of fulfilled alone declares every required and applicable criterion met; marks and a
    status that disagree are refused, and so is a criterion left unmarked when no status says
    what it is."""
    unknown = _unknown(criteria, list(marks))
    if unknown:
        return None, CriteriaProblem("criterion_unknown", unknown)
    required = {c.id for c in criteria if c.kind == CriterionKind.required}
    always = tuple(i for i, m in marks.items() if m == CriterionMark.not_applicable and i in required)
    if always:
        return None, CriteriaProblem("criterion_always_applies", always)
    if status == AnswerStatus.not_applicable:  # the whole point, in a cash-free shop
        return (status, None) if not marks else (None, CriteriaProblem("answer_contradicts_criteria"))
    judged = [c.id for c in criteria if c.kind in JUDGED_KINDS]
    not_met = tuple(i for i in judged if marks.get(i) == CriterionMark.not_met)
    unmarked = tuple(i for i in judged if i not in marks)
    if not_met:
        derived = AnswerStatus.not_fulfilled
    elif unmarked and status is None:
        return None, CriteriaProblem("criteria_unmarked", unmarked)
    elif unmarked:
        derived = status  # the status speaks for the criteria left unmarked
    else:
        derived = AnswerStatus.fulfilled
    if status is not None and status != derived:
        return None, CriteriaProblem("answer_contradicts_criteria", not_met)
    return derived, None


def failed_criteria_problem(
    criteria: Sequence[CriterionSpec], verdict: VerdictValue, failed: Sequence[str], named: bool
) -> CriteriaProblem | None:
    """The inspector's fail names the criteria not met (required on a version whose criteria are
    `named`, i.e. written with ids and kinds); only a fail names any, and never a recommended one."""
    unknown = _unknown(criteria, failed)
    if unknown:
        return CriteriaProblem("criterion_unknown", unknown)
    if failed and verdict != VerdictValue.failed:
        return CriteriaProblem("failed_criteria_without_fail", tuple(failed))
    advice = tuple(c.id for c in criteria if c.id in failed and c.kind == CriterionKind.recommended)
    if advice:
        return CriteriaProblem("criterion_recommended", advice)
    if verdict == VerdictValue.failed and named and not failed:
        return CriteriaProblem("failed_criteria_missing")
    return None
