"""The guard rules answer with codes and points (what is missing), never with words; the text layer
words them, agreeing in number with the points."""

from __future__ import annotations

import ast
import inspect
from datetime import UTC, date, datetime, timedelta

import pytest

from certify.domain import rules
from certify.domain.errors import ActionRefused
from certify.domain.rules import (
    AnswerFact,
    CaseFacts,
    InspectorFact,
    NotApplicableFacts,
    Problem,
    VerdictFact,
)
from certify.domain.workflow import decide
from certify.text import catalogue
from certify.text.problems import PROBLEM_CODES, problem_text

POINTS = tuple(range(1, 14))  # a case on a national checklist: the 13 points
TODAY = date(2026, 11, 25)
# A cash-free shop on a version that marks the cash points as possibly not applicable.
CASH_FREE = NotApplicableFacts(cash_free=True, cash_related=frozenset({3, 4, 5, 6, 12}))
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _facts(
    answers: dict[int, AnswerFact] | None = None,
    verdicts: dict[int, VerdictFact] | None = None,
    *,
    cash_free: bool = False,
) -> CaseFacts:
    return CaseFacts(
        points=POINTS,
        not_applicable=CASH_FREE if cash_free else NotApplicableFacts(cash_free=False),
        today=TODAY,
        answers=answers or {},
        verdicts=verdicts or {},
    )


def _all(status: str = "fulfilled") -> dict[int, AnswerFact]:
    return {p: AnswerFact(status) for p in range(1, 14)}


def _judged(verdict: str = "pass") -> dict[int, VerdictFact]:
    return {p: VerdictFact(verdict) for p in range(1, 14)}


def test_submit_names_each_kind_of_gap_with_its_points() -> None:
    answers = _all()
    del answers[2], answers[7]
    answers[1] = AnswerFact("not_fulfilled")
    answers[8] = AnswerFact("not_applicable", "Vi har ingen kassa.")
    answers[4] = AnswerFact("not_applicable")
    assert rules.submit_problems(_facts(answers, cash_free=True)) == [
        Problem("points_unanswered", (2, 7)),
        Problem("points_not_fulfilled", (1,)),
        Problem("not_applicable_not_allowed", (8,)),
        Problem("not_applicable_without_comment", (4,)),
    ]
    assert rules.submit_problems(_facts(_all())) == []


def test_approve_and_corrections_name_unjudged_and_failed_points() -> None:
    verdicts = _judged()
    del verdicts[13]
    verdicts[4] = VerdictFact("fail", "Sedelbox saknas.")
    verdicts[9] = VerdictFact("fail", "Saknas.")
    verdicts[5] = VerdictFact("not_applicable")
    assert rules.approve_problems(_facts(verdicts=verdicts, cash_free=True)) == [
        Problem("points_not_judged", (13,)),
        Problem("points_failed", (4, 9)),
        Problem("not_applicable_without_remark", (5,)),
    ]
    assert rules.require_corrections_problems(_facts(verdicts=_judged()), None) == [
        Problem("no_point_failed"),
        Problem("deadline_missing"),
    ]
    assert rules.require_corrections_problems(_facts(verdicts=verdicts), TODAY) == [
        Problem("points_not_judged", (13,)),
        Problem("deadline_not_in_future"),
    ]


def test_assigning_names_the_inspector_and_the_visit() -> None:
    past = NOW - timedelta(hours=1)
    assert rules.assign_problems(None, None, NOW) == [
        Problem("inspector_not_found"),
        Problem("visit_time_missing"),
    ]
    assert rules.assign_problems(InspectorFact(active=False, serves_kommun=True), past, NOW) == [
        Problem("inspector_inactive"),
        Problem("visit_in_past"),
    ]
    assert rules.assign_problems(
        InspectorFact(active=True, serves_kommun=False), NOW + timedelta(days=1), NOW
    ) == [Problem("inspector_not_in_kommun")]
    assert rules.reason_problems("  ") == [Problem("reason_missing")]
    valid = CaseFacts(
        points=POINTS, not_applicable=NotApplicableFacts(cash_free=False), today=TODAY, valid_until=TODAY
    )
    assert rules.expire_problems(valid) == [Problem("certificate_still_valid")]


def test_a_refused_action_carries_its_problems_and_the_first_code() -> None:
    answers = _all()
    answers[6] = AnswerFact("not_fulfilled")
    del answers[1]
    with pytest.raises(ActionRefused) as refused:
        decide("draft", "submit", facts=_facts(answers))
    assert refused.value.code == "points_unanswered"
    assert refused.value.action == "submit"
    assert refused.value.extra["problems"] == [
        {"code": "points_unanswered", "points": [1]},
        {"code": "points_not_fulfilled", "points": [6]},
    ]


@pytest.mark.parametrize("code", PROBLEM_CODES)
def test_every_problem_code_has_words(code: str) -> None:
    assert problem_text(Problem(code, (4,))).strip()


def test_every_problem_the_rules_can_answer_has_words() -> None:
    """A code the rules return without a text would fail while its refusal is being worded."""
    tree = ast.parse(inspect.getsource(rules))
    returned = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "Problem"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    assert len(returned) > 10, "the scan finds the rules' problems"
    assert returned <= set(PROBLEM_CODES), sorted(returned - set(PROBLEM_CODES))


def test_the_swedish_words_agree_in_number_with_the_points() -> None:
    with catalogue.use("sv"):
        assert problem_text(Problem("points_not_fulfilled", (1,))) == "punkt 1 är inte uppfylld"
        assert problem_text(Problem("points_not_fulfilled", (1, 2))) == "punkterna 1, 2 är inte uppfyllda"
        assert problem_text(Problem("points_unanswered", (3,))) == "punkt 3 är inte besvarad"
        assert problem_text(Problem("points_failed", (4, 9))) == "punkterna 4, 9 är underkända"


def test_the_rules_count_the_cases_own_points_local_ones_included() -> None:
    """A case on a kommun's version with a 14th point: 13 answers and verdicts are not enough."""
    answers = {p: AnswerFact("fulfilled") for p in POINTS}
    verdicts = {p: VerdictFact("pass") for p in POINTS}
    facts = CaseFacts(
        points=(*POINTS, 14),
        not_applicable=NotApplicableFacts(cash_free=False),
        today=TODAY,
        answers=answers,
        verdicts=verdicts,
    )
    assert rules.submit_problems(facts) == [Problem("points_unanswered", (14,))]
    assert rules.approve_problems(facts) == [Problem("points_not_judged", (14,))]
    national = CaseFacts(
        points=POINTS,
        not_applicable=NotApplicableFacts(cash_free=False),
        today=TODAY,
        answers=answers,
        verdicts=verdicts,
    )
    assert rules.submit_problems(national) == [] and rules.approve_problems(national) == []
