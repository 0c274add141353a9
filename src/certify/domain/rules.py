"""The guard rules of the workflow as pure functions: each returns what is missing, in words.

The state machine calls them as validators; the pages call them to show what is still missing
before the user presses a button. One place, both uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from certify.domain.checklist import CASH_RELATED_POINTS, POINT_COUNT
from certify.domain.status import AnswerStatus, VerdictValue

ALL_POINTS = tuple(range(1, POINT_COUNT + 1))


@dataclass(frozen=True, slots=True)
class AnswerFact:
    status: str
    comment: str = ""


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
class CaseFacts:
    """What the rules need to know about one case, loaded by the service."""

    cash_free: bool
    today: date
    answers: Mapping[int, AnswerFact] = field(default_factory=dict)
    verdicts: Mapping[int, VerdictFact] = field(default_factory=dict)  # the current round
    valid_until: date | None = None  # of the case's certificate
    now: datetime | None = None  # the moment the rules judge by (a visit must come after it)


def _points(numbers: list[int], singular: str, plural: str) -> str:
    """The words agree with the count: "punkt 4 är underkänd", "punkterna 4, 9 är underkända"."""
    if len(numbers) == 1:
        return f"punkt {numbers[0]} {singular}"
    return f"punkterna {', '.join(str(n) for n in numbers)} {plural}"


def may_be_not_applicable(point: int, cash_free: bool) -> bool:
    """Only a cash point of a cash-free shop may be judged not applicable."""
    return cash_free and point in CASH_RELATED_POINTS


def submit_problems(facts: CaseFacts) -> list[str]:
    unanswered = [p for p in ALL_POINTS if p not in facts.answers]
    not_met = [
        p for p in ALL_POINTS if p in facts.answers and facts.answers[p].status == AnswerStatus.not_fulfilled
    ]
    bad_na = [
        p
        for p in ALL_POINTS
        if p in facts.answers
        and facts.answers[p].status == AnswerStatus.not_applicable
        and not may_be_not_applicable(p, facts.cash_free)
    ]
    na_without_comment = [
        p
        for p in ALL_POINTS
        if p in facts.answers
        and facts.answers[p].status == AnswerStatus.not_applicable
        and may_be_not_applicable(p, facts.cash_free)
        and not facts.answers[p].comment.strip()
    ]
    problems = []
    if unanswered:
        problems.append(_points(unanswered, "är inte besvarad", "är inte besvarade"))
    if not_met:
        problems.append(_points(not_met, "är inte uppfylld", "är inte uppfyllda"))
    if bad_na:
        problems.append(
            _points(bad_na, "kan inte vara ej tillämplig", "kan inte vara ej tillämpliga")
            + " (bara kontantpunkter i kontantfri butik)"
        )
    if na_without_comment:
        problems.append(
            _points(
                na_without_comment,
                "är ej tillämplig men saknar motivering",
                "är ej tillämpliga men saknar motivering",
            )
        )
    return problems


def _unjudged(facts: CaseFacts) -> list[int]:
    return [p for p in ALL_POINTS if p not in facts.verdicts]


def approve_problems(facts: CaseFacts) -> list[str]:
    problems = []
    unjudged = _unjudged(facts)
    if unjudged:
        problems.append(_points(unjudged, "saknar bedömning", "saknar bedömning"))
    failed = [p for p, v in sorted(facts.verdicts.items()) if v.verdict == VerdictValue.failed]
    if failed:
        problems.append(_points(failed, "är underkänd", "är underkända"))
    bad_na = [
        p
        for p, v in sorted(facts.verdicts.items())
        if v.verdict == VerdictValue.not_applicable and not may_be_not_applicable(p, facts.cash_free)
    ]
    if bad_na:
        problems.append(
            _points(bad_na, "kan inte vara ej tillämplig", "kan inte vara ej tillämpliga")
            + " (bara kontantpunkter i kontantfri butik)"
        )
    na_without_remark = [
        p
        for p, v in sorted(facts.verdicts.items())
        if v.verdict == VerdictValue.not_applicable
        and may_be_not_applicable(p, facts.cash_free)
        and not v.remark.strip()
    ]
    if na_without_remark:
        problems.append(
            _points(
                na_without_remark,
                "är ej tillämplig men saknar anmärkning",
                "är ej tillämpliga men saknar anmärkning",
            )
        )
    return problems


def require_corrections_problems(facts: CaseFacts, deadline: date | None) -> list[str]:
    problems = []
    unjudged = _unjudged(facts)
    if unjudged:
        problems.append(_points(unjudged, "saknar bedömning", "saknar bedömning"))
    if not any(v.verdict == VerdictValue.failed for v in facts.verdicts.values()):
        problems.append("ingen punkt är underkänd")
    if deadline is None:
        problems.append("en sista dag för åtgärder (deadline) saknas")
    elif deadline <= facts.today:
        problems.append("sista dag för åtgärder (deadline) måste ligga i framtiden")
    return problems


def visit_problems(visit_at: datetime | None, now: datetime | None) -> list[str]:
    """A visit is booked for a time still to come: a time that has passed is refused."""
    if visit_at is None:
        return ["tid för besöket (visit_at) saknas"]
    if now is not None and visit_at <= now:
        return ["tiden för besöket (visit_at) har redan passerat; välj en senare tid"]
    return []


def assign_problems(
    inspector: InspectorFact | None, visit_at: datetime | None, now: datetime | None = None
) -> list[str]:
    problems = []
    if inspector is None or not inspector.is_inspector:
        problems.append("besiktningspersonen finns inte")
    elif not inspector.active:
        problems.append("besiktningspersonen är inaktiverad")
    elif not inspector.serves_kommun:
        problems.append("besiktningspersonen arbetar inte i butikens kommun")
    return problems + visit_problems(visit_at, now)


def reason_problems(reason: str | None) -> list[str]:
    return [] if reason and reason.strip() else ["ett skäl (reason) saknas"]


def expire_problems(facts: CaseFacts) -> list[str]:
    if facts.valid_until is None or facts.valid_until >= facts.today:
        return ["intyget är fortfarande giltigt"]
    return []
