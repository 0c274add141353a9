"""Retention by the kommun's decision: nothing is destroyed without the kommun's plan; with one,
exactly the kinds it destroys, in cases closed longer ago than its years, each logged; what it
keeps survives; an account closing destroys nothing; one kommun's plan never touches another's
cases; only the kommun itself reads and writes its plan."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from certify.domain.retention import KINDS
from certify.domain.status import Role
from certify.services import jobs
from certify.tables import (
    Account,
    Answer,
    Application,
    Business,
    Certificate,
    Event,
    Evidence,
    EvidenceRead,
    OutboxMessage,
    Protocol,
    RetentionPurge,
    Verdict,
)
from tests.conftest import PASSWORD, World
from tests.integration.pages import PNG, submit
from tests.integration.scenario import Scenario, ok, visit_time

DECISION = "KS 2025/118 § 45"
NO_PLAN = "ingen gallringsplan inlagd"


def _plan(purge: dict[str, int] | None = None, decision: str = DECISION) -> dict[str, Any]:
    """A whole plan: the kinds in `purge` destroyed after so many years, the others kept."""
    purge = purge or {}
    return {
        "lines": [
            {"kind": kind.value, "action": "purge", "years": purge[kind], "decision": decision}
            if kind in purge
            else {"kind": kind.value, "action": "keep", "decision": decision}
            for kind in KINDS
        ]
    }


async def _put_plan(client: httpx.AsyncClient, purge: dict[str, int] | None = None) -> dict[str, Any]:
    return await ok(await client.put("/api/kommun/retention/plan", json=_plan(purge)))  # type: ignore[no-any-return]


async def _upload(s: Scenario, point: int = 1) -> int:
    created = await ok(
        await s.owner.post(
            f"/api/applications/{s.case_id}/evidence",
            params={"point": point},
            files={"file": ("foto.png", PNG, "image/png")},
        ),
        201,
    )
    return int(created["id"])


async def _closed_case(s: Scenario, comment: str = "Kalle Anka räknar kassan") -> None:
    """A case with answers, a comment, a file that was read, e-mails and events, then withdrawn."""
    await s.answer_all()
    await ok(await s.answer(1, "fulfilled", comment))
    evidence_id = await _upload(s)
    assert (await s.kommun.get(f"/api/evidence/{evidence_id}")).status_code == 200
    await ok(await s.act(s.owner, "submit"))
    await ok(await s.act(s.owner, "withdraw"))


async def _close_years_ago(case_id: int, years: int) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=365 * years + 10)
    await Application.update({Application.closed_at: long_ago}).where(Application.id == case_id).run()


async def _counts(case_id: int) -> dict[str, int]:
    case_events = Event.select(Event.id).where(Event.application == case_id)
    return {
        "answers": await Answer.count().where(Answer.application == case_id).run(),
        "evidence": await Evidence.count().where(Evidence.application == case_id).run(),
        "verdicts": await Verdict.count().where(Verdict.application == case_id).run(),
        "emails": await OutboxMessage.count().where(OutboxMessage.event.is_in(case_events)).run(),
        "events": await Event.count().where(Event.application == case_id).run(),
        "reads": await EvidenceRead.count().where(EvidenceRead.application == case_id).run(),
    }


async def _purges(case_id: int) -> list[dict[str, Any]]:
    return await (  # type: ignore[no-any-return]
        RetentionPurge.select(RetentionPurge.kind, RetentionPurge.years, RetentionPurge.decision)
        .where(RetentionPurge.application == case_id)
        .order_by(RetentionPurge.id)
        .run()
    )


async def test_without_a_plan_nothing_is_purged_and_the_start_page_says_so(world: World) -> None:
    s = await Scenario.create(world)
    await _closed_case(s)
    await _close_years_ago(s.case_id, 40)
    before = await _counts(s.case_id)
    assert before["emails"] > 0 and before["reads"] > 0

    assert (await jobs.tick()).purged == []

    assert await _counts(s.case_id) == before
    assert await RetentionPurge.count().run() == 0
    comment = await Answer.select(Answer.comment).where(Answer.point == 1).first().run()
    assert comment == {"comment": "Kalle Anka räknar kassan"}
    plan = await ok(await s.kommun.get("/api/kommun/retention/plan"))
    assert plan == {"in_force": False, "lines": []}
    start = await s.kommun.get("/kommun/arenden")
    assert start.status_code == 200 and NO_PLAN in start.text and 'href="/kommun/gallring"' in start.text


async def test_a_plan_purges_exactly_its_kinds_after_its_years_and_logs_each(world: World) -> None:
    s = await Scenario.create(world)
    await _closed_case(s)
    recent = await Scenario.create_in(world, s)
    await _closed_case(recent, "Musse Pigg har nyckeln")
    await _close_years_ago(s.case_id, 3)
    await _close_years_ago(recent.case_id, 1)
    old_before, recent_before = await _counts(s.case_id), await _counts(recent.case_id)

    saved = await _put_plan(s.kommun, {"evidence": 2, "email": 2, "self_assessment": 5})
    assert saved["in_force"] and len(saved["lines"]) == len(KINDS)
    assert {line["kind"]: line["years"] for line in saved["lines"]}["evidence"] == 2
    start = await s.kommun.get("/kommun/arenden")
    assert NO_PLAN not in start.text

    report = await jobs.tick()

    assert {(p.case_id, p.kind.value) for p in report.purged} == {
        (s.case_id, "evidence"),
        (s.case_id, "email"),
    }
    after = await _counts(s.case_id)
    assert after["evidence"] == 0 and after["emails"] == 0, "the listed kinds older than their years go"
    assert after["answers"] == old_before["answers"], "a self-assessment is kept for five years"
    assert after["events"] == old_before["events"] and after["reads"] == old_before["reads"], "audit is kept"
    assert await _counts(recent.case_id) == recent_before, "a case closed a year ago is untouched"
    assert await _purges(s.case_id) == [
        {"kind": "evidence", "years": 2, "decision": DECISION},
        {"kind": "email", "years": 2, "decision": DECISION},
    ]
    assert (await jobs.tick()).purged == [], "each kind of a case is purged once"

    await _close_years_ago(s.case_id, 6)
    assert [(p.case_id, p.kind.value) for p in (await jobs.tick()).purged] == [(s.case_id, "self_assessment")]
    assert await Answer.count().where(Answer.application == s.case_id).run() == 0
    log = await ok(await s.kommun.get("/api/kommun/retention/purges"))
    assert [(e["case_id"], e["kind"], e["decision"]) for e in log] == [
        (s.case_id, "self_assessment", DECISION),
        (s.case_id, "email", DECISION),
        (s.case_id, "evidence", DECISION),
    ]
    assert log[2]["detail"] == {"files": 1, "change_files": 0} and log[0]["diarienummer"]
    page = await s.kommun.get("/kommun/gallring")
    assert page.status_code == 200 and DECISION in page.text and log[0]["diarienummer"] in page.text

    case = await ok(await s.kommun.get(f"/api/applications/{s.case_id}"))
    assert case["state"] == "withdrawn", "the case itself stays"


async def test_purging_every_kind_leaves_the_case_the_register_and_the_log(world: World) -> None:
    s = await Scenario.create(world)
    number = (await s.to_state("certified"))["certificate"]["number"]
    await ok(await s.act(s.kommun, "revoke", reason="Butiken har upphört."))
    await _close_years_ago(s.case_id, 11)
    await _put_plan(s.kommun, {kind.value: 10 for kind in KINDS})

    purged = (await jobs.tick()).purged

    assert [p.kind for p in purged] == list(KINDS)
    assert set((await _counts(s.case_id)).values()) == {0}
    certificate = (
        await Certificate.select(Certificate.pdf, Certificate.number)
        .where(Certificate.number == number)
        .first()
        .run()
    )
    assert certificate == {"pdf": None, "number": number}, "the file goes, the number stays checkable"
    public = await ok(await world.new_client().get(f"/api/certificates/{number}"))
    assert public["status"] == "revoked"
    shop = (
        await Business.select(Business.phone, Business.email)
        .where(Business.id == s.business_id)
        .first()
        .run()
    )
    assert shop == {"phone": "", "email": ""}
    assert len(await _purges(s.case_id)) == len(KINDS)
    for client, path, status in [
        (s.kommun, f"/kommun/arenden/{s.case_id}", 200),
        (s.kommun, f"/api/applications/{s.case_id}", 200),
        (s.kommun, f"/api/applications/{s.case_id}/events", 200),
        (s.owner, f"/api/applications/{s.case_id}", 200),
        (s.kommun, f"/arenden/{s.case_id}/intyg.pdf", 404),
        (s.kommun, f"/arenden/{s.case_id}/protokoll.pdf", 404),
    ]:
        shown = await client.get(path)
        assert shown.status_code == status, f"{path}: {shown.status_code}"
    case_page = await s.kommun.get(f"/kommun/arenden/{s.case_id}")
    assert "Gallrat enligt kommunens gallringsplan: Ärendeuppgifter, Egenkontroller" in case_page.text


async def test_documents_the_plan_keeps_survive_an_account_closing(world: World) -> None:
    s = await Scenario.create(world)
    await s.answer_all()
    await ok(await s.answer(3, "fulfilled", "Kassalådan låses alltid"))
    await _upload(s, point=3)
    await ok(await s.act(s.owner, "submit"))
    await ok(await s.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=visit_time()))
    await s.judge_all()
    await ok(await s.act(s.inspector, "approve"))
    await _put_plan(s.kommun)  # everything bevaras
    before = await _counts(s.case_id)
    pdf = await Certificate.select(Certificate.pdf).where(Certificate.application == s.case_id).first().run()
    assert pdf is not None and pdf["pdf"]

    await ok(await s.owner.post("/api/me/close", json={"password": PASSWORD}), 204)
    await jobs.tick()

    assert await _counts(s.case_id) == before
    kept = (
        await Answer.select(Answer.comment)
        .where((Answer.application == s.case_id) & (Answer.point == 3))
        .run()
    )
    assert kept == [{"comment": "Kassalådan låses alltid"}]
    assert (
        await Certificate.select(Certificate.pdf).where(Certificate.application == s.case_id).first().run()
        == pdf
    )
    events = await ok(await s.kommun.get(f"/api/applications/{s.case_id}/events"))
    assert all("owner1@example.se" not in e["actor"] for e in events), "the person is anonymised"


async def test_another_kommuns_plan_does_not_apply_to_this_kommuns_cases(world: World) -> None:
    s = await Scenario.create(world)
    await _closed_case(s)
    await _close_years_ago(s.case_id, 5)
    await world.kommun("2080", "Falu kommun")
    _, falun = await world.client_for(Role.kommun, ["2080"])
    shop = await s.new_shop(kommun_code="2080")
    falun_case = await ok(await s.owner.post(f"/api/businesses/{shop['id']}/applications"), 201)
    await ok(await s.owner.post(f"/api/applications/{falun_case['id']}/withdraw", json={}))
    await _close_years_ago(falun_case["id"], 5)
    before = await _counts(s.case_id)

    await _put_plan(falun, {kind.value: 1 for kind in KINDS})
    assert (await ok(await s.kommun.get("/api/kommun/retention/plan")))["in_force"] is False
    purged = (await jobs.tick()).purged

    assert {p.case_id for p in purged} == {falun_case["id"]}
    assert await _counts(s.case_id) == before
    assert await ok(await s.kommun.get("/api/kommun/retention/purges")) == []
    assert len(await ok(await falun.get("/api/kommun/retention/purges"))) == len(KINDS)


async def test_only_the_kommun_reads_and_writes_its_plan(world: World) -> None:
    s = await Scenario.create(world)
    for client in (s.owner, s.inspector):
        assert (await client.get("/api/kommun/retention/plan")).status_code == 403
        assert (await client.put("/api/kommun/retention/plan", json=_plan())).status_code == 403
        assert (await client.get("/api/kommun/retention/purges")).status_code == 403
        assert (await client.get("/kommun/gallring")).status_code == 403
    anonymous = world.new_client()
    assert (await anonymous.get("/api/kommun/retention/plan")).status_code == 401
    assert (await anonymous.put("/api/kommun/retention/plan", json=_plan())).status_code == 401


async def test_a_plan_must_be_whole_and_name_its_decisions(world: World) -> None:
    s = await Scenario.create(world)
    whole = _plan({"evidence": 2})
    cases: list[tuple[dict[str, Any], str]] = [
        ({"lines": whole["lines"][:-1]}, "lines"),
        ({"lines": [*whole["lines"], whole["lines"][0]]}, "lines"),
        (_plan({"evidence": 2}, decision=" "), "lines.case_data.decision"),
        (
            {
                "lines": [
                    {**line, "years": None} if line["kind"] == "evidence" else line for line in whole["lines"]
                ]
            },
            "lines.evidence.years",
        ),
    ]
    for body, field in cases:
        refused = await s.kommun.put("/api/kommun/retention/plan", json=body)
        assert refused.status_code == 400 and refused.json()["extra"]["field"] == field, refused.text
    assert (await ok(await s.kommun.get("/api/kommun/retention/plan")))["in_force"] is False


async def test_the_kommun_enters_its_plan_on_its_page(world: World) -> None:
    s = await Scenario.create(world)
    page = await s.kommun.get("/kommun/gallring")
    assert page.status_code == 200 and "Ingen gallringsplan är inlagd" in page.text
    form: dict[str, str] = {}
    for kind in KINDS:
        form[f"{kind}-atgard"] = "keep"
        form[f"{kind}-beslut"] = DECISION
    form["evidence-atgard"] = "purge"
    refused = await submit(s.kommun, "/kommun/gallring", "/kommun/gallring", form)
    assert refused.status_code == 400 and 'id="f-evidence-ar-error"' in refused.text
    form["evidence-ar"] = "3"
    saved = await submit(s.kommun, "/kommun/gallring", "/kommun/gallring", form)
    assert saved.status_code == 303 and saved.headers["location"] == "/kommun/gallring?klart=sparad"
    shown = await s.kommun.get(saved.headers["location"])
    assert "Gallringsplanen är sparad" in shown.text and "Ingen gallringsplan är inlagd" not in shown.text
    plan = await ok(await s.kommun.get("/api/kommun/retention/plan"))
    assert (
        plan["in_force"]
        and {"kind": "evidence", "action": "purge", "years": 3, "decision": DECISION} in plan["lines"]
    )


async def test_a_plan_destroying_protocols_destroys_the_stored_pdfs_and_logs_it(
    world: World,
) -> None:
    s = await Scenario.create(world)
    await Account.update({Account.language: "en"}).where(Account.id == s.owner_id).run()
    await s.to_state("rejected")  # corrections required, then rejected: the round went out twice
    certified = await Scenario.create_in(world, s)
    await certified.to_state("certified")  # not ended: its certificate is in force
    await _close_years_ago(s.case_id, 3)
    await _close_years_ago(certified.case_id, 3)
    assert await Protocol.count().where(Protocol.application == s.case_id).run() == 4
    await _put_plan(s.kommun, {"protocol": 2})

    report = await jobs.tick()

    assert {(p.case_id, p.kind.value) for p in report.purged} == {(s.case_id, "protocol")}
    assert await Protocol.count().where(Protocol.application == s.case_id).run() == 0
    assert await Verdict.count().where(Verdict.application == s.case_id).run() == 0
    assert await Protocol.count().where(Protocol.application == certified.case_id).run() == 2
    [entry] = await ok(await s.kommun.get("/api/kommun/retention/purges"))
    assert entry["kind"] == "protocol" and entry["detail"] == {"verdicts": 13, "protocols": 4}
    for path in ("protokoll.pdf", "protokoll.sv.pdf"):
        gone = await s.kommun.get(f"/arenden/{s.case_id}/{path}?omgang=1")
        assert gone.status_code == 404
