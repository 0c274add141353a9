"""Nothing is destroyed without the kommun's decision, past the case's own rows: a representative's
fullmakt outlives his removal, his leaving and his closed account (without his name) until the plan's
case data line destroys it; the files sent with a reported material change go with the case's
evidence; and the plan's years count from the day the case ended, not from its last touch (both
databases)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from certify.domain.retention import KINDS
from certify.domain.status import Role
from certify.services import jobs
from certify.tables import Application, Event, EvidenceRead, MaterialChangeFile, RetentionPurge
from migrations.certify_2026_12_14t14_00_00_000000 import backfill
from tests.conftest import PASSWORD, World
from tests.integration.pages import PNG
from tests.integration.scenario import Scenario, ok

DECISION = "KS 2025/118 § 45"


async def _put_plan(client: httpx.AsyncClient, purge: dict[str, int]) -> None:
    lines = [
        {"kind": k.value, "action": "purge", "years": purge[k.value], "decision": DECISION}
        if k.value in purge
        else {"kind": k.value, "action": "keep", "decision": DECISION}
        for k in KINDS
    ]
    await ok(await client.put("/api/kommun/retention/plan", json={"lines": lines}))


def _ago(years: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=365 * years + 10)


async def _ended_years_ago(case_id: int, years: int) -> None:
    await Application.update({Application.closed_at: _ago(years)}).where(Application.id == case_id).run()


async def _colleague_with_fullmakt(world: World, s: Scenario) -> tuple[httpx.AsyncClient, int, bytes]:
    """A second representative, invited and accepted, who uploads a fullmakt; his row id and the
    fullmakt's bytes as the kommun reads them."""
    await ok(
        await s.owner.post(
            f"/api/businesses/{s.business_id}/representatives/invite", json={"email": "kollega@example.se"}
        ),
        201,
    )
    mail = next(
        m for m in await ok(await s.kommun.get("/api/outbox")) if m["kind"] == "representative_invitation"
    )
    token = next(line for line in mail["body_text"].splitlines() if "/inbjudan/" in line).rsplit("/", 1)[1]
    _, colleague = await world.client_for(Role.owner)
    await ok(await colleague.post(f"/api/invitations/{token}/claim"))
    await ok(
        await colleague.post(
            f"/api/businesses/{s.business_id}/representation/fullmakt",
            files={"file": ("fullmakt.png", PNG, "image/png")},
        )
    )
    me = await ok(await colleague.get("/api/me"))
    reps = await ok(await s.kommun.get(f"/api/businesses/{s.business_id}/representatives"))
    rep_id = next(r["id"] for r in reps if r["name"] == me["name"])
    content = (await s.kommun.get(f"/api/representatives/{rep_id}/fullmakt")).content
    assert content
    return colleague, rep_id, content


async def _kept(s: Scenario) -> list[dict[str, Any]]:
    return await ok(await s.kommun.get(f"/api/businesses/{s.business_id}/kept-fullmakter"))  # type: ignore[no-any-return]


async def _fullmakt_reads(rep_id: int) -> int:
    return (
        await EvidenceRead.count()
        .where((EvidenceRead.kind == "fullmakt") & (EvidenceRead.representative_id == rep_id))
        .run()
    )


async def _purge_details(case_id: int) -> dict[str, dict[str, int]]:
    rows = (
        await RetentionPurge.select(RetentionPurge.kind, RetentionPurge.detail)
        .where(RetentionPurge.application == case_id)
        .output(load_json=True)
        .run()
    )
    return {row["kind"]: row["detail"] for row in rows}


async def test_a_closed_accounts_fullmakt_stays_for_the_kommun_without_his_name_until_the_plan(
    world: World,
) -> None:
    s = await Scenario.create(world)
    colleague, rep_id, content = await _colleague_with_fullmakt(world, s)
    await ok(await s.owner.post(f"/api/applications/{s.case_id}/withdraw", json={}))

    await ok(await colleague.post("/api/me/close", json={"password": PASSWORD}), 204)

    [kept] = await _kept(s)
    assert (kept["person_name"], kept["reason"], kept["application_id"]) == (
        "(borttaget)",
        "account_closed",
        s.case_id,
    )
    reads = await _fullmakt_reads(rep_id)
    file = await s.kommun.get(f"/api/kept-fullmakter/{kept['id']}/file")
    assert file.status_code == 200 and file.content == content
    assert file.headers["content-disposition"].startswith("attachment")
    assert await _fullmakt_reads(rep_id) == reads + 1, "the read is in the kommun's access log"
    await world.kommun("2080", "Falu kommun")
    _, falun = await world.client_for(Role.kommun, ["2080"])
    for client, status in ((falun, 404), (s.owner, 403), (s.inspector, 403)):
        for path in (
            f"/api/kept-fullmakter/{kept['id']}/file",
            f"/api/businesses/{s.business_id}/kept-fullmakter",
        ):
            assert (await client.get(path)).status_code == status, path

    await _ended_years_ago(s.case_id, 40)
    assert (await jobs.tick()).purged == [], "without a plan nothing goes"
    assert len(await _kept(s)) == 1
    await _put_plan(s.kommun, {"case_data": 10})
    assert [(p.case_id, p.kind.value) for p in (await jobs.tick()).purged] == [(s.case_id, "case_data")]
    assert await _kept(s) == []
    assert (await s.kommun.get(f"/api/kept-fullmakter/{kept['id']}/file")).status_code == 404
    assert (await _purge_details(s.case_id))["case_data"]["fullmakter"] == 1


async def test_a_removed_representatives_fullmakt_and_a_replaced_one_stay_until_the_plan(
    world: World,
) -> None:
    s = await Scenario.create(world)
    colleague, rep_id, content = await _colleague_with_fullmakt(world, s)
    me = await ok(await colleague.get("/api/me"))
    await ok(
        await colleague.post(
            f"/api/businesses/{s.business_id}/representation/fullmakt",
            files={"file": ("ny-fullmakt.png", PNG, "image/png")},
        )
    )
    removed = await s.owner.delete(f"/api/businesses/{s.business_id}/representatives/{rep_id}")
    assert removed.status_code in (200, 204)

    kept = await _kept(s)
    assert [(k["person_name"], k["reason"], k["file_name"]) for k in kept] == [
        (me["name"], "replaced", "fullmakt.png"),
        (me["name"], "removed", "ny-fullmakt.png"),
    ]
    assert (await s.kommun.get(f"/api/kept-fullmakter/{kept[0]['id']}/file")).content == content
    case_page = (await s.kommun.get(f"/kommun/arenden/{s.case_id}")).text
    assert "Fullmakter från tidigare företrädare" in case_page
    assert f'href="/api/kept-fullmakter/{kept[1]["id"]}/file"' in case_page and "ny-fullmakt.png" in case_page
    await ok(await s.owner.post(f"/api/applications/{s.case_id}/withdraw", json={}))
    await _put_plan(s.kommun, {"case_data": 3, "audit": 3})
    await _ended_years_ago(s.case_id, 2)
    assert (await jobs.tick()).purged == [], "not before the plan's years"
    assert len(await _kept(s)) == 2
    await _ended_years_ago(s.case_id, 4)
    await jobs.tick()
    assert await _kept(s) == []
    assert (await _purge_details(s.case_id))["case_data"]["fullmakter"] == 2


async def test_a_persons_own_data_lists_the_fullmakter_kept_about_him_without_their_files(
    world: World,
) -> None:
    s = await Scenario.create(world)
    colleague, rep_id, _ = await _colleague_with_fullmakt(world, s)
    await ok(
        await colleague.post(
            f"/api/businesses/{s.business_id}/representation/fullmakt",
            files={"file": ("ny-fullmakt.png", PNG, "image/png")},
        )
    )
    await ok(await s.owner.delete(f"/api/businesses/{s.business_id}/representatives/{rep_id}"), 204)
    shop = await ok(await s.owner.get(f"/api/businesses/{s.business_id}"))

    mine = (await ok(await colleague.get("/api/me/data")))["my_kept_fullmakter"]
    assert [(k["shop_id"], k["shop_name"], k["file_name"], k["reason"]) for k in mine] == [
        (s.business_id, shop["name"], "fullmakt.png", "replaced"),
        (s.business_id, shop["name"], "ny-fullmakt.png", "removed"),
    ]
    assert all(k["uploaded_at"] and k["kept_at"] and k["content_type"] == "image/png" for k in mine)
    assert not any("content" in k for k in mine), "names and dates, not the file"
    page_download = await colleague.get("/mitt-konto/mina-uppgifter.json")
    assert [k["file_name"] for k in page_download.json()["my_kept_fullmakter"]] == [
        "fullmakt.png",
        "ny-fullmakt.png",
    ]
    owners = (await ok(await s.owner.get("/api/me/data")))["my_kept_fullmakter"]
    assert owners == [], "another person's kept fullmakt is not in my data"


async def test_files_of_a_reported_change_go_with_the_cases_evidence_logged(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("certified")
    change = await ok(
        await s.owner.post(
            f"/api/businesses/{s.business_id}/material-changes",
            json={"kind": "alarm", "description": "Larmet är flyttat."},
        ),
        201,
    )
    await ok(
        await s.owner.post(
            f"/api/material-changes/{change['id']}/files", files={"file": ("larm.png", PNG, "image/png")}
        ),
        201,
    )
    await ok(await s.act(s.kommun, "revoke", reason="Butiken har upphört."))
    files = MaterialChangeFile.count().where(MaterialChangeFile.change == change["id"])
    await _put_plan(s.kommun, {"evidence": 5})
    await _ended_years_ago(s.case_id, 4)
    await jobs.tick()
    assert await files.run() == 1, "kept until the plan's years have passed"

    await _ended_years_ago(s.case_id, 6)
    assert [(p.case_id, p.kind.value) for p in (await jobs.tick()).purged] == [(s.case_id, "evidence")]
    assert await MaterialChangeFile.count().where(MaterialChangeFile.change == change["id"]).run() == 0
    assert (await _purge_details(s.case_id))["evidence"]["change_files"] == 1
    still = await ok(await s.kommun.get(f"/api/material-changes/{change['id']}"))
    assert still["files"] == [], "the report stays, its files are gone"


async def test_the_years_count_from_the_day_the_case_ended_not_its_last_touch(world: World) -> None:
    s = await Scenario.create(world)
    await ok(await s.owner.post(f"/api/applications/{s.case_id}/withdraw", json={}))
    row = await Application.select(Application.closed_at).where(Application.id == s.case_id).first().run()
    assert row is not None and row["closed_at"] is not None, "the workflow notes when the case ended"
    recent = await Scenario.create_in(world, s)
    await ok(await recent.owner.post(f"/api/applications/{recent.case_id}/withdraw", json={}))
    await _put_plan(s.kommun, {"self_assessment": 3})

    await _ended_years_ago(s.case_id, 4)
    await (
        Application.update({Application.updated_at: datetime.now(UTC)})
        .where(Application.id == s.case_id)
        .run()
    )
    await Application.update({Application.updated_at: _ago(10)}).where(Application.id == recent.case_id).run()

    purged = (await jobs.tick()).purged
    assert [(p.case_id, p.kind.value) for p in purged] == [(s.case_id, "self_assessment")]


async def test_the_migration_dates_cases_that_had_ended_before_it_by_the_event_that_ended_them(
    world: World,
) -> None:
    s = await Scenario.create(world)
    await ok(await s.owner.post(f"/api/applications/{s.case_id}/withdraw", json={}))
    ended = (
        await Event.select(Event.at)
        .where((Event.application == s.case_id) & (Event.to_state == "withdrawn"))
        .first()
        .run()
    )
    assert ended is not None
    await (
        Application.update({Application.closed_at: None, Application.updated_at: datetime.now(UTC)})
        .where(Application.id == s.case_id)
        .run()
    )
    open_case = await Scenario.create_in(world, s)

    await backfill()

    rows = (
        await Application.select(Application.id, Application.closed_at)
        .where(Application.id.is_in([s.case_id, open_case.case_id]))
        .run()
    )
    assert {r["id"]: r["closed_at"] for r in rows} == {s.case_id: ended["at"], open_case.case_id: None}


async def test_a_fullmakt_kept_after_its_cases_data_is_gone_follows_the_shops_next_case(world: World) -> None:
    s = await Scenario.create(world)
    _, rep_id, _ = await _colleague_with_fullmakt(world, s)
    await ok(await s.owner.post(f"/api/applications/{s.case_id}/withdraw", json={}))
    await _ended_years_ago(s.case_id, 4)
    await _put_plan(s.kommun, {"case_data": 3})
    await jobs.tick()
    assert "case_data" in await _purge_details(s.case_id)
    later = await ok(await s.owner.post(f"/api/businesses/{s.business_id}/applications"), 201)

    await ok(await s.owner.delete(f"/api/businesses/{s.business_id}/representatives/{rep_id}"), 204)

    [kept] = await _kept(s)
    assert kept["application_id"] == later["id"], "it goes with the case data of a case not yet destroyed"
