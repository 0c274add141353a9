"""Judging criterion by criterion on checklist 2026.2: the owner's answer follows from the marks on
a point's criteria, the inspector's fail names the criteria not met, and a recommended criterion
never fails a point. Point 7 as the programme writes it is the example throughout."""

from __future__ import annotations

import html
import io
from typing import Any

import httpx
import pypdf

from certify.tables import Account, ChecklistVersion
from tests.conftest import World
from tests.integration.pages import errors_in, submit
from tests.integration.scenario import ALL_POINTS, Scenario, future_deadline, ok, visit_time

# A shop with an extra phone next to the sales floor, on a line of its own, and no hold-up alarm.
INDEPENDENT_PHONE_NO_ALARM = {
    "7.1": "met",
    "7.2": "met",
    "7.4": "not_applicable",
    "7.5": "not_applicable",
    "7.6": "not_applicable",
}


async def answer(s: Scenario, point: int, **body: Any) -> httpx.Response:
    return await s.owner.put(f"/api/applications/{s.case_id}/answers/{point}", json=body)


async def judge(s: Scenario, point: int, **body: Any) -> httpx.Response:
    return await s.inspector.put(f"/api/applications/{s.case_id}/verdicts/{point}", json=body)


async def booked(world: World) -> Scenario:
    s = await Scenario.create(world)
    await s.answer_all()
    await ok(await s.act(s.owner, "submit"))
    await ok(await s.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=visit_time()))
    return s


async def test_point_7_passes_an_independent_extra_phone_without_a_hold_up_alarm(world: World) -> None:
    s = await Scenario.create(world)
    saved = await ok(await answer(s, 7, criteria={**INDEPENDENT_PHONE_NO_ALARM, "7.3": "not_met"}))
    assert saved["status"] == "fulfilled"  # no hold-up alarm: advice, not a requirement
    assert saved["criteria"]["7.3"] == "not_met"
    for point in ALL_POINTS:
        if point != 7:
            await ok(await s.answer(point))
    await ok(await s.act(s.owner, "submit"))
    await ok(await s.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=visit_time()))
    await s.judge_all()
    assert (await ok(await s.act(s.inspector, "approve")))["state"] == "certified"
    case = await s.case()
    assert next(a for a in case["answers"] if a["point"] == 7)["criteria"] == {
        **INDEPENDENT_PHONE_NO_ALARM,
        "7.3": "not_met",
    }


async def test_point_7_fails_an_extra_phone_on_the_shops_own_line(world: World) -> None:
    s = await Scenario.create(world)
    own_line = {**INDEPENDENT_PHONE_NO_ALARM, "7.2": "not_met"}
    assert (await ok(await answer(s, 7, criteria=own_line)))["status"] == "not_fulfilled"
    contradiction = await answer(s, 7, status="fulfilled", criteria=own_line)
    assert contradiction.status_code == 422
    assert contradiction.json()["extra"]["code"] == "answer_contradicts_criteria"

    s = await booked(world)
    failed = await ok(
        await judge(s, 7, verdict="fail", remark="Telefonen går via butikens växel.", failed_criteria=["7.2"])
    )
    assert failed["failed_criteria"] == ["7.2"]
    verdict = next(v for v in (await s.case())["verdicts"] if v["point"] == 7)
    assert (verdict["verdict"], verdict["failed_criteria"]) == ("fail", ["7.2"])


async def test_a_hold_up_alarm_that_sounds_fails_the_conditional_criterion(world: World) -> None:
    s = await Scenario.create(world)
    loud_alarm = {"7.1": "met", "7.2": "met", "7.3": "met", "7.4": "met", "7.5": "not_met", "7.6": "met"}
    assert (await ok(await answer(s, 7, criteria=loud_alarm)))["status"] == "not_fulfilled"
    refused = await s.act(s.owner, "submit")
    assert refused.status_code == 422 and "punkt 7 är inte uppfylld" in refused.json()["detail"]

    s = await booked(world)
    await ok(await judge(s, 7, verdict="fail", remark="Larmet tjuter i butiken.", failed_criteria=["7.5"]))


async def test_a_fail_on_2026_2_names_the_criteria_not_met(world: World) -> None:
    s = await booked(world)
    missing = await judge(s, 7, verdict="fail", remark="Telefonen saknas.")
    assert missing.status_code == 422
    body = missing.json()
    assert body["extra"]["code"] == "failed_criteria_missing" and body["extra"]["field"] == "failed_criteria"
    assert "failed_criteria" in body["detail"]
    unknown = await judge(s, 7, verdict="fail", remark="Telefonen saknas.", failed_criteria=["7.9"])
    assert unknown.status_code == 400 and unknown.json()["extra"]["field"] == "failed_criteria"
    assert "7.9" in unknown.json()["detail"]
    malformed = await judge(s, 7, verdict="fail", remark="Telefonen saknas.", failed_criteria=["sju"])
    assert malformed.status_code == 400
    on_a_pass = await judge(s, 7, verdict="pass", failed_criteria=["7.1"])
    assert (
        on_a_pass.status_code == 422 and on_a_pass.json()["extra"]["code"] == "failed_criteria_without_fail"
    )
    assert [v for v in (await s.case())["verdicts"] if v["point"] == 7] == []


async def test_a_recommended_criterion_never_fails_a_point(world: World) -> None:
    s = await Scenario.create(world)
    advice_not_followed = {**INDEPENDENT_PHONE_NO_ALARM, "7.3": "not_met", "7.7": "not_met"}
    assert (await ok(await answer(s, 7, criteria=advice_not_followed)))["status"] == "fulfilled"
    assert (await ok(await answer(s, 6, criteria={"6.1": "met", "6.2": "met", "6.3": "not_met"})))[
        "status"
    ] == "fulfilled"

    s = await booked(world)
    refused = await judge(s, 7, verdict="fail", remark="Inget överfallslarm.", failed_criteria=["7.3"])
    assert refused.status_code == 422 and refused.json()["extra"]["code"] == "criterion_recommended"
    mixed = await judge(s, 7, verdict="fail", remark="Brister.", failed_criteria=["7.1", "7.7"])
    assert mixed.status_code == 422 and mixed.json()["extra"]["criteria"] == ["7.7"]
    await ok(await judge(s, 7, verdict="pass"))


async def test_the_owners_criteria_are_checked(world: World) -> None:
    s = await Scenario.create(world)
    assert (await ok(await answer(s, 7, status="fulfilled")))["criteria"] == {}  # existing clients
    unknown = await answer(s, 7, criteria={"7.8": "met"})
    assert unknown.status_code == 400 and unknown.json()["extra"]["field"] == "criteria"
    always = await answer(s, 7, criteria={**INDEPENDENT_PHONE_NO_ALARM, "7.1": "not_applicable"})
    assert always.status_code == 422 and always.json()["extra"]["code"] == "criterion_always_applies"
    unmarked = await answer(s, 7, criteria={"7.1": "met"})
    assert unmarked.status_code == 422 and unmarked.json()["extra"]["criteria"] == [
        "7.2",
        "7.4",
        "7.5",
        "7.6",
    ]
    assert (await answer(s, 7, criteria={"7.1": "maybe"})).status_code == 400
    assert (await answer(s, 7)).status_code == 400  # neither a status nor criteria


async def test_a_fail_on_a_2026_1_case_may_still_name_no_criteria(world: World) -> None:
    """A case started while 2026.1 was in force keeps being judged as 2026.1 judged it."""
    in_force = "UPDATE checklist_versions SET current = (version = {})"
    await ChecklistVersion.raw(in_force, "2026.1").run()
    try:
        s = await booked(world)
    finally:
        await ChecklistVersion.raw(in_force, "2026.2").run()
    assert (await s.case())["checklist_version"] == "2026.1"
    await ok(await judge(s, 7, verdict="fail", remark="Inget överfallslarm."))
    await ok(await judge(s, 7, verdict="fail", remark="Inget överfallslarm.", failed_criteria=["7.2"]))


async def test_the_pages_judge_criterion_by_criterion(world: World) -> None:
    s = await Scenario.create(world)
    point_7 = f"/arenden/{s.case_id}/egenkontroll/punkt/7"
    marks = {f"kriterium-{k}": v for k, v in INDEPENDENT_PHONE_NO_ALARM.items()}
    own_line = {**marks, "kriterium-7.2": "not_met", "efter": "stanna"}
    assert (await submit(s.owner, point_7, point_7, own_line)).status_code == 303
    answer_7 = next(a for a in (await s.case())["answers"] if a["point"] == 7)
    assert answer_7["status"] == "not_fulfilled" and answer_7["criteria"]["7.2"] == "not_met"
    page = (await s.owner.get(point_7)).text
    assert 'name="kriterium-7.2" value="not_met" id="f-kriterium-7.2-not_met" checked' in page
    assert 'name="kriterium-7.3"' not in page  # advice: listed, never marked
    contradiction = await submit(s.owner, point_7, point_7, {**own_line, "svar-7": "fulfilled"})
    assert contradiction.status_code == 400
    assert errors_in(contradiction.text)[0].startswith("Punkt 7: svaret stämmer inte med kriterierna")
    assert (await submit(s.owner, point_7, point_7, {**marks, "efter": "stanna"})).status_code == 303

    for point in ALL_POINTS:
        if point != 7:
            await ok(await s.answer(point))
    await ok(await s.act(s.owner, "submit"))
    await ok(await s.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=visit_time()))
    inspection = f"/besiktningar/{s.case_id}"
    without = await submit(
        s.inspector, inspection, f"{inspection}/punkt/7", {"bedomning": "fail", "anmarkning": "Nej."}
    )
    assert without.status_code == 400
    assert errors_in(without.text) == [
        "Punkt 7: ange vilka kriterier som inte är uppfyllda (failed_criteria)."
    ]
    data = {
        "bedomning": "fail",
        "anmarkning": "Telefonen går via växeln.",
        "kriterium-7.1": "met",
        "kriterium-7.2": "not_met",
    }
    assert (await submit(s.inspector, inspection, f"{inspection}/punkt/7", data)).status_code == 303
    verdict = next(v for v in (await s.case())["verdicts"] if v["point"] == 7)
    assert verdict["failed_criteria"] == ["7.2"]
    shown = (await s.inspector.get(inspection)).text
    assert 'name="kriterium-7.2" value="not_met" id="f-kriterium-7.2-not_met" checked' in shown


async def test_the_deficiency_list_and_the_protocol_name_the_failed_criteria_in_the_owners_language(
    world: World,
) -> None:
    s = await booked(world)
    await Account.update({Account.language: "en"}).where(Account.id == s.owner_id).run()
    for point in ALL_POINTS:
        if point == 7:
            await ok(await judge(s, 7, verdict="fail", remark="Växeln.", failed_criteria=["7.2"]))
        else:
            await ok(await s.verdict(point))
    await ok(await s.act(s.inspector, "require_corrections", deadline=future_deadline()))

    protocol = await s.kommun.get(f"/arenden/{s.case_id}/protokoll.pdf")
    words = " ".join(pypdf.PdfReader(io.BytesIO(protocol.content)).pages[0].extract_text().split())
    assert "Criterion 7.2 is not met: The extra phone cannot be cut off" in words
    original = await s.kommun.get(f"/arenden/{s.case_id}/protokoll.sv.pdf")
    swedish = " ".join(pypdf.PdfReader(io.BytesIO(original.content)).pages[0].extract_text().split())
    assert "Kriterium 7.2 är inte uppfyllt: Den extra telefonen går inte att koppla bort" in swedish

    # The owner reads the list in the language of the page (which becomes the owner's choice).
    english = "Criterion 7.2 is not met: The extra phone cannot be cut off by tampering with the shop's"
    shop_page = (await s.owner.get(f"/butiker/{s.business_id}?lang=en")).text
    assert english in html.unescape(shop_page)
    point_page = (await s.owner.get(f"/arenden/{s.case_id}/egenkontroll/punkt/7?lang=sv")).text
    assert "Kriterium 7.2 är inte uppfyllt: Den extra telefonen går inte att koppla bort" in point_page
