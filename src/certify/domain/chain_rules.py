"""The rules of a chain case (kedjebesiktning) as pure functions: each returns what stops a step.

A chain case is handled by one kommun for the chain's member shops in that kommun. It holds the
chain's central documentation (judged against the central points), the chain's own internal audit
of every member shop (the condition for sampling at all), and the sample of shops the inspector
visits (domain/chain_sample.py). The rules follow the multi-site schemes (IAF MD 1; the French
arrêté of 25 November 2011, art. 12–13):

- submitting needs members, central documentation and an internal audit of every point at every
  member;
- a failed point at a sampled shop (or a failed central point) means corrections: the chain fixes it
  and declares for every member whether the same deficiency exists there (the systemic check)
  before the corrections can be reported; the sample is then enlarged (chain_sample.enlarge);
- a deficiency the inspector marks serious ("allvarlig brist") holds the whole case until every
  member has evidence that the point is fixed and the inspector has judged it;
- approval needs every point of every sampled shop and every central point judged and passed (or
  not applicable), no serious deficiency open, and, after a failure, the enlarged sample judged.

The words are the text layer's; here each problem is a stable code with the shops and points it
concerns, so an API refusal can name the shop (422).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from certify.domain.chain_sample import Sampled, SampleReason
from certify.domain.status import VerdictValue

CENTRAL_POINTS = frozenset({1, 2, 11, 12, 13})
"""Judged on the chain's central documentation unless the kommun marks others: the security officer,
training, routines, cash transports and the care of robbery victims are the chain's, not a shop's."""


@dataclass(frozen=True, slots=True)
class ChainProblem:
    code: str
    shops: tuple[int, ...] = ()
    points: tuple[int, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {"code": self.code, "shops": list(self.shops), "points": list(self.points)}


@dataclass(frozen=True, slots=True)
class ChainFacts:
    """What the rules know of one chain case in its current round."""

    members: frozenset[int]  # the member shops (business ids) the case covers
    points: tuple[int, ...]  # the case's checklist points, local points included
    central_points: frozenset[int] = CENTRAL_POINTS
    audits: Mapping[int, frozenset[int]] = field(default_factory=dict)  # member → points audited
    central_documents: int = 0  # files of central documentation in the case
    sample: tuple[Sampled, ...] = ()
    verdicts: Mapping[int, Mapping[int, str]] = field(default_factory=dict)  # sampled shop → point → verdict
    central_verdicts: Mapping[int, str] = field(default_factory=dict)  # central point → verdict
    serious: frozenset[int] = frozenset()  # points marked as a serious deficiency, not yet released
    fixed: Mapping[int, frozenset[int]] = field(default_factory=dict)  # serious point → members fixed
    systemic: Mapping[int, frozenset[int]] = field(default_factory=dict)  # failed point → members declared
    failed_before: bool = False  # a failure in an earlier round: the sample must have been enlarged

    @property
    def shop_points(self) -> tuple[int, ...]:
        """The points judged at each sampled shop (the central ones are judged once, centrally)."""
        return tuple(p for p in self.points if p not in self.central_points)


def _sorted(values: set[int] | frozenset[int]) -> tuple[int, ...]:
    return tuple(sorted(values))


def submit_problems(facts: ChainFacts) -> list[ChainProblem]:
    """What stops the chain from sending the case to the kommun."""
    if not facts.members:
        return [ChainProblem("chain_no_members")]
    problems: list[ChainProblem] = []
    wanted = set(facts.points)
    unaudited = {m for m in facts.members if not wanted <= facts.audits.get(m, frozenset())}
    if unaudited:
        problems.append(ChainProblem("member_audit_missing", shops=_sorted(unaudited)))
    if facts.central_documents == 0:
        problems.append(ChainProblem("central_documentation_missing"))
    return problems


def failures(facts: ChainFacts) -> tuple[dict[int, tuple[int, ...]], tuple[int, ...]]:
    """The failed points at each sampled shop, and the failed central points."""
    at_shops = {
        shop: tuple(sorted(p for p, v in verdicts.items() if v == VerdictValue.failed.value))
        for shop, verdicts in facts.verdicts.items()
    }
    central = tuple(sorted(p for p, v in facts.central_verdicts.items() if v == VerdictValue.failed.value))
    return {shop: points for shop, points in at_shops.items() if points}, central


def failed_points(facts: ChainFacts) -> frozenset[int]:
    at_shops, central = failures(facts)
    return frozenset(p for points in at_shops.values() for p in points) | frozenset(central)


def require_corrections_problems(facts: ChainFacts) -> list[ChainProblem]:
    if not failed_points(facts):
        return [ChainProblem("nothing_failed")]
    return []


def report_corrections_problems(facts: ChainFacts) -> list[ChainProblem]:
    """The chain reports its corrections only with the systemic check done: for every failed point,
    a declaration for every member whether the same deficiency exists there."""
    problems = []
    for point in sorted(failed_points(facts)):
        undeclared = facts.members - facts.systemic.get(point, frozenset())
        if undeclared:
            problems.append(
                ChainProblem("systemic_check_missing", shops=_sorted(undeclared), points=(point,))
            )
    return problems


def hold_problems(facts: ChainFacts) -> list[ChainProblem]:
    return [] if facts.serious else [ChainProblem("no_serious_deficiency")]


def release_problems(facts: ChainFacts) -> list[ChainProblem]:
    """A held case goes on only when every member has judged evidence for every serious point."""
    problems = []
    for point in sorted(facts.serious):
        missing = facts.members - facts.fixed.get(point, frozenset())
        if missing:
            problems.append(ChainProblem("serious_deficiency_open", shops=_sorted(missing), points=(point,)))
    return problems


def approve_problems(facts: ChainFacts) -> list[ChainProblem]:
    """What stops the inspector from approving the chain case."""
    problems: list[ChainProblem] = []
    if not facts.sample:
        problems.append(ChainProblem("no_sample"))
    unjudged = {
        entry.business
        for entry in facts.sample
        if any(p not in facts.verdicts.get(entry.business, {}) for p in facts.shop_points)
    }
    if unjudged:
        problems.append(ChainProblem("sample_not_judged", shops=_sorted(unjudged)))
    central_unjudged = {
        p for p in facts.points if p in facts.central_points and p not in facts.central_verdicts
    }
    if central_unjudged:
        problems.append(ChainProblem("central_not_judged", points=_sorted(central_unjudged)))
    at_shops, central = failures(facts)
    if at_shops:
        problems.append(
            ChainProblem(
                "sample_failed",
                shops=_sorted(set(at_shops)),
                points=_sorted({p for points in at_shops.values() for p in points}),
            )
        )
    if central:
        problems.append(ChainProblem("central_failed", points=central))
    problems.extend(release_problems(facts))
    if facts.failed_before and not any(e.reason is SampleReason.enlarged for e in facts.sample):
        problems.append(ChainProblem("sample_not_enlarged"))
    return problems
