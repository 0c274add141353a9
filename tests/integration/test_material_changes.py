"""Reported material changes (väsentlig förändring): the owner of a certified shop reports a change
that may affect its security level; the kommun notes it (on the certificate's history) or requires a
re-inspection, a linked case prefilled from the certified answers. The certificate stays valid while
it runs; a rejection revokes it at once, an approval replaces it (both databases)."""

from __future__ import annotations

import html
from typing import Any

import httpx

from certify.domain.status import Role
from certify.tables import OutboxMessage, RegisteredDocument
from tests.conftest import World
from tests.integration.pages import PNG, submit
from tests.integration.scenario import ALL_POINTS, Scenario, ok, visit_time

ALARM = {"kind": "alarm", "description": "Överfallslarmet är flyttat från kassan till kontoret."}


async def certified(world: World) -> tuple[Scenario, str]:
    s = await Scenario.create(world)
    number = (await s.to_state("certified"))["certificate"]["number"]
    return s, number


async def report(s: Scenario, body: dict[str, Any] | None = None) -> dict[str, Any]:
    return await ok(
        await s.owner.post(f"/api/businesses/{s.business_id}/material-changes", json=body or ALARM), 201
    )


async def verify_status(anonymous: httpx.AsyncClient, number: str) -> str:
    return str((await ok(await anonymous.get(f"/api/certificates/{number}")))["status"])


async def test_reinspection_rejected_revokes_the_certificate_at_once(
    world: World, anonymous: httpx.AsyncClient
) -> None:
    s, number = await certified(world)
    change = await report(s)
    assert change["state"] == "reported" and change["certificate"] == number
    added = await s.owner.post(
        f"/api/material-changes/{change['id']}/files", files={"file": ("larm.png", PNG, "image/png")}
    )
    assert (await ok(added, 201))["content_type"] == "image/png"

    # The kommun sees it waiting, in its case list too, and hears about it by e-mail.
    [waiting] = await ok(await s.kommun.get("/api/material-changes"))
    assert waiting["id"] == change["id"] and len(waiting["files"]) == 1
    cases_page = (await s.kommun.get("/kommun/arenden")).text
    assert f"/kommun/forandringar/{change['id']}" in cases_page
    kinds = {m["kind"] for m in await OutboxMessage.select(OutboxMessage.kind).run()}
    assert "material_change_reported" in kinds

    decided = await ok(
        await s.kommun.post(f"/api/material-changes/{change['id']}/decision", json={"decision": "reinspect"})
    )
    assert decided["state"] == "reinspection"
    linked = decided["reinspection_id"]
    again = await s.kommun.post(f"/api/material-changes/{change['id']}/decision", json={"decision": "note"})
    assert again.status_code == 409

    # The linked case: with the kommun already, on the current checklist, the certified answers
    # brought over for the owner to see; the certificate stays valid while it runs.
    case = await ok(await s.kommun.get(f"/api/applications/{linked}"))
    assert case["state"] == "submitted" and case["previous_certificate"] == number
    assert {a["point"] for a in case["answers"]} == set(ALL_POINTS)
    assert all(a["carried_over"] for a in case["answers"])
    assert await verify_status(anonymous, number) == "valid"
    kommun_page = (await s.kommun.get(f"/kommun/arenden/{linked}")).text
    assert "Ombesiktning efter anmäld förändring av intyg" in kommun_page

    rein = Scenario(world, s.owner, s.inspector, s.kommun, s.owner_id, s.inspector_id, s.kommun_id)
    rein.business_id, rein.case_id = s.business_id, linked
    withdrawn = await rein.act(s.owner, "withdraw")  # required by the kommun: not the owner's to drop
    assert withdrawn.status_code == 409
    assert withdrawn.json()["extra"]["code"] == "reinspection_not_withdrawable"
    await ok(await rein.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=visit_time()))
    inspection = html.unescape((await s.inspector.get(f"/besiktningar/{linked}")).text)
    assert "Ombesiktning efter anmäld förändring" in inspection and ALARM["description"] in inspection
    await rein.judge_all(fail={7})
    await ok(await rein.act(s.inspector, "reject", reason="Larmet når inte larmcentralen."))

    # Revoked at once, with the rejection's reason; the verify page says so.
    assert await verify_status(anonymous, number) == "revoked"
    page = html.unescape((await anonymous.get(f"/verify/{number}")).text)
    assert "återkallat" in page.lower()
    old = await ok(await s.kommun.get(f"/api/applications/{s.case_id}"))
    assert old["state"] == "revoked" and old["certificate"]["status"] == "revoked"
    events = [e["action"] for e in await ok(await s.kommun.get(f"/api/applications/{s.case_id}/events"))]
    assert events[-2:] == ["material_change_reinspection", "reinspection_revoked"]
    mails = await OutboxMessage.select(OutboxMessage.kind, OutboxMessage.body_text).run()
    assert {"material_change_reinspection", "reinspection_revoked"} <= {m["kind"] for m in mails}
    registered = {r["kind"] for r in await RegisteredDocument.select(RegisteredDocument.kind).run()}
    assert {"material_change", "material_change_file", "revocation"} <= registered
    status = await ok(await s.kommun.get("/api/reports/status"))
    assert status["changes"]["revoked"] == 1  # the status report counts it as a revocation
    # What changed is a security detail: it stays out of every e-mail.
    assert not [m for m in mails if "Överfallslarmet" in m["body_text"]]


async def test_reinspection_approved_replaces_the_certificate(
    world: World, anonymous: httpx.AsyncClient
) -> None:
    s, number = await certified(world)
    change = await report(s, {"kind": "premises", "description": "Butiken har flyttat till nya lokaler."})
    decided = await ok(
        await s.kommun.post(f"/api/material-changes/{change['id']}/decision", json={"decision": "reinspect"})
    )
    rein = Scenario(world, s.owner, s.inspector, s.kommun, s.owner_id, s.inspector_id, s.kommun_id)
    rein.business_id, rein.case_id = s.business_id, decided["reinspection_id"]
    await ok(await rein.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=visit_time()))
    await rein.judge_all()
    approved = await ok(await rein.act(s.inspector, "approve"))
    new = approved["certificate"]
    assert new["status"] == "valid" and new["number"] != number
    lookup = await ok(await anonymous.get(f"/api/certificates/{number}"))
    assert lookup["replaced_by"] == new["number"] and lookup["status"] == "expired"
    assert (await ok(await anonymous.get(f"/api/certificates/{new['number']}")))["replaces"] == number


async def test_noting_a_change_keeps_it_on_the_certificates_history(world: World) -> None:
    s, _number = await certified(world)
    shop_page = (await s.owner.get(f"/butiker/{s.business_id}")).text
    assert f'action="/butiker/{s.business_id}/forandring"' in shop_page
    response = await submit(
        s.owner,
        f"/butiker/{s.business_id}",
        f"/butiker/{s.business_id}/forandring",
        {"typ": "till", "beskrivning": "Nytt kassasystem med sluten kontanthantering."},
        files=[("fil", ("kassa.png", PNG, "image/png"))],
    )
    assert response.status_code == 303
    [change] = await ok(await s.owner.get(f"/api/businesses/{s.business_id}/material-changes"))
    assert change["kind"] == "till" and len(change["files"]) == 1

    page = (await s.kommun.get(f"/kommun/forandringar/{change['id']}")).text
    assert "Nytt kassasystem" in page and "Kan omfattas av sekretess" in page
    done = await submit(
        s.kommun,
        f"/kommun/forandringar/{change['id']}",
        f"/kommun/forandringar/{change['id']}/beslut",
        {"beslut": "note"},
    )
    assert done.status_code == 303
    noted = await ok(await s.kommun.get(f"/api/material-changes/{change['id']}"))
    assert noted["state"] == "noted" and noted["reinspection_id"] is None
    case = await ok(await s.owner.get(f"/api/applications/{s.case_id}"))
    assert case["state"] == "certified" and case["certificate"]["status"] == "valid"
    events = await ok(await s.owner.get(f"/api/applications/{s.case_id}/events"))
    assert "material_change_noted" in [e["action"] for e in events]
    shop_page = (await s.owner.get(f"/butiker/{s.business_id}")).text
    assert "Kommunen noterade den anmälda förändringen" in html.unescape(shop_page)


async def test_others_get_404(world: World) -> None:
    s, _number = await certified(world)
    change = await report(s)
    file = await ok(
        await s.owner.post(
            f"/api/material-changes/{change['id']}/files", files={"file": ("larm.png", PNG, "image/png")}
        ),
        201,
    )
    _id, other_owner = await world.client_for(Role.owner)
    await world.kommun("2080", "Falu kommun")
    _id, other_kommun = await world.client_for(Role.kommun, ["2080"])
    for client in (other_owner, other_kommun):
        for path in (
            f"/api/material-changes/{change['id']}",
            f"/api/material-change-files/{file['id']}",
            f"/api/businesses/{s.business_id}/material-changes",
        ):
            assert (await client.get(path)).status_code == 404, path
    reported = await other_owner.post(f"/api/businesses/{s.business_id}/material-changes", json=ALARM)
    assert reported.status_code == 404
    decided = await other_kommun.post(
        f"/api/material-changes/{change['id']}/decision", json={"decision": "note"}
    )
    assert decided.status_code == 404
    assert (await other_kommun.get(f"/kommun/forandringar/{change['id']}")).status_code == 404
    assert await ok(await other_kommun.get("/api/material-changes")) == []
    # The shop's own owner and kommun read the file.
    assert (await s.kommun.get(f"/api/material-change-files/{file['id']}")).content == PNG
    # Every read of it is in the kommun's access log, like evidence.
    log = await ok(await s.kommun.get("/api/evidence-reads"))
    assert [(r["kind"], r["evidence_id"]) for r in log["reads"]] == [("change_file", file["id"])]


async def test_only_a_certified_shop_reports(world: World) -> None:
    s = await Scenario.create(world)
    response = await s.owner.post(f"/api/businesses/{s.business_id}/material-changes", json=ALARM)
    assert response.status_code == 422 and response.json()["extra"]["code"] == "change_needs_certificate"
    empty = await s.owner.post(
        f"/api/businesses/{s.business_id}/material-changes", json={"kind": "alarm", "description": ""}
    )
    assert empty.status_code == 400
