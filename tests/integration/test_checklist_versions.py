"""Checklist versions: 2026.2 (the programme's criteria, with ids and kinds) is in force for new
cases; a case started on 2026.1 keeps that version, its answers and its verdicts."""

from __future__ import annotations

import importlib
import json
from datetime import date, timedelta
from typing import Any

import httpx
from piccolo.apps.migrations.commands.backwards import run_backwards

from certify.domain.checklist import load_checklist
from certify.migrate import migrate
from certify.tables import Certificate, ChecklistVersion
from tests.conftest import World
from tests.integration.pages import submit
from tests.integration.scenario import Scenario, ok

V2_MIGRATION = importlib.import_module("migrations.certify_2026_12_08t09_00_00_000000")


async def test_the_current_checklist_is_2026_2_with_the_programmes_criteria(
    anonymous: httpx.AsyncClient,
) -> None:
    checklist = await ok(await anonymous.get("/api/checklist?lang=sv"))
    assert checklist["version"] == "2026.2"
    assert checklist == await ok(await anonymous.get("/api/checklist/2026.2?lang=sv"))
    points = {p["number"]: p for p in checklist["points"]}
    assert points[4]["title"] == "Sedelboxar, rörpost eller system för sluten kontanthantering"
    assert points[5]["title"] == "Speciellt skyddad plats för uppräkning av kontanter och värdehandlingar"
    kinds = {c["id"]: c["kind"] for c in points[7]["criteria"]}
    assert kinds == {
        "7.1": "required",  # the extra phone next to the sales floor
        "7.2": "required",  # that tampering with the shop's own phone cannot cut off
        "7.3": "recommended",  # a hold-up alarm: "ett bra komplement"
        "7.4": "conditional",  # if alarms: to an alarm centre that calls the police
        "7.5": "conditional",  # if alarms: silent
        "7.6": "conditional",  # if alarms: tested to a plan
        "7.7": "recommended",  # intruder alarm, spot alarm on the safe
    }
    texts = {c["id"]: c["text"] for p in checklist["points"] for c in p["criteria"]}
    assert "sabotage mot butikens egen telefon" in texts["7.2"]
    assert "arbetsmiljösynpunkt" in texts["4.3"]
    assert "växel- och insättningsautomat" in texts["4.1"]
    assert "grön vid 160 cm, gul vid 170 cm och röd vid 180 cm" in texts["9.2"]
    assert "ingångar" in texts["9.1"]
    assert "värdetransportföretag" in texts["12.1"]
    assert all(p["guidance"] for p in checklist["points"])

    english = await ok(await anonymous.get("/api/checklist/2026.2?lang=en"))
    seven = next(p for p in english["points"] if p["number"] == 7)
    assert seven["criteria"][1]["text"].startswith("The extra phone cannot be cut off")
    assert seven["criteria"][1]["text_sv"] == texts["7.2"]


async def test_version_2026_1_stays_readable_and_an_unknown_version_is_404(
    anonymous: httpx.AsyncClient,
) -> None:
    old = await ok(await anonymous.get("/api/checklist/2026.1?lang=sv"))
    assert old["version"] == "2026.1"
    seven = next(p for p in old["points"] if p["number"] == 7)
    assert [c["id"] for c in seven["criteria"]] == ["7.1", "7.2", "7.3", "7.4"]
    assert {c["kind"] for c in seven["criteria"]} == {"required"}  # as v1 judged them
    assert seven["criteria"][1]["text"] == load_checklist("checklist_v1.json").points[6].criteria[1].text
    missing = await anonymous.get("/api/checklist/1999.9")
    assert missing.status_code == 404 and missing.json()["extra"]["code"] == "checklist_not_published"


async def test_a_new_case_starts_on_the_version_in_force(world: World) -> None:
    s = await Scenario.create(world)
    assert (await s.case())["checklist_version"] == "2026.2"
    page = await s.owner.get(f"/arenden/{s.case_id}/egenkontroll/punkt/7")
    assert "sabotage mot butikens egen telefon" in page.text and "Råd, inget krav" in page.text


async def _rows(sql: str, *args: Any) -> list[dict[str, Any]]:
    return list(await ChecklistVersion.raw(sql, *args).run())


async def test_the_upgrade_keeps_a_2026_1_case_its_version_answers_and_verdicts(world: World) -> None:
    """A database made by the migrations before 2026.2, holding a case on 2026.1, is upgraded."""
    s = await Scenario.create(world)
    await ok(await s.owner.post(f"/api/applications/{s.case_id}/withdraw"))  # the shop, no open case
    await _rows("DELETE FROM events")
    await _rows("DELETE FROM applications")
    result = await run_backwards("certify", migration_id=V2_MIGRATION.ID, auto_agree=True)
    assert result.success, result.message
    try:
        [v1] = await _rows("SELECT id, version FROM checklist_versions WHERE current = {}", True)
        assert v1["version"] == "2026.1"
        await _rows(
            "INSERT INTO applications (business, kommun, checklist_version, state, round, version,"
            " previous_certificate)"
            " SELECT id, kommun, {}, 'scheduled', 1, 3, '' FROM businesses WHERE id = {}",
            v1["id"],
            s.business_id,
        )
        [case] = await _rows("SELECT id FROM applications")
        s.case_id = case["id"]
        for point in range(1, 14):
            status = "not_fulfilled" if point == 7 else "fulfilled"
            await _rows(
                "INSERT INTO answers (application, point, status, comment) VALUES ({}, {}, {}, {})",
                case["id"],
                point,
                status,
                f"Svar {point}",
            )
            await _rows(
                "INSERT INTO verdicts (application, round, point, verdict, remark, inspector)"
                " VALUES ({}, 1, {}, {}, {}, {})",
                case["id"],
                point,
                "fail" if point == 7 else "pass",
                "Inget överfallslarm." if point == 7 else "",
                s.inspector_id,
            )
        answers_sql = "SELECT point, status, comment FROM answers ORDER BY point"
        verdicts_sql = "SELECT round, point, verdict, remark, inspector FROM verdicts ORDER BY point"
        before = (await _rows(answers_sql), await _rows(verdicts_sql))
    finally:
        await migrate()

    assert (await _rows(answers_sql), await _rows(verdicts_sql)) == before
    [kept] = await _rows(
        "SELECT v.version FROM applications a JOIN checklist_versions v ON v.id = a.checklist_version"
    )
    assert kept["version"] == "2026.1"
    current = await _rows("SELECT version FROM checklist_versions WHERE current = {}", True)
    assert current == [{"version": "2026.2"}]
    assert len(await _rows("SELECT id FROM checklist_points")) == 26

    case_view = await s.case()
    assert case_view["checklist_version"] == "2026.1"
    assert [(a["point"], a["status"]) for a in case_view["answers"]][6] == (7, "not_fulfilled")
    page = await s.owner.get(f"/arenden/{s.case_id}/egenkontroll/punkt/7")
    old_alarm = load_checklist("checklist_v1.json").points[6].criteria[1].text
    assert old_alarm in page.text and "sabotage mot butikens egen telefon" not in page.text

    newer = await ok(await s.owner.post(f"/api/businesses/{(await s.new_shop())['id']}/applications"), 201)
    assert newer["checklist_version"] == "2026.2"


async def _certified_on(s: Scenario, version: str) -> str:
    """Certify the scenario's case, put it on `version` and bring its certificate into the renewal
    window; answers the certificate's number."""
    certified = await s.to_state("certified")
    [row] = await _rows("SELECT id FROM checklist_versions WHERE version = {}", version)
    await _rows("UPDATE applications SET checklist_version = {} WHERE id = {}", row["id"], s.case_id)
    soon = date.today() + timedelta(days=60)
    await (
        Certificate.update({Certificate.valid_until: soon}).where(Certificate.application == s.case_id).run()
    )
    return str(certified["certificate"]["number"])


async def _renew(s: Scenario, number: str) -> dict[str, Any]:
    renewal = await ok(await s.owner.post(f"/api/businesses/{s.business_id}/applications"), 201)
    assert renewal["previous_certificate"] == number
    s.case_id = renewal["id"]
    return renewal


async def test_a_renewal_of_a_2026_1_certificate_starts_on_2026_2_with_answers_to_confirm(
    world: World,
) -> None:
    s = await Scenario.create(world)
    number = await _certified_on(s, "2026.1")
    await _rows(  # a point 2026.2 does not have: its answer stays behind
        "INSERT INTO answers (application, point, status, comment) VALUES ({}, 14, 'fulfilled', '')",
        s.case_id,
    )
    await _rows(
        "UPDATE answers SET criteria = {} WHERE application = {} AND point = 7", '{"7.1": "met"}', s.case_id
    )
    renewal = await _renew(s, number)

    assert renewal["checklist_version"] == "2026.2"
    assert [a["point"] for a in renewal["answers"]] == list(range(1, 14))
    assert all(a["carried_over"] and a["status"] == "fulfilled" for a in renewal["answers"])
    assert all(a["criteria"] == {} for a in renewal["answers"]), "2026.1's criteria are not 2026.2's"
    overview = await s.owner.get(f"/arenden/{s.case_id}/egenkontroll")
    assert "0 av 13 besvarade" in overview.text
    assert overview.text.count("Från förra ansökan – kontrollera och spara") == 13
    point = await s.owner.get(f"/arenden/{s.case_id}/egenkontroll/punkt/7")
    assert "Svaret kommer från förra ansökan." in point.text

    refused = await s.act(s.owner, "submit")
    assert refused.status_code == 422
    assert {"code": "answers_not_confirmed", "points": list(range(1, 14))} in refused.json()["extra"][
        "problems"
    ]
    assert "svaren på punkterna 1, 2, 3" in refused.json()["detail"]

    for confirmed in range(1, 13):  # the API confirms twelve of them, unchanged
        await ok(await s.answer(confirmed))
    one_left = await s.act(s.owner, "submit")
    assert one_left.status_code == 422
    assert {"code": "answers_not_confirmed", "points": [13]} in one_left.json()["extra"]["problems"]
    assert "svaret på punkt 13 kommer från förra ansökan" in one_left.json()["detail"]

    saved = await submit(
        s.owner,
        f"/arenden/{s.case_id}/egenkontroll/punkt/13",
        f"/arenden/{s.case_id}/egenkontroll/punkt/13",
        {"svar-13": "fulfilled", "kommentar-13": ""},
    )
    assert saved.status_code == 303, saved.text
    answers = (await s.case())["answers"]
    assert not any(a["carried_over"] for a in answers)
    overview = await s.owner.get(f"/arenden/{s.case_id}/egenkontroll")
    assert "13 av 13 besvarade" in overview.text and "Från förra ansökan" not in overview.text
    submitted = await ok(await s.act(s.owner, "submit"))
    assert submitted["state"] == "submitted"


async def test_a_renewal_on_the_same_version_brings_the_criterion_marks_over(world: World) -> None:
    s = await Scenario.create(world)
    marks = {"7.1": "met", "7.2": "met", "7.3": "not_applicable"}
    number = await _certified_on(s, "2026.2")
    await _rows(
        "UPDATE answers SET criteria = {} WHERE application = {} AND point = 7", json.dumps(marks), s.case_id
    )
    renewal = await _renew(s, number)
    seven = next(a for a in renewal["answers"] if a["point"] == 7)
    assert seven["criteria"] == marks and seven["carried_over"]
