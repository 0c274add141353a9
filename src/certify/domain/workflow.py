"""The case workflow: states, transitions, and which guard protects each step (domain/actions.py
says who may take each action and what it is called).

The machine is pure and synchronous: it decides; services/cases.py owns the transaction.
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import Any

from statemachine import StateMachine
from statemachine.exceptions import TransitionNotAllowed
from statemachine.states import States

from certify.domain import rules
from certify.domain.actions import ACTIONS
from certify.domain.errors import ActionRefused, InvalidTransition
from certify.domain.rules import CaseFacts, InspectorFact, Problem
from certify.domain.status import CaseState, Role


def _refuse(problems: list[Problem], action: str) -> None:
    if problems:
        raise ActionRefused(action, problems)


class CaseWorkflow(StateMachine):
    """Strict machine (TransitionNotAllowed, errors propagate) bound to an application row."""

    s = States.from_enum(
        CaseState,
        initial=CaseState.draft,
        final=[CaseState.rejected, CaseState.withdrawn, CaseState.expired, CaseState.revoked],
        use_enum_instance=False,
    )

    submit = s.draft.to(s.submitted, validators="check_submit")
    assign = s.submitted.to(s.scheduled, validators="check_assign") | s.scheduled.to.itself(
        validators="check_assign"
    )
    # Back to the kommun's queue of cases without an inspector: a booked visit is called off
    # (scheduled means an inspector and a visit time); a case waiting for corrections keeps waiting,
    # and the corrections then go to the queue instead of to an inspector.
    unassign = s.scheduled.to(s.submitted) | s.corrections_required.to.itself()
    require_corrections = s.scheduled.to(s.corrections_required, validators="check_corrections")
    report_corrections = s.corrections_required.to(s.scheduled, cond="has_inspector") | (
        s.corrections_required.to(s.submitted, unless="has_inspector")
    )
    approve = s.scheduled.to(s.certified, validators="check_approve")
    reject = s.scheduled.to(s.rejected, validators="check_reason") | s.corrections_required.to(
        s.rejected, validators="check_reason"
    )
    withdraw = (
        s.draft.to(s.withdrawn)
        | s.submitted.to(s.withdrawn)
        | s.scheduled.to(s.withdrawn)
        | s.corrections_required.to(s.withdrawn)
    )
    expire = s.certified.to(s.expired, validators="check_expire")
    revoke = s.certified.to(s.revoked, validators="check_reason")

    def has_inspector(self, assigned: bool = True) -> bool:
        return assigned

    def check_submit(self, facts: CaseFacts) -> None:
        _refuse(rules.submit_problems(facts), "submit")

    def check_assign(
        self,
        facts: CaseFacts | None = None,
        inspector: InspectorFact | None = None,
        visit_at: datetime | None = None,
    ) -> None:
        _refuse(rules.assign_problems(inspector, visit_at, facts.now if facts else None), "assign")

    def check_corrections(self, facts: CaseFacts, deadline: date | None = None) -> None:
        _refuse(rules.require_corrections_problems(facts, deadline), "require_corrections")

    def check_approve(self, facts: CaseFacts) -> None:
        _refuse(rules.approve_problems(facts), "approve")

    def check_reason(self, event: str, reason: str | None = None) -> None:
        _refuse(rules.reason_problems(reason), event)

    def check_expire(self, facts: CaseFacts) -> None:
        _refuse(rules.expire_problems(facts), "expire")


class _StateHolder:
    """The minimal model the machine binds to: the state is read from and written to it."""

    def __init__(self, state: str) -> None:
        self.state = state


@functools.cache
def _actions_from(state: str) -> tuple[str, ...]:
    machine = CaseWorkflow(model=_StateHolder(state))
    return tuple(event.id for event in machine.allowed_events)


def actions_from(state: str) -> list[str]:
    """The actions the machine allows from a state, whoever asks (computed once per state)."""
    return list(_actions_from(state))


def allowed_actions(
    state: str, role: str, *, is_assigned_inspector: bool = True, in_chain_case: bool = False
) -> list[str]:
    """The actions this caller could try now (guards are checked when they try); on a sampled
    shop's case of a chain case only those its spec allows there (Action.in_chain_case)."""
    actions = [
        a
        for a in actions_from(state)
        if role in ACTIONS[a].roles and (ACTIONS[a].in_chain_case or not in_chain_case)
    ]
    if role == Role.inspector and not is_assigned_inspector:
        return []
    return actions


def decide(state: str, action: str, **context: Any) -> str:
    """Run one transition on a detached copy of the state; return the new state or raise."""
    if action not in ACTIONS:
        raise InvalidTransition(action, state, actions_from(state))
    holder = _StateHolder(state)
    machine = CaseWorkflow(model=holder)
    try:
        machine.send(action, **context)
    except TransitionNotAllowed as exc:
        raise InvalidTransition(action, state, actions_from(state)) from exc
    return str(holder.state)
