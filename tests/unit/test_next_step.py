"""The owner's next step comes from the case's real data, not from its state alone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from certify.domain.next_step import NextStep, Step, StepFacts, next_step
from certify.domain.status import CaseState

NOW = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
TODAY = date(2026, 12, 1)
HOUR = timedelta(hours=1)


def facts(state: str, **kwargs: object) -> StepFacts:
    return StepFacts(state=state, round=int(kwargs.pop("round", 1)), now=NOW, today=TODAY, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("state", "step"),
    [
        (CaseState.draft, Step.answer_points),
        (CaseState.submitted, Step.await_booking),
        (CaseState.certified, Step.keep_level),
        (CaseState.rejected, Step.start_again),
        (CaseState.withdrawn, Step.start_again),
        (CaseState.expired, Step.start_again),
        (CaseState.revoked, Step.start_again),
    ],
)
def test_every_state_has_a_next_step(state: str, step: Step) -> None:
    assert next_step(facts(state)).step == step


def test_a_booked_visit_is_announced_only_while_it_is_to_come() -> None:
    coming = next_step(facts("scheduled", visit_at=NOW + HOUR, visit_booked_at=NOW - 48 * HOUR))
    assert (coming.step, coming.visit_at) == (Step.visit_booked, NOW + HOUR)
    assert next_step(facts("scheduled", visit_at=NOW - HOUR)).step == Step.await_decision


def test_after_reported_corrections_the_old_visit_is_history() -> None:
    reported = NOW - 2 * HOUR
    old_booking = facts(
        "scheduled", round=2, visit_at=NOW + HOUR, visit_booked_at=reported - 200 * HOUR,
        corrections_reported_at=reported,
    )  # fmt: skip
    assert next_step(old_booking).step == Step.await_recheck
    rebooked = facts(
        "scheduled", round=2, visit_at=NOW + 24 * HOUR, visit_booked_at=reported + HOUR,
        corrections_reported_at=reported,
    )  # fmt: skip
    assert next_step(rebooked) == NextStep(Step.revisit_booked, visit_at=NOW + 24 * HOUR)
    assert next_step(facts("scheduled", round=2, corrections_reported_at=reported)).step == Step.await_recheck


def test_corrections_before_and_after_the_deadline() -> None:
    assert next_step(facts("corrections_required", deadline=TODAY)).step == Step.fix_deficiencies
    late = next_step(facts("corrections_required", deadline=TODAY - timedelta(days=1)))
    assert (late.step, late.deadline) == (Step.deadline_passed, TODAY - timedelta(days=1))
