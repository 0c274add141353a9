"""Archive export: a closed case leaves as one E-ARK SIP (FGS Paketstruktur 2.0) that the official
METS and PREMIS schemas accept, whose checksums hold, whose certificate is the issued one byte for
byte, and whose delivery is in the document register and the audit trail without changing the case."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from lxml import etree

from certify.cli import main
from certify.domain.archive import package_name
from certify.domain.status import Role
from certify.services import archive
from certify.services.clock import today
from certify.tables import Application
from tests.conftest import World
from tests.integration.pages import PDF, PNG, submit
from tests.integration.scenario import Scenario, ok

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
METS = "{http://www.loc.gov/METS/}"
PREMIS = "{http://www.loc.gov/premis/v3}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


class LocalSchemas(etree.Resolver):
    """Every import of an xlink.xsd (METS imports the one at loc.gov) answered by the vendored copy."""

    def resolve(self, system_url: str, public_id: str, context: Any) -> Any:
        if system_url.endswith("xlink.xsd"):
            return self.resolve_filename(str(SCHEMAS / "xlink.xsd"), context)
        return None


def schema(name: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(LocalSchemas())
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name), parser))


async def certified_with_evidence(world: World) -> Scenario:
    s = await Scenario.create(world)
    url = f"/api/applications/{s.case_id}/evidence"
    for point, name, data, mime in (
        (3, "kassalåda.png", PNG, "image/png"),
        (11, "rutiner.pdf", PDF, "application/pdf"),
    ):
        await ok(await s.owner.post(url, params={"point": point}, files={"file": (name, data, mime)}), 201)
    await s.to_state("certified")
    return s


async def exported(
    s: Scenario, client: httpx.AsyncClient | None = None
) -> tuple[httpx.Response, zipfile.ZipFile]:
    response = await (client or s.kommun).post(f"/api/applications/{s.case_id}/archive-package")
    assert response.status_code == 200, response.text
    return response, zipfile.ZipFile(io.BytesIO(response.content))


async def test_a_certified_cases_sip_validates_and_every_checksum_holds(world: World) -> None:
    s = await certified_with_evidence(world)
    case = await s.case()
    response, package = await exported(s)
    folder = package_name(case["diarienummer"]).removesuffix(".zip")
    assert response.headers["content-type"] == "application/zip"
    assert f'filename="{folder}.zip"' in response.headers["content-disposition"]
    names = package.namelist()
    assert all(n.startswith(f"{folder}/") for n in names), names
    files = {n.removeprefix(f"{folder}/"): package.read(n) for n in names}

    mets = etree.fromstring(files["METS.xml"])
    premis = etree.fromstring(files["metadata/preservation/premis.xml"])
    mets_schema, premis_schema = schema("mets.xsd"), schema("premis-v3-0.xsd")
    assert mets_schema.validate(mets), mets_schema.error_log
    assert premis_schema.validate(premis), premis_schema.error_log
    assert mets.get("OBJID") == case["diarienummer"]
    assert mets.get("PROFILE") == "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"

    data = {p for p in files if p.startswith("representations/rep1/data/")}
    certificate = f"representations/rep1/data/intyg-{case['certificate']['number']}.pdf"
    assert {
        certificate,
        "representations/rep1/data/besiktningsprotokoll-omgang-1.pdf",
        "representations/rep1/data/egenkontroll-och-bedomningar.pdf",
        "representations/rep1/data/egenkontroll-och-bedomningar.xml",
        "representations/rep1/data/handelser.xml",
        "metadata/descriptive/arende.xml",
    } <= set(files)
    assert len([p for p in data if "/bevis/" in p]) == 2

    # PREMIS: one object per file besides itself and METS.xml, each digest and size its bytes'.
    objects = premis.findall(f"{PREMIS}object")
    described = {o.findtext(f"{PREMIS}objectIdentifier/{PREMIS}objectIdentifierValue"): o for o in objects}
    assert set(described) == set(files) - {"METS.xml", "metadata/preservation/premis.xml"}
    for path, item in described.items():
        characteristics = item.find(f"{PREMIS}objectCharacteristics")
        assert characteristics.findtext(f"{PREMIS}fixity/{PREMIS}messageDigestAlgorithm") == "SHA-256"
        assert (
            characteristics.findtext(f"{PREMIS}fixity/{PREMIS}messageDigest")
            == hashlib.sha256(files[path]).hexdigest()
        ), path
        assert characteristics.findtext(f"{PREMIS}size") == str(len(files[path]))
        assert characteristics.findtext(f"{PREMIS}format/{PREMIS}formatDesignation/{PREMIS}formatName")
    pdf_key = described[certificate].findtext(f".//{PREMIS}formatRegistryKey")
    assert pdf_key and pdf_key.startswith("fmt/"), "a PDF carries its PRONOM id"
    original_names = {o.findtext(f"{PREMIS}originalName") for o in objects}
    assert {"kassalåda.png", "rutiner.pdf"} <= original_names

    # METS: every data file with its checksum, and the metadata files it points at.
    located = {f.find(f"{METS}FLocat").get(XLINK_HREF): f for f in mets.iter(f"{METS}file")}
    assert set(located) == data
    for path, item in located.items():
        assert item.get("CHECKSUMTYPE") == "SHA-256"
        assert item.get("CHECKSUM") == hashlib.sha256(files[path]).hexdigest()
    for ref in mets.iter(f"{METS}mdRef"):
        assert ref.get("CHECKSUM") == hashlib.sha256(files[ref.get(XLINK_HREF)]).hexdigest()

    # The certificate is the issued one, byte for byte.
    issued = await s.kommun.get(f"/api/certificates/{case['certificate']['number']}/pdf")
    assert files[certificate] == issued.content

    description = etree.fromstring(files["metadata/descriptive/arende.xml"])
    ns = "{urn:x-certify:arkiv:1}"
    assert description.findtext(f"{ns}diarienummer") == case["diarienummer"]
    assert description.findtext(f"{ns}status") == "certified"
    assert description.findtext(f"{ns}kommun") == "Borlänge kommun"
    assert description.find(f"{ns}intyg").get("nummer") == case["certificate"]["number"]
    assessment = etree.fromstring(files["representations/rep1/data/egenkontroll-och-bedomningar.xml"])
    assert len(assessment.findall(f"{ns}punkt")) == len(case["answers"])
    trail = etree.fromstring(files["representations/rep1/data/handelser.xml"])
    assert "approve" in {e.get("atgard") for e in trail.findall(f"{ns}handelse")}


async def test_the_export_is_registered_and_audited_and_the_case_is_unchanged(world: World) -> None:
    s = await certified_with_evidence(world)
    before = await s.case()
    stored = await Application.select().where(Application.id == s.case_id).first().run()
    response, _ = await exported(s)
    assert await s.case() == before
    assert await Application.select().where(Application.id == s.case_id).first().run() == stored

    register = await ok(await s.kommun.get("/api/register/documents", params={"case": s.case_id}))
    entry = register[-1]
    name = package_name(before["diarienummer"])
    assert entry["kind"] == "archive_package" and entry["direction"] == "out"
    assert entry["counterpart"] == "Borlänge kommun" and name in entry["description"]
    assert entry["secrecy"], "the package holds marked documents"
    events = await ok(await s.kommun.get(f"/api/applications/{s.case_id}/events"))
    [delivered] = [e for e in events if e["action"] == "archive_exported"]
    assert delivered["detail"]["package"] == name
    assert delivered["detail"]["sha256"] == hashlib.sha256(response.content).hexdigest()
    assert delivered["from_state"] == delivered["to_state"] == ""


async def test_an_open_case_is_not_exported(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("submitted")
    refused = await s.kommun.post(f"/api/applications/{s.case_id}/archive-package")
    assert refused.status_code == 409 and refused.json()["extra"]["code"] == "case_not_closed"
    register = await ok(await s.kommun.get("/api/register/documents", params={"case": s.case_id}))
    assert not [d for d in register if d["kind"] == "archive_package"]


async def test_another_kommun_cannot_export(world: World) -> None:
    s = await Scenario.create(world)
    await s.to_state("certified")
    await world.kommun("2080", "Falun kommun")
    _, falun = await world.client_for(Role.kommun, ["2080"])
    assert (await falun.post(f"/api/applications/{s.case_id}/archive-package")).status_code == 404
    assert (await s.owner.post(f"/api/applications/{s.case_id}/archive-package")).status_code == 403
    assert (await s.inspector.post(f"/api/applications/{s.case_id}/archive-package")).status_code == 403
    page = await falun.get(f"/kommun/arenden/{s.case_id}")
    assert page.status_code == 404
    register = await ok(await s.kommun.get("/api/register/documents", params={"case": s.case_id}))
    assert not [d for d in register if d["kind"] == "archive_package"]


async def test_the_button_on_a_closed_case_downloads_the_package(world: World) -> None:
    s = await Scenario.create(world)
    page = f"/kommun/arenden/{s.case_id}"
    await s.to_state("scheduled")
    assert "/arkivpaket" not in (await s.kommun.get(page)).text, "no button while the case is open"
    await s.judge_all()
    await ok(await s.act(s.inspector, "approve"))
    html = (await s.kommun.get(page)).text
    assert f'action="{page}/arkivpaket"' in html and "Ladda ner arkivpaket (ZIP)" in html
    response = await submit(s.kommun, page, f"{page}/arkivpaket", {})
    case = await s.case()
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    assert package_name(case["diarienummer"]) in response.headers["content-disposition"]
    assert zipfile.ZipFile(io.BytesIO(response.content)).testzip() is None


async def test_closed_before_selects_only_registered_cases_closed_before_the_date(world: World) -> None:
    certified = await Scenario.create(world)
    await certified.to_state("certified")
    still_open = await Scenario.create_in(world, certified)
    await still_open.to_state("submitted")
    withdrawn_draft = await Scenario.create_in(world, still_open)
    await withdrawn_draft.to_state("withdrawn")  # never came in: no diarienummer, nothing to deliver
    rejected = await Scenario.create_in(world, withdrawn_draft)
    await rejected.to_state("rejected")
    assert await archive.closed_before(today()) == [], "closed today is not closed before today"
    assert await archive.closed_before(today() + timedelta(days=1)) == [certified.case_id, rejected.case_id]


def test_the_cli_says_in_one_sentence_that_a_case_does_not_exist(tmp_path: Path) -> None:
    """Synchronous on purpose: the command runs its own event loop, as from a shell."""
    runner = CliRunner(env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "sv_SE.UTF-8"})
    result = runner.invoke(main, ["archive", "export", "--case", "999999", "--out", str(tmp_path / "ut")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == ["certify: Ärendet finns inte."]
    assert not list((tmp_path / "ut").glob("*.zip"))
    neither = runner.invoke(main, ["archive", "export", "--out", str(tmp_path)])
    assert neither.exit_code == 1 and neither.output.strip().count("\n") == 0


@pytest.mark.parametrize(
    "raw, name", [("KS 2026/00042", "KS-2026-00042.zip"), ("Dnr Ö-12:3", "Dnr-O-12-3.zip")]
)
def test_packages_are_named_by_the_diarienummer_made_safe_for_file_names(raw: str, name: str) -> None:
    assert package_name(raw) == name
