"""The certificate (intyg) a shop receives when it passes inspection: one A4 page, byte-stable.

An official document of a Swedish kommun: Swedish first, each heading and label with a smaller English
line under or after it. Both come from the catalogue (the same message in Swedish and in English), so
the document reads the same whatever language the request that issued it spoke.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Final, TypeVar

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from certify.domain.org_number import format_org_number
from certify.formatting import format_date
from certify.pdf.fonts import BOLD, REGULAR, fit_size, register_fonts, wrap_text
from certify.pdf.qr import QUIET_ZONE, draw_qr_matrix, qr_matrix
from certify.text import catalogue
from certify.text.catalogue import _, ngettext

T = TypeVar("T")

DOCUMENT_LANGUAGES: Final = ("sv", "en")
"""The certificate's own language and the one of its smaller second line."""

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 20 * mm
RIGHT = PAGE_WIDTH - 20 * mm
WIDTH = RIGHT - LEFT
TOP = PAGE_HEIGHT - 16 * mm
BOTTOM = 13 * mm
QR_SIZE = 30 * mm
QR_Y = BOTTOM + 16
FOOTER_TOP = QR_Y + QR_SIZE
"""The points table must end above this height, where the QR code begins."""

NAVY = HexColor("#0d3366")
INK = HexColor("#1a1a1a")
MUTED = HexColor("#555555")
RULE = HexColor("#c5cfdb")
HEADER_FILL = HexColor("#e6edf5")
PASS_GREEN = HexColor("#1b5e20")

VERDICTS = ("pass", "not_applicable")
"""The only verdicts a certified shop can have; anything else must never reach a certificate."""
TABLE_SIZES = (10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0)
"""Font sizes tried for the points table, largest first, until it fits the page."""
COLUMNS = (LEFT, LEFT + 9 * mm, LEFT + 82 * mm, RIGHT)
"""Edges of the table's columns: number, point, verdict."""
CELL_GAP = 3 * mm


@dataclass(frozen=True, slots=True)
class PointLine:
    """One checklist point as judged at inspection."""

    number: int
    title: str
    verdict: str
    remark: str
    local: bool = False  # a kommun's own point, titled as the kommun wrote it


@dataclass(frozen=True, slots=True)
class CertificateDocument:
    """Everything printed on the certificate, already loaded and normalised by the caller."""

    number: str
    kommun_name: str
    kommun_contact: str
    shop_name: str
    street_address: str
    postal_code: str
    city: str
    org_number: str
    issued_on: date
    valid_until: date
    inspector_name: str
    checklist_version: str
    points: tuple[PointLine, ...]
    verify_url: str
    chain_name: str = ""  # certified through a chain case (kedjebesiktning) of this chain


class CertificateLayoutError(ValueError):
    """The points and remarks are too long to fit one page even at the smallest type size."""


@dataclass(frozen=True, slots=True)
class _Words:
    """Every word the certificate prints, in one language."""

    document: str
    title: str
    attestation: str
    org_number: str
    number: str
    issued: str
    valid_until: str
    inspector: str
    checklist_version: str
    local_point: str
    column_number: str
    column_measure: str
    column_assessment: str
    passed: str
    not_applicable: str
    verify: str
    conditions: str
    page: str
    issued_on: str  # the dates, written as the language writes them
    valid_until_on: str


def _attestation(doc: CertificateDocument) -> str:
    """What the certificate attests: the programme's 13 measures, and the kommun's own points by
    number when the case's checklist had them (so the sentence is true for every checklist).
    A shop certified through a chain case says so and names the chain: it was not necessarily
    visited itself."""
    if doc.chain_name:
        sentence = _(
            "Certifierad genom kedjebesiktning. Härmed intygas att butiken nedan ingår i kedjan "
            "{chain}, som den {date} godkändes genom kedjebesiktning: kedjans gemensamma "
            "säkerhetsarbete och ett urval av dess butiker uppfyllde samtliga 13 grundläggande "
            "åtgärder i programmet Skydd mot rån i handeln."
        ).format(chain=doc.chain_name, date=format_date(doc.issued_on))
    else:
        sentence = _(
            "Härmed intygas att butiken nedan vid besiktning den {date} uppfyllde samtliga 13 "
            "grundläggande åtgärder i programmet Skydd mot rån i handeln."
        ).format(date=format_date(doc.issued_on))
    local = [p.number for p in doc.points if p.local]
    if not local:
        return sentence
    return (
        sentence
        + " "
        + ngettext(
            "Butiken uppfyllde också kommunens lokala punkt %(points)s.",
            "Butiken uppfyllde också kommunens lokala punkter %(points)s.",
            len(local),
            points=", ".join(str(n) for n in local),
        )
    )


def _words(doc: CertificateDocument) -> _Words:
    """The certificate's words in the language of the moment (dates too)."""
    return _Words(
        document=_("Intyg {number}").format(number=doc.number),
        title=_("Intyg – Skydd mot rån i handeln"),
        attestation=_attestation(doc),
        org_number=_("Organisationsnummer"),
        number=_("Intygsnummer"),
        issued=_("Utfärdat"),
        valid_until=_("Giltigt till"),
        inspector=_("Besiktningsperson"),
        checklist_version=_("Checklistversion"),
        local_point=_("Lokal punkt"),
        column_number=_("Nr"),
        column_measure=_("Åtgärd"),
        column_assessment=_("Bedömning"),
        passed=_("Uppfyllt"),
        not_applicable=_("Ej tillämpligt"),
        verify=_("Kontrollera intyget:"),
        conditions=_(
            "Intyget visar att butiken uppfyllde kraven vid besiktningen. Det gäller under "
            "förutsättning att butiken behåller den nivån och att ombesiktning sker vartannat år. "
            "Förändringar som påverkar säkerheten ska meddelas besiktningspersonen."
        ),
        page=_("Sida {page} av {pages}").format(page=1, pages=1),
        issued_on=format_date(doc.issued_on),
        valid_until_on=format_date(doc.valid_until),
    )


def in_language(code: str, words: Callable[[], T]) -> T:
    """What `words` says in the language `code`, whatever the language of the moment."""
    with catalogue.use(code):
        return words()


@dataclass(frozen=True, slots=True)
class _Row:
    """A table row broken into lines at a given type size."""

    number: str
    title_lines: list[str]
    verdict_lines: list[str]
    verdict_prefix: str
    passed: bool


def render_certificate(doc: CertificateDocument, languages: tuple[str, str] = DOCUMENT_LANGUAGES) -> bytes:
    """Render the certificate as PDF bytes; the same document always gives the same bytes.

    `languages` are the main and the second language (Swedish and English; tests name others)."""
    register_fonts()
    main, second = (in_language(code, lambda: _words(doc)) for code in languages)
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, initialFontName=REGULAR, lang=languages[0])
    canvas.setTitle(main.document)
    canvas.setAuthor(doc.kommun_name)
    canvas.setSubject(f"{main.title} – {doc.shop_name}")
    canvas.setCreator("certify")
    y = _draw_header(canvas, doc, TOP)
    y = _draw_intro(canvas, main, second, y - 24)
    y = _draw_shop(canvas, doc, main, second, y - 12)
    y = _draw_details(canvas, doc, main, second, y - 10)
    _draw_points(canvas, doc.points, main, second, top=y - 8, bottom=FOOTER_TOP + 6)
    _draw_footer(canvas, doc, main, second)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def format_postal_code(postal_code: str) -> str:
    """Print a Swedish postal code the conventional way, "784 34"."""
    digits = postal_code.replace(" ", "")
    return f"{digits[:3]} {digits[3:]}" if len(digits) == 5 else postal_code


def _draw_header(canvas: Canvas, doc: CertificateDocument, top: float) -> float:
    """Draw the issuing kommun's name and contact line above a rule; return the rule's height."""
    canvas.setFillColor(NAVY)
    canvas.setFont(BOLD, fit_size(doc.kommun_name, BOLD, 15, WIDTH))
    canvas.drawString(LEFT, top - 15, doc.kommun_name)
    size = fit_size(doc.kommun_contact, REGULAR, 8.5, WIDTH)
    canvas.setFillColor(MUTED)
    canvas.setFont(REGULAR, size)
    canvas.drawString(LEFT, top - 29, doc.kommun_contact)
    rule = top - 38
    canvas.setStrokeColor(NAVY)
    canvas.setLineWidth(1.5)
    canvas.line(LEFT, rule, RIGHT, rule)
    return rule


def _draw_intro(canvas: Canvas, main: _Words, second: _Words, baseline: float) -> float:
    """Draw the title and the attesting sentence, each with its second-language line; return the
    last baseline."""
    canvas.setFillColor(NAVY)
    canvas.setFont(BOLD, fit_size(main.title, BOLD, 20, WIDTH))
    canvas.drawString(LEFT, baseline, main.title)
    canvas.setFont(REGULAR, fit_size(second.title, REGULAR, 11, WIDTH))
    canvas.drawString(LEFT, baseline - 13, second.title)
    canvas.setFillColor(INK)
    y = _draw_lines(
        canvas, wrap_text(main.attestation, REGULAR, 10.5, WIDTH), REGULAR, 10.5, 14, LEFT, baseline - 30
    )
    canvas.setFillColor(MUTED)
    return _draw_lines(canvas, wrap_text(second.attestation, REGULAR, 8, WIDTH), REGULAR, 8, 10, LEFT, y - 12)


def _draw_shop(
    canvas: Canvas, doc: CertificateDocument, main: _Words, second: _Words, baseline: float
) -> float:
    """Draw the shop's name large, then its address and organisationsnummer."""
    size = fit_size(doc.shop_name, BOLD, 22, WIDTH, 14)
    canvas.setFillColor(INK)
    y = _draw_lines(
        canvas, wrap_text(doc.shop_name, BOLD, size, WIDTH), BOLD, size, size * 1.2, LEFT, baseline - size
    )
    address = f"{doc.street_address}, {format_postal_code(doc.postal_code)} {doc.city}"
    canvas.setFont(REGULAR, fit_size(address, REGULAR, 11, WIDTH))
    canvas.drawString(LEFT, y - 15, address)
    canvas.setFillColor(MUTED)
    org = f"{main.org_number} / {second.org_number} {format_org_number(doc.org_number)}"
    canvas.setFont(REGULAR, fit_size(org, REGULAR, 10, WIDTH))
    canvas.drawString(LEFT, y - 28, org)
    return y - 28


def _draw_details(
    canvas: Canvas, doc: CertificateDocument, main: _Words, second: _Words, baseline: float
) -> float:
    """Draw the certificate's facts as a labelled grid between rules; return the lower rule.

    Each label is in the main language, the second language's after it."""
    column = WIDTH / 3
    cells = (  # label, value, font, column, row, columns spanned
        ((main.number, second.number), doc.number, BOLD, 0, 0, 1),
        ((main.issued, second.issued), main.issued_on, BOLD, 1, 0, 1),
        ((main.valid_until, second.valid_until), main.valid_until_on, BOLD, 2, 0, 1),
        ((main.inspector, second.inspector), doc.inspector_name, REGULAR, 0, 1, 2),
        ((main.checklist_version, second.checklist_version), doc.checklist_version, REGULAR, 2, 1, 1),
    )
    top = baseline - 10
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.75)
    canvas.line(LEFT, top, RIGHT, top)
    for (label, label_second), value, font, index, row, span in cells:
        x = LEFT + index * column
        y = top - 13 - row * 26
        width = span * column - CELL_GAP
        labels = f"{label} / {label_second}"
        canvas.setFillColor(MUTED)
        canvas.setFont(REGULAR, fit_size(labels, REGULAR, 7.5, width))
        canvas.drawString(x, y, labels)
        canvas.setFillColor(INK)
        canvas.setFont(font, fit_size(value, font, 11, width))
        canvas.drawString(x, y - 13, value)
    bottom = top - 58
    canvas.line(LEFT, bottom, RIGHT, bottom)
    return bottom


def _draw_footer(canvas: Canvas, doc: CertificateDocument, main: _Words, second: _Words) -> None:
    """Draw the QR code, the verification line, the conditions and the page foot."""
    canvas.setFillColor(MUTED)
    canvas.setFont(REGULAR, 7)
    canvas.drawString(LEFT, BOTTOM, f"{doc.kommun_name} · {main.number} / {second.number} {doc.number}")
    canvas.drawRightString(RIGHT, BOTTOM, f"{main.page} / {second.page}")
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.75)
    canvas.line(LEFT, BOTTOM + 10, RIGHT, BOTTOM + 10)
    matrix = qr_matrix(doc.verify_url)
    quiet = QR_SIZE * QUIET_ZONE / (len(matrix) + 2 * QUIET_ZONE)
    draw_qr_matrix(canvas, matrix, LEFT - quiet, QR_Y, QR_SIZE, dark=INK)
    text_x = LEFT - quiet + QR_SIZE + 3 * mm
    text_width = RIGHT - text_x
    first_baseline = FOOTER_TOP - quiet - 7
    label = f"{main.verify} / {second.verify}"
    y = _draw_verify_line(canvas, label, doc.verify_url, text_x, first_baseline, text_width)
    canvas.setFillColor(MUTED)
    y = _draw_lines(
        canvas, wrap_text(main.conditions, REGULAR, 7.5, text_width), REGULAR, 7.5, 9.5, text_x, y - 13
    )
    _draw_lines(
        canvas, wrap_text(second.conditions, REGULAR, 6.5, text_width), REGULAR, 6.5, 8, text_x, y - 10
    )


def _draw_verify_line(canvas: Canvas, label: str, url: str, x: float, baseline: float, width: float) -> float:
    """Draw "Kontrollera intyget: <url>", shrinking or breaking a long URL; return last baseline."""
    text = f"{label} {url}"
    size = fit_size(text, REGULAR, 9.5, width - _bold_extra(label, 9.5), 7)
    lines = wrap_text(text, REGULAR, size, width, width - _bold_extra(label, size))
    canvas.setFillColor(INK)
    last = _draw_prefixed(canvas, label, lines, size, size * 1.3, x, baseline)
    canvas.linkURL(url, (x, last - size * 0.3, x + width, baseline + size), relative=0)
    return last


def _draw_points(
    canvas: Canvas, points: tuple[PointLine, ...], main: _Words, second: _Words, top: float, bottom: float
) -> None:
    """Draw the table of points at the largest type size that fits between top and bottom."""
    size, rows = _fit_rows(points, main, second, top - bottom)
    leading, pad = size * 1.2, size * 0.4
    canvas.setFillColor(HEADER_FILL)
    header_height = leading + size + 2 * pad
    canvas.rect(LEFT, top - header_height, WIDTH, header_height, stroke=0, fill=1)
    first = top - pad - size * 0.9
    headings = (
        (main.column_number, second.column_number),
        (main.column_measure, second.column_measure),
        (main.column_assessment, second.column_assessment),
    )
    for column, (heading, heading_second) in zip(COLUMNS[:3], headings, strict=True):
        canvas.setFillColor(NAVY)
        canvas.setFont(BOLD, size)
        canvas.drawString(column + 1.5 * mm, first, heading)
        canvas.setFont(REGULAR, size * 0.8)
        canvas.drawString(column + 1.5 * mm, first - leading, heading_second)
    y = top - header_height
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    for row in rows:
        height = _row_height(row, leading, pad)
        _draw_row(canvas, row, size, leading, y - pad - size * 0.9)
        y -= height
        canvas.line(LEFT, y, RIGHT, y)


def _draw_row(canvas: Canvas, row: _Row, size: float, leading: float, baseline: float) -> None:
    """Draw one point: its number, its wrapped title and its verdict."""
    number_x, title_x, verdict_x = (column + 1.5 * mm for column in COLUMNS[:3])
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, size)
    canvas.drawString(number_x, baseline, row.number)
    _draw_lines(canvas, row.title_lines, REGULAR, size, leading, title_x, baseline)
    if row.passed:
        canvas.setFillColor(PASS_GREEN)
    _draw_prefixed(canvas, row.verdict_prefix, row.verdict_lines, size, leading, verdict_x, baseline)


def _fit_rows(
    points: tuple[PointLine, ...], main: _Words, second: _Words, available: float
) -> tuple[float, list[_Row]]:
    """Return the largest type size whose table fits the available height, with its rows."""
    for size in TABLE_SIZES:
        rows = [_layout_row(point, main, second, size) for point in points]
        leading, pad = size * 1.2, size * 0.4
        height = leading + size + 2 * pad + sum(_row_height(row, leading, pad) for row in rows)
        if height <= available:
            return size, rows
    raise CertificateLayoutError("the points and remarks do not fit on one page")


def _layout_row(point: PointLine, main: _Words, second: _Words, size: float) -> _Row:
    """Break a point's title and verdict into lines that fit their columns."""
    title_width = COLUMNS[2] - COLUMNS[1] - CELL_GAP
    verdict_width = COLUMNS[3] - COLUMNS[2] - CELL_GAP
    if point.verdict not in VERDICTS:
        raise ValueError(f"point {point.number} has verdict {point.verdict!r}, not one a certificate shows")
    passed = point.verdict == "pass"
    prefix = (
        f"{main.passed} / {second.passed}" if passed else f"{main.not_applicable} / {second.not_applicable}"
    )
    text = f"{prefix} – {point.remark}" if point.remark and not passed else prefix
    first_width = verdict_width - _bold_extra(prefix, size)
    verdict_lines = wrap_text(text, REGULAR, size, verdict_width, first_width)
    title = f"{point.title} ({main.local_point} / {second.local_point})" if point.local else point.title
    title_lines = wrap_text(title, REGULAR, size, title_width)
    return _Row(f"{point.number}.", title_lines, verdict_lines, prefix, passed)


def _row_height(row: _Row, leading: float, pad: float) -> float:
    """Return the height of a row: its tallest cell plus padding."""
    return max(len(row.title_lines), len(row.verdict_lines)) * leading + 2 * pad


def _bold_extra(prefix: str, size: float) -> float:
    """Return how much wider the prefix is in bold, so regular-font wrapping leaves room."""
    bold = pdfmetrics.stringWidth(prefix, BOLD, size)
    return bold - pdfmetrics.stringWidth(prefix, REGULAR, size)


def _draw_prefixed(
    canvas: Canvas,
    prefix: str,
    lines: list[str],
    size: float,
    leading: float,
    x: float,
    baseline: float,
) -> float:
    """Draw lines whose first starts with prefix, the prefix in bold; return the last baseline."""
    text = canvas.beginText(x, baseline)
    text.setFont(BOLD, size, leading)
    text.textOut(prefix)
    text.setFont(REGULAR, size, leading)
    text.textLine(lines[0][len(prefix) :])
    for line in lines[1:]:
        text.textLine(line)
    canvas.drawText(text)
    return baseline - (len(lines) - 1) * leading


def _draw_lines(
    canvas: Canvas,
    lines: list[str],
    font: str,
    size: float,
    leading: float,
    x: float,
    baseline: float,
) -> float:
    """Draw lines as one text object in the current fill colour; return the last baseline."""
    text = canvas.beginText(x, baseline)
    text.setFont(font, size, leading)
    for line in lines:
        text.textLine(line)
    canvas.drawText(text)
    return baseline - (len(lines) - 1) * leading
