"""What happens next in a case, from the owner's side: one answer for every state, from the case's
real data (not from the state alone: a booked visit may have happened already, and after reported
corrections the old visit time is history). Codes and data; the owner's page words them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from certify.domain.status import CaseState


class Step(StrEnum):
    answer_points = "answer_points"  # draft: the self-assessment, then submit
    await_booking = "await_booking"  # submitted: the kommun books a visit
    visit_booked = "visit_booked"  # a visit to come: be there
    await_decision = "await_decision"  # the visit has been: the inspector decides
    fix_deficiencies = "fix_deficiencies"  # corrections required, before the deadline
    deadline_passed = "deadline_passed"  # corrections required and the deadline has gone
    await_recheck = "await_recheck"  # corrections reported: the inspector checks them
    revisit_booked = "revisit_booked"  # corrections reported and a new visit booked
    keep_level = "keep_level"  # certified
    start_again = "start_again"  # rejected, withdrawn, expired or revoked


@dataclass(frozen=True, slots=True)
class NextStep:
    step: Step
    visit_at: datetime | None = None
    deadline: date | None = None


@dataclass(frozen=True, slots=True)
class StepFacts:
    state: str
    round: int
    now: datetime
    today: date
    visit_at: datetime | None = None
    visit_booked_at: datetime | None = None  # when the current visit time was set
    corrections_reported_at: datetime | None = None  # the latest report of corrections
    deadline: date | None = None


def next_step(facts: StepFacts) -> NextStep:
    state = facts.state
    if state == CaseState.draft:
        return NextStep(Step.answer_points)
    if state == CaseState.submitted:
        return NextStep(Step.await_booking)
    if state == CaseState.corrections_required:
        late = facts.deadline is not None and facts.deadline < facts.today
        return NextStep(Step.deadline_passed if late else Step.fix_deficiencies, deadline=facts.deadline)
    if state == CaseState.scheduled:
        to_come = facts.visit_at is not None and facts.visit_at > facts.now
        if facts.round > 1:
            booked, reported = facts.visit_booked_at, facts.corrections_reported_at
            rebooked = booked is not None and reported is not None and booked > reported
            if to_come and rebooked:
                return NextStep(Step.revisit_booked, visit_at=facts.visit_at)
            return NextStep(Step.await_recheck)
        if to_come:
            return NextStep(Step.visit_booked, visit_at=facts.visit_at)
        return NextStep(Step.await_decision)
    if state == CaseState.certified:
        return NextStep(Step.keep_level)
    return NextStep(Step.start_again)
