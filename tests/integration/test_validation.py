"""Bad input is refused with 400 naming the field, and nothing is written."""

from __future__ import annotations

import pytest

from certify.tables import Answer, Business, Verdict
from tests.conftest import World
from tests.integration.scenario import Scenario, shop_fields


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("org_number", "556036-0794"),  # wrong check digit
        ("org_number", "55603607"),  # too short
        ("org_number", "556036-07931"),  # too long
        ("postal_code", "7818"),
        ("postal_code", "78A 81"),
        ("name", "x" * 201),
        ("name", ""),
        ("city", "y" * 5000),
        ("email", "inte-en-adress"),
        ("cash_free", "kanske"),
        ("kommun_code", "20811"),
    ],
)
async def test_bad_shop_fields_name_the_field(world: World, field: str, value: object) -> None:
    s = await Scenario.create(world)
    before = await Business.count().run()
    response = await s.owner.post("/api/businesses", json=shop_fields(9, **{field: value}))
    assert response.status_code == 400, response.text
    assert field in response.text
    assert await Business.count().run() == before


async def test_unknown_fields_and_non_json_are_400(world: World) -> None:
    s = await Scenario.create(world)
    unknown = await s.owner.post("/api/businesses", json=shop_fields(9, turnover=1_000_000))
    assert unknown.status_code == 400 and "turnover" in unknown.text
    garbage = await s.owner.post(
        "/api/businesses", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert garbage.status_code == 400


async def test_bad_answers_and_verdicts(world: World) -> None:
    s = await Scenario.create(world)
    assert (await s.answer(14)).status_code == 400 and "point" in (await s.answer(14)).text
    assert (await s.answer(0)).status_code == 400
    wrong_status = await s.owner.put(
        f"/api/applications/{s.case_id}/answers/1", json={"status": "kanske", "comment": ""}
    )
    assert wrong_status.status_code == 400 and "status" in wrong_status.text
    too_long = await s.owner.put(
        f"/api/applications/{s.case_id}/answers/1", json={"status": "fulfilled", "comment": "å" * 4001}
    )
    assert too_long.status_code == 400 and "comment" in too_long.text
    assert await Answer.count().run() == 0

    await s.to_state("scheduled")
    unknown_verdict = await s.inspector.put(
        f"/api/applications/{s.case_id}/verdicts/1", json={"verdict": "ok", "remark": ""}
    )
    assert unknown_verdict.status_code == 400 and "verdict" in unknown_verdict.text
    assert (await s.verdict(99)).status_code == 400
    assert await Verdict.count().run() == 0


async def test_registration_rules(anonymous) -> None:  # type: ignore[no-untyped-def]
    short = await anonymous.post(
        "/api/auth/register", json={"email": "a@example.se", "password": "kort", "name": "A"}
    )
    assert short.status_code == 400 and "password" in short.text
    bad_email = await anonymous.post(
        "/api/auth/register", json={"email": "inte-epost", "password": "ett långt lösenord", "name": "A"}
    )
    assert bad_email.status_code == 400 and "email" in bad_email.text


async def test_login_says_the_same_whether_the_email_exists(world: World, anonymous) -> None:  # type: ignore[no-untyped-def]
    await Scenario.create(world)
    unknown = await anonymous.post(
        "/api/auth/login", json={"email": "finns-inte@example.se", "password": "ett långt lösenord"}
    )
    wrong = await anonymous.post(
        "/api/auth/login", json={"email": "owner1@example.se", "password": "fel lösenord igen"}
    )
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json()["detail"] == wrong.json()["detail"]
