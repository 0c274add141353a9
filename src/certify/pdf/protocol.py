"""The inspection protocol (besiktningsprotokoll): every point's verdict and remark of one round,
headed by the secrecy marking (OSL 18 kap. 8 §).

For the kommun's archive and the shop's owner. Pure: the caller hands over plain, already worded
data and renders inside `catalogue.use(language)`: the protocol's own words come from the catalogue in
that language, and a right-to-left language (Arabic) is set right-aligned, its columns mirrored, its
letters shaped (pdf/fonts.py). The same data gives the same bytes (invariant=1).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from certify.pdf.fonts import BOLD, REGULAR, script_for
from certify.pdf.markup import Setter
from certify.text import catalogue
from certify.text.catalogue import _
from certify.text.languages import language
from certify.text.register import case_secrecy_marking

WIDTH = A4[0] - 36 * mm
PADDING = 6  # a table cell's padding on each side (reportlab's default)
HEADER_FILL = colors.HexColor("#e6edf5")
FAILED_FILL = colors.HexColor("#fdecea")


@dataclass(frozen=True, slots=True)
class ProtocolPoint:
    number: int
    title: str
    verdict: str  # worded in the protocol's language: "Godkänd", "Underkänd", "Ej tillämplig", "Ej bedömd"
    remark: str
    failed: bool = False
    failed_criteria: tuple[str, ...] = ()  # worded: each criterion the fail names, with its text


@dataclass(frozen=True, slots=True)
class ProtocolData:
    kommun_name: str
    case_id: int
    round: int
    shop_name: str
    org_number: str
    address: str
    area: str
    cash_free: bool
    inspector_name: str
    visit: str  # worded date and time of the visit, or ""
    outcome: str  # worded decision of the round, e.g. "Brister att åtgärda senast 25 december 2026"
    printed_on: str
    points: tuple[ProtocolPoint, ...]
    deadline: str = ""  # worded last day for corrections, when the round required any
    diarienummer: str = ""  # the kommun's registration number of the case, once it has one


def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles of the case's documents (the protocol and the case record)."""
    return {
        "marking": ParagraphStyle("marking", fontName=BOLD, fontSize=9, leading=12, spaceAfter=4),
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=15, leading=19, spaceAfter=2),
        "sub": ParagraphStyle("sub", fontName=REGULAR, fontSize=9, leading=12, textColor=colors.grey),
        "cell": ParagraphStyle("cell", fontName=REGULAR, fontSize=8.5, leading=10.5),
        "head": ParagraphStyle("head", fontName=BOLD, fontSize=8.5, leading=10.5),
        "sign": ParagraphStyle("sign", fontName=REGULAR, fontSize=9, leading=12, spaceBefore=14),
    }


def _facts_table(data: ProtocolData, setter: Setter) -> Table:
    facts = [
        *([(_("Diarienummer"), data.diarienummer)] if data.diarienummer else []),
        (_("Butik"), data.shop_name),
        (_("Organisationsnummer"), data.org_number),
        (_("Adress"), data.address),
        (_("Område"), data.area or "–"),
        (_("Kontanter"), _("Kontantfri butik") if data.cash_free else _("Hanterar kontanter")),
        (
            _("Ärende / omgång"),
            _("{case} / besiktning {round}").format(case=data.case_id, round=data.round),
        ),
        (_("Besiktningsperson"), data.inspector_name or "–"),
        (_("Besök"), data.visit or "–"),
        (_("Resultat"), data.outcome),
        *([(_("Sista dag för åtgärder"), data.deadline)] if data.deadline else []),
    ]
    widths = [42 * mm, WIDTH - 42 * mm]
    table = Table(
        [
            setter.row(
                [setter(k, "head", widths[0] - 2 * PADDING), setter(v, "cell", widths[1] - 2 * PADDING)]
            )
            for k, v in facts
        ],
        colWidths=setter.row(widths),
        hAlign=setter.table_align,
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return table


def _points_table(data: ProtocolData, setter: Setter) -> Table:
    widths = [9 * mm, 52 * mm, 25 * mm, WIDTH - 86 * mm]
    inner = [w - 2 * PADDING for w in widths]
    headings = (_("Nr"), _("Punkt"), _("Bedömning"), _("Anmärkning"))
    head = [setter(t, "head", w) for t, w in zip(headings, inner, strict=True)]
    rows = [
        setter.row(
            [
                setter(str(p.number), "cell", inner[0]),
                setter(p.title, "cell", inner[1]),
                setter(p.verdict, "head" if p.failed else "cell", inner[2]),
                [
                    setter(p.remark or "–", "cell", inner[3]),
                    *(setter(line, "cell", inner[3]) for line in p.failed_criteria),
                ],
            ]
        )
        for p in data.points
    ]
    table = Table(
        [setter.row(head), *rows],
        colWidths=setter.row(widths),
        repeatRows=1,
        hAlign=setter.table_align,
    )
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.lightgrey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    style += [("BACKGROUND", (0, i), (-1, i), FAILED_FILL) for i, p in enumerate(data.points, 1) if p.failed]
    table.setStyle(TableStyle(style))
    return table


def render_protocol(data: ProtocolData) -> bytes:
    """The protocol in the language of the moment. CPU-bound and synchronous: call it in a thread
    from async code (asyncio.to_thread carries the language along)."""
    spoken = language(catalogue.current())
    setter = Setter(script_for(spoken.direction), styles())
    out = io.BytesIO()
    title = _("Besiktningsprotokoll – {shop}").format(shop=data.shop_name)
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
        author=data.kommun_name,
        invariant=1,
        lang=spoken.code,
    )
    story: list[object] = [
        setter(case_secrecy_marking(), "marking", WIDTH),
        setter(_("Besiktningsprotokoll – Skydd mot rån i handeln"), "title", WIDTH),
        setter(
            _("{kommun} · utskrivet {date}").format(kommun=data.kommun_name, date=data.printed_on),
            "sub",
            WIDTH,
        ),
        Spacer(1, 4 * mm),
        _facts_table(data, setter),
        Spacer(1, 4 * mm),
        _points_table(data, setter),
        setter(_("Besiktningspersonens underskrift:") + " ______________________________", "sign", WIDTH),
    ]
    doc.build(story)  # type: ignore[arg-type]
    return out.getvalue()
