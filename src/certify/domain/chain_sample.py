"""The sample of a chain's member shops that the inspector visits (kedjebesiktning, stickprov).

The programme lets a chain be approved "through sample inspections of a number of shops together
with the chain's own documentation". How many and which shops follows the rules of established
multi-site schemes: IAF MD 1 (multi-site ISO certification) and the French arrêté of 25 November
2011, art. 12–13, which writes the same rules into law:

- size: 2–12 member shops → a quarter, rounded up; more than 12 → ⌈√n⌉ at a first certification and
  ⌈0.8·√n⌉ at a renewal; never fewer than one;
- at least a quarter of the sample (rounded up) is drawn at random, from a seed recorded with the
  case, so anyone can draw it again and get the same shops;
- the rest is chosen by risk: shops never inspected, then shops with failed points at their last
  inspection (most failed first), then the longest since an inspection; a renewal prefers shops not
  visited last time;
- the kommun may add shops, never remove drawn ones;
- a failed point at a sampled shop enlarges the sample by its first size again, drawn at random.

Pure: member facts in, the sample with a reason per shop out. The draw is Python's
`random.Random(seed).sample(sorted member ids, k)`: stable across Python versions for a text seed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from math import isqrt


class SampleReason(StrEnum):
    """Why a shop is in the sample; shown beside it to the kommun and the inspector."""

    random = "random"
    never_inspected = "never_inspected"
    failed_last_time = "failed_last_time"
    longest_since_inspection = "longest_since_inspection"
    added_by_kommun = "added_by_kommun"
    enlarged = "enlarged"  # drawn at random after a failed point at a sampled shop


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """What the risk order knows of one member shop."""

    business: int
    last_inspected: date | None = None  # None: never inspected
    failed_points_last_time: int = 0
    visited_last_time: bool = False  # sampled in the chain's previous case in this kommun


@dataclass(frozen=True, slots=True)
class Sampled:
    business: int
    reason: SampleReason


class SampleRefusal(StrEnum):
    no_members = "no_members"
    not_a_member = "not_a_member"
    already_sampled = "already_sampled"
    drawn_shop_stays = "drawn_shop_stays"


class SampleRefused(Exception):
    """A change to the sample that the rules do not allow; the reason is a code for the text layer."""

    def __init__(self, reason: SampleRefusal, business: int | None = None) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.business = business


def _ceil_div(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


def sample_size(members: int, *, renewal: bool) -> int:
    """How many member shops the inspector visits. Exact integer arithmetic: ⌈√n⌉ is the smallest
    k with k² ≥ n, and ⌈0.8·√n⌉ the smallest k with 25·k² ≥ 16·n."""
    if members < 1:
        raise SampleRefused(SampleRefusal.no_members)
    if members <= 12:
        return max(1, _ceil_div(members, 4))
    scaled = 16 * members if renewal else members
    scale = 25 if renewal else 1
    k = isqrt(scaled // scale)
    while scale * k * k < scaled:
        k += 1
    return max(1, k)


def random_part(size: int) -> int:
    """The smallest number of shops of a sample that must be drawn at random: a quarter, rounded up."""
    return _ceil_div(size, 4)


def _risk_key(member: MemberFacts, *, renewal: bool) -> tuple[int, int, int, int, int]:
    """Sorts the riskiest first: (on a renewal) not visited last time, never inspected, most failed
    points last time, longest since an inspection; the shop's id breaks ties so the order is stable."""
    seen = 1 if renewal and member.visited_last_time else 0
    never = 0 if member.last_inspected is None else 1
    since = member.last_inspected.toordinal() if member.last_inspected else 0
    return (seen, never, -member.failed_points_last_time, since, member.business)


def _risk_reason(member: MemberFacts) -> SampleReason:
    if member.last_inspected is None:
        return SampleReason.never_inspected
    if member.failed_points_last_time:
        return SampleReason.failed_last_time
    return SampleReason.longest_since_inspection


def draw(members: Sequence[MemberFacts], seed: str, *, renewal: bool) -> list[Sampled]:
    """The sample drawn when the kommun assigns the chain case: the random part first, then the
    rest by risk."""
    size = sample_size(len(members), renewal=renewal)
    ids = sorted(member.business for member in members)
    drawn = random.Random(seed).sample(ids, random_part(size))
    sample = [Sampled(business, SampleReason.random) for business in drawn]
    taken = set(drawn)
    by_risk = sorted(
        (member for member in members if member.business not in taken),
        key=lambda member: _risk_key(member, renewal=renewal),
    )
    for member in by_risk[: size - len(sample)]:
        sample.append(Sampled(member.business, _risk_reason(member)))
    return sample


def add(sample: Sequence[Sampled], members: Sequence[MemberFacts], business: int) -> list[Sampled]:
    """The kommun adds a member shop to the sample."""
    if business not in {member.business for member in members}:
        raise SampleRefused(SampleRefusal.not_a_member, business)
    if business in {entry.business for entry in sample}:
        raise SampleRefused(SampleRefusal.already_sampled, business)
    return [*sample, Sampled(business, SampleReason.added_by_kommun)]


def remove(sample: Sequence[Sampled], business: int) -> list[Sampled]:
    """Only a shop the kommun added may leave the sample again; drawn shops stay."""
    entry = next((entry for entry in sample if entry.business == business), None)
    if entry is None:
        raise SampleRefused(SampleRefusal.not_a_member, business)
    if entry.reason is not SampleReason.added_by_kommun:
        raise SampleRefused(SampleRefusal.drawn_shop_stays, business)
    return [other for other in sample if other.business != business]


def enlarge(
    sample: Sequence[Sampled], members: Sequence[MemberFacts], seed: str, *, renewal: bool, round_: int
) -> list[Sampled]:
    """After a failed point at a sampled shop: the first sample's size again, drawn at random from
    the members not yet sampled (the seed and the round number make the draw repeatable)."""
    size = sample_size(len(members), renewal=renewal)
    taken = {entry.business for entry in sample}
    rest = sorted(member.business for member in members if member.business not in taken)
    drawn = random.Random(f"{seed}:{round_}").sample(rest, min(size, len(rest)))
    return [*sample, *(Sampled(business, SampleReason.enlarged) for business in drawn)]
