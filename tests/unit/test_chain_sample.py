"""The chain sample's rules: its size, its random part, its risk order and what the kommun may change."""

from __future__ import annotations

from datetime import date

import pytest

from certify.domain.chain_sample import (
    MemberFacts,
    SampleReason,
    SampleRefusal,
    SampleRefused,
    add,
    draw,
    enlarge,
    random_part,
    remove,
    sample_size,
)


@pytest.mark.parametrize(
    ("members", "first", "again"),
    [
        (1, 1, 1),
        (2, 1, 1),
        (4, 1, 1),
        (5, 2, 2),
        (12, 3, 3),
        (13, 4, 3),  # √13 = 3.61; 0.8·√13 = 2.88
        (16, 4, 4),  # √16 = 4; 0.8·4 = 3.2
        (100, 10, 8),
        (400, 20, 16),
    ],
)
def test_sample_size_follows_the_multi_site_rule(members: int, first: int, again: int) -> None:
    assert sample_size(members, renewal=False) == first
    assert sample_size(members, renewal=True) == again


def test_a_chain_without_members_has_no_sample() -> None:
    with pytest.raises(SampleRefused) as refused:
        sample_size(0, renewal=False)
    assert refused.value.reason is SampleRefusal.no_members


def _members(count: int) -> list[MemberFacts]:
    return [MemberFacts(business=100 + index, last_inspected=date(2025, 1, 1)) for index in range(count)]


@pytest.mark.parametrize("count", [1, 2, 4, 12, 13, 16, 100, 400])
def test_at_least_a_quarter_of_the_sample_is_random(count: int) -> None:
    sample = draw(_members(count), "seed-1", renewal=False)
    assert len(sample) == sample_size(count, renewal=False)
    randomly = [entry for entry in sample if entry.reason is SampleReason.random]
    assert len(randomly) >= random_part(len(sample)) >= len(sample) / 4
    assert len({entry.business for entry in sample}) == len(sample)


def test_the_same_seed_draws_the_same_shops_and_another_seed_others() -> None:
    members = _members(400)
    first = draw(members, "KS 2026/00042", renewal=False)
    assert draw(list(reversed(members)), "KS 2026/00042", renewal=False) == first
    assert draw(members, "another seed", renewal=False) != first


def test_the_rest_follows_the_risk_order() -> None:
    # 16 members: a sample of 4, one drawn at random, three by risk.
    members = [
        MemberFacts(business=1, last_inspected=None),
        MemberFacts(business=2, last_inspected=date(2025, 6, 1), failed_points_last_time=1),
        MemberFacts(business=3, last_inspected=date(2025, 6, 1), failed_points_last_time=3),
        MemberFacts(business=4, last_inspected=date(2019, 1, 1)),
    ] + [MemberFacts(business=10 + index, last_inspected=date(2025, 9, 1)) for index in range(12)]
    sample = draw(members, "risk", renewal=False)
    randomly = {entry.business for entry in sample if entry.reason is SampleReason.random}
    assert len(randomly) == 1
    expected = [
        (1, SampleReason.never_inspected),
        (3, SampleReason.failed_last_time),
        (2, SampleReason.failed_last_time),
        (4, SampleReason.longest_since_inspection),
    ]
    by_risk = [(entry.business, entry.reason) for entry in sample if entry.reason is not SampleReason.random]
    assert by_risk == [pair for pair in expected if pair[0] not in randomly][:3]


def test_a_renewal_prefers_shops_not_visited_last_time() -> None:
    members = [
        MemberFacts(business=index, last_inspected=date(2025, 1, 1), visited_last_time=index < 8)
        for index in range(16)
    ]
    sample = draw(members, "renewal", renewal=True)
    by_risk = [entry.business for entry in sample if entry.reason is not SampleReason.random]
    assert by_risk and all(business >= 8 for business in by_risk)


def test_the_kommun_may_add_shops_but_never_remove_drawn_ones() -> None:
    members = _members(16)
    sample = draw(members, "kommun", renewal=False)
    outside = next(m.business for m in members if m.business not in {e.business for e in sample})
    added = add(sample, members, outside)
    assert added[-1].business == outside and added[-1].reason is SampleReason.added_by_kommun
    for entry in sample:
        with pytest.raises(SampleRefused) as refused:
            remove(added, entry.business)
        assert refused.value.reason is SampleRefusal.drawn_shop_stays
    assert remove(added, outside) == sample
    with pytest.raises(SampleRefused) as twice:
        add(added, members, outside)
    assert twice.value.reason is SampleRefusal.already_sampled
    with pytest.raises(SampleRefused) as stranger:
        add(sample, members, 999_999)
    assert stranger.value.reason is SampleRefusal.not_a_member


def test_a_failure_enlarges_the_sample_by_its_size_at_random_repeatably() -> None:
    members = _members(16)
    sample = draw(members, "enlarge", renewal=False)
    larger = enlarge(sample, members, "enlarge", renewal=False, round_=1)
    assert larger[: len(sample)] == sample
    new = larger[len(sample) :]
    assert len(new) == len(sample)
    assert all(entry.reason is SampleReason.enlarged for entry in new)
    assert not {entry.business for entry in new} & {entry.business for entry in sample}
    assert enlarge(sample, members, "enlarge", renewal=False, round_=1) == larger


def test_enlarging_stops_at_the_last_member() -> None:
    members = _members(4)
    sample = draw(members, "small", renewal=False)
    everyone = enlarge(sample, members, "small", renewal=False, round_=1)
    everyone = enlarge(everyone, members, "small", renewal=False, round_=2)
    everyone = enlarge(everyone, members, "small", renewal=False, round_=3)
    assert sorted(entry.business for entry in everyone) == [m.business for m in members]
    assert enlarge(everyone, members, "small", renewal=False, round_=4) == everyone
