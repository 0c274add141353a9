"""The inspection protocol as issued: a decision that sends the protocol out stores it (the Swedish
original and the owner's copy), the downloads hand out exactly those bytes ever after, the archive
package carries them byte for byte, and a case decided before protocols were stored still gets its
protocol, drawn from the case and marked in PREMIS as drawn at export."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pypdf
from lxml import etree

from certify.tables import Account, Business, Protocol
from tests.conftest import World
from tests.integration.scenario import Scenario, future_deadline, ok
from tests.integration.test_archive import PREMIS, schema

DATA = "representations/rep1/data"
DRAFT = "utkast: visar bedömningarna som de är nu, inte beslutat"


async def _stored(case_id: int) -> list[dict[str, object]]:
    return await (  # type: ignore[no-any-return]
        Protocol.select(Protocol.round, Protocol.action, Protocol.language, Protocol.pdf, Protocol.sha256)
        .where(Protocol.application == case_id)
        .order_by(Protocol.id)
        .run()
    )


def _text(pdf: bytes) -> str:
    return pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().replace("\n", " ")


async def _package(s: Scenario) -> dict[str, bytes]:
    response = await s.kommun.post(f"/api/applications/{s.case_id}/archive-package")
    assert response.status_code == 200, response.text
    package = zipfile.ZipFile(io.BytesIO(response.content))
    folder = package.namelist()[0].split("/")[0]
    return {n.removeprefix(f"{folder}/"): package.read(n) for n in package.namelist()}


def _creation_notes(premis_xml: bytes) -> dict[str, str]:
    """Each file's PREMIS creation event detail, by the file's path."""
    premis = etree.fromstring(premis_xml)
    premis_schema = schema("premis-v3-0.xsd")
    assert premis_schema.validate(premis), premis_schema.error_log
    notes = {}
    for event in premis.findall(f"{PREMIS}event"):
        if event.findtext(f"{PREMIS}eventType") == "creation":
            path = event.findtext(f"{PREMIS}linkingObjectIdentifier/{PREMIS}linkingObjectIdentifierValue")
            notes[path] = event.findtext(f"{PREMIS}eventDetailInformation/{PREMIS}eventDetail")
    return notes


async def test_required_corrections_store_the_protocol_and_downloads_are_those_bytes(
    world: World,
) -> None:
    s = await Scenario.create(world)
    await Account.update({Account.language: "en"}).where(Account.id == s.owner_id).run()
    await s.to_state("corrections_required")

    stored = await _stored(s.case_id)
    assert [(p["round"], p["action"], p["language"]) for p in stored] == [
        (1, "require_corrections", "sv"),
        (1, "require_corrections", "en"),
    ]
    for p in stored:
        assert p["sha256"] == hashlib.sha256(p["pdf"]).hexdigest()  # type: ignore[arg-type]
    swedish, english = (bytes(p["pdf"]) for p in stored)  # type: ignore[call-overload]
    assert "Sista dag för åtgärder" in _text(swedish) and "Åkes Järn & Färg 1" in _text(swedish)

    original = await s.kommun.get(f"/arenden/{s.case_id}/protokoll.sv.pdf?omgang=1")
    copy = await s.inspector.get(f"/arenden/{s.case_id}/protokoll.pdf?omgang=1")
    assert original.content == swedish and original.headers["content-language"] == "sv"
    assert copy.content == english and copy.headers["content-language"] == "en"

    # A later change of the shop's name (or of the owner's language) changes nothing that went out.
    await Business.update({Business.name: "Nya Namnet AB"}).where(Business.id == s.business_id).run()
    await Account.update({Account.language: "fi"}).where(Account.id == s.owner_id).run()
    assert (await s.kommun.get(f"/arenden/{s.case_id}/protokoll.sv.pdf?omgang=1")).content == swedish
    assert (await s.kommun.get(f"/arenden/{s.case_id}/protokoll.pdf?omgang=1")).content == english
    assert (await s.kommun.get(f"/arenden/{s.case_id}/protokoll.pdf")).content == english


async def test_the_round_under_way_is_drawn_live(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("scheduled")
    await s.judge_all(fail={4})
    refused = await s.act(s.inspector, "approve")
    assert refused.status_code == 422
    assert await _stored(s.case_id) == [], "a refused decision stores nothing"
    before = await s.kommun.get(f"/arenden/{s.case_id}/protokoll.pdf")
    assert before.status_code == 200 and "Punkt 4 brister." in _text(before.content)
    await ok(await s.verdict(4, "fail", "Sedelboxen saknas.", ["4.1"]))
    after = await s.kommun.get(f"/arenden/{s.case_id}/protokoll.pdf")
    assert "Sedelboxen saknas." in _text(after.content)
    for client, page in ((s.kommun, "/kommun/arenden"), (s.inspector, "/besiktningar")):
        assert DRAFT in (await client.get(f"{page}/{s.case_id}")).text, "the page says it is a draft"
    await ok(await s.act(s.inspector, "require_corrections", deadline=future_deadline()))
    for client, page in ((s.kommun, "/kommun/arenden"), (s.inspector, "/besiktningar")):
        assert DRAFT not in (await client.get(f"{page}/{s.case_id}")).text


async def test_the_sip_of_a_certified_case_carries_the_stored_protocol_byte_for_byte(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("certified")
    [stored] = await _stored(s.case_id)
    assert (stored["round"], stored["action"], stored["language"]) == (1, "approve", "sv")
    case = await s.case()
    assert f"Godkänd – intyg {case['certificate']['number']}" in _text(bytes(stored["pdf"]))  # type: ignore[call-overload]
    await Business.update({Business.name: "Nya Namnet AB"}).where(Business.id == s.business_id).run()

    files = await _package(s)
    assert files[f"{DATA}/besiktningsprotokoll-omgang-1.pdf"] == stored["pdf"]
    download = await s.kommun.get(f"/arenden/{s.case_id}/protokoll.sv.pdf")
    assert download.content == stored["pdf"]
    notes = _creation_notes(files["metadata/preservation/premis.xml"])
    assert notes[f"{DATA}/besiktningsprotokoll-omgang-1.pdf"].startswith("Lagrat när beslutet fattades")


async def test_a_rejection_after_corrections_sends_the_round_again(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("rejected")
    stored = await _stored(s.case_id)
    assert [(p["round"], p["action"]) for p in stored] == [(1, "require_corrections"), (1, "reject")]
    download = await s.kommun.get(f"/arenden/{s.case_id}/protokoll.pdf?omgang=1")
    assert download.content == stored[1]["pdf"], "the round's protocol as it last went out"
    files = await _package(s)
    assert files[f"{DATA}/besiktningsprotokoll-omgang-1.pdf"] == stored[0]["pdf"]
    assert files[f"{DATA}/besiktningsprotokoll-omgang-1-reject.pdf"] == stored[1]["pdf"]


async def test_a_case_decided_before_protocols_were_stored_still_has_its_protocol(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("certified")
    await Protocol.delete().where(Protocol.application == s.case_id).run()  # as before the upgrade

    for path in ("protokoll.pdf", "protokoll.sv.pdf"):
        drawn = await s.kommun.get(f"/arenden/{s.case_id}/{path}")
        assert drawn.status_code == 200 and drawn.content.startswith(b"%PDF-")
        assert "Besiktningsprotokoll" in _text(drawn.content)
    files = await _package(s)
    protocol = f"{DATA}/besiktningsprotokoll-omgang-1.pdf"
    assert files[protocol].startswith(b"%PDF-")
    assert _creation_notes(files["metadata/preservation/premis.xml"])[protocol].startswith(
        "Framställt vid arkivexporten"
    )
