"""Every row of the transition table over HTTP: the allowed path, each guard's 422, each
illegal source state's 409, and each wrong role's 403 (or 404 when the case is not theirs)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from certify.domain.status import Role
from tests.conftest import World
from tests.integration.scenario import Scenario, future_deadline, ok, visit_time

# action -> (the states it is allowed from, the roles allowed to do it)
TABLE = {
    "submit": ({"draft"}, {"owner"}),
    "assign": ({"submitted", "scheduled"}, {"kommun"}),
    "require_corrections": ({"scheduled"}, {"inspector"}),
    "report_corrections": ({"corrections_required"}, {"owner"}),
    "approve": ({"scheduled"}, {"inspector"}),
    "reject": ({"scheduled", "corrections_required"}, {"inspector", "kommun"}),
    "withdraw": ({"draft", "submitted", "scheduled", "corrections_required"}, {"owner"}),
    "revoke": ({"certified"}, {"kommun"}),
}
REACHABLE = [
    "draft",
    "submitted",
    "scheduled",
    "corrections_required",
    "certified",
    "rejected",
    "withdrawn",
    "revoked",
]


def _body(s: Scenario, action: str) -> dict[str, object]:
    return {
        "assign": {"inspector_id": s.inspector_id, "visit_at": visit_time()},
        "require_corrections": {"deadline": future_deadline()},
        "reject": {"reason": "Skäl"},
        "revoke": {"reason": "Skäl"},
    }.get(action, {})


@pytest.mark.parametrize("state", REACHABLE)
async def test_actions_not_allowed_from_a_state_answer_409_with_the_allowed_ones(
    world: World, state: str
) -> None:
    s = await Scenario.create(world)
    case = await s.to_state(state)
    clients = {"owner": s.owner, "inspector": s.inspector, "kommun": s.kommun}
    for action, (sources, roles) in TABLE.items():
        if state in sources:
            continue
        role = sorted(roles)[0]
        response = await s.act(clients[role], action, **_body(s, action))
        if role == "inspector" and case["inspector_id"] is None:
            assert response.status_code == 404, "an unassigned inspector cannot see the case"
            continue
        assert response.status_code == 409, (action, state, response.text)
        extra = response.json()["extra"]
        assert extra["state"] == state and action not in extra["allowed_actions"]
    after = await s.case()
    assert after["state"] == state and after["version"] == case["version"], "nothing changed"


@pytest.mark.parametrize("action", list(TABLE))
async def test_wrong_roles_get_403_and_change_nothing(world: World, action: str) -> None:
    s = await Scenario.create(world)
    _, roles = TABLE[action]
    state = (
        "certified"
        if action == "revoke"
        else (
            "corrections_required"
            if action == "report_corrections"
            else ("draft" if action == "submit" else "scheduled")
        )
    )
    before = await s.to_state(state)
    clients = {"owner": s.owner, "inspector": s.inspector, "kommun": s.kommun}
    for role, client in clients.items():
        if role in roles:
            continue
        response = await s.act(client, action, **_body(s, action))
        expected = 404 if role == "inspector" and before["inspector_id"] is None else 403
        assert response.status_code == expected, (action, role, response.text)
    assert (await s.case())["version"] == before["version"]


async def test_strangers_get_404(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("scheduled")
    _, other_owner = await world.client_for(Role.owner)
    _, other_inspector = await world.client_for(Role.inspector)
    assert (await s.act(other_owner, "withdraw")).status_code == 404
    assert (await s.act(other_inspector, "approve")).status_code == 404
    assert (await other_owner.get(f"/api/applications/{s.case_id}")).status_code == 404
    assert (await other_owner.get(f"/api/businesses/{s.business_id}")).status_code == 404
    assert (await other_inspector.get(f"/api/applications/{s.case_id}/events")).status_code == 404


async def test_no_session_answers_401(world: World, anonymous) -> None:  # type: ignore[no-untyped-def]
    s = await Scenario.create(world)
    for method, path in [
        ("GET", "/api/me"),
        ("GET", "/api/businesses"),
        ("GET", f"/api/applications/{s.case_id}"),
        ("POST", f"/api/applications/{s.case_id}/submit"),
    ]:
        assert (await anonymous.request(method, path)).status_code == 401


# --- each guard failing with its 422 -------------------------------------------------------


async def test_submit_needs_every_point_answered_and_met(world: World) -> None:
    s = await Scenario.create(world)
    await ok(await s.answer(1))
    await ok(await s.answer(2, "not_fulfilled", "Utbildning bokad i januari"))
    refused = await s.act(s.owner, "submit")
    assert refused.status_code == 422
    detail = refused.json()["detail"]
    assert "punkterna 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 är inte besvarade" in detail
    assert "punkt 2 är inte uppfylld" in detail
    assert (await s.case())["state"] == "draft"


async def test_not_applicable_only_on_cash_points_of_a_cash_free_shop(world: World) -> None:
    s = await Scenario.create(world)
    refused = await s.answer(4, "not_applicable", "Vi har ingen kontanthantering")
    assert refused.status_code == 422 and "Punkt 4" in refused.json()["detail"]

    cash_free = await Scenario.create_in(world, s, cash_free=True)
    await cash_free.answer_all()
    await ok(await cash_free.answer(4, "not_applicable", ""))
    refused = await cash_free.act(cash_free.owner, "submit")
    assert (
        refused.status_code == 422
        and "punkt 4 är ej tillämplig men saknar motivering" in (refused.json()["detail"])
    )
    await ok(await cash_free.answer(4, "not_applicable", "Kontantfri sedan 2024"))
    assert (await ok(await cash_free.act(cash_free.owner, "submit")))["state"] == "submitted"


async def test_assign_guards(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("submitted")
    await world.kommun("2080", "Falu kommun")
    foreign_inspector = await world.user(Role.inspector, ["2080"])
    owner_id = s.owner_id
    cases = [
        ({"inspector_id": foreign_inspector, "visit_at": visit_time()}, "arbetar inte i butikens kommun"),
        ({"inspector_id": owner_id, "visit_at": visit_time()}, "besiktningspersonen finns inte"),
        ({"inspector_id": 99999, "visit_at": visit_time()}, "besiktningspersonen finns inte"),
        ({"inspector_id": s.inspector_id}, "visit_at"),
    ]
    for body, message in cases:
        refused = await s.act(s.kommun, "assign", **body)
        assert refused.status_code == 422 and message in refused.json()["detail"], body
    from certify.tables import Account

    await Account.update({Account.active: False}).where(Account.id == s.inspector_id).run()
    refused = await s.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=visit_time())
    assert refused.status_code == 422 and "inaktiverad" in refused.json()["detail"]
    assert (await s.case())["state"] == "submitted"


async def test_require_corrections_guards(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("scheduled")
    refused = await s.act(s.inspector, "require_corrections", deadline=future_deadline())
    assert refused.status_code == 422 and "saknar bedömning" in refused.json()["detail"]
    await s.judge_all()
    refused = await s.act(s.inspector, "require_corrections", deadline=future_deadline())
    assert refused.status_code == 422 and "ingen punkt är underkänd" in refused.json()["detail"]
    await ok(await s.verdict(6, "fail", "Värdeskåpet är inte klassat.", ["6.1"]))
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    refused = await s.act(s.inspector, "require_corrections", deadline=yesterday)
    assert refused.status_code == 422 and "framtiden" in refused.json()["detail"]
    refused = await s.act(s.inspector, "require_corrections")
    assert refused.status_code == 422 and "deadline" in refused.json()["detail"]
    done = await ok(await s.act(s.inspector, "require_corrections", deadline=future_deadline()))
    assert done["state"] == "corrections_required" and done["deadline"] == future_deadline()


async def test_approve_guards(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("scheduled")
    for point in range(1, 13):
        await ok(await s.verdict(point))
    refused = await s.act(s.inspector, "approve")
    assert refused.status_code == 422 and "punkt 13 saknar bedömning" in refused.json()["detail"]
    await ok(await s.verdict(13, "fail", "Ingen krisplan.", ["13.1"]))
    refused = await s.act(s.inspector, "approve")
    assert refused.status_code == 422 and "punkt 13 är underkänd" in refused.json()["detail"]
    refused_na = await s.verdict(13, "not_applicable", "Gäller inte")
    assert refused_na.status_code == 422
    refused_blank = await s.verdict(13, "fail", "", ["13.1"])
    assert refused_blank.status_code == 422 and "anmärkning" in refused_blank.json()["detail"]
    await ok(await s.verdict(13))
    assert (await ok(await s.act(s.inspector, "approve")))["state"] == "certified"


async def test_reject_and_revoke_need_a_reason(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("scheduled")
    refused = await s.act(s.inspector, "reject", reason="  ")
    assert refused.status_code == 422 and "skäl" in refused.json()["detail"]
    await s.judge_all()
    await ok(await s.act(s.inspector, "approve"))
    refused = await s.act(s.kommun, "revoke")
    assert refused.status_code == 422 and "skäl" in refused.json()["detail"]
    assert (await s.case())["certificate"]["status"] == "valid"


async def test_report_corrections_starts_the_next_round(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("corrections_required")
    case = await ok(await s.act(s.owner, "report_corrections", comment="Åtgärdat"))
    assert case["round"] == 2 and case["deadline"] is None and case["inspector_id"] == s.inspector_id
    round_two = {v["point"] for v in case["verdicts"] if v["round"] == 2}
    assert round_two == set(range(1, 14)) - {4}


async def test_withdraw_from_each_open_state(world: World) -> None:
    for state in ("draft", "submitted", "scheduled", "corrections_required"):
        s = await Scenario.create(world)
        await s.to_state(state)
        assert (await ok(await s.act(s.owner, "withdraw")))["state"] == "withdrawn"


async def test_answers_only_in_draft_or_corrections_and_verdicts_only_when_scheduled(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("submitted")
    refused = await s.answer(1, "fulfilled", "ändrat")
    assert refused.status_code == 409 and refused.json()["extra"]["state"] == "submitted"
    await ok(await s.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=visit_time()))
    assert (await s.answer(1)).status_code == 409
    await s.judge_all(fail={2})
    await ok(await s.act(s.inspector, "require_corrections", deadline=future_deadline()))
    await ok(await s.answer(2, "fulfilled", "Alla har nu gått utbildningen"))
    assert (await s.verdict(2)).status_code == 409


async def test_one_open_case_per_shop(world: World) -> None:
    s = await Scenario.create(world)
    refused = await s.owner.post(f"/api/businesses/{s.business_id}/applications")
    assert refused.status_code == 422 and refused.json()["extra"]["application_id"] == s.case_id
    await ok(await s.act(s.owner, "withdraw"))
    await ok(await s.owner.post(f"/api/businesses/{s.business_id}/applications"), 201)


async def test_stale_version_answers_409(world: World) -> None:
    s = await Scenario.create(world)
    case = await s.to_state("submitted")
    stale = await s.act(
        s.kommun, "assign", inspector_id=s.inspector_id, visit_at=visit_time(), version=case["version"] - 1
    )
    assert stale.status_code == 409
    fresh = await s.act(
        s.kommun, "assign", inspector_id=s.inspector_id, visit_at=visit_time(), version=case["version"]
    )
    assert fresh.status_code == 200
