"""The case read an instance remembers (services.case_cache) is never stale and never outlives the
caller's access: every change to what the read shows, by any writer and on any instance sharing
the database, shows on the next read; a caller who lost a case gets 404 at once."""

from __future__ import annotations

from typing import Any

import pytest

from certify.domain.status import Role
from certify.services.case_cache import CaseCache
from certify.tables import Account, InspectorKommun, Representative
from tests.conftest import World
from tests.integration.scenario import Scenario, future_deadline, ok, visit_time
from tests.integration.test_sessions import client_of, running

COOKIE = "certify_session"
pytestmark = pytest.mark.filterwarnings("ignore:.*A pool already exists", "ignore:.*No pool is running")


def _remembered(application: Any) -> int:
    cache: CaseCache = application.state.case_cache
    return len(cache)


async def test_each_kind_of_change_shows_on_the_next_read(world: World, app: Any) -> None:
    s = await Scenario.create(world)
    read = await s.case()
    assert read["answers"] == [] and _remembered(app) >= 1, "the read is remembered"
    assert (await s.case()) == read

    await ok(await s.answer(1, comment="Kassan töms varje kväll."))
    answers = (await s.case())["answers"]
    assert [(a["point"], a["comment"]) for a in answers] == [(1, "Kassan töms varje kväll.")]

    await ok(await s.owner.patch(f"/api/businesses/{s.business_id}", json={"name": "Nytt Namn AB"}))
    assert (await s.case())["business_name"] == "Nytt Namn AB"

    await s.answer_all()
    await ok(await s.act(s.owner, "submit"))
    assert (await s.case())["state"] == "submitted"

    await ok(await s.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=visit_time()))
    assigned = await s.case()
    assert assigned["state"] == "scheduled" and assigned["inspector_id"] == s.inspector_id
    await Account.update({Account.name: "Inspektör Omdöpt"}).where(Account.id == s.inspector_id).run()
    assert (await s.case())["inspector_name"] == "Inspektör Omdöpt"

    await ok(await s.verdict(2, "fail", "Larmet saknas.", ["2.1"]))
    assert [(v["point"], v["verdict"]) for v in (await s.case())["verdicts"]] == [(2, "fail")]

    other_owner = await world.user(Role.owner, name="Ombud Andersson")
    agent = Representative(business=s.business_id, account=other_owner, basis="agent")
    await Representative.insert(agent).run()
    assert "Ombud Andersson" in {r["name"] for r in (await s.case())["representatives"]}

    await s.judge_all()
    await ok(await s.act(s.inspector, "approve"))
    certified = await s.case()
    assert certified["state"] == "certified" and certified["certificate"]["status"] == "valid"
    await ok(await s.act(s.kommun, "revoke", reason="Butiken har flyttat."))
    assert (await s.case())["certificate"]["status"] == "revoked"


async def test_a_caller_who_lost_the_case_is_not_served_it_from_memory(world: World, app: Any) -> None:
    s = await Scenario.create(world)
    await s.answer_all()
    await ok(await s.act(s.owner, "submit"))
    await ok(await s.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=visit_time()))
    await s.case(s.inspector)
    await s.case(s.owner)
    assert _remembered(app) >= 2

    # Unassigned: the inspector no longer sees the case.
    await ok(await s.act(s.kommun, "unassign"))
    assert (await s.inspector.get(f"/api/applications/{s.case_id}")).status_code == 404

    # Assigned again, then the inspector no longer serves the kommun.
    await ok(await s.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=visit_time()))
    await s.case(s.inspector)
    await InspectorKommun.delete().where(InspectorKommun.inspector == s.inspector_id).run()
    assert (await s.inspector.get(f"/api/applications/{s.case_id}")).status_code == 404

    # The owner no longer represents the shop.
    await Representative.delete().where(Representative.account == s.owner_id).run()
    assert (await s.owner.get(f"/api/applications/{s.case_id}")).status_code == 404


async def test_another_instance_sees_a_change_made_here_at_once(
    world: World, app: Any, settings: Any
) -> None:
    """Instance A remembers the read; instance B (here: the test's app) writes; A's next read
    shows the change, with no wait."""
    s = await Scenario.create(world)
    cookie = s.kommun.cookies[COOKIE]
    async with running(settings) as instance_a, client_of(instance_a, cookie) as there:
        path = f"/api/applications/{s.case_id}"
        first = await ok(await there.get(path))
        assert first["state"] == "draft" and _remembered(instance_a) == 1
        assert await ok(await there.get(path)) == first

        await ok(await s.answer(3, comment="Skylt uppsatt."))
        assert [a["point"] for a in (await ok(await there.get(path)))["answers"]] == [3]

        await s.answer_all()
        await ok(await s.act(s.owner, "submit"))
        await ok(await s.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=visit_time()))
        await s.judge_all(fail={4})
        await ok(await s.act(s.inspector, "require_corrections", deadline=future_deadline()))
        seen = await ok(await there.get(path))
        assert seen["state"] == "corrections_required" and len(seen["verdicts"]) == 13

        await ok(await s.owner.patch(f"/api/businesses/{s.business_id}", json={"name": "Annat Namn AB"}))
        assert (await ok(await there.get(path)))["business_name"] == "Annat Namn AB"
