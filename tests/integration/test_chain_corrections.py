"""The correction round of a chain case (issue 17). A failed point at a sampled shop: the inspector
requires corrections and the chain's representative is told; reporting them is refused (422 naming
the shops) until the chain has declared for every member whether the same deficiency exists there;
then the sample is enlarged (reason `enlarged`, re-drawn from the recorded seed), the failed shop
is judged again and approval waits for the enlarged sample. A serious deficiency holds the case
until every member has evidence the inspector accepted (refused evidence does not count). Who sees
the evidence: the chain, the case's kommun and inspector; a member's owner his own shop's only."""

from __future__ import annotations

from typing import Any

import httpx
import lxml.html

from certify.domain import chain_rules, chain_sample
from certify.domain.chain_sample import MemberFacts, Sampled, SampleReason
from certify.domain.status import Role
from certify.services import chain_case_record
from certify.tables import Application, ChainSeriousPoint, OutboxMessage
from tests.conftest import World
from tests.integration.pages import PDF, submit
from tests.integration.scenario import ALL_POINTS, ok
from tests.integration.test_chain_cases import SHOPS, Chain, submitted_case
from tests.pseudo import assert_page_marked

CENTRAL = {1, 2, 11, 12, 13}
SHOP_POINTS = [p for p in ALL_POINTS if p not in CENTRAL]
FAILED_POINT = 5


async def inspected(world: World) -> tuple[Chain, dict[str, Any], httpx.AsyncClient, httpx.AsyncClient, int]:
    """A 16-shop chain case, assigned; the inspector has judged the first sampled shop, failing
    point 5 there. Answers the chain, the case, the inspector, the kommun and the failed shop."""
    chain, case = await submitted_case(world)
    inspector_id, inspector = await world.client_for(Role.inspector)
    _, kommun = await world.client_for(Role.kommun)
    assigned = await ok(
        await kommun.post(f"/api/chain-cases/{case['id']}/assign", json={"inspector_id": inspector_id})
    )
    shop = assigned["sample"][0]["business_id"]
    await judge(inspector, assigned["sample"][0]["application_id"], failing=FAILED_POINT)
    return chain, assigned, inspector, kommun, shop


async def judge(inspector: httpx.AsyncClient, application_id: int, failing: int | None = None) -> None:
    for point in SHOP_POINTS:
        verdict: dict[str, Any] = {"verdict": "pass", "remark": ""}
        if point == failing:
            verdict = {"verdict": "fail", "remark": "Larmet saknar larmcentral.", "failed_criteria": ["5.1"]}
        await ok(await inspector.put(f"/api/applications/{application_id}/verdicts/{point}", json=verdict))


async def facts_of(case_id: int) -> chain_rules.ChainFacts:
    return await chain_case_record.facts(await chain_case_record.load(None, case_id))


def declarations(shops: list[int], point: int = FAILED_POINT) -> list[dict[str, Any]]:
    return [{"business_id": shop, "point": point, "present": False, "comment": ""} for shop in shops]


async def test_corrections_need_the_systemic_check_and_then_enlarge_the_sample(world: World) -> None:
    chain, case, inspector, kommun, failed_shop = await inspected(world)
    path = f"/api/chain-cases/{case['id']}"
    assert (await chain.rep.post(f"{path}/require-corrections", json={})).status_code == 403
    assert (await kommun.post(f"{path}/require-corrections", json={})).status_code == 403
    required = await ok(await inspector.post(f"{path}/require-corrections", json={}))
    assert required["state"] == "corrections_required"
    rep_email = (await ok(await chain.rep.get("/api/me")))["email"]
    mail = (
        await OutboxMessage.select(OutboxMessage.subject, OutboxMessage.body_text)
        .where((OutboxMessage.kind == "chain_corrections_required") & (OutboxMessage.recipient == rep_email))
        .first()
        .run()
    )
    assert mail is not None and f"Kedjeärende {case['id']}" in mail["subject"]
    assert "punkterna 5" in mail["body_text"] and "Larmet" not in mail["body_text"]

    seen = await ok(await chain.rep.get(f"{path}/corrections"))
    assert seen["failed_points"] == [FAILED_POINT]
    assert [(f["business_id"], f["points"]) for f in seen["failed"]] == [(failed_shop, [FAILED_POINT])]
    assert seen["report_problems"] == [
        {"code": "systemic_check_missing", "shops": sorted(chain.shops), "points": [FAILED_POINT]}
    ]

    # Every member but one declared; the report names the one left.
    forgotten = chain.shops[7]
    rest = [shop for shop in chain.shops if shop != forgotten]
    present = {"business_id": rest[0], "point": FAILED_POINT, "present": True, "comment": ""}
    blank = await ok(await chain.rep.put(f"{path}/systemic-check", json={"declarations": [present]}), 400)
    assert blank["extra"]["code"] == "chain_systemic_comment_missing"
    not_failed = await ok(
        await chain.rep.put(f"{path}/systemic-check", json={"declarations": declarations(rest, point=6)}), 422
    )
    assert not_failed["extra"]["code"] == "chain_point_not_failed"
    body = declarations(rest)
    body[0] = {**present, "comment": "Larmet kopplat till larmcentral även här."}
    await ok(await chain.rep.put(f"{path}/systemic-check", json={"declarations": body}))
    refused = await ok(await chain.rep.post(f"{path}/report-corrections", json={}), 422)
    assert refused["extra"]["problems"] == [
        {"code": "systemic_check_missing", "shops": [forgotten], "points": [FAILED_POINT]}
    ]
    assert refused["extra"]["shop_names"] == {str(forgotten): "Åkes Järn & Färg 8"}
    assert "saknas kedjans besked" in refused["detail"]
    assert (
        await chain.member_owner.put(f"{path}/systemic-check", json={"declarations": body})
    ).status_code == 404
    assert (await chain.member_owner.post(f"{path}/report-corrections", json={})).status_code == 404

    await ok(await chain.rep.put(f"{path}/systemic-check", json={"declarations": declarations([forgotten])}))
    before = [Sampled(s["business_id"], SampleReason(s["reason"])) for s in case["sample"]]
    reported = await ok(await chain.rep.post(f"{path}/report-corrections", json={}))
    assert (reported["state"], reported["round"]) == ("inspecting", 2)
    register = await ok(await kommun.get("/api/register/documents"))
    registered = {(e["direction"], e["kind"], e["counterpart"], e["secrecy"]) for e in register}
    assert {
        ("out", "chain_corrections_decision", "Kvartersbutiken", "osl_18_8"),
        ("in", "chain_corrections_report", "Kvartersbutiken", "osl_18_8"),
    } <= registered, "the decision went out to the chain and its report came in, both registered"
    assert all("Larmet" not in e["description"] for e in register), "named, never quoted"
    enlarged = reported["sample"][len(before) :]
    assert len(reported["sample"]) == 8 and {s["reason"] for s in enlarged} == {"enlarged"}
    assert {s["round"] for s in enlarged} == {2}
    redrawn = chain_sample.enlarge(
        before, [MemberFacts(b) for b in chain.shops], case["seed"], renewal=False, round_=2
    )
    assert [(s.business, s.reason.value) for s in redrawn] == [
        (s["business_id"], s["reason"]) for s in reported["sample"]
    ], "the same seed and round draw the same shops again"
    assert all(s["application_id"] for s in reported["sample"]), "every new shop has its sample case"

    # The failed shop is judged again (passed points stand); approval waits for the enlarged sample.
    failed_case = (
        await Application.select(Application.round)
        .where((Application.chain_case == case["id"]) & (Application.business == failed_shop))
        .first()
        .run()
    )
    assert failed_case == {"round": 2}
    facts = await facts_of(case["id"])
    assert (
        FAILED_POINT not in facts.verdicts[failed_shop]
        and len(facts.verdicts[failed_shop]) == len(SHOP_POINTS) - 1
    )
    assert facts.systemic == {}, "a new round, a new systemic check"
    unjudged = next(p for p in chain_rules.approve_problems(facts) if p.code == "sample_not_judged")
    assert {failed_shop} | {s["business_id"] for s in enlarged} <= set(unjudged.shops)
    refused = await ok(await inspector.post(f"{path}/approve", json={"version": reported["version"]}), 422)
    named = next(p for p in refused["extra"]["problems"] if p["code"] == "sample_not_judged")
    assert {failed_shop} | {s["business_id"] for s in enlarged} <= set(named["shops"])
    again = await ok(await chain.rep.post(f"{path}/report-corrections", json={}), 409)
    assert again["extra"]["code"] == "transition_not_allowed"


async def test_nothing_failed_means_no_corrections(world: World) -> None:
    _chain, case = await submitted_case(world)
    inspector_id, inspector = await world.client_for(Role.inspector)
    _, kommun = await world.client_for(Role.kommun)
    path = f"/api/chain-cases/{case['id']}"
    await ok(await kommun.post(f"{path}/assign", json={"inspector_id": inspector_id}))
    refused = await ok(await inspector.post(f"{path}/require-corrections", json={}), 422)
    assert refused["extra"]["code"] == "nothing_failed"
    serious = await ok(await inspector.post(f"{path}/serious-points", json={"point": 5}), 422)
    assert serious["extra"]["code"] == "chain_point_not_failed"
    _, other_inspector = await world.client_for(Role.inspector)
    assert (await other_inspector.post(f"{path}/require-corrections", json={})).status_code == 404


async def test_a_serious_deficiency_holds_the_case_until_every_member_shows_the_fix(world: World) -> None:
    chain, case, inspector, kommun, failed_shop = await inspected(world)
    path = f"/api/chain-cases/{case['id']}"
    passed_shop = next(shop for shop in chain.shops if shop != failed_shop)
    elsewhere = await ok(
        await inspector.post(
            f"{path}/serious-points", json={"point": FAILED_POINT, "business_id": passed_shop}
        ),
        422,
    )
    assert elsewhere["extra"]["code"] == "chain_point_not_failed", "not failed at that shop"
    held = await ok(
        await inspector.post(
            f"{path}/serious-points",
            json={"point": FAILED_POINT, "business_id": failed_shop, "remark": "Inget larm alls."},
        )
    )
    assert held["state"] == "held"
    twice = await ok(
        await inspector.post(
            f"{path}/serious-points", json={"point": FAILED_POINT, "business_id": failed_shop}
        ),
        409,
    )
    assert twice["extra"]["code"] == "chain_point_already_serious"
    refused = await ok(await inspector.post(f"{path}/release", json={}), 422)
    assert refused["extra"]["problems"] == [
        {"code": "serious_deficiency_open", "shops": sorted(chain.shops), "points": [FAILED_POINT]}
    ]
    assert len(refused["extra"]["shop_names"]) == SHOPS

    # The member's owner cannot upload; the chain uploads for every member.
    own_upload = await chain.member_owner.post(
        f"{path}/fixes/{chain.member_shop}/{FAILED_POINT}", files={"file": ("larm.pdf", PDF)}
    )
    assert own_upload.status_code == 404
    not_serious = await ok(
        await chain.rep.post(f"{path}/fixes/{chain.member_shop}/6", files={"file": ("larm.pdf", PDF)}), 422
    )
    assert not_serious["extra"]["code"] == "chain_point_not_serious"
    fixes = {}
    for shop in chain.shops:
        fix = await ok(
            await chain.rep.post(
                f"{path}/fixes/{shop}/{FAILED_POINT}",
                files={"file": (f"larm-{shop}.pdf", PDF)},
                data={"comment": "Larmavtal bifogat."},
            ),
            201,
        )
        fixes[shop] = fix["id"]
    register = await ok(await kommun.get("/api/register/documents"))
    files = {e["description"] for e in register if e["kind"] == "chain_fix" and e["direction"] == "in"}
    assert files == {
        f"Kedjeärende {case['id']}: underlag för en åtgärdad allvarlig brist (fil {fix_id})"
        for fix_id in fixes.values()
    }, "each piece of evidence came in and was registered"
    assert (
        await chain.rep.post(
            f"/api/chain-fixes/{fixes[failed_shop]}/judgement", json={"judgement": "accepted"}
        )
    ).status_code == 403
    refused_shop = chain.shops[2]
    for shop, fix_id in fixes.items():
        judgement = "refused" if shop == refused_shop else "accepted"
        await ok(await inspector.post(f"/api/chain-fixes/{fix_id}/judgement", json={"judgement": judgement}))
    still = await ok(await inspector.post(f"{path}/release", json={}), 422)
    assert still["extra"]["problems"] == [
        {"code": "serious_deficiency_open", "shops": [refused_shop], "points": [FAILED_POINT]}
    ], "refused evidence does not count"
    again = await ok(
        await chain.rep.post(
            f"{path}/fixes/{refused_shop}/{FAILED_POINT}", files={"file": ("nytt.pdf", PDF)}
        ),
        201,
    )
    await ok(
        await inspector.post(f"/api/chain-fixes/{again['id']}/judgement", json={"judgement": "accepted"})
    )
    released = await ok(await inspector.post(f"{path}/release", json={}))
    assert released["state"] == "inspecting"
    marked = (
        await ChainSeriousPoint.select(ChainSeriousPoint.released_at)
        .where(ChainSeriousPoint.chain_case == case["id"])
        .run()
    )
    assert len(marked) == 1 and marked[0]["released_at"] is not None
    assert (await facts_of(case["id"])).serious == frozenset()
    late = await chain.rep.post(
        f"{path}/fixes/{refused_shop}/{FAILED_POINT}", files={"file": ("sen.pdf", PDF)}
    )
    assert late.status_code == 409


async def test_who_reads_the_evidence(world: World) -> None:
    chain, case, inspector, kommun, failed_shop = await inspected(world)
    path = f"/api/chain-cases/{case['id']}"
    await ok(
        await inspector.post(
            f"{path}/serious-points", json={"point": FAILED_POINT, "business_id": failed_shop}
        )
    )
    own = await ok(
        await chain.rep.post(
            f"{path}/fixes/{chain.member_shop}/{FAILED_POINT}", files={"file": ("egen.pdf", PDF)}
        ),
        201,
    )
    other_shop = next(shop for shop in chain.shops if shop != chain.member_shop)
    other = await ok(
        await chain.rep.post(f"{path}/fixes/{other_shop}/{FAILED_POINT}", files={"file": ("annan.pdf", PDF)}),
        201,
    )
    for client in (chain.rep, kommun, inspector):
        assert (await client.get(f"/api/chain-fixes/{other['id']}")).status_code == 200
    assert (await chain.member_owner.get(f"/api/chain-fixes/{own['id']}")).status_code == 200
    assert (await chain.member_owner.get(f"/api/chain-fixes/{other['id']}")).status_code == 404
    part = await ok(await chain.member_owner.get(f"{path}/corrections"))
    assert not part["whole_case"] and [f["id"] for f in part["fixes"]] == [own["id"]]
    assert part["failed_points"] == [] and part["report_problems"] == part["release_problems"] == []
    assert all(s["business_id"] is None and s["remark"] == "" for s in part["serious"])
    if failed_shop != chain.member_shop:
        assert part["failed"] == []

    _, other_chain = await world.client_for(Role.owner)
    _, other_inspector = await world.client_for(Role.inspector)
    await world.kommun("2080", "Falu kommun")
    _, other_kommun = await world.client_for(Role.kommun, ["2080"])
    for client in (other_chain, other_inspector, other_kommun):
        assert (await client.get(f"/api/chain-fixes/{other['id']}")).status_code == 404
        assert (await client.get(f"{path}/corrections")).status_code == 404
    assert (
        await other_chain.post(f"{path}/fixes/{other_shop}/{FAILED_POINT}", files={"file": ("x.pdf", PDF)})
    ).status_code == 404


async def test_the_pages_require_declare_report_hold_and_release(world: World, pseudo_language: str) -> None:
    chain, case, inspector, kommun, failed_shop = await inspected(world)
    case_id = case["id"]
    inspector_path = f"/besiktningar/kedjearenden/{case_id}/atgarder"
    case_path = f"/kedjor/{chain.id}/arenden/{case_id}"
    inspection = await inspector.get(f"/besiktningar/{case['sample'][0]['application_id']}")
    assert f'href="{inspector_path}"' in inspection.text, "the sample case leads to the chain's corrections"
    required = await submit(inspector, inspector_path, f"/besiktningar/kedjearenden/{case_id}/begar-atgarder")
    assert required.status_code == 303
    page = await chain.rep.get(case_path)
    assert "Finns samma brist i kedjans andra butiker?" in page.text
    refused = await submit(chain.rep, case_path, f"{case_path}/rapportera")
    assert refused.status_code == 422 and "saknas kedjans besked" in refused.text
    form = {f"finns-{shop}-{FAILED_POINT}": "nej" for shop in chain.shops}
    form[f"finns-{failed_shop}-{FAILED_POINT}"] = "ja"
    blank = await submit(chain.rep, case_path, f"{case_path}/systemkontroll", data=form)
    assert blank.status_code == 400
    form[f"kommentar-{failed_shop}-{FAILED_POINT}"] = "Larmet är kopplat."
    saved = await submit(chain.rep, case_path, f"{case_path}/systemkontroll", data=form)
    assert saved.status_code == 303
    member_page = await chain.member_owner.get(case_path)
    assert member_page.status_code == 200 and "Finns samma brist" not in member_page.text

    marked = await submit(
        inspector,
        inspector_path,
        f"/besiktningar/kedjearenden/{case_id}/allvarlig-brist",
        data={"brist": f"{FAILED_POINT}-{failed_shop}", "anmarkning": "Inget larm."},
    )
    assert marked.status_code == 303
    upload = await submit(
        chain.rep,
        case_path,
        f"{case_path}/underlag/{failed_shop}/{FAILED_POINT}",
        data={"kommentar": "Avtal"},
        files=[("fil", ("avtal.pdf", PDF, "application/pdf"))],
    )
    assert upload.status_code == 303
    not_yet = await submit(inspector, inspector_path, f"/besiktningar/kedjearenden/{case_id}/hav-vilande")
    assert not_yet.status_code == 422 and "Godkänt underlag saknas än" in not_yet.text
    fix_id = (await ok(await inspector.get(f"/api/chain-cases/{case_id}/corrections")))["fixes"][0]["id"]
    judged = await submit(
        inspector,
        inspector_path,
        f"/besiktningar/kedjearenden/{case_id}/underlag/{fix_id}",
        data={"bedomning": "accepted"},
    )
    assert judged.status_code == 303

    data = [
        "Kvartersbutiken",
        "Borlänge kommun",
        "Åkes Järn & Färg",
        "Inspector",
        "Owner",
        "avtal.pdf",
        "rutiner.pdf",
        case["seed"],
        case["diarienummer"],
        "Avtal",
        "Larmet är kopplat.",
        "Inget larm.",
        "Kommun",
    ]
    kommun_path = f"/kommun/kedjearenden/{case_id}"
    assert "avtal.pdf" in (await kommun.get(kommun_path)).text, "the kommun sees the evidence"
    for client, path in (
        (chain.rep, case_path),
        (chain.member_owner, case_path),
        (inspector, inspector_path),
        (kommun, kommun_path),
    ):
        response = await client.get(path, params={"lang": pseudo_language})
        assert response.status_code == 200, path
        assert_page_marked(path, response.text, data)
        ids = lxml.html.document_fromstring(response.text).xpath("//@id")
        assert len(ids) == len(set(ids)), f"{path}: an id twice"
