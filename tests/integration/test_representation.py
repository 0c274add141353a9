"""Acting for a company: representatives added by invitation, the basis each states, the kommun's
check on the case (mark checked, or ask for a fullmakt, which stops booking until one is uploaded),
and no representative seeing another company's shops."""

from __future__ import annotations

from typing import Any

from certify.domain.status import Role
from certify.tables import Business, Representative
from migrations.certify_2026_12_10t09_00_00_000000 import EXISTING_OWNERS
from tests.conftest import World
from tests.integration.pages import PDF, PNG, errors_in, submit, token_in
from tests.integration.scenario import Scenario, ok, shop_fields, visit_time


async def outbox(s: Scenario, kind: str) -> list[dict[str, Any]]:
    return [m for m in await ok(await s.kommun.get("/api/outbox")) if m["kind"] == kind]


def link_in(mail: dict[str, Any], path: str) -> str:
    return next(line for line in mail["body_text"].splitlines() if path in line).split(": ", 1)[1].strip()


def basis_of(case: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(r["name"], r["basis"], r["check"]) for r in case["representatives"]]


async def test_a_representative_is_added_by_invitation(world: World) -> None:
    s = await Scenario.create(world)
    page = f"/butiker/{s.business_id}/foretradare"
    shop = await s.owner.get(f"/butiker/{s.business_id}")
    assert "Ange hur du får företräda företaget" in shop.text, "the owner is asked to state his basis"
    stated = await submit(s.owner, page, page, data={"grund": "firmatecknare"})
    assert stated.status_code == 303 and stated.headers["location"] == f"{page}?klart=angiven"
    assert "Ange hur du får företräda företaget" not in (await s.owner.get(f"/butiker/{s.business_id}")).text

    refused = await submit(s.owner, page, f"{page}/bjud-in", data={"e-post": "inte en adress"})
    assert refused.status_code == 400 and errors_in(refused.text) == [
        "Skriv en e-postadress, till exempel namn@exempel.se."
    ]
    invited = await submit(s.owner, page, f"{page}/bjud-in", data={"e-post": "Kollega@Example.se"})
    assert invited.status_code == 303 and invited.headers["location"] == f"{page}?klart=inbjuden"
    [mail] = await outbox(s, "representative_invitation")
    assert mail["recipient"] == "kollega@example.se"
    token = link_in(mail, "/inbjudan/").rsplit("/", 1)[1]

    colleague_id, colleague = await world.client_for(Role.owner)
    assert (await colleague.get(f"/api/businesses/{s.business_id}")).status_code == 404, (
        "not before he accepts"
    )
    landing = await colleague.get(f"/inbjudan/{token}")
    assert landing.status_code == 200 and "Ta emot inbjudan" in landing.text
    accepted = await colleague.post(f"/inbjudan/{token}", data={"_csrf_token": token_in(landing.text)})
    assert accepted.status_code == 303 and accepted.headers["location"] == page

    again = await colleague.post(f"/inbjudan/{token}", data={"_csrf_token": token_in(landing.text)})
    assert again.status_code == 409, "the link works once"
    spent = await ok(await colleague.post(f"/api/invitations/{token}/claim"), 404)
    assert spent["extra"]["code"] == "invitation_not_found"

    # He states his own basis: an agent shows his fullmakt.
    no_file = await submit(colleague, page, page, data={"grund": "ombud"})
    assert no_file.status_code == 400
    assert errors_in(no_file.text) == ["Ett ombud laddar upp sin fullmakt: välj filen."]
    with_file = await submit(
        colleague,
        page,
        page,
        data={"grund": "ombud"},
        files=[("fullmakt", ("fullmakt.pdf", PDF, "application/pdf"))],
    )
    assert with_file.status_code == 303

    assert [b["id"] for b in await ok(await colleague.get("/api/businesses"))] == [s.business_id]
    colleague_name = (await ok(await colleague.get("/api/me")))["name"]
    assert colleague_name in (await s.kommun.get("/kommun/anvandare")).text, "among the shop's people"
    await ok(await s.kommun.post(f"/api/users/{colleague_id}/send-reset-link"), 202)
    case = await s.case()
    assert basis_of(case) == [
        (case["representatives"][0]["name"], "signatory", "unchecked"),
        (case["representatives"][1]["name"], "agent", "unchecked"),
    ]
    assert case["representatives"][1]["account_id"] == colleague_id
    assert case["representatives"][1]["fullmakt"]["file_name"] == "fullmakt.pdf"
    fullmakt = await s.kommun.get(f"/api/representatives/{case['representatives'][1]['id']}/fullmakt")
    assert fullmakt.status_code == 200 and fullmakt.content == PDF
    assert fullmakt.headers["content-disposition"].startswith("attachment")
    kommun_page = await s.kommun.get(f"/kommun/arenden/{s.case_id}")
    assert "Firmatecknare" in kommun_page.text and "Ombud med fullmakt" in kommun_page.text

    events = [e["action"] for e in await ok(await s.kommun.get(f"/api/applications/{s.case_id}/events"))]
    assert [a for a in events if "represent" in a or "fullmakt" in a] == [
        "representation_stated",
        "representative_invited",
        "representative_added",
        "fullmakt_uploaded",
    ]
    timeline = (await s.owner.get(f"/butiker/{s.business_id}")).text
    assert "En ny företrädare för företaget tog emot inbjudan." in timeline

    twice = await ok(
        await s.owner.post(
            f"/api/businesses/{s.business_id}/representatives/invite", json={"email": "kollega@example.se"}
        ),
        201,
    )
    assert twice["email"] == "kollega@example.se", "another address than the colleague's account: invited"
    own = await s.owner.get("/api/me")
    already = await ok(
        await s.owner.post(
            f"/api/businesses/{s.business_id}/representatives/invite",
            json={"email": (await ok(own))["email"]},
        ),
        422,
    )
    assert already["extra"]["code"] == "already_representative"


async def test_asking_for_a_fullmakt_blocks_assignment_until_one_is_uploaded(world: World) -> None:
    s = await Scenario.create(world)
    me = await ok(
        await s.owner.put(f"/api/businesses/{s.business_id}/representation", json={"basis": "signatory"})
    )
    await s.to_state("submitted")

    case_page = f"/kommun/arenden/{s.case_id}"
    asked = await submit(s.kommun, case_page, f"{case_page}/foretradare/{me['id']}/begar-fullmakt")
    assert asked.status_code == 303
    [mail] = await outbox(s, "fullmakt_requested")
    owner_email = (await ok(await s.owner.get("/api/me")))["email"]
    assert mail["recipient"] == owner_email
    assert link_in(mail, "/foretradare").endswith(f"/butiker/{s.business_id}/foretradare")
    assert basis_of(await s.case())[0][1:] == ("signatory", "fullmakt_requested")

    refused = await ok(
        await s.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=visit_time()), 409
    )
    assert refused["extra"]["code"] == "fullmakt_awaited"
    shown = await s.kommun.get(case_page)
    assert "Besiktningen kan inte bokas ännu" in shown.text
    by_page = await submit(
        s.kommun,
        case_page,
        f"{case_page}/tilldela",
        data={"inspektor": s.inspector_id, "besok": visit_time()[:16]},
    )
    assert by_page.status_code == 409 and "Besiktningen kan inte bokas ännu" in by_page.text
    assert (await s.case())["state"] == "submitted"
    assert "Kommunen har begärt en fullmakt av dig" in (await s.owner.get(f"/butiker/{s.business_id}")).text

    # Stating the basis again without a file does not answer the request.
    await ok(
        await s.owner.put(f"/api/businesses/{s.business_id}/representation", json={"basis": "signatory"})
    )
    await ok(await s.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=visit_time()), 409)
    bad = await ok(
        await s.owner.post(
            f"/api/businesses/{s.business_id}/representation/fullmakt",
            files={"file": ("fullmakt.txt", b"jag lovar", "text/plain")},
        ),
        422,
    )
    assert bad["extra"]["code"] == "file_type_not_accepted", "the same checks as evidence"

    uploaded = await ok(
        await s.owner.post(
            f"/api/businesses/{s.business_id}/representation/fullmakt",
            files={"file": ("fullmakt.png", PNG, "image/png")},
        )
    )
    assert (uploaded["basis"], uploaded["check"]) == ("agent", "unchecked")
    checked = await ok(
        await s.kommun.post(f"/api/applications/{s.case_id}/representatives/{me['id']}/checked")
    )
    assert checked["check"] == "checked" and checked["checked_at"] is not None
    booked = await ok(await s.act(s.kommun, "assign", inspector_id=s.inspector_id, visit_at=visit_time()))
    assert booked["state"] == "scheduled"
    events = [e["action"] for e in await ok(await s.kommun.get(f"/api/applications/{s.case_id}/events"))]
    assert events.index("fullmakt_requested") < events.index("fullmakt_uploaded") < events.index("assign")
    assert "representation_checked" in events
    register = await ok(await s.kommun.get("/api/register/documents", params={"case_id": s.case_id}))
    assert [(e["direction"], e["kind"]) for e in register if "fullmakt" in e["kind"]] == [
        ("out", "fullmakt_request"),
        ("in", "fullmakt"),
    ]


async def test_another_companys_representative_sees_nothing(world: World) -> None:
    s = await Scenario.create(world)
    mine = await ok(await s.owner.get(f"/api/businesses/{s.business_id}/representatives"))
    await ok(
        await s.owner.post(
            f"/api/businesses/{s.business_id}/representation/fullmakt",
            files={"file": ("fullmakt.png", PNG, "image/png")},
        )
    )
    _, other = await world.client_for(Role.owner)
    theirs = await ok(await other.post("/api/businesses", json=shop_fields(7)), 201)
    assert [b["id"] for b in await ok(await other.get("/api/businesses"))] == [theirs["id"]]
    assert await ok(await other.get("/api/applications")) == []
    business, case, rep = s.business_id, s.case_id, mine[0]["id"]
    for response in (
        await other.get(f"/api/businesses/{business}"),
        await other.get(f"/api/applications/{case}"),
        await other.get(f"/api/businesses/{business}/representatives"),
        await other.get(f"/api/representatives/{rep}/fullmakt"),
        await other.put(f"/api/businesses/{business}/representation", json={"basis": "signatory"}),
        await other.post(
            f"/api/businesses/{business}/representatives/invite", json={"email": "x@example.se"}
        ),
        await other.get(f"/butiker/{business}"),
        await other.get(f"/butiker/{business}/foretradare"),
    ):
        assert response.status_code == 404, f"{response.request.url}: {response.status_code}"
    await ok(await s.owner.get(f"/api/businesses/{theirs['id']}"), 404)
    # A case officer of another kommun is a stranger too; an inspector never reads a fullmakt.
    await world.kommun("2080", "Falu kommun")
    _, falun = await world.client_for(Role.kommun, ["2080"])
    assert (await falun.post(f"/api/applications/{case}/representatives/{rep}/checked")).status_code == 404
    assert (await falun.get(f"/api/representatives/{rep}/fullmakt")).status_code == 404
    assert (await s.inspector.get(f"/api/representatives/{rep}/fullmakt")).status_code == 403
    # A representative of the other company cannot be checked through this case.
    [their_rep] = await ok(await other.get(f"/api/businesses/{theirs['id']}/representatives"))
    wrong = await s.kommun.post(f"/api/applications/{case}/representatives/{their_rep['id']}/checked")
    assert wrong.status_code == 404


async def test_existing_owners_become_representatives_whose_basis_is_not_stated(world: World) -> None:
    """The migration's data step, on a shop written as before representation existed."""
    s = await Scenario.create(world)
    before = (
        await Business.select(Business.id, Business.owner).where(Business.id == s.business_id).first().run()
    )
    await Representative.delete().where(Representative.business == s.business_id).run()
    assert (await s.owner.get(f"/api/businesses/{s.business_id}")).status_code == 404
    await Representative.raw(EXISTING_OWNERS).run()
    rows = await Representative.select().where(Representative.business == s.business_id).run()
    assert [(r["account"], r["basis"], r["check_state"]) for r in rows] == [
        (before["owner"], "", "unchecked")
    ]
    await ok(await s.owner.get(f"/api/businesses/{s.business_id}"))


async def invited_colleague(world: World, s: Scenario, address: str) -> tuple[int, Any]:
    """Another owner account that accepted a representative's invitation to the shop's company."""
    await ok(
        await s.owner.post(
            f"/api/businesses/{s.business_id}/representatives/invite", json={"email": address}
        ),
        201,
    )
    mail = next(m for m in await outbox(s, "representative_invitation") if m["recipient"] == address)
    token = link_in(mail, "/inbjudan/").rsplit("/", 1)[1]
    account_id, client = await world.client_for(Role.owner)
    await ok(await client.post(f"/api/invitations/{token}/claim"))
    return account_id, client


async def test_a_representative_removes_another_or_leaves_and_one_always_stays(world: World) -> None:
    s = await Scenario.create(world)
    colleague_id, colleague = await invited_colleague(world, s, "kollega@example.se")
    third_id, third = await invited_colleague(world, s, "tredje@example.se")
    everyone = {r["account_id"]: r for r in (await s.case())["representatives"]}
    owner_rep, colleague_rep, third_rep = everyone[s.owner_id], everyone[colleague_id], everyone[third_id]

    _, stranger = await world.client_for(Role.owner)
    gone = await stranger.delete(f"/api/businesses/{s.business_id}/representatives/{owner_rep['id']}")
    assert gone.status_code == 404, "another company's representative removes nobody"

    # The colleague removes the owner who registered the shop: his access ends at once.
    page = f"/butiker/{s.business_id}/foretradare"
    assert "Ta bort som företrädare" in (await colleague.get(page)).text
    removed = await submit(colleague, page, f"{page}/{owner_rep['id']}/ta-bort")
    assert removed.status_code == 303 and removed.headers["location"] == f"{page}?klart=borttagen"
    for response in (
        await s.owner.get(f"/api/businesses/{s.business_id}"),
        await s.owner.get(f"/api/applications/{s.case_id}"),
        await s.owner.get(f"/butiker/{s.business_id}"),
        await s.owner.get(page),
        await s.owner.delete(f"/api/businesses/{s.business_id}/representatives/{colleague_rep['id']}"),
    ):
        assert response.status_code == 404, f"{response.request.url}: {response.status_code}"
    owner_now = await Business.select(Business.owner).where(Business.id == s.business_id).first().run()
    assert owner_now == {"owner": colleague_id}, "the longest-standing representative left takes his place"

    # The third one leaves by himself.
    left = await submit(third, page, f"{page}/{third_rep['id']}/ta-bort")
    assert left.status_code == 303 and left.headers["location"] == "/mina-butiker?klart=lamnat"
    assert "Du företräder inte längre företaget" in (await third.get("/mina-butiker?klart=lamnat")).text
    assert (await third.get(f"/api/businesses/{s.business_id}")).status_code == 404

    # The last one can neither leave nor be removed.
    assert "Sluta företräda företaget" not in (await colleague.get(page)).text
    last = await ok(
        await colleague.delete(f"/api/businesses/{s.business_id}/representatives/{colleague_rep['id']}"),
        422,
    )
    assert last["extra"]["code"] == "last_representative"
    by_page = await submit(colleague, page, f"{page}/{colleague_rep['id']}/ta-bort")
    assert by_page.status_code == 422 and errors_in(by_page.text) == [
        "Företaget måste ha minst en företrädare. Bjud in en ny företrädare innan den sista slutar."
    ]
    assert [r["account_id"] for r in (await s.case())["representatives"]] == [colleague_id]

    # The kommun sees who went, and how.
    events = await ok(await s.kommun.get(f"/api/applications/{s.case_id}/events"))
    departures = [
        (e["action"], e["detail"]["name"])
        for e in events
        if e["action"] in {"representative_removed", "representative_left"}
    ]
    assert departures == [
        ("representative_removed", owner_rep["name"]),
        ("representative_left", third_rep["name"]),
    ]
    timeline = (await s.kommun.get(f"/kommun/arenden/{s.case_id}")).text
    assert f"{owner_rep['name']} företräder inte längre företaget" in timeline
    assert f"{third_rep['name']} slutade företräda företaget." in timeline
