"""The kommun's document register: every document in and out of a case, registered with the event
that brought it in or sent it out; the kommun's page, CSV export and API, and nobody else's."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import httpx

from certify.domain.status import Role
from tests.conftest import World
from tests.integration.pages import PNG
from tests.integration.scenario import Scenario, ok

COMMENT = "Larmknappen sitter under disken vid kassa 2"  # a security detail the register must not show
SECRET = "Kan omfattas av sekretess (18 kap. 8 § OSL)"


async def _upload(s: Scenario, client: httpx.AsyncClient, name: str) -> dict[str, Any]:
    return await ok(
        await client.post(
            f"/api/applications/{s.case_id}/evidence",
            params={"point": 7},
            files={"file": (name, PNG, "image/png")},
        ),
        201,
    )


async def _register(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    return await ok(await client.get("/api/register/documents", params=params))


def _kinds(entries: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(e["direction"], e["kind"]) for e in entries]


async def test_every_document_in_and_out_of_a_case_is_registered(world: World) -> None:
    s = await Scenario.create(world)
    first = await _upload(s, s.owner, "larmknapp-kassa2.png")
    await _upload(s, s.owner, "sedelbox.png")
    assert await _register(s.kommun) == []  # a draft's files have not come in yet
    await s.answer_all()
    await ok(await s.answer(7, "fulfilled", COMMENT))
    await s.to_state("corrections_required")
    await _upload(s, s.owner, "nytt-lås.png")  # sent in while the case is open: comes in at once
    await ok(await s.act(s.owner, "report_corrections", comment=COMMENT))
    await s.judge_all()
    await _upload(s, s.inspector, "inspektorens-bild.png")  # the kommun's own photo: nothing comes in
    await ok(await s.act(s.inspector, "approve"))
    await ok(await s.owner.patch(f"/api/businesses/{s.business_id}", json={"name": "Nya Järnhandeln"}))
    await ok(await s.act(s.kommun, "revoke", reason="Butiken har flyttat."))

    entries = await _register(s.kommun)
    case = await s.case()
    assert _kinds(entries) == [
        ("in", "self_assessment"),
        ("in", "evidence"),
        ("in", "evidence"),
        ("out", "corrections_decision"),
        ("in", "evidence"),
        ("in", "corrections_report"),
        ("out", "approval"),
        ("in", "business_change"),
        ("out", "revocation"),
    ]
    assert {e["diarienummer"] for e in entries} == {case["diarienummer"]}
    assert {e["case_id"] for e in entries} == {s.case_id}
    assert {e["counterpart"] for e in entries} == {"Åkes Järn & Färg 1"}
    marked = {e["kind"] for e in entries if e["secrecy_marking"] == SECRET}
    assert marked == {"self_assessment", "evidence", "corrections_decision", "corrections_report"}
    assert entries[1]["description"] == f"Bilaga till egenkontrollen (fil {first['id']})"
    assert case["certificate"]["number"] in entries[6]["description"]
    everything = str(entries)
    for secret in (COMMENT, "larmknapp", "Punkt 4", "flyttat"):
        assert secret not in everything


async def test_a_rejection_goes_out(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("rejected")
    entries = await _register(s.kommun)
    assert _kinds(entries)[-1] == ("out", "rejection")
    assert entries[-1]["secrecy"] == "osl_18_8"


async def test_filters_by_day_case_and_direction(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("corrections_required")
    other = await Scenario.create_in(world, s)
    await other.to_state("submitted")
    assert _kinds(await _register(s.kommun, case=s.case_id)) == [
        ("in", "self_assessment"),
        ("out", "corrections_decision"),
    ]
    assert _kinds(await _register(s.kommun, direction="out")) == [("out", "corrections_decision")]
    today = date.today()
    assert len(await _register(s.kommun, **{"from": today.isoformat(), "to": today.isoformat()})) == 3
    assert await _register(s.kommun, **{"from": (today + timedelta(days=2)).isoformat()}) == []
    assert await _register(s.kommun, to=(today - timedelta(days=2)).isoformat()) == []
    assert (await s.kommun.get("/api/register/documents", params={"from": "igår"})).status_code == 400


async def test_another_kommun_and_other_roles_get_nothing(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("submitted")
    await world.kommun("2080", "Falu kommun")
    _, falun = await world.client_for(Role.kommun, ["2080"])
    assert await _register(falun) == []
    assert await _register(falun, case=s.case_id) == []
    assert (await s.owner.get("/api/register/documents")).status_code == 403
    assert (await s.inspector.get("/api/register/documents")).status_code == 403
    assert (await world.new_client().get("/api/register/documents")).status_code == 401
    page = await falun.get("/kommun/diarium")
    assert page.status_code == 200 and "Åkes Järn" not in page.text


async def test_the_page_and_its_csv_export(world: World) -> None:
    s = await Scenario.create(world)
    await ok(await s.owner.patch(f"/api/businesses/{s.business_id}", json={"name": "=HYPERLINK(1)"}))
    await s.to_state("corrections_required")
    number = (await s.case())["diarienummer"]
    page = await s.kommun.get("/kommun/diarium", params={"riktning": "in"})
    assert page.status_code == 200
    assert number in page.text and "Ansökan om certifiering med egenkontroll" in page.text
    assert "Beslut: brister att åtgärda" not in page.text
    assert "/kommun/diarium.csv?riktning=in" in page.text
    bad = await s.kommun.get("/kommun/diarium", params={"fran": "1 december"})
    assert bad.status_code == 400 and 'id="f-fran-error"' in bad.text
    export = await s.kommun.get("/kommun/diarium.csv")
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Datum",
        "Diarienummer",
        "Riktning",
        "Avsändare eller mottagare",
        "Beskrivning",
        "Sekretess",
    ]
    assert [r[2] for r in rows[1:]] == ["Inkommande", "Utgående"]
    assert {r[1] for r in rows[1:]} == {number}
    assert {r[3] for r in rows[1:]} == {"'=HYPERLINK(1)"}  # never a formula in the kommun's spreadsheet
