"""The evidence access log: reads are audited there, not in the case's story (the timeline)."""

from __future__ import annotations

import importlib

from certify.domain.status import Role
from certify.services.clock import now
from certify.tables import Event, EvidenceRead
from tests.conftest import World
from tests.integration.pages import PNG
from tests.integration.scenario import Scenario, ok, shop_fields

LEGACY_MIGRATION = importlib.import_module("migrations.certify_2026_12_01t15_00_00_000000")


async def _upload(s: Scenario, point: int, name: str = "kassan.png") -> int:
    created = await ok(
        await s.owner.post(
            f"/api/applications/{s.case_id}/evidence",
            params={"point": point},
            files={"file": (name, PNG, "image/png")},
        ),
        201,
    )
    return int(created["id"])


async def test_twenty_views_leave_the_story_alone_and_fill_the_access_log(world: World) -> None:
    s = await Scenario.create(world)
    evidence_id = await _upload(s, point=4)
    for reader in [s.owner] * 10 + [s.kommun] * 10:
        assert (await reader.get(f"/api/evidence/{evidence_id}")).status_code == 200

    events = await ok(await s.owner.get(f"/api/applications/{s.case_id}/events"))
    assert [e["action"] for e in events] == ["open", "evidence_added"]
    shop_page = await s.owner.get(f"/butiker/{s.business_id}")
    assert "read" not in shop_page.text.lower().split('id="timeline-title"')[1]
    kommun_page = await s.kommun.get(f"/kommun/arenden/{s.case_id}")
    story = kommun_page.text.split('id="timeline-title"')[1]
    assert "read" not in story.lower() and story.count("<li>") == 2

    log = await ok(await s.kommun.get("/api/evidence-reads", params={"application_id": s.case_id}))
    assert log["total"] == 20 and len(log["reads"]) == 20
    newest = log["reads"][0]
    assert newest["evidence_id"] == evidence_id and newest["file_name"] == "kassan.png"
    assert newest["point"] == 4 and newest["kind"] == "file" and newest["application_id"] == s.case_id
    assert "kommun3@example.se" in newest["reader"] and newest["shop_name"].startswith("Åkes Järn")
    assert sum("owner1@example.se" in r["reader"] for r in log["reads"]) == 10

    page = await s.kommun.get("/kommun/atkomstlogg", params={"arende": str(s.case_id)})
    assert page.status_code == 200
    assert "20 läsningar i ärende" in page.text and page.text.count("kassan.png") == 20
    assert f'href="/kommun/atkomstlogg?arende={s.case_id}"' in kommun_page.text


async def test_the_log_is_the_kommuns_own_and_filters_by_case(world: World) -> None:
    s = await Scenario.create(world)
    other = await Scenario.create_in(world, s)
    first, second = await _upload(s, 1, "a.png"), await _upload(other, 2, "b.png")
    await ok_read(s, first)
    await ok_read(s, second)
    await ok_read(s, second)

    everything = await ok(await s.kommun.get("/api/evidence-reads"))
    assert [r["file_name"] for r in everything["reads"]] == ["b.png", "b.png", "a.png"]
    only_first = await ok(await s.kommun.get("/api/evidence-reads", params={"application_id": s.case_id}))
    assert [r["file_name"] for r in only_first["reads"]] == ["a.png"]
    page = await s.kommun.get("/kommun/atkomstlogg", params={"arende": str(other.case_id)})
    assert page.text.count("b.png") == 2 and "a.png" not in page.text
    assert "3 läsningar" in (await s.kommun.get("/kommun/atkomstlogg", params={"arende": "²"})).text

    await world.kommun("2080", "Falu kommun")
    _, elsewhere = await world.client_for(Role.kommun, ["2080"])
    assert (await ok(await elsewhere.get("/api/evidence-reads")))["total"] == 0
    assert (await s.owner.get("/api/evidence-reads")).status_code == 403
    assert (await s.inspector.get("/api/evidence-reads")).status_code == 403
    assert (await s.owner.get("/kommun/atkomstlogg")).status_code in {302, 303, 403}
    assert (await s.kommun.get("/api/evidence-reads", params={"application_id": 2**40})).status_code == 400


async def ok_read(s: Scenario, evidence_id: int) -> None:
    assert (await s.kommun.get(f"/api/evidence/{evidence_id}")).status_code == 200


async def test_read_events_of_old_are_moved_to_the_log_and_out_of_the_story(world: World) -> None:
    """What an upgraded installation holds: reads recorded as case events before the access log."""
    s = await Scenario.create(world)
    evidence_id = await _upload(s, point=5, name="dörren.png")
    for _ in range(3):
        await Event.insert(
            Event(
                application=s.case_id,
                actor=s.kommun_id,
                actor_label="Karin <kommun3@example.se>",
                action="evidence_read",
                detail={"evidence_id": evidence_id, "point": 5},
                at=now(),
            )
        ).run()

    events = await ok(await s.owner.get(f"/api/applications/{s.case_id}/events"))
    assert "evidence_read" not in {e["action"] for e in events}
    shop_page = await s.owner.get(f"/butiker/{s.business_id}")
    assert "Evidence read" not in shop_page.text

    engine = EvidenceRead._meta.db
    await EvidenceRead.raw(LEGACY_MIGRATION.copy_reads(engine.engine_type)).run()
    log = await ok(await s.kommun.get("/api/evidence-reads"))
    assert log["total"] == 3
    assert {(r["file_name"], r["point"], r["reader"]) for r in log["reads"]} == {
        ("dörren.png", 5, "Karin <kommun3@example.se>")
    }


async def test_reading_a_fullmakt_is_in_the_kommuns_access_log(world: World) -> None:
    """A fullmakt names who acts for a company: each read is logged like evidence, with the shop's
    newest case, or the shop alone while it has none."""
    s = await Scenario.create(world)
    rep = await ok(
        await s.owner.post(
            f"/api/businesses/{s.business_id}/representation/fullmakt",
            files={"file": ("fullmakt.png", PNG, "image/png")},
        )
    )
    for reader in (s.kommun, s.owner):
        assert (await reader.get(f"/api/representatives/{rep['id']}/fullmakt")).status_code == 200
    log = await ok(await s.kommun.get("/api/evidence-reads", params={"application_id": s.case_id}))
    assert [(r["kind"], r["representative_id"], r["file_name"]) for r in log["reads"]] == [
        ("fullmakt", rep["id"], "fullmakt.png"),
        ("fullmakt", rep["id"], "fullmakt.png"),
    ]
    assert "owner" in log["reads"][0]["reader"] and "kommun" in log["reads"][1]["reader"]
    events = await ok(await s.owner.get(f"/api/applications/{s.case_id}/events"))
    assert "read" not in " ".join(e["action"] for e in events), "not in the case's story"

    # A shop without a case yet: the read is the shop's.
    _, other = await world.client_for(Role.owner)
    shop = await ok(await other.post("/api/businesses", json=shop_fields(7)), 201)
    theirs = await ok(
        await other.post(
            f"/api/businesses/{shop['id']}/representation/fullmakt",
            files={"file": ("ombud.png", PNG, "image/png")},
        )
    )
    assert (await s.kommun.get(f"/api/representatives/{theirs['id']}/fullmakt")).status_code == 200
    newest = (await ok(await s.kommun.get("/api/evidence-reads")))["reads"][0]
    assert (newest["application_id"], newest["shop_name"], newest["file_name"]) == (
        None,
        shop["name"],
        "ombud.png",
    )
    page = (await s.kommun.get("/kommun/atkomstlogg")).text
    assert "Fullmakt: <bdi>ombud.png</bdi>" in page and page.count("Fullmakt: <bdi>fullmakt.png</bdi>") == 2

    # Refused reads are not logged, and another kommun sees none of it.
    _, stranger = await world.client_for(Role.owner)
    assert (await stranger.get(f"/api/representatives/{rep['id']}/fullmakt")).status_code == 404
    assert (await ok(await s.kommun.get("/api/evidence-reads")))["total"] == 3
    await world.kommun("2080", "Falu kommun")
    _, falun = await world.client_for(Role.kommun, ["2080"])
    assert (await ok(await falun.get("/api/evidence-reads")))["total"] == 0
