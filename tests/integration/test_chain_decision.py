"""The chain case decided (issue 17): when every sampled shop and every central point passed, the
assigned inspector approves and every member shop in the case gets its own certificate in one
transaction (16 shops → 16 numbers, PDFs and decals); an unvisited member's verify page, JSON lookup
and certificate say "Certifierad genom kedjebesiktning" and name the chain; a failure anywhere
issues nothing. Afterwards: a member's certificate revoked alone leaves the others, revoking the
chain case revokes every certificate it issued, a shop that joins later is not covered, and the
renewal draws the renewal sample and replaces the certificates like an ordinary renewal."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
from dateutil.relativedelta import relativedelta
from pypdf import PdfReader

from certify.domain import chain_sample
from certify.domain.status import Role
from certify.services import certificates
from certify.tables import (
    Application,
    Certificate,
    ChainCase,
    ChainSample,
    Event,
    OutboxMessage,
    Verdict,
)
from tests.conftest import World
from tests.integration.pages import PDF, submit
from tests.integration.scenario import ALL_POINTS, ok, shop_fields
from tests.integration.test_chain_cases import SHOPS, Chain, audit, chain_of
from tests.pseudo import assert_page_marked

CHAIN_NAME = "Kvartersbutiken"


@dataclass
class Decided:
    chain: Chain
    case: dict[str, Any]
    inspector_id: int
    inspector: httpx.AsyncClient
    kommun: httpx.AsyncClient


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


async def judge_sample(
    case_id: int, inspector: httpx.AsyncClient, inspector_id: int, *, too_long: bool = False
) -> None:
    """Every sampled shop passes at its sample case (the ordinary verdict API), every central point
    on the documentation. `too_long`: the first sampled shop's points are not applicable there, with
    remarks too long for one certificate page."""
    case = await ChainCase.select().where(ChainCase.id == case_id).first().run()
    assert case is not None
    central = case["central_points"]
    central = set(json.loads(central) if isinstance(central, str) else central)
    sample = await ok_sample(case_id)
    for index, business in enumerate(sample):
        opened = (
            await Application.select(Application.id)
            .where(
                (Application.chain_case == case_id)
                & (Application.business == business)
                & (Application.state == "scheduled")
            )
            .first()
            .run()
        )
        assert opened is not None, "assigning opened the sampled shop's case"
        for point in (p for p in ALL_POINTS if p not in central):
            if too_long and index == 0:
                # Written as stored: the ordinary API allows "not applicable" only where the
                # checklist does, and this case is about what the certificate cannot hold.
                await Verdict.insert(
                    Verdict(
                        application=opened["id"],
                        round=1,
                        point=point,
                        verdict="not_applicable",
                        remark="Ingen kassa. " * 300,
                        inspector=inspector_id,
                    )
                ).run()
                continue
            await ok(
                await inspector.put(
                    f"/api/applications/{opened['id']}/verdicts/{point}", json={"verdict": "pass"}
                )
            )
    for point in sorted(central):
        await ok(
            await inspector.put(
                f"/api/chain-cases/{case_id}/central-verdicts/{point}", json={"verdict": "pass"}
            )
        )


async def ok_sample(case_id: int) -> list[int]:
    rows = await ChainSample.select(ChainSample.business).where(ChainSample.chain_case == case_id).run()
    return [r["business"] for r in rows]


async def open_and_submit(chain: Chain) -> dict[str, Any]:
    case = await ok(await chain.rep.post(f"/api/chains/{chain.id}/cases", json={"kommun_code": "2081"}), 201)
    await ok(
        await chain.rep.post(f"/api/chains/{chain.id}/documents", files={"file": ("rutiner.pdf", PDF)}), 201
    )
    await audit(chain, case["id"], chain.shops)
    return await ok(await chain.rep.post(f"/api/chain-cases/{case['id']}/submit", json={}))


async def judged(world: World, *, too_long: bool = False, shops: int = SHOPS) -> Decided:
    """A chain case of 16 shops, assigned, its sample and central points judged and passed."""
    chain = await chain_of(world, shops)
    case = await open_and_submit(chain)
    inspector_id, inspector = await world.client_for(Role.inspector)
    _, kommun = await world.client_for(Role.kommun)
    assigned = await ok(
        await kommun.post(f"/api/chain-cases/{case['id']}/assign", json={"inspector_id": inspector_id})
    )
    await judge_sample(case["id"], inspector, inspector_id, too_long=too_long)
    return Decided(chain, assigned, inspector_id, inspector, kommun)


async def issued_by(case_id: int) -> list[dict[str, Any]]:
    return (
        await Certificate.select(
            Certificate.number,
            Certificate.business,
            Certificate.revoked_at,
            Certificate.valid_from,
            Certificate.valid_until,
            Certificate.replaced_by,
        )
        .where(Certificate.application.chain_case == case_id)
        .order_by(Certificate.business)
        .run()
    )


async def test_approval_certifies_every_member_and_the_chain_is_named_publicly(
    world: World, anonymous: httpx.AsyncClient
) -> None:
    d = await judged(world)
    path = f"/api/chain-cases/{d.case['id']}"
    sampled = {s["business_id"] for s in d.case["sample"]}
    unvisited = next(shop for shop in d.chain.shops if shop not in sampled)

    # Only the assigned inspector approves: the kommun and the chain are refused, another inspector
    # does not see the case at all.
    assert (await d.kommun.post(f"{path}/approve", json={})).status_code == 403
    assert (await d.chain.rep.post(f"{path}/approve", json={})).status_code == 403
    assert (await d.chain.member_owner.post(f"{path}/approve", json={})).status_code == 403
    _, other_inspector = await world.client_for(Role.inspector)
    assert (await other_inspector.post(f"{path}/approve", json={})).status_code == 404
    assert not await issued_by(d.case["id"])

    # The inspector approves on his decision page (a form POST, like every action).
    decision = f"/besiktningar/kedjearenden/{d.case['id']}/beslut"
    assert decision in (await d.inspector.get(f"/besiktningar/kedjearenden/{d.case['id']}")).text
    assert (await d.kommun.get(decision)).status_code in (403, 404)
    done = await submit(d.inspector, decision, f"/besiktningar/kedjearenden/{d.case['id']}/godkann")
    assert done.status_code == 303 and done.headers["location"].endswith("?klart=godkant")
    shown = await d.inspector.get(done.headers["location"])
    assert "Varje medlemsbutik har fått ett eget intyg" in shown.text
    approved = await ok(await d.inspector.get(path))
    assert approved["state"] == "certified"
    row = await ChainCase.select(ChainCase.decided_at).where(ChainCase.id == d.case["id"]).first().run()
    assert row is not None and row["decided_at"] is not None
    issued = await issued_by(d.case["id"])
    assert sorted(c["business"] for c in issued) == sorted(d.chain.shops)
    assert len({c["number"] for c in issued}) == SHOPS, "every member its own number"
    assert all(c["valid_until"] == c["valid_from"] + relativedelta(years=2) for c in issued)
    cases = await Application.select(Application.business, Application.state).where(
        Application.chain_case == d.case["id"]
    )
    assert sorted(c["business"] for c in cases) == sorted(d.chain.shops)
    assert {c["state"] for c in cases} == {"certified"}
    events = await Event.count().where((Event.action == "approve") & Event.business.is_in(d.chain.shops))
    assert events == SHOPS
    again = await ok(await d.inspector.post(f"{path}/approve", json={}), 409)
    assert again["extra"]["code"] == "transition_not_allowed"

    # The unvisited member's certificate: public page, JSON lookup and PDF name the chain.
    number = next(c["number"] for c in issued if c["business"] == unvisited)
    page = await anonymous.get(f"/verify/{number}")
    assert page.status_code == 200
    text = " ".join(page.text.split())
    assert "Certifierad genom kedjebesiktning" in text and CHAIN_NAME in text
    looked_up = await ok(await anonymous.get(f"/api/certificates/{number}"))
    assert looked_up["chain"] == CHAIN_NAME and looked_up["status"] == "valid"
    assert set(looked_up) == {
        "number",
        "status",
        "shop_name",
        "street_address",
        "postal_code",
        "city",
        "kommun",
        "issued_at",
        "valid_from",
        "valid_until",
        "revoked_at",
        "replaced_by",
        "replaces",
        "pdf_sha256",
        "chain",
    }, "nothing else of the chain case goes public"
    pdf = (await d.chain.rep.get(f"/api/certificates/{number}/pdf")).content
    words = pdf_text(pdf)
    assert "Certifierad genom kedjebesiktning" in words and CHAIN_NAME in words
    assert words.count("Uppfyllt") == 13, "central verdicts and the chain's audit, point by point"
    assert await certificates.render_issued(number) == pdf, "the archive renders again byte for byte"
    decal = await d.chain.rep.get(f"/api/certificates/{number}/decal.pdf")
    assert decal.status_code == 200 and number in pdf_text(decal.content)

    await assert_status_report(d, certified=SHOPS)

    # A shop that joins the chain after the approval is not covered.
    late = await ok(await d.chain.rep.post("/api/businesses", json=shop_fields(40)), 201)
    await ok(
        await d.chain.rep.post(f"/api/chains/{d.chain.id}/members", json={"business_id": late["id"]}), 201
    )
    assert not await Certificate.exists().where(Certificate.business == late["id"])

    # A member's own certificate revoked alone leaves the others and the chain case certified.
    alone = next(
        a
        for a in await Application.select(Application.id, Application.business).where(
            Application.chain_case == d.case["id"]
        )
        if a["business"] == unvisited
    )
    await ok(
        await d.kommun.post(f"/api/applications/{alone['id']}/revoke", json={"reason": "Larmet borttaget"})
    )
    after = await issued_by(d.case["id"])
    assert [c["business"] for c in after if c["revoked_at"] is not None] == [unvisited]
    assert (await ok(await d.kommun.get(path)))["state"] == "certified"

    # Revoking the chain case: the kommun only, with a reason; every certificate it issued.
    assert (await d.inspector.post(f"{path}/revoke", json={"reason": "x"})).status_code == 403
    assert (await d.chain.rep.post(f"{path}/revoke", json={"reason": "x"})).status_code == 403
    await world.kommun("2080", "Falu kommun")
    other_kommun = await world.login(await world.user(Role.kommun, ["2080"]))
    assert (await other_kommun.post(f"{path}/revoke", json={"reason": "x"})).status_code == 404
    no_reason = await ok(await d.kommun.post(f"{path}/revoke", json={"reason": " "}), 400)
    assert no_reason["extra"] == {"code": "chain_revoke_reason_missing", "field": "reason"}
    revoked = await ok(await d.kommun.post(f"{path}/revoke", json={"reason": "Kedjans rutiner följs inte"}))
    assert revoked["state"] == "revoked"
    after = await issued_by(d.case["id"])
    assert all(c["revoked_at"] is not None for c in after) and len(after) == SHOPS
    states = await Application.select(Application.state).where(Application.chain_case == d.case["id"])
    assert {s["state"] for s in states} == {"revoked"}
    revocations = await Event.select(Event.id).where(
        (Event.action == "revoke") & Event.business.is_in(d.chain.shops)
    )
    assert len(revocations) == SHOPS, "one for the member alone, fifteen with the chain case"
    register = await ok(await d.kommun.get("/api/register/documents"))
    registered = [(e["direction"], e["kind"]) for e in register]
    assert registered.count(("out", "revocation")) == SHOPS, "each member's decision, on its shop case"
    assert registered.count(("out", "chain_revocation")) == 1, "and the chain case's, to the chain"
    told = await OutboxMessage.select(OutboxMessage.event).where(
        OutboxMessage.event.is_in([e["id"] for e in revocations])
    )
    assert {m["event"] for m in told} == {e["id"] for e in revocations}, "each owner told, as ever"
    gone = await ok(await anonymous.get(f"/api/certificates/{number}"))
    assert gone["status"] == "revoked"
    assert not await Certificate.exists().where(Certificate.business == late["id"])


async def assert_status_report(d: Decided, *, certified: int, open_state: str | None = None) -> None:
    """The kommun's status report counts the chain-certified shops and shows the chain: counts and
    names only, in the JSON, the page, the CSV, the workbook and the PDF."""
    report = await ok(await d.kommun.get("/api/reports/status"))
    assert report["chain_certified"] == certified
    assert report["chains"] == [
        {"chain": CHAIN_NAME, "members": SHOPS, "certified": certified, "open_case_state": open_state}
    ]
    page = await d.kommun.get("/kommun/rapporter")
    assert (
        page.status_code == 200
        and CHAIN_NAME in page.text
        and "Certifierad genom kedjebesiktning" not in page.text
    )
    csv_text = (await d.kommun.get("/api/reports/status.csv")).content.decode("utf-8-sig")
    assert f"{CHAIN_NAME};{SHOPS};{certified};" in csv_text
    assert "Kontrollerad" not in csv_text, "no audit comment leaves through the report"
    pdf = (await d.kommun.get("/api/reports/status.pdf")).content
    assert CHAIN_NAME in pdf_text(pdf)
    assert (await d.kommun.get("/api/reports/status.xlsx")).status_code == 200
    assert (await d.chain.rep.get("/api/reports/status")).status_code == 403


async def test_a_failure_at_one_member_issues_nothing(world: World) -> None:
    # One sampled shop's certificate cannot be issued: the remarks on its points that do not apply
    # there do not fit on one page. The other fifteen would have been issued before or after it.
    d = await judged(world, too_long=True)
    path = f"/api/chain-cases/{d.case['id']}"
    before = await Application.select(Application.id, Application.state).where(
        Application.chain_case == d.case["id"]
    )
    decision = f"/besiktningar/kedjearenden/{d.case['id']}/beslut"
    on_page = await submit(d.inspector, decision, f"/besiktningar/kedjearenden/{d.case['id']}/godkann")
    assert on_page.status_code == 422 and "Inget intyg har utfärdats" in on_page.text
    refused = await ok(await d.inspector.post(f"{path}/approve", json={}), 422)
    assert refused["extra"]["code"] == "chain_certificate_does_not_fit"
    assert not await issued_by(d.case["id"]), "no certificate of any member"
    assert (await ok(await d.kommun.get(path)))["state"] == "inspecting"
    after = await Application.select(Application.id, Application.state).where(
        Application.chain_case == d.case["id"]
    )
    assert after == before, "the sampled shops' cases still scheduled, no new case"
    assert not await Event.exists().where(Event.action.is_in(["approve", "chain_case_approved"]))


async def test_the_renewal_draws_the_renewal_sample_and_replaces_the_certificates(world: World) -> None:
    d = await judged(world)
    path = f"/api/chain-cases/{d.case['id']}"
    await ok(await d.inspector.post(f"{path}/approve", json={}))
    first = {c["business"]: c for c in await issued_by(d.case["id"])}
    visited = {s["business_id"] for s in d.case["sample"]}

    renewal = await ok(
        await d.chain.rep.post(f"/api/chains/{d.chain.id}/cases", json={"kommun_code": "2081"}), 201
    )
    assert renewal["renewal"] is True
    await assert_status_report(d, certified=SHOPS, open_state="draft")
    assert renewal["sample_size"] == chain_sample.sample_size(SHOPS, renewal=True)
    await ok(
        await d.chain.rep.post(f"/api/chains/{d.chain.id}/documents", files={"file": ("rutiner.pdf", PDF)}),
        201,
    )
    await audit(d.chain, renewal["id"], d.chain.shops)
    await ok(await d.chain.rep.post(f"/api/chain-cases/{renewal['id']}/submit", json={}))
    assigned = await ok(
        await d.kommun.post(f"/api/chain-cases/{renewal['id']}/assign", json={"inspector_id": d.inspector_id})
    )
    assert len(assigned["sample"]) == chain_sample.sample_size(SHOPS, renewal=True)
    by_risk = [s["business_id"] for s in assigned["sample"] if s["reason"] != "random"]
    assert not set(by_risk) & visited, "the risk part prefers shops not visited last time"
    await judge_sample(renewal["id"], d.inspector, d.inspector_id)
    await ok(await d.inspector.post(f"/api/chain-cases/{renewal['id']}/approve", json={}))
    second = {c["business"]: c for c in await issued_by(renewal["id"])}
    assert set(second) == set(d.chain.shops)
    old = {c["business"]: c for c in await issued_by(d.case["id"])}
    for shop in d.chain.shops:
        assert old[shop]["replaced_by"] == second[shop]["number"], "replaced like an ordinary renewal"
        assert second[shop]["valid_from"] == first[shop]["valid_until"] + timedelta(days=1)
    assert all(c["valid_from"] > date.today() for c in second.values())


async def test_the_decision_pages_word_everything_through_the_catalogue(
    world: World, anonymous: httpx.AsyncClient, pseudo_language: str
) -> None:
    d = await judged(world, shops=2)
    case_id = d.case["id"]
    decision = f"/besiktningar/kedjearenden/{case_id}/beslut"
    pages = [(d.inspector, decision)]
    before = await d.inspector.get(decision, params={"lang": pseudo_language})
    await ok(await d.inspector.post(f"/api/chain-cases/{case_id}/approve", json={}))
    number = (await issued_by(case_id))[0]["number"]
    checksum = (await ok(await anonymous.get(f"/api/certificates/{number}")))["pdf_sha256"]
    pages += [
        (d.inspector, decision),
        (d.kommun, f"/kommun/kedjearenden/{case_id}"),
        (d.kommun, "/kommun/rapporter"),
        (anonymous, f"/verify/{number}"),
    ]
    data = [
        CHAIN_NAME,
        "Borlänge kommun",
        "Åkes Järn & Färg 1",
        "Åkes Järn & Färg 2",
        "Borlänge Torget 5",
        "Borlänge",
        "Centrum",
        "rutiner.pdf",
        number,
        checksum,
        d.case["seed"],
        d.case["diarienummer"],
        d.case["inspector_name"],
        "Inspector",
        "Owner",
        "Kommun",
        "IAF MD",
        "arrêté",
    ]
    assert before.status_code == 200
    assert_page_marked(decision, before.text, data)
    for client, path in pages:
        response = await client.get(path, params={"lang": pseudo_language})
        assert response.status_code == 200, path
        assert_page_marked(path, response.text, data)
