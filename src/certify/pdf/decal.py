"""The "Säkerhetsskyddad" decal for the shop's entrance: a 10×10 cm page, byte-stable.

Swedish, each text with a smaller English line, from the catalogue as on the certificate; the same
whatever language the request that issued it spoke."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from certify.formatting import format_day_month
from certify.pdf.certificate import DOCUMENT_LANGUAGES, in_language
from certify.pdf.fonts import BOLD, REGULAR, fit_size, register_fonts, wrap_text
from certify.pdf.qr import draw_qr
from certify.text.catalogue import _
from certify.text.vocabulary import programme

SIDE = 100 * mm
MARGIN = 7 * mm
INNER = SIDE - 2 * MARGIN
PANEL_HEIGHT = 57 * mm
PANEL_PAD = 3 * mm
QR_SIZE = PANEL_HEIGHT - 2 * PANEL_PAD

NAVY = HexColor("#0d3366")
PALE = HexColor("#c9daf0")


@dataclass(frozen=True, slots=True)
class DecalDocument:
    """What the decal shows: who vouches for the shop, until when, and where to check it."""

    number: str
    kommun_name: str
    valid_until: date
    verify_url: str


@dataclass(frozen=True, slots=True)
class _Words:
    """Every word the decal prints, in one language."""

    document: str
    headline: str
    programme: str
    valid_until: str
    number: str
    scan: str
    day_month: str  # the certificate's last day, as on the certificate


def _words(doc: DecalDocument) -> _Words:
    """The decal's words in the language of the moment."""
    return _Words(
        document=_("Dekal {number}").format(number=doc.number),
        headline=_("Säkerhetsskyddad"),
        programme=programme(),
        valid_until=_("Giltig t.o.m."),
        number=_("Intyg nr"),
        scan=_("Skanna för att kontrollera intyget"),
        day_month=format_day_month(doc.valid_until),
    )


def render_decal(doc: DecalDocument, languages: tuple[str, str] = DOCUMENT_LANGUAGES) -> bytes:
    """Render the decal as PDF bytes; the same document always gives the same bytes.

    `languages` are the main and the second language (Swedish and English; tests name others)."""
    register_fonts()
    main, second = (in_language(code, lambda: _words(doc)) for code in languages)
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(SIDE, SIDE), invariant=1, initialFontName=REGULAR, lang=languages[0])
    canvas.setTitle(main.document)
    canvas.setAuthor(doc.kommun_name)
    canvas.setSubject(f"{main.headline} – {main.programme}")
    canvas.setCreator("certify")
    canvas.setFillColor(NAVY)
    canvas.rect(0, 0, SIDE, SIDE, stroke=0, fill=1)
    _draw_heading(canvas, doc, main, second)
    _draw_panel(canvas, doc, main, second)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_heading(canvas: Canvas, doc: DecalDocument, main: _Words, second: _Words) -> None:
    """Draw the kommun, the big headline and the programme's name on the dark ground, each text
    with its second-language line."""
    top = SIDE - MARGIN
    _draw_fitted(canvas, doc.kommun_name, BOLD, 11, PALE, top - 10)
    _draw_fitted(canvas, main.headline, BOLD, 28, white, top - 37)
    _draw_fitted(canvas, second.headline, REGULAR, 10, PALE, top - 49)
    _draw_fitted(canvas, f"{main.programme} / {second.programme}", REGULAR, 10, white, top - 64)


def _draw_panel(canvas: Canvas, doc: DecalDocument, main: _Words, second: _Words) -> None:
    """Draw the white panel with the QR code and the validity, number and scan hint."""
    canvas.setFillColor(white)
    canvas.roundRect(MARGIN, MARGIN, INNER, PANEL_HEIGHT, 2.5 * mm, stroke=0, fill=1)
    draw_qr(canvas, doc.verify_url, MARGIN + PANEL_PAD, MARGIN + PANEL_PAD, QR_SIZE, dark=NAVY)
    x = MARGIN + PANEL_PAD + QR_SIZE
    width = SIDE - MARGIN - PANEL_PAD - x
    top = MARGIN + PANEL_HEIGHT - 6 * mm
    canvas.setFillColor(NAVY)
    canvas.setFont(REGULAR, fit_size(main.valid_until, REGULAR, 9, width))
    canvas.drawString(x, top, main.valid_until)
    canvas.setFont(REGULAR, fit_size(second.valid_until, REGULAR, 7, width))
    canvas.drawString(x, top - 8, second.valid_until)
    day_month = main.day_month
    canvas.setFont(BOLD, fit_size(day_month, BOLD, 16, width))
    canvas.drawString(x, top - 24, day_month)
    year = str(doc.valid_until.year)
    canvas.setFont(BOLD, fit_size(year, BOLD, 22, width))
    canvas.drawString(x, top - 45, year)
    numbers = f"{main.number} / {second.number}"
    canvas.setFont(REGULAR, fit_size(numbers, REGULAR, 7, width, 5))
    canvas.drawString(x, MARGIN + 21 * mm, numbers)
    size = fit_size(doc.number, BOLD, 8.5, width, 6.5)
    number = canvas.beginText(x, MARGIN + 21 * mm - 10)
    number.setFont(BOLD, size, size * 1.2)
    for line in wrap_text(doc.number, BOLD, size, width):
        number.textLine(line)
    canvas.drawText(number)
    scan = canvas.beginText(x, MARGIN + 10 * mm)
    scan.setFont(REGULAR, 6.5, 7.5)
    for line in wrap_text(main.scan, REGULAR, 6.5, width):
        scan.textLine(line)
    scan.setFont(REGULAR, 5.5, 6.5)
    for line in wrap_text(second.scan, REGULAR, 5.5, width):
        scan.textLine(line)
    canvas.drawText(scan)


def _draw_fitted(canvas: Canvas, text: str, font: str, size: float, color: Color, baseline: float) -> None:
    """Draw one line at the left margin, shrunk if needed to stay inside the page."""
    canvas.setFillColor(color)
    canvas.setFont(font, fit_size(text, font, size, INNER))
    canvas.drawString(MARGIN, baseline, text)
