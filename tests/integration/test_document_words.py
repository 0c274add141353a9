"""Every word of the service's documents and of its command line comes from the catalogue.

Certificate and decal: Swedish with an English line, whatever the request's language. The inspection
protocol: in the shop owner's language, with the Swedish original beside it. The status report's
PDF, CSV and workbook: in the request's language. The command line: Swedish or English by the locale.
Each is rendered in the tests' pseudo-language, where a word outside ⟦…⟧ did not come from a catalogue.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from certify import cli
from certify.cli import command_line_language, main
from certify.domain.checklist import load_checklist
from certify.pdf.certificate import CertificateDocument, PointLine, in_language, render_certificate
from certify.pdf.decal import DecalDocument, render_decal
from certify.pdf.fonts import BOLD, REGULAR, register_fonts
from certify.pdf.protocol import ProtocolData, ProtocolPoint, render_protocol
from certify.tables import Account
from certify.text import catalogue
from certify.text.catalogue import _
from tests.conftest import World
from tests.integration.scenario import Scenario, ok
from tests.pseudo import OPEN, assert_all_marked

KOMMUN = "Borlänge kommun"
CONTACT = "Stadshuset, Röda vägen 50, 781 81 Borlänge"
PROGRAM = "certify"  # the command's name starts each of its lines


DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
needs_dejavu = pytest.mark.skipif(
    not (DEJAVU / "DejaVuSans.ttf").exists(), reason="needs DejaVu Sans (Debian: fonts-dejavu-core)"
)


@pytest.fixture
def brackets_in_pdfs(pseudo_language: str) -> Iterator[str]:
    """The pseudo-language in PDFs: Vera has no ⟦ ⟧ (nor the Arabic letters of its dates), so a PDF
    text would lose them; here the documents are set in DejaVu Sans, Vera with more letters."""
    if not (DEJAVU / "DejaVuSans.ttf").exists():
        pytest.skip("needs DejaVu Sans (Debian: fonts-dejavu-core)")
    register_fonts()
    vera = {name: pdfmetrics.getFont(name) for name in (REGULAR, BOLD)}
    # registerFont keeps a TrueType font's first registration: replace it in reportlab's table
    for name, filename in ((REGULAR, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf")):
        pdfmetrics._fonts[name] = TTFont(name, str(DEJAVU / filename))
    try:
        yield pseudo_language
    finally:
        pdfmetrics._fonts.update(vera)


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages).split()
    )


def font_names(content: bytes) -> set[str]:
    page = pypdf.PdfReader(io.BytesIO(content)).pages[0]
    fonts = page["/Resources"]["/Font"]  # type: ignore[index]
    return {str(font.get_object()["/BaseFont"]) for font in fonts.values()}  # type: ignore[union-attr]


def certificate() -> CertificateDocument:
    return CertificateDocument(
        number="BLG-2026-00017",
        kommun_name=KOMMUN,
        kommun_contact=CONTACT,
        shop_name="Åkes Järn & Färg",
        street_address="Borlänge Torget 5",
        postal_code="78433",
        city="Borlänge",
        org_number="5560160680",
        issued_on=date(2026, 11, 25),
        valid_until=date(2028, 11, 25),
        inspector_name="Karin Öberg",
        checklist_version="2026.1",
        points=tuple(
            PointLine(
                n, f"Punkt {n}", "not_applicable" if n == 6 else "pass", "Kontantfri." if n == 6 else ""
            )
            for n in range(1, 14)
        ),
        verify_url="https://certify.borlange.se/verify/BLG-2026-00017",
    )


def certificate_data(doc: CertificateDocument) -> list[str]:
    return [
        doc.number,
        doc.kommun_name,
        doc.kommun_contact,
        doc.shop_name,
        doc.street_address,
        doc.city,
        doc.inspector_name,
        *(p.title for p in doc.points),
        *(p.remark for p in doc.points),
    ]


# --- certificate and decal ----------------------------------------------------------------------


def test_certificate_and_decal_have_no_word_outside_the_catalogue(brackets_in_pdfs: str) -> None:
    pseudo_language = brackets_in_pdfs
    doc = certificate()
    both = (pseudo_language, pseudo_language)
    text = pdf_text(render_certificate(doc, languages=both))
    assert_all_marked("certificate", text, certificate_data(doc))
    decal = DecalDocument(doc.number, doc.kommun_name, doc.valid_until, doc.verify_url)
    assert_all_marked("decal", pdf_text(render_decal(decal, languages=both)), [KOMMUN, doc.number])


@pytest.mark.parametrize("request_language", ["sv", "en", "ar", "fi"])
def test_certificate_and_decal_are_swedish_with_english_whatever_the_request_speaks(
    request_language: str,
) -> None:
    doc = certificate()
    decal = DecalDocument(doc.number, doc.kommun_name, doc.valid_until, doc.verify_url)
    swedish = render_certificate(doc), render_decal(decal)
    with catalogue.use(request_language):
        assert (render_certificate(doc), render_decal(decal)) == swedish
    text = pdf_text(swedish[0])
    for message in (
        "Intyg – Skydd mot rån i handeln",
        "Intygsnummer",
        "Giltigt till",
        "Kontrollera intyget:",
    ):
        assert message in text and in_language("en", lambda m=message: _(m)) in text, message  # type: ignore[misc]
    decal_text = pdf_text(swedish[1])
    for message in ("Säkerhetsskyddad", "Giltig t.o.m.", "Intyg nr"):
        assert message in decal_text and in_language("en", lambda m=message: _(m)) in decal_text, message  # type: ignore[misc]


# --- inspection protocol -------------------------------------------------------------------------


async def protocol_case(world: World, owner_language: str) -> tuple[Scenario, list[str]]:
    """A round that required corrections, its owner speaking `owner_language` when the protocol
    went out (it is stored as issued); and its data."""
    s = await Scenario.create(world, cash_free=True)
    await Account.update({Account.language: owner_language}).where(Account.id == s.owner_id).run()
    case = await s.to_state("corrections_required")
    shop = await ok(await s.inspector.get(f"/api/businesses/{s.business_id}"))
    inspector = await Account.select(Account.name).where(Account.id == s.inspector_id).first().run()
    assert inspector is not None
    data = [
        shop["name"],
        shop["street_address"],
        shop["city"],
        shop["area"],
        KOMMUN,
        inspector["name"],
        *(v["remark"] for v in case["verdicts"]),
    ]
    return s, data


async def test_the_protocol_speaks_the_owners_language_and_the_swedish_original_is_beside_it(
    world: World, brackets_in_pdfs: str
) -> None:
    pseudo_language = brackets_in_pdfs
    s, data = await protocol_case(world, pseudo_language)
    # the inspector's own language does not matter: the protocol is the owner's
    translated = await s.inspector.get(
        f"/arenden/{s.case_id}/protokoll.pdf?omgang=1", headers={"Accept-Language": "en"}
    )
    assert translated.status_code == 200 and translated.headers["content-language"] == pseudo_language
    text = pdf_text(translated.content)
    assert_all_marked("protocol", text, data)
    assert f"{OPEN}Besiktningsprotokoll – Skydd mot rån i handeln" in text

    original = await s.kommun.get(f"/arenden/{s.case_id}/protokoll.sv.pdf?omgang=1")
    assert original.status_code == 200 and original.headers["content-language"] == "sv"
    assert 'filename="besiktningsprotokoll-' in original.headers["content-disposition"]
    swedish = pdf_text(original.content)
    assert OPEN not in swedish and swedish != text
    assert "Besiktningsprotokoll – Skydd mot rån i handeln" in swedish and "Underkänd" in swedish
    assert (await s.owner.get(f"/arenden/{s.case_id}/protokoll.sv.pdf")).status_code in {403, 404}


async def test_an_owner_without_a_language_gets_the_swedish_protocol(world: World) -> None:
    s, _data = await protocol_case(world, "")
    response = await s.inspector.get(f"/arenden/{s.case_id}/protokoll.pdf")
    assert response.headers["content-language"] == "sv"
    assert "Besiktningsprotokoll – Skydd mot rån i handeln" in pdf_text(response.content)


@needs_dejavu
def test_an_arabic_protocol_is_shaped_right_to_left_in_a_font_with_arabic_letters() -> None:
    point = load_checklist().points[0]
    with catalogue.use("ar"):
        data = ProtocolData(
            kommun_name=KOMMUN,
            case_id=17,
            round=1,
            shop_name="Åkes Järn",
            org_number="556016-0680",
            address="Borlänge Torget 5, 784 33 Borlänge",
            area="Centrum",
            cash_free=False,
            inspector_name="Karin Öberg",
            visit="",
            outcome="",
            printed_on="",
            points=(ProtocolPoint(point.number, _(point.title_sv), _("Godkänd"), ""),),
        )
        arabic_title = _(point.title_sv)
        pdf = render_protocol(data)
    assert arabic_title != point.title_sv, "the checklist is translated into Arabic"
    assert any("DejaVu" in name for name in font_names(pdf)), "Vera has no Arabic letters"
    text = pdf_text(pdf)
    assert "Åkes Järn" in text, "Latin data stays readable beside the Arabic"
    # shaped: the letters are in their joined presentation forms (U+FB50–U+FEFF)
    assert any("\ufb50" <= char <= "\ufeff" for char in text)


# --- status report: PDF, CSV, workbook ----------------------------------------------------------


async def report_case(world: World) -> tuple[Scenario, list[str]]:
    s = await Scenario.create(world)
    await s.to_state("certified")
    inspector = await Account.select(Account.name).where(Account.id == s.inspector_id).first().run()
    assert inspector is not None
    return s, [KOMMUN, "Centrum", inspector["name"]]


async def test_the_report_files_have_no_word_outside_the_catalogue(
    world: World, brackets_in_pdfs: str
) -> None:
    pseudo_language = brackets_in_pdfs
    s, data = await report_case(world)
    speak = {"Accept-Language": pseudo_language}

    pdf = await s.kommun.get("/api/reports/status.pdf", headers=speak)
    assert pdf.status_code == 200
    assert_all_marked("report PDF", pdf_text(pdf.content), data)

    response = await s.kommun.get("/api/reports/status.csv", headers=speak)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert_all_marked("report CSV", [" ".join(row) for row in rows], data)

    response = await s.kommun.get("/api/reports/status.xlsx", headers=speak)
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [
        str(v)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for v in row
        if v is not None
    ]
    assert_all_marked("report workbook", cells, data)
    assert len(workbook.sheetnames) == 10 and all(len(name) <= 31 for name in workbook.sheetnames)


@needs_dejavu
async def test_an_arabic_report_is_shaped_in_a_font_with_arabic_letters(world: World) -> None:
    s, _data = await report_case(world)
    pdf = await s.kommun.get("/api/reports/status.pdf", headers={"Accept-Language": "ar"})
    assert pdf.status_code == 200
    assert any("DejaVu" in name for name in font_names(pdf.content))
    assert any("\ufb50" <= char <= "\ufeff" for char in pdf_text(pdf.content)), "shaped letters"


async def test_the_report_speaks_the_requests_language(world: World) -> None:
    s, _data = await report_case(world)
    swedish = (await s.kommun.get("/api/reports/status.csv")).content.decode("utf-8-sig")
    english = (await s.kommun.get("/api/reports/status.csv", headers={"Accept-Language": "en"})).content
    with catalogue.use("en"):
        certified = _("Certifierad")
    assert "Certifierad" in swedish
    assert certified in english.decode("utf-8-sig"), "state names from the one vocabulary"


# --- the command line -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "spoken"),
    [
        ({"LANG": "sv_SE.UTF-8"}, "sv"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "fi_FI.UTF-8"}, "en"),
        ({}, "en"),
        ({"LANG": "sv_SE.UTF-8", "LC_ALL": "C.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "sv_FI.UTF-8"}, "sv"),
    ],
)
def test_the_command_line_speaks_swedish_for_a_swedish_locale_else_english(
    environ: dict[str, str], spoken: str
) -> None:
    assert command_line_language(environ) == spoken


@pytest.mark.parametrize("locale", ["en_US.UTF-8", "sv_SE.UTF-8"])
def test_a_command_line_error_is_one_line_from_the_catalogue(tmp_path: Path, locale: str) -> None:
    missing = tmp_path / "saknas.csv"
    runner = CliRunner(env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": locale})
    result = runner.invoke(main, ["import-businesses", str(missing)])
    assert result.exit_code == 1
    with catalogue.use(command_line_language({"LANG": locale})):
        expected = _("kan inte läsa {file}: {error}").format(file=missing, error="No such file or directory")
    assert result.output.strip().splitlines() == [f"{PROGRAM}: {expected}"]
    assert catalogue.current() == "sv", "the command's language ends with the command"


def test_the_command_line_words_come_from_the_catalogue(
    tmp_path: Path, pseudo_language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pseudo-language is no locale: the command is told to speak it instead of the locale's."""
    monkeypatch.setattr(cli, "command_line_language", lambda environ: pseudo_language)
    runner = CliRunner()
    backup, register = tmp_path / "saknas.backup", tmp_path / "saknas.csv"
    printed = [
        runner.invoke(main, ["add-kommun", "--code", "2081", "--name", KOMMUN]).output,
        runner.invoke(main, ["restore", "--yes", str(backup)]).output,
        runner.invoke(main, ["import-businesses", str(register)]).output,
    ]
    assert OPEN in printed[0] and printed[1].count("\n") == 1
    data = [PROGRAM, KOMMUN, str(backup), str(register), "No such file or directory"]
    assert_all_marked("command line", printed, data)
