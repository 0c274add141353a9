"""The "Säkerhetsskyddad" decal for the shop's entrance: a 10×10 cm page, byte-stable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from certify.formatting import format_day_month
from certify.pdf.fonts import BOLD, REGULAR, fit_size, register_fonts, wrap_text
from certify.pdf.qr import draw_qr

SIDE = 100 * mm
MARGIN = 7 * mm
INNER = SIDE - 2 * MARGIN
PANEL_HEIGHT = 57 * mm
PANEL_PAD = 3 * mm
QR_SIZE = PANEL_HEIGHT - 2 * PANEL_PAD

NAVY = HexColor("#0d3366")
PALE = HexColor("#c9daf0")
HEADLINE = "Säkerhetsskyddad"
PROGRAMME = "Skydd mot rån i handeln"


@dataclass(frozen=True, slots=True)
class DecalDocument:
    """What the decal shows: who vouches for the shop, until when, and where to check it."""

    number: str
    kommun_name: str
    valid_until: date
    verify_url: str


def render_decal(doc: DecalDocument) -> bytes:
    """Render the decal as PDF bytes; the same document always gives the same bytes."""
    register_fonts()
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(SIDE, SIDE), invariant=1, initialFontName=REGULAR, lang="sv")
    canvas.setTitle(f"Dekal {doc.number}")
    canvas.setAuthor(doc.kommun_name)
    canvas.setSubject(f"{HEADLINE} – {PROGRAMME}")
    canvas.setCreator("certify")
    canvas.setFillColor(NAVY)
    canvas.rect(0, 0, SIDE, SIDE, stroke=0, fill=1)
    _draw_heading(canvas, doc)
    _draw_panel(canvas, doc)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_heading(canvas: Canvas, doc: DecalDocument) -> None:
    """Draw the kommun, the big headline and the programme's name on the dark ground."""
    top = SIDE - MARGIN
    _draw_fitted(canvas, doc.kommun_name, BOLD, 11, PALE, top - 10)
    _draw_fitted(canvas, HEADLINE, BOLD, 32, white, top - 42)
    _draw_fitted(canvas, PROGRAMME, REGULAR, 13, white, top - 63)


def _draw_panel(canvas: Canvas, doc: DecalDocument) -> None:
    """Draw the white panel with the QR code and the validity, number and scan hint."""
    canvas.setFillColor(white)
    canvas.roundRect(MARGIN, MARGIN, INNER, PANEL_HEIGHT, 2.5 * mm, stroke=0, fill=1)
    draw_qr(canvas, doc.verify_url, MARGIN + PANEL_PAD, MARGIN + PANEL_PAD, QR_SIZE, dark=NAVY)
    x = MARGIN + PANEL_PAD + QR_SIZE
    width = SIDE - MARGIN - PANEL_PAD - x
    top = MARGIN + PANEL_HEIGHT - 7 * mm
    canvas.setFillColor(NAVY)
    canvas.setFont(REGULAR, 9)
    canvas.drawString(x, top, "Giltig t.o.m.")
    day_month = format_day_month(doc.valid_until)  # the certificate's last day, as on the certificate
    canvas.setFont(BOLD, fit_size(day_month, BOLD, 16, width))
    canvas.drawString(x, top - 17, day_month)
    year = str(doc.valid_until.year)
    canvas.setFont(BOLD, fit_size(year, BOLD, 24, width))
    canvas.drawString(x, top - 40, year)
    canvas.setFont(REGULAR, 7)
    canvas.drawString(x, MARGIN + 20 * mm, "Intyg nr")
    size = fit_size(doc.number, BOLD, 8.5, width, 6.5)
    number = canvas.beginText(x, MARGIN + 20 * mm - 10)
    number.setFont(BOLD, size, size * 1.2)
    for line in wrap_text(doc.number, BOLD, size, width):
        number.textLine(line)
    canvas.drawText(number)
    canvas.setFont(REGULAR, 7)
    canvas.drawString(x, MARGIN + 6 * mm, "Skanna för att")
    canvas.drawString(x, MARGIN + 6 * mm - 8.5, "kontrollera intyget")


def _draw_fitted(canvas: Canvas, text: str, font: str, size: float, color: Color, baseline: float) -> None:
    """Draw one line at the left margin, shrunk if needed to stay inside the page."""
    canvas.setFillColor(color)
    canvas.setFont(font, fit_size(text, font, size, INNER))
    canvas.drawString(MARGIN, baseline, text)
