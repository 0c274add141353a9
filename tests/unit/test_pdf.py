"""The certificate and decal PDFs: content a reader extracts, layout limits, fonts, QR, stability."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from io import BytesIO

import pytest
import segno
from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas

from certify.domain.org_number import format_org_number
from certify.formatting import format_day_month
from certify.pdf.certificate import (
    BOTTOM,
    FOOTER_TOP,
    CertificateDocument,
    CertificateLayoutError,
    PointLine,
    format_postal_code,
    in_language,
    render_certificate,
)
from certify.pdf.decal import DecalDocument, render_decal
from certify.pdf.fonts import BOLD, REGULAR, fit_size, register_fonts, wrap_text
from certify.pdf.qr import draw_qr, qr_matrix, qr_rects, runs_from_matrix
from certify.text.catalogue import _, gettext, use

SHOP = "Ångström & Söner Järnhandel"
KOMMUN = "Borlänge kommun"
NUMBER = "BLG-2026-00017"
URL = f"https://certify.borlange.se/verify/{NUMBER}"
CASH_POINTS = (3, 4, 5, 6, 12)
CASH_FREE = "Butiken är kontantfri sedan 2024; inga kontanter hanteras."
LONG_REMARK = (
    "Butiken är helt kontantfri sedan mars 2024: alla betalningar sker med kort eller Swish, "
    "skylt om kontantfrihet finns vid entrén och vid kassan, och inga kontanter förvaras i "
    "lokalen. Kassalådor saknas helt och värdetransporter förekommer inte. Bedömt som ej "
    "tillämpligt efter kontroll av butikens rutiner och kassasystem."
)


def english(message: str) -> str:
    """A certificate's message as its English line prints it (from the English catalogue)."""
    return in_language("en", lambda: _(message))


def verify_url(number: str) -> str:
    """The public verification address printed for a certificate number."""
    return f"https://certify.borlange.se/verify/{number}"


def certificate(number: str = NUMBER, title_suffix: str = "", remark: str = CASH_FREE) -> CertificateDocument:
    """A cash-free shop's certificate: the cash points are not applicable."""
    points = tuple(
        PointLine(
            number=index,
            title=f"Punkt {index} i checklistan{title_suffix}",
            verdict="not_applicable" if index in CASH_POINTS else "pass",
            remark=remark if index in CASH_POINTS else "",
        )
        for index in range(1, 14)
    )
    return CertificateDocument(
        number=number,
        kommun_name=KOMMUN,
        kommun_contact="Stadshuset, Röda vägen 50, 781 81 Borlänge · 0243-740 00",
        shop_name=SHOP,
        street_address="Stationsgatan 12",
        postal_code="78434",
        city="Borlänge",
        org_number="5560360793",
        issued_on=date(2026, 11, 25),
        valid_until=date(2028, 11, 25),
        inspector_name="Karin Öberg",
        checklist_version="2026.1",
        points=points,
        verify_url=verify_url(number),
    )


def long_certificate() -> CertificateDocument:
    """Thirteen long titles and five remarks of 300 characters: the worst case we promise."""
    suffix = " – med utökade krav på dokumentation, uppföljning och samordning med arbetsmiljön"
    return certificate(title_suffix=suffix, remark=LONG_REMARK)


def decal(number: str = NUMBER) -> DecalDocument:
    """The decal that goes with the sample certificate."""
    return DecalDocument(number, KOMMUN, date(2028, 11, 25), verify_url(number))


def read(pdf: bytes) -> PdfReader:
    """Parse PDF bytes."""
    return PdfReader(BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    """The text of all pages, as a reader or a screen reader gets it."""
    return "\n".join(page.extract_text() for page in read(pdf).pages)


def flat(text: str) -> str:
    """Collapse line breaks and runs of spaces, to find wrapped sentences."""
    return " ".join(text.split())


def font_names(pdf: bytes) -> list[str]:
    """BaseFont names of the page's fonts, checking each is embedded (has a font file)."""
    resources = read(pdf).pages[0]["/Resources"].get_object()
    assert isinstance(resources, DictionaryObject)
    fonts = resources["/Font"].get_object()
    assert isinstance(fonts, DictionaryObject)
    names = []
    for reference in fonts.values():
        font = reference.get_object()
        assert isinstance(font, DictionaryObject)
        descriptor = font["/FontDescriptor"].get_object()
        assert isinstance(descriptor, DictionaryObject)
        assert "/FontFile2" in descriptor
        names.append(str(font["/BaseFont"]))
    return names


def test_certificate_text_keeps_swedish_letters_and_facts() -> None:
    text = text_of(render_certificate(certificate()))
    for expected in (
        SHOP,
        KOMMUN,
        NUMBER,
        "Intyg – Skydd mot rån i handeln",
        "25 november 2026",
        "25 november 2028",
        f"Organisationsnummer / {english('Organisationsnummer')} 556036-0793",
        "Stationsgatan 12, 784 34 Borlänge",
        "Besiktningsperson",
        "Karin Öberg",
        "2026.1",
        f"Kontrollera intyget: / {english('Kontrollera intyget:')} {URL}",
    ):
        assert expected in text
    assert "samtliga 13 grundläggande åtgärder" in flat(text)
    assert "ombesiktning sker vartannat år" in flat(text)


def test_certificate_shows_each_verdict() -> None:
    text = text_of(render_certificate(certificate()))
    assert text.count("Uppfyllt") == 13 - len(CASH_POINTS)
    assert text.count("Ej tillämpligt") == len(CASH_POINTS)
    assert f"Ej tillämpligt / {english('Ej tillämpligt')} – {CASH_FREE}" in flat(text)


def test_certificate_metadata_is_set() -> None:
    metadata = read(render_certificate(certificate())).metadata
    assert metadata is not None
    assert metadata.title == f"Intyg {NUMBER}"
    assert metadata.author == KOMMUN


def test_certificate_is_one_a4_page() -> None:
    reader = read(render_certificate(certificate()))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / mm), round(float(box.height) / mm)) == (210, 297)


def test_long_points_and_remarks_fit_above_the_footer() -> None:
    doc = long_certificate()
    pdf = render_certificate(doc)
    page = read(pdf).pages[0]
    cells = "\n".join([point.title for point in doc.points] + [f"Ej tillämpligt – {LONG_REMARK}"])
    table_baselines: list[float] = []
    all_baselines: list[float] = []

    def visit(text: str, _cm: object, tm: list[float], _font: object, _size: object) -> None:
        if text.strip():
            all_baselines.append(tm[5])
        if len(text.strip()) > 3 and text.strip() in cells:
            table_baselines.append(tm[5])

    text = page.extract_text(visitor_text=visit)
    assert len(read(pdf).pages) == 1
    assert flat(LONG_REMARK) in flat(text)
    assert all(flat(point.title) in flat(text) for point in doc.points)
    assert len(table_baselines) > 13
    assert min(table_baselines) > FOOTER_TOP
    assert min(all_baselines) >= BOTTOM - 0.01


def test_points_too_long_for_one_page_are_refused() -> None:
    with pytest.raises(CertificateLayoutError):
        render_certificate(certificate(remark=LONG_REMARK * 4))


def test_a_failed_point_never_reaches_a_certificate() -> None:
    doc = certificate()
    failed = replace(doc.points[0], verdict="fail")
    with pytest.raises(ValueError, match="fail"):
        render_certificate(replace(doc, points=(failed, *doc.points[1:])))


def test_certificate_links_the_verify_url() -> None:
    annotations = read(render_certificate(certificate())).pages[0].annotations
    assert annotations is not None
    targets = [annotation.get_object()["/A"]["/URI"] for annotation in annotations]
    assert targets == [URL]


def test_certificate_bytes_are_stable_and_depend_on_the_number() -> None:
    first = render_certificate(certificate())
    assert render_certificate(certificate()) == first
    assert render_certificate(certificate(number="BLG-2026-00018")) != first


def test_certificate_embeds_vera_not_helvetica() -> None:
    fonts = font_names(render_certificate(certificate()))
    assert any("BitstreamVeraSans-Roman" in name for name in fonts)
    assert any("BitstreamVeraSans-Bold" in name for name in fonts)
    assert not any("Helvetica" in name for name in fonts)


def test_decal_text_keeps_swedish_letters_and_facts() -> None:
    text = text_of(render_decal(decal()))
    for expected in ("Säkerhetsskyddad", "Skydd mot rån i handeln", "2028", KOMMUN, NUMBER):
        assert expected in text


def test_decal_says_the_day_the_certificate_ends() -> None:
    document = decal()
    text = " ".join(text_of(render_decal(document)).split())
    day = f"{format_day_month(document.valid_until)} {document.valid_until.year}"
    with use("en"):
        english = gettext("Giltig t.o.m.")
    assert f"Giltig t.o.m. {english} {day}" in text  # the Swedish label, its English line, the day


def test_decal_is_a_100_mm_square() -> None:
    reader = read(render_decal(decal()))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(100 * mm)
    assert float(box.height) == pytest.approx(100 * mm)


def test_decal_bytes_are_stable_and_depend_on_the_number() -> None:
    first = render_decal(decal())
    assert render_decal(decal()) == first
    assert render_decal(decal("BLG-2026-00018")) != first


def test_decal_embeds_vera() -> None:
    fonts = font_names(render_decal(decal()))
    assert any("BitstreamVeraSans-Bold" in name for name in fonts)
    assert not any("Helvetica" in name for name in fonts)


def test_qr_rects_rebuild_segnos_matrix() -> None:
    reference = segno.make_qr(URL, error="m", boost_error=False)
    assert reference.error == "M"
    expected = [[bool(module) for module in row] for row in reference.matrix]
    assert rebuild(qr_rects(URL), len(expected)) == expected
    assert qr_matrix(URL) == expected


def test_draw_qr_paints_the_matrix_as_one_path() -> None:
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(100, 100), invariant=1, pageCompression=0)
    draw_qr(canvas, URL, 10, 10, 80)
    canvas.showPage()
    canvas.save()
    reader = read(buffer.getvalue())
    operations = ContentStream(reader.pages[0].get_contents(), reader).operations
    rects = [operands for operands, operator in operations if operator == b"re"]
    fills = [operator for _, operator in operations if operator in (b"f", b"f*", b"B")]
    background, *runs = rects
    assert [float(value) for value in background] == [10, 10, 80, 80]
    assert len(fills) == 2
    expected = qr_matrix(URL)
    drawn = [(int(row), int(col), int(length)) for col, row, length, _height in runs]
    assert rebuild(drawn, len(expected)) == expected


def rebuild(runs: list[tuple[int, int, int]], size: int) -> list[list[bool]]:
    """Paint runs onto an empty matrix, as a scanner would see the drawing."""
    matrix = [[False] * size for _ in range(size)]
    for row, col, length in runs:
        for offset in range(length):
            assert not matrix[row][col + offset], "runs overlap"
            matrix[row][col + offset] = True
    return matrix


def test_runs_merge_neighbouring_dark_modules() -> None:
    matrix = [[True, True, False, True], [False, False, False, False], [True, True, True, True]]
    assert runs_from_matrix(matrix) == [(0, 0, 2), (0, 3, 1), (2, 0, 4)]


def test_wrap_text_keeps_lines_within_width_and_cuts_long_words() -> None:
    register_fonts()
    text = "Kontrollera https://certify.borlange.se/verify/" + "X" * 80 + " och åter"
    lines = wrap_text(text, REGULAR, 9, 120, first_width=60)
    assert " ".join(lines).replace(" ", "") == text.replace(" ", "")
    assert stringWidth(lines[0], REGULAR, 9) <= 60
    assert all(stringWidth(line, REGULAR, 9) <= 120 for line in lines)


def test_fit_size_shrinks_only_what_is_too_wide() -> None:
    register_fonts()
    assert fit_size("Kort", BOLD, 20, 500) == 20
    assert fit_size("Säkerhetsskyddad " * 3, BOLD, 20, 100, min_size=6) < 20


def test_numbers_are_printed_the_swedish_way() -> None:
    assert format_postal_code("78434") == "784 34"
    assert format_org_number("5560360793") == "556036-0793"


def test_fonts_register_once_and_cover_swedish_letters() -> None:
    register_fonts()
    regular = getFont(REGULAR)
    register_fonts()
    assert getFont(REGULAR) is regular
    for name in (REGULAR, BOLD):
        glyphs = getFont(name).face.charToGlyph
        assert all(ord(letter) in glyphs for letter in "åäöéÅÄÖÉ–·")
