"""Concurrent requests and failures part-way: one winner, nothing half-written."""

from __future__ import annotations

import asyncio

from certify.tables import Application, Certificate, Event, Kommun
from tests.conftest import World
from tests.integration.scenario import Scenario, ok


async def test_twenty_concurrent_approvals_issue_exactly_one_certificate(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("scheduled")
    await s.judge_all()
    inspectors = [await world.login(s.inspector_id) for _ in range(20)]

    responses = await asyncio.gather(*(s.act(client, "approve") for client in inspectors))

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * 19, statuses
    assert await Certificate.count().where(Certificate.application == s.case_id).run() == 1
    certified_events = (
        await Event.count().where((Event.application == s.case_id) & (Event.to_state == "certified")).run()
    )
    assert certified_events == 1
    assert (await s.case())["state"] == "certified"


async def test_the_first_approvals_of_a_year_in_a_kommun_all_get_numbers(world: World) -> None:
    """No certificate number row exists yet for the kommun and year: concurrent approvals of
    different cases must not collide on creating it (each gets the next number, none a 409)."""
    first = await Scenario.create(world)
    cases = [first] + [await Scenario.create_in(world, first) for _ in range(5)]
    for case in cases:
        await case.to_state("scheduled")
        await case.judge_all()

    responses = await asyncio.gather(*(case.act(case.inspector, "approve") for case in cases))

    assert [r.status_code for r in responses] == [200] * len(cases), [r.text for r in responses]
    serials = sorted(int(r.json()["certificate"]["number"].rsplit("-", 1)[1]) for r in responses)
    assert serials == list(range(1, len(cases) + 1))


async def test_concurrent_answers_to_one_point_keep_one_row(world: World) -> None:
    s = await Scenario.create(world)
    owners = [await world.login(s.owner_id) for _ in range(8)]
    responses = await asyncio.gather(
        *(
            c.put(f"/api/applications/{s.case_id}/answers/1", json={"status": "fulfilled", "comment": str(i)})
            for i, c in enumerate(owners)
        )
    )
    assert {r.status_code for r in responses} <= {200, 409}
    case = await s.case()
    assert [a["point"] for a in case["answers"]] == [1]


async def test_a_failure_after_the_state_update_leaves_the_old_state_and_no_certificate(
    world: World,
) -> None:
    """Inject a real failure inside the approve transaction: the certificate number it will
    allocate is already taken, so the insert fails after the case row was updated."""
    s = await Scenario.create(world)
    case = await s.to_state("scheduled")
    await s.judge_all()
    before = await s.case()
    kommun = await Kommun.select(Kommun.id).first().run()
    assert kommun is not None
    other = await Scenario.create_in(world, s)
    await other.to_state("scheduled")
    await other.judge_all()
    first = await ok(await other.act(other.inspector, "approve"))
    taken = first["certificate"]["number"]
    # Make the sequence hand out the taken number again.
    from certify.tables import CertificateSequence

    await CertificateSequence.update({CertificateSequence.last_number: 0}, force=True).run()

    refused = await s.act(s.inspector, "approve")

    assert refused.status_code == 409, refused.text
    after = await s.case()
    assert after["state"] == "scheduled" and after["version"] == before["version"]
    assert after["certificate"] is None
    assert await Certificate.count().where(Certificate.application == s.case_id).run() == 0
    assert (
        await Event.count().where((Event.application == s.case_id) & (Event.action == "approve")).run() == 0
    )
    assert await Certificate.count().where(Certificate.number == taken).run() == 1
    assert case["id"] == s.case_id
    row = await Application.select(Application.state).where(Application.id == s.case_id).first().run()
    assert row == {"state": "scheduled"}
