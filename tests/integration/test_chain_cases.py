"""The chain case up to the drawn sample (issue 17): a chain of 16 shops in one kommun opens a case,
uploads its central documentation and audits every member; a missing audit stops the submission
(422 naming the shop); the kommun receives the case with a diarienummer, assigns an inspector and
the sample is drawn (⌈√16⌉ = 4, at least one at random) from a seed recorded with the case, which
draws the same shops again; the kommun adds a shop but cannot remove a drawn one. Who sees what: a
member's owner only his own part, another chain and another kommun nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import lxml.html

from certify.domain import chain_sample
from certify.domain.chain_sample import MemberFacts
from certify.domain.status import Role
from certify.services import chain_case_record, chain_cases
from certify.tables import Application, ChecklistVersion, Event, Kommun, Verdict
from tests.conftest import World
from tests.integration.pages import PDF, submit
from tests.integration.scenario import ALL_POINTS, ok, shop_fields
from tests.integration.test_chains import create_chain, invitation_token
from tests.pseudo import assert_page_marked

SHOPS = 16


@dataclass
class Chain:
    id: int
    rep: httpx.AsyncClient
    member_owner: httpx.AsyncClient  # owns one member shop, does not represent the chain
    member_shop: int
    shops: list[int]  # every member, the member owner's included


async def chain_of(world: World, shops: int = SHOPS) -> Chain:
    """A chain whose representative owns all but one member; one member joined by invitation."""
    await world.kommun()
    _, rep = await world.client_for(Role.owner)
    chain = await create_chain(rep)
    ids = []
    for index in range(1, shops):
        shop = await ok(await rep.post("/api/businesses", json=shop_fields(index)), 201)
        await ok(await rep.post(f"/api/chains/{chain['id']}/members", json={"business_id": shop["id"]}), 201)
        ids.append(shop["id"])
    _, member_owner = await world.client_for(Role.owner)
    email = (await ok(await member_owner.get("/api/me")))["email"]
    own = await ok(await member_owner.post("/api/businesses", json=shop_fields(shops)), 201)
    await ok(await rep.post(f"/api/chains/{chain['id']}/invitations", json={"email": email}), 201)
    token = await invitation_token(email)
    await ok(
        await member_owner.post(f"/api/chain-invitations/{token}/accept", json={"business_id": own["id"]})
    )
    return Chain(chain["id"], rep, member_owner, own["id"], [*ids, own["id"]])


async def audit(chain: Chain, case_id: int, shops: list[int]) -> None:
    for shop in shops:
        for point in ALL_POINTS:
            await ok(
                await chain.rep.put(
                    f"/api/chain-cases/{case_id}/audits/{shop}/{point}",
                    json={"status": "fulfilled", "comment": f"Kontrollerad {shop}/{point}"},
                )
            )


async def submitted_case(world: World) -> tuple[Chain, dict[str, Any]]:
    chain = await chain_of(world)
    case = await ok(await chain.rep.post(f"/api/chains/{chain.id}/cases", json={"kommun_code": "2081"}), 201)
    await ok(
        await chain.rep.post(f"/api/chains/{chain.id}/documents", files={"file": ("rutiner.pdf", PDF)}), 201
    )
    await audit(chain, case["id"], chain.shops)
    submitted = await ok(await chain.rep.post(f"/api/chain-cases/{case['id']}/submit", json={}))
    return chain, submitted


async def test_a_missing_internal_audit_stops_the_submission_naming_the_shop(world: World) -> None:
    chain = await chain_of(world)
    case = await ok(await chain.rep.post(f"/api/chains/{chain.id}/cases", json={"kommun_code": "2081"}), 201)
    assert case["state"] == "draft" and len(case["members"]) == SHOPS and case["sample_size"] == 4
    again = await ok(await chain.rep.post(f"/api/chains/{chain.id}/cases", json={"kommun_code": "2081"}), 422)
    assert again["extra"] == {"code": "chain_case_open_exists", "chain_case_id": case["id"]}
    await ok(
        await chain.rep.post(f"/api/chains/{chain.id}/documents", files={"file": ("rutiner.pdf", PDF)}), 201
    )
    forgotten = chain.shops[3]
    await audit(chain, case["id"], [shop for shop in chain.shops if shop != forgotten])
    refused = await ok(await chain.rep.post(f"/api/chain-cases/{case['id']}/submit", json={}), 422)
    assert refused["extra"]["code"] == "member_audit_missing"
    assert refused["extra"]["problems"] == [
        {"code": "member_audit_missing", "shops": [forgotten], "points": []}
    ]
    assert refused["extra"]["shop_names"] == {str(forgotten): "Åkes Järn & Färg 4"}
    assert "interna revision saknas för 1 medlemsbutik" in refused["detail"]
    seen = await ok(await chain.rep.get(f"/api/chain-cases/{case['id']}"))
    assert [p["shops"] for p in seen["submit_problems"]] == [[forgotten]]
    assert [m["business_id"] for m in seen["members"] if not m["audit_complete"]] == [forgotten]


async def test_no_members_in_the_kommun_and_no_documentation_are_refused(world: World) -> None:
    chain = await chain_of(world, shops=2)
    await world.kommun("2080", "Falu kommun")
    none = await ok(await chain.rep.post(f"/api/chains/{chain.id}/cases", json={"kommun_code": "2080"}), 422)
    assert none["extra"]["code"] == "chain_no_members_in_kommun"
    case = await ok(await chain.rep.post(f"/api/chains/{chain.id}/cases", json={"kommun_code": "2081"}), 201)
    await audit(chain, case["id"], chain.shops)
    refused = await ok(await chain.rep.post(f"/api/chain-cases/{case['id']}/submit", json={}), 422)
    assert refused["extra"]["code"] == "central_documentation_missing"
    na = await ok(
        await chain.rep.put(
            f"/api/chain-cases/{case['id']}/audits/{chain.shops[0]}/12", json={"status": "not_applicable"}
        ),
        400,
    )
    assert na["extra"] == {"code": "chain_audit_comment_missing", "field": "comment"}


async def test_submitted_assigned_and_the_sample_drawn_again_from_its_seed(world: World) -> None:
    chain, case = await submitted_case(world)
    assert case["state"] == "submitted" and case["diarienummer"]
    inspector_id, inspector = await world.client_for(Role.inspector)
    _, kommun = await world.client_for(Role.kommun)
    assert case["central_points"] == [1, 2, 11, 12, 13]
    marked = await ok(
        await kommun.put(f"/api/chain-cases/{case['id']}/central-points", json={"points": [11, 1, 2]})
    )
    assert marked["central_points"] == [1, 2, 11]
    unknown = await ok(
        await kommun.put(f"/api/chain-cases/{case['id']}/central-points", json={"points": [40]}), 400
    )
    assert unknown["extra"]["field"] == "points"
    register = await ok(await kommun.get("/api/register/documents"))
    received = [(e["direction"], e["kind"], e["counterpart"], e["secrecy"]) for e in register]
    assert received == [
        ("in", "chain_audit", "Kvartersbutiken", "osl_18_8"),
        ("in", "chain_documentation", "Kvartersbutiken", "osl_18_8"),
    ], "the chain case came in with the audit and the documentation, marked"
    assert f"Kedjeärende {case['id']}: kedjans interna revision av 16 butiker" in register[0]["description"]
    listed = await ok(await kommun.get("/api/kommun/chain-cases"))
    assert [(c["id"], c["members"], c["state"]) for c in listed] == [(case["id"], SHOPS, "submitted")]
    path = f"/api/chain-cases/{case['id']}"
    assert (await inspector.get(path)).status_code == 404, "not before he is assigned"
    assigned = await ok(await kommun.post(f"{path}/assign", json={"inspector_id": inspector_id}))
    assert assigned["state"] == "inspecting" and len(assigned["seed"]) == 32
    sample = assigned["sample"]
    assert len(sample) == 4 and sum(s["reason"] == "random" for s in sample) >= 1
    assert {s["reason"] for s in sample} <= {"random", "never_inspected"}
    redrawn = chain_sample.draw([MemberFacts(b) for b in chain.shops], assigned["seed"], renewal=False)
    assert [(s.business, s.reason.value) for s in redrawn] == [
        (s["business_id"], s["reason"]) for s in sample
    ]
    recorded = await Event.select(Event.detail).where(Event.action == "chain_case_assigned").first().run()
    assert recorded is not None and json.loads(recorded["detail"])["seed"] == assigned["seed"]
    seen = await ok(await inspector.get(path))
    assert seen["seed"] == assigned["seed"] and seen["whole_case"]
    fixed = await ok(await kommun.put(f"{path}/central-points", json={"points": [1]}), 409)
    assert fixed["extra"]["code"] == "chain_central_points_fixed"

    # The kommun adds a shop; it cannot remove a drawn one, only its own addition.
    drawn = {s["business_id"] for s in sample}
    extra = next(shop for shop in chain.shops if shop not in drawn)
    added = await ok(await kommun.post(f"{path}/sample", json={"business_id": extra}))
    assert [(s["business_id"], s["reason"]) for s in added["sample"]][-1] == (extra, "added_by_kommun")
    twice = await ok(await kommun.post(f"{path}/sample", json={"business_id": extra}), 409)
    assert twice["extra"]["code"] == "chain_shop_already_sampled"
    stays = await ok(await kommun.delete(f"{path}/sample/{sample[0]['business_id']}"), 409)
    assert stays["extra"]["code"] == "chain_drawn_shop_stays" and "kan inte tas bort" in stays["detail"]
    removed = await ok(await kommun.delete(f"{path}/sample/{extra}"))
    assert len(removed["sample"]) == 4
    assert (await chain.rep.post(f"{path}/sample", json={"business_id": extra})).status_code == 403


async def test_who_sees_the_chain_case(world: World) -> None:
    chain, case = await submitted_case(world)
    path = f"/api/chain-cases/{case['id']}"
    whole = await ok(await chain.rep.get(path))
    assert whole["whole_case"] and len(whole["members"]) == SHOPS and whole["documents"]
    assert all(len(m["audits"]) == 13 for m in whole["members"])

    part = await ok(await chain.member_owner.get(path))
    assert not part["whole_case"] and part["documents"] == [] and part["seed"] is None
    assert [m["business_id"] for m in part["members"]] == [chain.member_shop]
    assert part["members"][0]["audits"] == [], "the audit of his own shop is the chain's"
    assert "Kontrollerad" not in str(part)
    document = whole["documents"][0]["id"]
    assert (await chain.member_owner.get(f"/api/chain-documents/{document}")).status_code == 404
    refused = await chain.member_owner.put(
        f"{path}/audits/{chain.member_shop}/1", json={"status": "fulfilled"}
    )
    assert refused.status_code == 404, "a member's owner does not act for the chain"

    _, other_chain = await world.client_for(Role.owner)
    assert (await other_chain.get(path)).status_code == 404
    assert (await other_chain.get(f"/api/chain-documents/{document}")).status_code == 404
    assert (await other_chain.get(f"/api/chains/{chain.id}/cases")).status_code == 404

    await world.kommun("2080", "Falu kommun")
    _, other_kommun = await world.client_for(Role.kommun, ["2080"])
    assert (await other_kommun.get(path)).status_code == 404
    assert (await other_kommun.get(f"/api/chain-documents/{document}")).status_code == 404
    assert await ok(await other_kommun.get("/api/kommun/chain-cases")) == []
    _, own_kommun = await world.client_for(Role.kommun)
    assert (await own_kommun.get(f"/api/chain-documents/{document}")).content == PDF


async def test_the_chain_withdraws_and_the_kommun_rejects_with_a_reason(world: World) -> None:
    chain, case = await submitted_case(world)
    _, kommun = await world.client_for(Role.kommun)
    link = f"//a[@href='/kommun/kedjearenden/{case['id']}']"
    listed = lxml.html.fromstring((await kommun.get("/kommun/arenden")).text)
    assert listed.xpath(
        f"//section[h2/@id='oppna-kedjearenden']//a[@href='/kommun/kedjearenden/{case['id']}']"
    ), "an open chain case is in the case list"
    path = f"/api/chain-cases/{case['id']}"
    no_reason = await ok(await kommun.post(f"{path}/reject", json={"reason": " "}), 400)
    assert no_reason["extra"]["field"] == "reason"
    rejected = await ok(
        await kommun.post(f"{path}/reject", json={"reason": "Dokumentationen är ofullständig."})
    )
    assert rejected["state"] == "rejected"
    register = await ok(await kommun.get("/api/register/documents"))
    assert ("out", "chain_rejection", f"Kedjeärende {case['id']}: beslut: ansökan avslagen") in {
        (e["direction"], e["kind"], e["description"]) for e in register
    }
    assert (await chain.rep.post(f"{path}/withdraw", json={})).status_code == 409
    listed = lxml.html.fromstring((await kommun.get("/kommun/arenden")).text)
    assert not listed.xpath(link), "a decided chain case leaves the list of open ones"
    reopened = await ok(
        await chain.rep.post(f"/api/chains/{chain.id}/cases", json={"kommun_code": "2081"}), 201
    )
    withdrawn = await ok(await chain.rep.post(f"/api/chain-cases/{reopened['id']}/withdraw", json={}))
    assert withdrawn["state"] == "withdrawn"


async def test_the_pages_open_audit_submit_and_show_the_sample_with_its_reasons(world: World) -> None:
    chain = await chain_of(world, shops=3)
    opened = await submit(
        chain.rep, f"/kedjor/{chain.id}", f"/kedjor/{chain.id}/arenden", data={"kommun": "2081"}
    )
    assert opened.status_code == 303
    case_path = opened.headers["location"].split("?")[0]
    case_id = int(case_path.rsplit("/", 1)[1])
    uploaded = await submit(
        chain.rep,
        case_path,
        f"{case_path}/dokument",
        files=[("fil", ("rutiner.pdf", PDF, "application/pdf"))],
    )
    assert uploaded.status_code == 303
    for shop in chain.shops[:2]:
        form = {f"status-{p}": "fulfilled" for p in ALL_POINTS} | {"kommentar-1": "Skyddsombud utsett"}
        saved = await submit(
            chain.rep, f"{case_path}/butiker/{shop}", f"{case_path}/butiker/{shop}", data=form
        )
        assert saved.status_code == 303, saved.text
    shown = await chain.rep.get(case_path)
    assert "Kan omfattas av sekretess" in shown.text and "rutiner.pdf" in shown.text
    assert "Den interna revisionen saknas för:" in shown.text and "Åkes Järn &amp; Färg 3" in shown.text
    refused = await submit(chain.rep, case_path, f"{case_path}/skicka")
    assert refused.status_code == 422 and "interna revision saknas" in refused.text
    na = await submit(
        chain.rep,
        f"{case_path}/butiker/{chain.shops[2]}",
        f"{case_path}/butiker/{chain.shops[2]}",
        data={"status-12": "not_applicable"},
    )
    assert na.status_code == 400 and "Motivera" in na.text
    form = {f"status-{p}": "fulfilled" for p in ALL_POINTS}
    await submit(
        chain.rep, f"{case_path}/butiker/{chain.shops[2]}", f"{case_path}/butiker/{chain.shops[2]}", data=form
    )
    sent = await submit(chain.rep, case_path, f"{case_path}/skicka")
    assert sent.status_code == 303 and sent.headers["location"].endswith("?klart=skickat")

    inspector_id, _ = await world.client_for(Role.inspector)
    _, kommun = await world.client_for(Role.kommun)
    listed = await kommun.get("/kommun/kedjor")
    assert f"/kommun/kedjearenden/{case_id}" in listed.text
    kommun_path = f"/kommun/kedjearenden/{case_id}"
    central = await submit(kommun, kommun_path, f"{kommun_path}/centrala-punkter", data={"punkt": ["1", "2"]})
    assert central.status_code == 303
    assert (await ok(await kommun.get(f"/api/chain-cases/{case_id}")))["central_points"] == [1, 2]
    assigned = await submit(
        kommun, kommun_path, f"{kommun_path}/tilldela", data={"besiktningsperson": str(inspector_id)}
    )
    assert assigned.status_code == 303
    page_text = (await kommun.get(kommun_path)).text
    case = await ok(await kommun.get(f"/api/chain-cases/{case_id}"))
    assert case["seed"] in page_text and "Kan omfattas av sekretess" in page_text
    assert "IAF MD 1" in page_text and "Slumpvis dragen" in page_text
    no_reason = await submit(kommun, kommun_path, f"{kommun_path}/avsla", data={"skal": ""})
    assert no_reason.status_code == 400 and "Skriv skälet" in no_reason.text
    cannot = await submit(chain.rep, case_path, f"{case_path}/dra-tillbaka")
    assert cannot.status_code == 409, "assigned: too late to withdraw"
    member_view = await chain.member_owner.get(case_path)
    assert member_view.status_code == 200 and "Åkes Järn &amp; Färg 3" in member_view.text
    assert "Åkes Järn &amp; Färg 1" not in member_view.text and "rutiner.pdf" not in member_view.text
    assert "Skyddsombud" not in member_view.text and case["seed"] not in member_view.text
    assert (await chain.member_owner.get(f"{case_path}/butiker/{chain.member_shop}")).status_code == 404
    assert (await kommun.get(case_path)).status_code == 403
    rejected = await submit(
        kommun, kommun_path, f"{kommun_path}/avsla", data={"skal": "Ofullständig revision."}
    )
    assert rejected.status_code == 303
    assert (await ok(await kommun.get(f"/api/chain-cases/{case_id}")))["state"] == "rejected"


async def test_the_risk_part_follows_each_member_s_own_inspection_history(world: World) -> None:
    """Members with a history: the one with failed points last time comes before the one inspected
    longest ago, and both after the never-inspected; the dates are the visits'."""
    chain = await chain_of(world, shops=16)
    case = await ok(await chain.rep.post(f"/api/chains/{chain.id}/cases", json={"kommun_code": "2081"}), 201)
    kommun = await Kommun.select(Kommun.id).where(Kommun.code == "2081").first().run()
    version = await ChecklistVersion.select(ChecklistVersion.id).first().run()
    assert kommun is not None and version is not None
    first_visit = datetime(2024, 1, 10, 10, tzinfo=UTC)
    # Two members never inspected; the first with two failed points, the second the oldest visit.
    history = {
        shop: (first_visit + timedelta(days=30 * i), 2 if i == 0 else 0)
        for i, shop in enumerate(chain.shops[:14])
    }
    for shop, (visited, failed) in history.items():
        rows = (
            await Application.insert(
                Application(
                    business=shop,
                    kommun=kommun["id"],
                    checklist_version=version["id"],
                    state="certified",
                    visit_at=visited,
                )
            )
            .returning(Application.id)
            .run()
        )
        for point in ALL_POINTS:
            verdict = "fail" if point <= failed else "pass"
            await Verdict.insert(
                Verdict(application=rows[0]["id"], round=1, point=point, verdict=verdict)
            ).run()
    record = await chain_case_record.load(None, case["id"])
    facts = {f.business: f for f in await chain_cases.member_facts(record)}
    assert facts[chain.shops[0]].failed_points_last_time == 2
    assert facts[chain.shops[1]].last_inspected == date(2024, 2, 9)
    assert facts[chain.shops[15]].last_inspected is None
    drawn = chain_sample.draw(list(facts.values()), "frö", renewal=False)
    by_risk = [(s.business, s.reason.value) for s in drawn if s.reason.value != "random"]
    expected = [
        (chain.shops[14], "never_inspected"),
        (chain.shops[15], "never_inspected"),
        (chain.shops[0], "failed_last_time"),
        (chain.shops[1], "longest_since_inspection"),
        (chain.shops[2], "longest_since_inspection"),
    ]
    random_ids = {s.business for s in drawn if s.reason.value == "random"}
    assert by_risk == [e for e in expected if e[0] not in random_ids][: len(by_risk)]


async def test_the_chain_case_pages_word_everything_through_the_catalogue(
    world: World, pseudo_language: str
) -> None:
    chain = await chain_of(world, shops=2)
    case = await ok(await chain.rep.post(f"/api/chains/{chain.id}/cases", json={"kommun_code": "2081"}), 201)
    await ok(
        await chain.rep.post(f"/api/chains/{chain.id}/documents", files={"file": ("rutiner.pdf", PDF)}), 201
    )
    await audit(chain, case["id"], chain.shops)
    await ok(await chain.rep.post(f"/api/chain-cases/{case['id']}/submit", json={}))
    inspector_id, inspector = await world.client_for(Role.inspector)
    _, kommun = await world.client_for(Role.kommun)
    assigned = await ok(
        await kommun.post(f"/api/chain-cases/{case['id']}/assign", json={"inspector_id": inspector_id})
    )
    await ok(
        await inspector.put(
            f"/api/chain-cases/{case['id']}/central-verdicts/2",
            json={"verdict": "fail", "remark": "Utbildningsplan saknas."},
        )
    )
    data = [
        "Kvartersbutiken",
        "Borlänge kommun",
        "Åkes Järn & Färg 1",
        "Åkes Järn & Färg 2",
        "rutiner.pdf",
        assigned["seed"],
        assigned["diarienummer"],
        assigned["inspector_name"],
        "Inspector",
        "Owner",
        "Kontrollerad",
        "Kommun",
        "IAF MD",
        "arrêté",
        "Utbildningsplan saknas.",
        "Borlänge Torget 5, Borlänge",
        "Borlänge Torget 5",
        "Centrum",
        "0243-12 34 56",
    ]
    case_path = f"/kedjor/{chain.id}/arenden/{case['id']}"
    for client, path in (
        (chain.rep, f"/kedjor/{chain.id}"),
        (chain.rep, case_path),
        (chain.rep, f"{case_path}/butiker/{chain.shops[0]}"),
        (chain.member_owner, case_path),
        (kommun, "/kommun/kedjor"),
        (kommun, f"/kommun/kedjearenden/{case['id']}"),
        (kommun, f"/kommun/kedjearenden/{case['id']}/rutt"),
        (inspector, "/besiktningar"),
        (inspector, f"/besiktningar/kedjearenden/{case['id']}"),
        (inspector, f"/besiktningar/kedjearenden/{case['id']}/rutt"),
    ):
        response = await client.get(path, params={"lang": pseudo_language})
        assert response.status_code == 200, path
        assert_page_marked(path, response.text, data)
        ids = lxml.html.document_fromstring(response.text).xpath("//@id")
        assert len(ids) == len(set(ids)), f"{path}: an id twice"
