"""The rules for judging a point criterion by criterion (domain/rules.py), on version 2026.2's
point 7: the owner's answer follows from the marks; a fail names what is not met; advice never
fails a point."""

from __future__ import annotations

import ast
import inspect

from certify.domain import rules
from certify.domain.checklist import criteria_named, load_checklist
from certify.domain.rules import CriteriaProblem, answer_from_criteria, failed_criteria_problem
from certify.domain.status import AnswerStatus, CriterionMark, VerdictValue
from certify.text.errors import ERRORS, text_for

SEVEN = load_checklist("checklist_v2.json").points[6].criteria
MET, NOT_MET, NA = CriterionMark.met, CriterionMark.not_met, CriterionMark.not_applicable
NO_ALARM = {"7.1": MET, "7.2": MET, "7.4": NA, "7.5": NA, "7.6": NA}


def test_an_independent_phone_and_no_alarm_fulfils_point_7() -> None:
    assert answer_from_criteria(SEVEN, None, {**NO_ALARM, "7.3": NOT_MET}) == (AnswerStatus.fulfilled, None)


def test_a_phone_on_the_shops_own_line_or_a_loud_alarm_does_not() -> None:
    own_line = {**NO_ALARM, "7.2": NOT_MET}
    assert answer_from_criteria(SEVEN, None, own_line) == (AnswerStatus.not_fulfilled, None)
    loud = {"7.1": MET, "7.2": MET, "7.3": MET, "7.4": MET, "7.5": NOT_MET, "7.6": MET}
    assert answer_from_criteria(SEVEN, None, loud) == (AnswerStatus.not_fulfilled, None)
    assert answer_from_criteria(SEVEN, AnswerStatus.fulfilled, own_line) == (
        None,
        CriteriaProblem("answer_contradicts_criteria", ("7.2",)),
    )


def test_a_status_alone_speaks_for_the_criteria() -> None:
    assert answer_from_criteria(SEVEN, AnswerStatus.fulfilled, {}) == (AnswerStatus.fulfilled, None)
    assert answer_from_criteria(SEVEN, AnswerStatus.not_fulfilled, {"7.1": MET}) == (
        AnswerStatus.not_fulfilled,
        None,
    )
    assert answer_from_criteria(SEVEN, None, {"7.1": MET}) == (
        None,
        CriteriaProblem("criteria_unmarked", ("7.2", "7.4", "7.5", "7.6")),
    )
    assert answer_from_criteria(SEVEN, None, {**NO_ALARM, "7.1": NA})[1] == CriteriaProblem(
        "criterion_always_applies", ("7.1",)
    )
    unknown = answer_from_criteria(SEVEN, None, {"7.9": MET})
    assert unknown == (None, CriteriaProblem("criterion_unknown", ("7.9",)))


def test_a_fail_names_what_is_not_met_and_never_advice() -> None:
    fail = VerdictValue.failed
    assert failed_criteria_problem(SEVEN, fail, ["7.2"], named=True) is None
    assert failed_criteria_problem(SEVEN, fail, ["7.5"], named=True) is None  # a conditional one
    assert failed_criteria_problem(SEVEN, fail, [], named=True) == CriteriaProblem("failed_criteria_missing")
    assert failed_criteria_problem(SEVEN, fail, [], named=False) is None  # 2026.1
    for advice in ("7.3", "7.7"):
        assert failed_criteria_problem(SEVEN, fail, ["7.1", advice], named=True) == CriteriaProblem(
            "criterion_recommended", (advice,)
        )
    assert failed_criteria_problem(SEVEN, VerdictValue.passed, ["7.1"], named=True) == CriteriaProblem(
        "failed_criteria_without_fail", ("7.1",)
    )


def test_only_version_2026_2_names_its_criteria() -> None:
    assert criteria_named([{"id": "7.1", "kind": "required", "text": "x"}])
    assert not criteria_named(["Det finns en extra telefon."]) and not criteria_named([])


def test_every_criteria_problem_is_worded_with_its_values() -> None:
    tree = ast.parse(inspect.getsource(rules))
    codes = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "CriteriaProblem"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    assert len(codes) == 7
    for code in codes:
        assert code in ERRORS and "{" not in text_for(code, point=7, criteria="7.2"), code
