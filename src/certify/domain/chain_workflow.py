"""The chain case's workflow (kedjebesiktning): states, transitions and the rule guarding each.

Like the shop case's machine (domain/workflow.py) it is pure and synchronous: it decides, the
service owns the transaction, draws the sample on `assign` and enlarges it after
`report_corrections` (domain/chain_sample.py). The rules are domain/chain_rules.py's.

    draft ─submit→ submitted ─assign→ inspecting ─approve→ certified ─revoke→ revoked
                                         │  ▲  │
                 require_corrections ────┘  │  └──── hold (a serious deficiency) ──→ held
                 corrections_required ─report_corrections┘            held ─release→ inspecting
    reject: from submitted, inspecting, corrections_required or held; withdraw: from draft or submitted
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from statemachine import StateMachine
from statemachine.exceptions import TransitionNotAllowed
from statemachine.states import States

from certify.domain import chain_rules
from certify.domain.chain_rules import ChainFacts, ChainProblem
from certify.domain.errors import ActionRefused, InvalidTransition


class ChainCaseState(StrEnum):
    draft = "draft"
    submitted = "submitted"
    inspecting = "inspecting"
    corrections_required = "corrections_required"
    held = "held"  # a serious deficiency: nothing is decided until every member has shown the fix
    certified = "certified"
    rejected = "rejected"
    withdrawn = "withdrawn"
    revoked = "revoked"


def _refuse(problems: list[ChainProblem], action: str) -> None:
    if problems:
        raise ActionRefused(action, problems)  # type: ignore[arg-type]  # ChainProblem words like Problem


class ChainCaseWorkflow(StateMachine):
    """Strict machine bound to a chain case's state."""

    s = States.from_enum(
        ChainCaseState,
        initial=ChainCaseState.draft,
        final=[ChainCaseState.rejected, ChainCaseState.withdrawn, ChainCaseState.revoked],
        use_enum_instance=False,
    )

    submit = s.draft.to(s.submitted, validators="check_submit")
    assign = s.submitted.to(s.inspecting)
    require_corrections = s.inspecting.to(s.corrections_required, validators="check_corrections")
    report_corrections = s.corrections_required.to(s.inspecting, validators="check_report")
    hold = s.inspecting.to(s.held, validators="check_hold") | s.corrections_required.to(
        s.held, validators="check_hold"
    )
    release = s.held.to(s.inspecting, validators="check_release")
    approve = s.inspecting.to(s.certified, validators="check_approve")
    reject = (
        s.submitted.to(s.rejected)
        | s.inspecting.to(s.rejected)
        | s.corrections_required.to(s.rejected)
        | s.held.to(s.rejected)
    )
    withdraw = s.draft.to(s.withdrawn) | s.submitted.to(s.withdrawn)
    revoke = s.certified.to(s.revoked)

    def check_submit(self, facts: ChainFacts) -> None:
        _refuse(chain_rules.submit_problems(facts), "submit")

    def check_corrections(self, facts: ChainFacts) -> None:
        _refuse(chain_rules.require_corrections_problems(facts), "require_corrections")

    def check_report(self, facts: ChainFacts) -> None:
        _refuse(chain_rules.report_corrections_problems(facts), "report_corrections")

    def check_hold(self, facts: ChainFacts) -> None:
        _refuse(chain_rules.hold_problems(facts), "hold")

    def check_release(self, facts: ChainFacts) -> None:
        _refuse(chain_rules.release_problems(facts), "release")

    def check_approve(self, facts: ChainFacts) -> None:
        _refuse(chain_rules.approve_problems(facts), "approve")


class _StateHolder:
    def __init__(self, state: str) -> None:
        self.state = state


def decide(state: str, action: str, **context: Any) -> str:
    """Run one transition on a detached copy of the state; the new state, or the refusal."""
    holder = _StateHolder(state)
    machine = ChainCaseWorkflow(model=holder)
    allowed = [event.id for event in machine.allowed_events]
    if action not in allowed:
        raise InvalidTransition(action, state, allowed)
    try:
        machine.send(action, **context)
    except TransitionNotAllowed as exc:
        raise InvalidTransition(action, state, allowed) from exc
    return str(holder.state)
