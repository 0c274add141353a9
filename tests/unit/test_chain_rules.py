"""The chain case's rules and workflow: what a chain must have done before each step."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from statemachine.contrib.diagram import MermaidGraphMachine

from certify.domain.chain_rules import ChainFacts, approve_problems, report_corrections_problems
from certify.domain.chain_sample import MemberFacts, Sampled, SampleReason, draw, enlarge
from certify.domain.chain_workflow import ChainCaseState, ChainCaseWorkflow, decide
from certify.domain.errors import ActionRefused, InvalidTransition

POINTS = tuple(range(1, 14))
MEMBERS = frozenset(range(100, 116))  # a chain of 16 shops
SHOP_POINTS = (3, 4, 5, 6, 7, 8, 9, 10)


def _audited(**changes: object) -> ChainFacts:
    facts = ChainFacts(
        members=MEMBERS,
        points=POINTS,
        audits={member: frozenset(POINTS) for member in MEMBERS},
        central_documents=2,
    )
    return replace(facts, **changes)  # type: ignore[arg-type]


def _sample() -> tuple[Sampled, ...]:
    return tuple(draw([MemberFacts(m) for m in sorted(MEMBERS)], "seed", renewal=False))


def _judged(sample: tuple[Sampled, ...], fail: dict[int, int] | None = None) -> ChainFacts:
    fail = fail or {}
    verdicts = {
        entry.business: {p: "fail" if fail.get(entry.business) == p else "pass" for p in SHOP_POINTS}
        for entry in sample
    }
    return _audited(
        sample=sample, verdicts=verdicts, central_verdicts={p: "pass" for p in (1, 2, 11, 12, 13)}
    )


def _refusal(state: str, action: str, facts: ChainFacts) -> ActionRefused:
    with pytest.raises(ActionRefused) as refused:
        decide(state, action, facts=facts)
    return refused.value


def test_a_member_without_internal_audit_stops_the_submission_naming_the_shop() -> None:
    audits = {member: frozenset(POINTS) for member in MEMBERS}
    audits[107] = frozenset(POINTS) - {9}
    refusal = _refusal("draft", "submit", _audited(audits=audits))
    assert refusal.extra["problems"] == [{"code": "member_audit_missing", "shops": [107], "points": []}]
    assert decide("draft", "submit", facts=_audited()) == ChainCaseState.submitted


def test_no_central_documentation_or_no_members_stops_the_submission() -> None:
    assert _refusal("draft", "submit", _audited(central_documents=0)).code == "central_documentation_missing"
    assert _refusal("draft", "submit", _audited(members=frozenset())).code == "chain_no_members"


def test_approval_needs_every_sampled_shop_and_central_point_judged_and_passed() -> None:
    sample = _sample()
    assert decide("inspecting", "approve", facts=_judged(sample)) == ChainCaseState.certified
    half = replace(_judged(sample), verdicts={sample[0].business: {p: "pass" for p in SHOP_POINTS}})
    unjudged = _refusal("inspecting", "approve", half)
    assert unjudged.code == "sample_not_judged"
    assert unjudged.extra["problems"][0]["shops"] == sorted(e.business for e in sample[1:])
    central = replace(_judged(sample), central_verdicts={1: "pass", 2: "fail"})
    codes = [p["code"] for p in _refusal("inspecting", "approve", central).extra["problems"]]
    assert codes == ["central_not_judged", "central_failed"]


def test_a_failure_needs_the_systemic_check_of_every_member_and_an_enlarged_sample() -> None:
    sample = _sample()
    failing = _judged(sample, fail={sample[0].business: 7})
    assert _refusal("inspecting", "approve", failing).code == "sample_failed"
    assert decide("inspecting", "require_corrections", facts=failing) == ChainCaseState.corrections_required
    declared = {7: MEMBERS - {111}}
    refusal = _refusal("corrections_required", "report_corrections", replace(failing, systemic=declared))
    assert refusal.extra["problems"] == [{"code": "systemic_check_missing", "shops": [111], "points": [7]}]
    assert report_corrections_problems(replace(failing, systemic={7: MEMBERS})) == []
    after = decide(
        "corrections_required", "report_corrections", facts=replace(failing, systemic={7: MEMBERS})
    )
    assert after == ChainCaseState.inspecting

    # The next round: the shop fixed it, but the sample has not been enlarged yet.
    fixed = replace(_judged(sample), failed_before=True)
    assert _refusal("inspecting", "approve", fixed).code == "sample_not_enlarged"
    members = [MemberFacts(m) for m in sorted(MEMBERS)]
    larger = tuple(enlarge(sample, members, "seed", renewal=False, round_=1))
    assert any(e.reason is SampleReason.enlarged for e in larger)
    assert decide("inspecting", "approve", facts=replace(_judged(larger), failed_before=True)) == "certified"


def test_a_serious_deficiency_holds_the_case_until_every_member_has_shown_the_fix() -> None:
    sample = _sample()
    serious = replace(_judged(sample, fail={sample[0].business: 4}), serious=frozenset({4}))
    assert decide("inspecting", "hold", facts=serious) == ChainCaseState.held
    almost = replace(serious, fixed={4: MEMBERS - {100, 115}})
    refusal = _refusal("held", "release", almost)
    assert refusal.extra["problems"] == [
        {"code": "serious_deficiency_open", "shops": [100, 115], "points": [4]}
    ]
    with pytest.raises(InvalidTransition):
        decide("held", "approve", facts=almost)
    assert decide("held", "release", facts=replace(serious, fixed={4: MEMBERS})) == ChainCaseState.inspecting
    assert "serious_deficiency_open" in [p.code for p in approve_problems(almost)]
    assert _refusal("inspecting", "hold", _judged(sample)).code == "no_serious_deficiency"


def test_a_chain_case_may_be_rejected_while_open_and_withdrawn_before_inspection() -> None:
    for state in ("submitted", "inspecting", "corrections_required", "held"):
        assert decide(state, "reject") == ChainCaseState.rejected
    assert decide("submitted", "withdraw") == ChainCaseState.withdrawn
    with pytest.raises(InvalidTransition):
        decide("inspecting", "withdraw")
    assert decide("certified", "revoke") == ChainCaseState.revoked


def test_readme_shows_the_current_chain_workflow_diagram() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    diagram = MermaidGraphMachine(ChainCaseWorkflow).get_mermaid().strip()
    assert f"```mermaid\n{diagram}\n```" in readme, "regenerate with: certify diagram --chain"
