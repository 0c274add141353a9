"""The kommun's own points: drafted, published as the kommun's next checklist version from a date,
taken by the kommun's cases started from then (numbered after 13, counted by every rule, shown as
local points in the kommun's own words on the pages, the protocol and the certificate); published
versions never change; another kommun never sees them."""

from __future__ import annotations

import html
import io
from datetime import timedelta
from typing import Any

import httpx
import pypdf

from certify.domain.status import Role
from certify.services import clock
from certify.tables import Account, ChecklistPoint, ChecklistVersion
from tests.conftest import World
from tests.integration.scenario import Scenario, future_deadline, ok, visit_time

KIN_LIST = {
    "title": "Anhöriglista",
    "criteria": [
        {"kind": "required", "text": "Det finns en aktuell lista över personalens anhöriga."},
        {"kind": "conditional", "text": "Om listan förvaras digitalt, kan den nås utan butikens nätverk."},
        {"kind": "recommended", "text": "Listan gås igenom vid varje nyanställning."},
    ],
    "guidance": "Köpcentrumets förening beslutade om punkten 2026.",
}
LOCAL = "/api/kommun/checklist"


async def _publish(s: Scenario, on: str | None = None) -> dict[str, Any]:
    day = on or clock.today().isoformat()
    return await ok(await s.kommun.post(f"{LOCAL}/versions", json={"valid_from": day}), 201)


async def _pdf_text(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


async def test_a_new_case_includes_the_published_points_and_an_older_case_does_not(world: World) -> None:
    s = await Scenario.create(world)  # started before the kommun publishes
    point = await ok(await s.kommun.post(f"{LOCAL}/local-points", json=KIN_LIST), 201)
    assert point["title"] == "Anhöriglista" and not point["retired"]
    version = await _publish(s)
    assert version["local_points"] == 1 and version["version"].startswith("2026.2-")
    older = await ok(await s.owner.get(f"/api/applications/{s.case_id}/checklist"))
    assert [p["number"] for p in older["points"]] == list(range(1, 14))

    newer = await Scenario.create_in(world, s)
    case = await newer.case()
    assert case["checklist_version"] == version["version"]
    checklist = await ok(await newer.owner.get(f"/api/applications/{newer.case_id}/checklist?lang=en"))
    [fourteen] = [p for p in checklist["points"] if p["number"] == 14]
    assert fourteen["local"] and fourteen["title"] == "Anhöriglista"  # the kommun's words, in English too
    assert [(c["id"], c["kind"]) for c in fourteen["criteria"]] == [
        ("14.1", "required"),
        ("14.2", "conditional"),
        ("14.3", "recommended"),
    ]
    assert fourteen["criteria"][0]["text"] == KIN_LIST["criteria"][0]["text"]

    # Every rule counts the case's own points: 13 answers are not enough to submit.
    for number in range(1, 14):
        await ok(await newer.answer(number))
    refused = await newer.act(newer.owner, "submit")
    assert refused.status_code == 422
    assert {"code": "points_unanswered", "points": [14]} in refused.json()["extra"]["problems"]
    assert (await newer.answer(15)).status_code == 400  # a point the version does not have
    await ok(await newer.answer(14))
    await ok(await newer.act(newer.owner, "submit"))
    await ok(await newer.act(newer.kommun, "assign", inspector_id=newer.inspector_id, visit_at=visit_time()))
    for number in range(1, 14):
        await ok(await newer.verdict(number))
    refused = await newer.act(newer.inspector, "approve")
    assert refused.status_code == 422
    assert {"code": "points_not_judged", "points": [14]} in refused.json()["extra"]["problems"]
    advice = await newer.verdict(14, "fail", "Listan saknas.", ["14.3"])
    assert advice.status_code == 422  # a recommended criterion never fails a point
    await ok(await newer.verdict(14, "fail", "Listan saknas.", ["14.1"]))
    await ok(await newer.verdict(14, "pass"))

    inspection = (await newer.inspector.get(f"/besiktningar/{newer.case_id}")).text
    assert "Lokal punkt" in inspection and "Anhöriglista" in inspection
    await Account.update({Account.language: "en"}).where(Account.id == newer.owner_id).run()
    protocol = await _pdf_text(await newer.kommun.get(f"/arenden/{newer.case_id}/protokoll.pdf"))
    assert "Local point: Anhöriglista" in protocol  # the owner's language, the kommun's words
    approved = await ok(await newer.act(newer.inspector, "approve"))
    number = approved["certificate"]["number"]
    certificate = await _pdf_text(await newer.owner.get(f"/api/certificates/{number}/pdf"))
    assert "14." in certificate and "Anhöriglista" in certificate and "Lokal punkt" in certificate


async def test_the_self_assessment_shows_the_local_point_as_the_kommun_wrote_it(world: World) -> None:
    s = await Scenario.create(world)
    await ok(await s.kommun.post(f"{LOCAL}/local-points", json=KIN_LIST), 201)
    await _publish(s)
    newer = await Scenario.create_in(world, s)
    overview = (await newer.owner.get(f"/arenden/{newer.case_id}/egenkontroll?lang=en")).text
    assert "Local point" in overview and "Anhöriglista" in overview
    page = (await newer.owner.get(f"/arenden/{newer.case_id}/egenkontroll/punkt/14?lang=fi")).text
    assert "Paikallinen kohta" in page and KIN_LIST["criteria"][0]["text"] in page
    assert (await newer.owner.get(f"/arenden/{newer.case_id}/egenkontroll/punkt/15")).status_code == 404
    assert (await s.owner.get(f"/arenden/{s.case_id}/egenkontroll/punkt/14")).status_code == 404


async def test_published_versions_never_change(world: World) -> None:
    s = await Scenario.create(world)
    point = await ok(await s.kommun.post(f"{LOCAL}/local-points", json=KIN_LIST), 201)
    first = await _publish(s)

    async def stored(version: str) -> list[dict[str, Any]]:
        row = await ChecklistVersion.select().where(ChecklistVersion.version == version).first().run()
        points = (
            await ChecklistPoint.select()
            .where(ChecklistPoint.checklist_version == row["id"])
            .order_by(ChecklistPoint.number)
            .output(load_json=True)
            .run()
        )
        return [{k: v for k, v in p.items() if k != "id"} for p in points] + [row]

    before = await stored(first["version"])
    edited = {**KIN_LIST, "title": "Anhöriglista (ny)", "criteria": [{"kind": "required", "text": "Ny."}]}
    await ok(await s.kommun.put(f"{LOCAL}/local-points/{point['id']}", json=edited))
    await ok(await s.kommun.post(f"{LOCAL}/local-points/{point['id']}/retire"))
    assert await stored(first["version"]) == before
    refused = await s.kommun.put(f"{LOCAL}/local-points/{point['id']}", json=KIN_LIST)
    assert refused.status_code == 409  # a retired point is not edited
    second = await _publish(s)
    assert second["local_points"] == 0 and second["version"] != first["version"]
    assert await stored(first["version"]) == before
    versions = await ok(await s.kommun.get(f"{LOCAL}/versions"))
    assert [v["version"] for v in versions] == [second["version"], first["version"]]


async def test_a_version_from_a_later_date_waits_for_that_date(world: World) -> None:
    s = await Scenario.create(world)
    await ok(await s.kommun.post(f"{LOCAL}/local-points", json=KIN_LIST), 201)
    await _publish(s, (clock.today() + timedelta(days=7)).isoformat())
    newer = await Scenario.create_in(world, s)
    assert (await newer.case())["checklist_version"] == "2026.2"
    past = await s.kommun.post(
        f"{LOCAL}/versions", json={"valid_from": (clock.today() - timedelta(days=1)).isoformat()}
    )
    assert past.status_code == 422 and past.json()["extra"]["code"] == "publish_date_in_past"


async def test_another_kommun_never_sees_the_local_points(world: World) -> None:
    s = await Scenario.create(world)
    point = await ok(await s.kommun.post(f"{LOCAL}/local-points", json=KIN_LIST), 201)
    version = await _publish(s)
    await world.kommun("2080", "Falu kommun")
    _, falun = await world.client_for(Role.kommun, ["2080"])
    assert await ok(await falun.get(f"{LOCAL}/local-points")) == []
    assert await ok(await falun.get(f"{LOCAL}/versions")) == []
    assert (await falun.put(f"{LOCAL}/local-points/{point['id']}", json=KIN_LIST)).status_code == 404
    assert (await falun.post(f"{LOCAL}/local-points/{point['id']}/retire")).status_code == 404
    assert (await world.new_client().get(f"/api/checklist/{version['version']}")).status_code == 404
    page = (await falun.get("/kommun/checklista")).text
    assert "Anhöriglista" not in page
    # A shop in the other kommun starts on the national version.
    _, owner = await world.client_for(Role.owner)
    shop = await ok(
        await owner.post(
            "/api/businesses",
            json={
                "kommun_code": "2080",
                "name": "Falu Livs",
                "org_number": "5560160680",
                "street_address": "Storgatan 1",
                "postal_code": "79130",
                "city": "Falun",
            },
        ),
        201,
    )
    case = await ok(await owner.post(f"/api/businesses/{shop['id']}/applications"), 201)
    assert case["checklist_version"] == "2026.2"


async def test_the_kommun_page_adds_edits_retires_and_publishes(world: World) -> None:
    s = await Scenario.create(world)
    token = await _csrf(s.kommun)
    form = {
        "_csrf_token": token,
        "titel": "Anhöriglista",
        "kriterium-1": "Listan finns.",
        "typ-1": "required",
    }
    added = await s.kommun.post("/kommun/checklista/punkter", data=form)
    assert (added.status_code, added.headers["location"]) == (303, "/kommun/checklista?klart=tillagd")
    empty = await s.kommun.post("/kommun/checklista/punkter", data={"_csrf_token": token, "titel": "Tom"})
    assert empty.status_code == 400 and "Skriv minst ett kriterium" in empty.text
    [point] = await ok(await s.kommun.get(f"{LOCAL}/local-points"))
    edited = await s.kommun.post(
        f"/kommun/checklista/punkter/{point['id']}",
        data={**form, "titel": "Anhöriglista i kassan", "kriterium-2": "Råd.", "typ-2": "recommended"},
    )
    assert edited.status_code == 303
    [point] = await ok(await s.kommun.get(f"{LOCAL}/local-points"))
    assert point["title"] == "Anhöriglista i kassan" and len(point["criteria"]) == 2
    published = await s.kommun.post(
        "/kommun/checklista/publicera", data={"_csrf_token": token, "fran": clock.today().isoformat()}
    )
    assert published.status_code == 303
    page = (await s.kommun.get("/kommun/checklista?klart=publicerad")).text
    assert "Checklistan är publicerad" in page and "1 lokal punkt" in page
    retired = await s.kommun.post(
        f"/kommun/checklista/punkter/{point['id']}/ta-bort", data={"_csrf_token": token}
    )
    assert retired.status_code == 303
    assert (await ok(await s.kommun.get(f"{LOCAL}/local-points")))[0]["retired"]


async def _csrf(client: httpx.AsyncClient) -> str:
    if "csrftoken" not in client.cookies:
        await client.get("/")
    return client.cookies["csrftoken"]


async def test_local_points_on_the_kommun_page_the_report_and_the_certificate(world: World) -> None:
    """The kommun's case page names each failed criterion, a local one too; the status report counts
    the programme's points 1–13 only; the certificate's attestation names the local points met."""
    s = await Scenario.create(world)
    await ok(await s.kommun.post(f"{LOCAL}/local-points", json=KIN_LIST), 201)
    await _publish(s)
    newer = await Scenario.create_in(world, s)
    for number in range(1, 15):
        await ok(await newer.answer(number))
    await ok(await newer.act(newer.owner, "submit"))
    await ok(await newer.act(newer.kommun, "assign", inspector_id=newer.inspector_id, visit_at=visit_time()))
    for number in range(1, 15):
        failed = {4: ["4.1"], 14: ["14.1"]}.get(number)
        await ok(
            await newer.verdict(number, "fail" if failed else "pass", "Brist." if failed else "", failed)
        )
    await ok(await newer.act(newer.inspector, "require_corrections", deadline=future_deadline()))

    page = html.unescape((await newer.kommun.get(f"/kommun/arenden/{newer.case_id}")).text)
    assert "Kriterium 4.1 är inte uppfyllt" in page
    assert f"Kriterium 14.1 är inte uppfyllt: {KIN_LIST['criteria'][0]['text']}" in page

    report = await ok(await newer.kommun.get("/api/reports/status"))
    assert report["changes"]["failed_points"] == {"4": 1}
    assert {d["point"] for d in report["deficiencies"]} == set(range(1, 14))
    assert "Kommunens lokala punkter räknas inte." in (await newer.kommun.get("/kommun/rapporter")).text

    await ok(await newer.act(newer.owner, "report_corrections", comment="Åtgärdat."))
    await ok(await newer.verdict(4, "pass"))
    await ok(await newer.verdict(14, "pass"))
    number = (await ok(await newer.act(newer.inspector, "approve")))["certificate"]["number"]
    certificate = await _pdf_text(await newer.owner.get(f"/api/certificates/{number}/pdf"))
    assert "uppfyllde samtliga 13 grundläggande åtgärder" in certificate
    assert "Butiken uppfyllde också kommunens lokala punkt 14." in certificate
