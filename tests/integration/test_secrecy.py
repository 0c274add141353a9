"""Secrecy (OSL 18 kap. 8 §): what a shop answered, sent in and was judged on never leaves through a
public or bulk channel, and every page that shows it carries the marking.

The sweep writes one unique marker into every marked field through the real API (answer comments,
evidence file names and bytes, the inspector's remarks and photos, failed points' remarks, the
corrections report, a rejection's reason, and so the protocol; a reported material change's
description and file), proves the marker reaches the case's own pages and protocol, then searches
every public page, the open register, the status report in every format, the document register,
the kommun's case list, each webhook body (a real server on loopback) and every outbox message for
it.
"""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile
from collections.abc import Iterator

import pikepdf
import pypdf
import pytest

from certify.domain.status import Role
from certify.services import webhooks
from certify.settings import Settings
from certify.tables import OutboxMessage
from tests.conftest import World
from tests.integration.scenario import ALL_POINTS, Scenario, future_deadline, ok, visit_time
from tests.integration.test_chains import invitation_token
from tests.integration.test_webhooks import Receiver

MARKER = "HEMLIGT7Q4Z"
MARKING = "Kan omfattas av sekretess (18 kap. 8 § OSL)"


@pytest.fixture
def settings() -> Settings:
    """The webhook receiver listens on loopback over plain http: allowed in this test only."""
    return dataclasses.replace(
        Settings.from_env(),
        webhook_http_hosts=frozenset({"127.0.0.1", "localhost"}),
        webhook_allow_private=True,
    )


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver([]) as r:
        yield r


def marked_pdf() -> bytes:
    """A real PDF whose bytes carry the marker (uncompressed, in its Info and on its page)."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Title"] = f"Larmplan {MARKER}"
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=False)
    return out.getvalue()


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return " ".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())


async def fill_every_marked_field(s: Scenario) -> None:
    """A case through the inspection with the marker in everything the shop or inspector wrote."""
    for point in range(1, 14):
        await ok(await s.answer(point, "fulfilled", f"Svar {point} {MARKER}"))
    await ok(
        await s.owner.post(
            f"/api/applications/{s.case_id}/evidence",
            params={"point": 7},
            files={"file": (f"larm-{MARKER}.pdf", marked_pdf(), "application/pdf")},
        ),
        201,
    )
    await ok(await s.act(s.owner, "submit"))
    await ok(await s.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=visit_time()))
    await ok(
        await s.inspector.post(
            f"/api/applications/{s.case_id}/evidence",
            params={"point": 4},
            files={"file": (f"foto-{MARKER}.pdf", marked_pdf(), "application/pdf")},
        ),
        201,
    )
    for point in range(1, 14):
        failed = ["4.1"] if point == 4 else None  # a failed criterion (checklist 2026.2)
        await ok(await s.verdict(point, "fail" if failed else "pass", f"Anmärkning {point} {MARKER}", failed))
    await ok(await s.act(s.inspector, "require_corrections", deadline=future_deadline()))


async def test_nothing_marked_leaves_through_a_public_or_bulk_channel(
    world: World, receiver: Receiver, settings: Settings
) -> None:
    s = await Scenario.create(world)
    await ok(await s.kommun.post("/api/webhooks", json={"url": receiver.url, "event_types": ["*"]}), 201)

    # One case certified after corrections (its certificate is public), one rejected with a reason.
    await fill_every_marked_field(s)
    for path in (f"/butiker/{s.business_id}", f"/arenden/{s.case_id}/egenkontroll/punkt/4"):
        html = (await s.owner.get(path)).text
        assert MARKER in html and MARKING in html, f"{path} shows the remarks, with the marking"
    await ok(await s.act(s.owner, "report_corrections", comment=f"Åtgärdat {MARKER}"))
    await ok(await s.verdict(4, "pass", f"Åtgärdad {MARKER}"))
    certified = await ok(await s.act(s.inspector, "approve"))
    number = certified["certificate"]["number"]
    # A reported material change of the certified shop: its description and file are marked too.
    change = await ok(
        await s.owner.post(
            f"/api/businesses/{s.business_id}/material-changes",
            json={"kind": "alarm", "description": f"Larmet är flyttat {MARKER}"},
        ),
        201,
    )
    await ok(
        await s.owner.post(
            f"/api/material-changes/{change['id']}/files",
            files={"file": (f"larm-{MARKER}.pdf", marked_pdf(), "application/pdf")},
        ),
        201,
    )
    rejected = await Scenario.create_in(world, s)
    await fill_every_marked_field(rejected)
    await ok(await rejected.act(s.kommun, "reject", reason=f"Avslås {MARKER}"))

    # The marker did reach the marked places (otherwise the sweep below proves nothing).
    files = await ok(await s.kommun.get(f"/api/applications/{s.case_id}/evidence"))
    assert MARKER.encode() in (await s.kommun.get(f"/api/evidence/{files[0]['id']}")).content
    inside = {
        "evidence access log": (await s.kommun.get("/kommun/atkomstlogg")).text,
        "kommun case page": (await s.kommun.get(f"/kommun/arenden/{s.case_id}")).text,
        "inspector's page": (await s.inspector.get(f"/besiktningar/{s.case_id}")).text,
        "self-assessment": (await s.owner.get(f"/arenden/{s.case_id}/egenkontroll")).text,
        "rejected case": (await s.kommun.get(f"/kommun/arenden/{rejected.case_id}")).text,
        "reported change (kommun)": (await s.kommun.get(f"/kommun/forandringar/{change['id']}")).text,
        "reported change (owner)": (await s.owner.get(f"/butiker/{s.business_id}")).text,
    }
    for name, html in inside.items():
        assert MARKER in html and MARKING in html, f"{name} shows marked content, with the marking"
    protocol = await s.kommun.get(f"/arenden/{s.case_id}/protokoll.sv.pdf?omgang=1")
    assert MARKER in pdf_text(protocol.content) and MARKING in " ".join(pdf_text(protocol.content).split())

    public = world.new_client()
    channels: dict[str, str] = {}
    for path in ("/", "/verify", f"/verify/{number}", f"/verify?nummer={number}", "/kommuner"):
        channels[f"public page {path}"] = (await public.get(path)).text
    channels["public API certified shops"] = (await public.get("/api/public/certified")).text
    channels["open register CSV"] = (await public.get("/register.csv")).text
    channels[f"public API {number}"] = json.dumps(await ok(await public.get(f"/api/certificates/{number}")))
    report = await ok(await s.kommun.get("/api/reports/status"))
    channels["status report JSON"] = json.dumps(report, ensure_ascii=False)
    channels["status report CSV"] = (await s.kommun.get("/api/reports/status.csv")).text
    channels["status report XLSX"] = xlsx_text((await s.kommun.get("/api/reports/status.xlsx")).content)
    report_pdf = (await s.kommun.get("/api/reports/status.pdf")).content
    channels["status report PDF"] = pdf_text(report_pdf) + report_pdf.decode("latin-1")
    channels["status report page"] = (await s.kommun.get("/kommun/rapporter")).text
    channels["document register page"] = (await s.kommun.get("/kommun/diarium")).text
    channels["document register CSV"] = (await s.kommun.get("/kommun/diarium.csv")).text
    channels["document register API"] = (await s.kommun.get("/api/register/documents")).text
    channels["kommun case list"] = (await s.kommun.get("/kommun/arenden")).text

    # Both shops join a chain whose representative is someone else: the chain's pages and the
    # kommun's list of chains show states and dates, never what was marked.
    _, chain_owner = await world.client_for(Role.owner)
    chain = await ok(
        await chain_owner.post("/api/chains", json={"name": "Kedjan", "org_number": "5566778899"}), 201
    )
    for shop_id in (s.business_id, rejected.business_id):
        await ok(
            await chain_owner.post(
                f"/api/chains/{chain['id']}/invitations", json={"email": "owner1@example.se"}
            ),
            201,
        )
        token = await invitation_token("owner1@example.se")
        await ok(await s.owner.post(f"/api/chain-invitations/{token}/accept", json={"business_id": shop_id}))
    seen = await ok(await chain_owner.get(f"/api/chains/{chain['id']}"))
    assert {m["business_id"] for m in seen["members"]} == {s.business_id, rejected.business_id}
    channels["chain API"] = json.dumps(seen, ensure_ascii=False)
    channels["chain page"] = (await chain_owner.get(f"/kedjor/{chain['id']}")).text
    channels["chains page"] = (await chain_owner.get("/kedjor")).text
    channels["member's chain page"] = (await s.owner.get(f"/kedjor/{chain['id']}")).text
    channels["kommun chains API"] = (await s.kommun.get("/api/kommun/chains")).text
    channels["kommun chains page"] = (await s.kommun.get("/kommun/kedjor")).text

    # The chain's case: its central documentation and its internal audit of both members are
    # marked; the member's owner sees his shop's part only, the kommun's list states and counts.
    chain_case = await ok(
        await chain_owner.post(f"/api/chains/{chain['id']}/cases", json={"kommun_code": "2081"}), 201
    )
    await ok(
        await chain_owner.post(
            f"/api/chains/{chain['id']}/documents",
            files={"file": (f"rutiner-{MARKER}.pdf", marked_pdf(), "application/pdf")},
        ),
        201,
    )
    for shop_id in (s.business_id, rejected.business_id):
        for point in ALL_POINTS:
            await ok(
                await chain_owner.put(
                    f"/api/chain-cases/{chain_case['id']}/audits/{shop_id}/{point}",
                    json={"status": "not_applicable", "comment": f"Revision {point} {MARKER}"},
                )
            )
    await ok(await chain_owner.post(f"/api/chain-cases/{chain_case['id']}/submit", json={}))
    whole = await ok(await chain_owner.get(f"/api/chain-cases/{chain_case['id']}"))
    assert MARKER in json.dumps(whole, ensure_ascii=False), "the chain sees its own audit"
    channels["member's chain case API"] = (await s.owner.get(f"/api/chain-cases/{chain_case['id']}")).text
    channels["kommun chain case list API"] = (await s.kommun.get("/api/kommun/chain-cases")).text
    channels["chain's case list API"] = (await chain_owner.get(f"/api/chains/{chain['id']}/cases")).text
    case_page = f"/kedjor/{chain['id']}/arenden/{chain_case['id']}"
    for name, html in {
        "chain's case page": (await chain_owner.get(case_page)).text,
        "chain's audit of a member": (await chain_owner.get(f"{case_page}/butiker/{s.business_id}")).text,
        "kommun's chain case page": (await s.kommun.get(f"/kommun/kedjearenden/{chain_case['id']}")).text,
    }.items():
        assert MARKER in html and MARKING in html, f"{name} shows marked content, with the marking"
    channels["member's chain case page"] = (await s.owner.get(case_page)).text
    channels["kommun chains page with chain cases"] = (await s.kommun.get("/kommun/kedjor")).text
    channels["chain page with chain cases"] = (await chain_owner.get(f"/kedjor/{chain['id']}")).text

    # The chain case's correction round: the inspector fails a point at the sampled shop and marks it
    # serious, the chain declares for both members and uploads evidence, all marked. The mail to the
    # chain, the webhooks and the case lists carry none of it.
    path = f"/api/chain-cases/{chain_case['id']}"
    assigned = await ok(await s.kommun.post(f"{path}/assign", json={"inspector_id": s.inspector_id}))
    sampled = assigned["sample"][0]
    for point in (p for p in ALL_POINTS if p not in {1, 2, 11, 12, 13}):
        verdict = {"verdict": "pass", "remark": ""}
        if point == 5:
            verdict = {"verdict": "fail", "remark": f"Larm {MARKER}", "failed_criteria": ["5.1"]}
        await ok(
            await s.inspector.put(
                f"/api/applications/{sampled['application_id']}/verdicts/{point}", json=verdict
            )
        )
    await ok(await s.inspector.post(f"{path}/require-corrections", json={}))
    members = (s.business_id, rejected.business_id)
    declared = [
        {"business_id": shop, "point": 5, "present": True, "comment": f"Samma brist {MARKER}"}
        for shop in members
    ]
    await ok(await chain_owner.put(f"{path}/systemic-check", json={"declarations": declared}))
    await ok(
        await s.inspector.post(
            f"{path}/serious-points",
            json={"point": 5, "business_id": sampled["business_id"], "remark": f"Allvarlig {MARKER}"},
        )
    )
    for shop in members:
        await ok(
            await chain_owner.post(
                f"{path}/fixes/{shop}/5",
                files={"file": (f"larm-{MARKER}.pdf", marked_pdf(), "application/pdf")},
                data={"comment": f"Åtgärdat {MARKER}"},
            ),
            201,
        )
    corrections = await ok(await chain_owner.get(f"{path}/corrections"))
    assert MARKER in json.dumps(corrections, ensure_ascii=False), "the chain sees its declarations"
    for name, html in {
        "chain's case page with corrections": (await chain_owner.get(case_page)).text,
        "inspector's chain corrections page": (
            await s.inspector.get(f"/besiktningar/kedjearenden/{chain_case['id']}/atgarder")
        ).text,
    }.items():
        assert MARKER in html and MARKING in html, f"{name} shows marked content, with the marking"
    channels["kommun chain case list API after corrections"] = (
        await s.kommun.get("/api/kommun/chain-cases")
    ).text
    channels["chain's case list API after corrections"] = (
        await chain_owner.get(f"/api/chains/{chain['id']}/cases")
    ).text
    channels["kommun chains page after corrections"] = (await s.kommun.get("/kommun/kedjor")).text

    delivered = await webhooks.deliver_due(settings)
    assert delivered.delivered >= 10 and len(receiver.requests) == delivered.delivered
    for headers, body in receiver.requests:
        channels[f"webhook {headers['X-Certify-Event']} #{headers['X-Certify-Delivery']}"] = body.decode()
    mails = await OutboxMessage.select(
        OutboxMessage.kind, OutboxMessage.subject, OutboxMessage.body_text, OutboxMessage.body_html
    ).run()
    assert {"require_corrections", "approve"} <= {m["kind"] for m in mails}
    for i, mail in enumerate(mails):
        channels[f"mail {mail['kind']} #{i}"] = " ".join(
            (mail["subject"], mail["body_text"], mail["body_html"])
        )

    leaks = [name for name, text in channels.items() if MARKER in text]
    leaks += [f"{name} (criteria)" for name, text in channels.items() if "failed_criteria" in text]
    assert leaks == [], f"marked content left through: {leaks}"
    assert number in channels["open register CSV"] and number in channels[f"public page /verify/{number}"]
