"""The state machine on its own: every (state, action) pair, without a database."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from statemachine.contrib.diagram import MermaidGraphMachine

from certify.domain.actions import ACTIONS
from certify.domain.errors import InvalidTransition, RuleNotMet
from certify.domain.rules import (
    AnswerFact,
    CaseFacts,
    InspectorFact,
    NotApplicableFacts,
    VerdictFact,
)
from certify.domain.status import CaseState
from certify.domain.workflow import CaseWorkflow, allowed_actions, decide

POINTS = tuple(range(1, 14))  # a case on a national checklist: the 13 points
TODAY = date(2026, 11, 25)
# A cash-free shop on a version that marks the cash points as possibly not applicable.
CASH_FREE = NotApplicableFacts(cash_free=True, cash_related=frozenset({3, 4, 5, 6, 12}))

# The transition table of the core issue, written out independently of the machine.
EXPECTED = {
    ("draft", "submit"): "submitted",
    ("submitted", "assign"): "scheduled",
    ("scheduled", "assign"): "scheduled",
    ("scheduled", "unassign"): "submitted",
    ("corrections_required", "unassign"): "corrections_required",
    ("scheduled", "require_corrections"): "corrections_required",
    ("corrections_required", "report_corrections"): "scheduled",
    ("scheduled", "approve"): "certified",
    ("scheduled", "reject"): "rejected",
    ("corrections_required", "reject"): "rejected",
    ("draft", "withdraw"): "withdrawn",
    ("submitted", "withdraw"): "withdrawn",
    ("scheduled", "withdraw"): "withdrawn",
    ("corrections_required", "withdraw"): "withdrawn",
    ("certified", "expire"): "expired",
    ("certified", "revoke"): "revoked",
}


def _context(action: str) -> dict[str, object]:
    """A context in which the action's guard is satisfied."""
    answers = {p: AnswerFact("fulfilled") for p in range(1, 14)}
    verdicts = {p: VerdictFact("pass") for p in range(1, 14)}
    if action == "require_corrections":
        verdicts[4] = VerdictFact("fail", "Sedelbox saknas.")
    return {
        "facts": CaseFacts(
            points=POINTS,
            not_applicable=NotApplicableFacts(cash_free=False),
            today=TODAY,
            answers=answers,
            verdicts=verdicts,
            valid_until=TODAY - timedelta(days=1),
        ),
        "inspector": InspectorFact(active=True, serves_kommun=True),
        "visit_at": datetime(2026, 12, 1, 10, 0),
        "deadline": TODAY + timedelta(days=30),
        "reason": "Skäl",
    }


@pytest.mark.parametrize("state", [s.value for s in CaseState])
@pytest.mark.parametrize("action", ACTIONS)
def test_every_state_and_action_pair(state: str, action: str) -> None:
    if (state, action) in EXPECTED:
        assert decide(state, action, **_context(action)) == EXPECTED[(state, action)]
    else:
        with pytest.raises(InvalidTransition) as refused:
            decide(state, action, **_context(action))
        assert refused.value.extra["state"] == state
        assert action not in refused.value.extra["allowed_actions"]


def test_terminal_states_allow_nothing() -> None:
    for state in ("rejected", "withdrawn", "expired", "revoked"):
        assert allowed_actions(state, "kommun") == []
        assert allowed_actions(state, "owner") == []


def test_allowed_actions_depend_on_role() -> None:
    assert allowed_actions("scheduled", "owner") == ["withdraw"]
    assert allowed_actions("scheduled", "kommun") == ["assign", "unassign", "reject"]
    assert allowed_actions("scheduled", "inspector") == ["require_corrections", "approve", "reject"]
    assert allowed_actions("certified", "kommun") == ["revoke"]


def test_corrections_without_an_inspector_go_back_to_the_kommuns_queue() -> None:
    """After `unassign` nobody would check the corrections: they wait for a new assignment."""
    assert decide("corrections_required", "report_corrections", assigned=True) == "scheduled"
    assert decide("corrections_required", "report_corrections", assigned=False) == "submitted"


def test_guards_name_what_is_missing() -> None:
    facts = CaseFacts(
        points=POINTS,
        not_applicable=NotApplicableFacts(cash_free=False),
        today=TODAY,
        answers={1: AnswerFact("not_fulfilled")},
    )
    with pytest.raises(RuleNotMet) as refused:
        decide("draft", "submit", facts=facts)
    assert "punkterna 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 är inte besvarade" in refused.value.message
    assert "punkt 1 är inte uppfylld" in refused.value.message


def test_cash_points_of_a_cash_free_shop_may_be_not_applicable_with_a_comment() -> None:
    answers = {p: AnswerFact("fulfilled") for p in range(1, 14)}
    answers[4] = AnswerFact("not_applicable", "")
    facts = CaseFacts(points=POINTS, not_applicable=CASH_FREE, today=TODAY, answers=answers)
    with pytest.raises(RuleNotMet, match="punkt 4 är ej tillämplig men saknar motivering"):
        decide("draft", "submit", facts=facts)
    answers[4] = AnswerFact("not_applicable", "Kontantfri butik")
    assert decide("draft", "submit", facts=facts) == "submitted"
    answers[7] = AnswerFact("not_applicable", "Vi har inget larm")
    with pytest.raises(RuleNotMet, match="punkt 7 kan inte vara ej tillämplig "):
        decide("draft", "submit", facts=facts)


def test_a_failed_point_stops_approval_and_a_past_deadline_stops_corrections() -> None:
    context = _context("require_corrections")
    with pytest.raises(RuleNotMet, match=r"punkt 4 är underkänd\.$"):
        decide("scheduled", "approve", **context)
    context["deadline"] = TODAY
    with pytest.raises(RuleNotMet, match="måste ligga i framtiden"):
        decide("scheduled", "require_corrections", **context)


def test_assign_needs_an_active_inspector_of_the_kommun_and_a_time() -> None:
    with pytest.raises(RuleNotMet, match="inaktiverad"):
        decide(
            "submitted",
            "assign",
            inspector=InspectorFact(active=False, serves_kommun=True),
            visit_at=datetime(2026, 12, 1),
        )
    with pytest.raises(RuleNotMet, match="arbetar inte i butikens kommun"):
        decide(
            "submitted",
            "assign",
            inspector=InspectorFact(active=True, serves_kommun=False),
            visit_at=datetime(2026, 12, 1),
        )
    with pytest.raises(RuleNotMet, match="visit_at"):
        decide("submitted", "assign", inspector=InspectorFact(active=True, serves_kommun=True))


def test_a_visit_is_booked_for_a_time_still_to_come() -> None:
    moment = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    facts = CaseFacts(
        points=POINTS, not_applicable=NotApplicableFacts(cash_free=False), today=TODAY, now=moment
    )
    inspector = InspectorFact(active=True, serves_kommun=True)
    for state in ("submitted", "scheduled"):
        with pytest.raises(RuleNotMet, match="har redan passerat"):
            decide(state, "assign", facts=facts, inspector=inspector, visit_at=moment - timedelta(minutes=1))
        ahead = moment + timedelta(minutes=1)
        assert decide(state, "assign", facts=facts, inspector=inspector, visit_at=ahead) == "scheduled"


def test_readme_shows_the_current_workflow_diagram() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    diagram = MermaidGraphMachine(CaseWorkflow).get_mermaid().strip()
    assert f"```mermaid\n{diagram}\n```" in readme, "regenerate with: certify diagram"


def test_refusals_agree_with_the_number_of_points() -> None:
    """One point is "underkänd", two are "underkända" (and so for every refusal)."""
    context = _context("require_corrections")
    with pytest.raises(RuleNotMet) as one:
        decide("scheduled", "approve", **context)
    assert one.value.message == "Kan inte godkänna: punkt 4 är underkänd."
    facts = context["facts"]
    assert isinstance(facts, CaseFacts)
    two = dict(
        context, facts=dataclasses.replace(facts, verdicts={**facts.verdicts, 9: VerdictFact("fail", "x")})
    )
    with pytest.raises(RuleNotMet) as many:
        decide("scheduled", "approve", **two)
    assert many.value.message == "Kan inte godkänna: punkterna 4, 9 är underkända."
