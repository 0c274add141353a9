"""The two ends of a case, each named once (domain/status.py): closed — nothing more is done in it,
so the archive takes it — and ended — nothing of it is in force, so the retention plan's years run."""

from __future__ import annotations

from certify.domain.archive import is_closed
from certify.domain.status import CLOSED_STATES, ENDED_STATES, OPEN_STATES, CaseState
from certify.domain.workflow import CaseWorkflow


def test_every_state_is_open_or_closed_and_never_both() -> None:
    assert set(CaseState) == OPEN_STATES | CLOSED_STATES
    assert not OPEN_STATES & CLOSED_STATES


def test_an_ended_case_is_closed_and_a_certified_one_closed_but_not_ended() -> None:
    assert ENDED_STATES < CLOSED_STATES
    assert {CaseState.certified} == CLOSED_STATES - ENDED_STATES


def test_the_archive_takes_exactly_the_closed_cases() -> None:
    assert {s for s in CaseState if is_closed(s)} == CLOSED_STATES


def test_the_ended_states_are_the_machines_final_states() -> None:
    finals = {CaseState(s.value) for s in CaseWorkflow.states if s.final}
    assert finals == ENDED_STATES
