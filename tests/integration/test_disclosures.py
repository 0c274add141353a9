"""Utlämnande: the kommun records its decision on handing out a marked document to someone outside
the case (who asked, the assessment, the decision's reference); the register lists it going out."""

from __future__ import annotations

from typing import Any

from certify.domain.status import Role
from tests.conftest import World
from tests.integration.pages import submit
from tests.integration.scenario import Scenario, ok

MARKING = "Kan omfattas av sekretess (18 kap. 8 § OSL)"


async def register_of(s: Scenario) -> list[dict[str, Any]]:
    return await ok(await s.kommun.get("/api/register/documents", params={"case": s.case_id}))


async def test_a_decision_on_a_marked_document_goes_into_the_register_and_the_audit_trail(
    world: World,
) -> None:
    s = await Scenario.create(world)
    await s.to_state("corrections_required")
    protocol = next(d for d in await register_of(s) if d["kind"] == "corrections_decision")
    body = {
        "document_id": protocol["id"],
        "requester": "Kim Reporter",
        "assessment": "released_in_part",
        "decision": "KS 2026/140 § 12",
    }
    entry = await ok(await s.kommun.post(f"/api/applications/{s.case_id}/disclosures", json=body), 201)
    assert entry["direction"] == "out" and entry["kind"] == "disclosure"
    assert entry["counterpart"] == "Kim Reporter" and entry["secrecy_marking"] == MARKING
    assert "lämnas ut delvis" in entry["description"] and "KS 2026/140 § 12" in entry["description"]
    assert "besiktningsprotokoll" in entry["description"], "names the document asked for"
    assert (await register_of(s))[-1] == entry

    events = await ok(await s.kommun.get(f"/api/applications/{s.case_id}/events"))
    decided = [e for e in events if e["action"] == "disclosure_decided"]
    assert len(decided) == 1 and decided[0]["detail"]["requester"] == "Kim Reporter"
    assert decided[0]["detail"]["assessment"] == "released_in_part"


async def test_wrong_fields_are_named_and_nothing_is_registered(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("certified")
    register = await register_of(s)
    marked = next(d for d in register if d["secrecy"])
    unmarked = next(d for d in register if d["kind"] == "approval")
    good = {"document_id": marked["id"], "requester": "Anonym", "assessment": "refused", "decision": "§ 3"}
    url = f"/api/applications/{s.case_id}/disclosures"
    for field, value in (
        ("requester", "  "),
        ("assessment", "maybe"),
        ("decision", ""),
        ("document_id", unmarked["id"]),
    ):
        refused = await s.kommun.post(url, json={**good, field: value})
        assert refused.status_code == 400 and refused.json()["extra"]["field"] == field, refused.text
    assert await register_of(s) == register


async def test_only_the_kommun_of_the_case_decides(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("submitted")
    marked = next(d for d in await register_of(s) if d["secrecy"])
    body = {"document_id": marked["id"], "requester": "Anonym", "assessment": "refused", "decision": "§ 3"}
    url = f"/api/applications/{s.case_id}/disclosures"
    await world.kommun("2080", "Falun kommun")
    _, falun = await world.client_for(Role.kommun, ["2080"])
    assert (await falun.post(url, json=body)).status_code == 404
    assert (await s.inspector.post(url, json=body)).status_code == 403
    assert (await s.owner.post(url, json=body)).status_code == 403
    assert not [d for d in await register_of(s) if d["kind"] == "disclosure"]


async def test_the_case_page_form_records_it_and_words_a_missing_field(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("submitted")
    page = f"/kommun/arenden/{s.case_id}"
    html = (await s.kommun.get(page)).text
    assert "Utlämnande av sekretessmarkerad handling" in html and MARKING in html
    marked = next(d for d in await register_of(s) if d["kind"] == "self_assessment")
    form = {"handling": str(marked["id"]), "begard-av": "", "bedomning": "released", "beslut": "§ 4"}
    action = f"{page}/utlamnande"
    refused = await submit(s.kommun, page, action, form)
    assert refused.status_code == 400 and "Skriv vem som begärde handlingen" in refused.text
    assert 'value="released" id="f-bedomning" checked' in refused.text, "the form keeps what was chosen"
    done = await submit(s.kommun, page, action, {**form, "begard-av": "Kim Reporter"})
    assert done.status_code == 303 and done.headers["location"].endswith("?klart=utlamnande")
    entry = (await register_of(s))[-1]
    assert entry["kind"] == "disclosure" and entry["counterpart"] == "Kim Reporter"
    diarium = (await s.kommun.get("/kommun/diarium")).text
    assert "Kim Reporter" in diarium and "lämnas ut" in diarium
