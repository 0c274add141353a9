"""The inspection protocol (besiktningsprotokoll): every point's verdict and remark of one round.

For the kommun's archive. Pure: the caller hands over plain, already worded data; the same data
gives the same bytes (invariant=1).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from certify.pdf.fonts import BOLD, REGULAR, register_fonts
from certify.pdf.markup import paragraph

WIDTH = A4[0] - 36 * mm
HEADER_FILL = colors.HexColor("#e6edf5")
FAILED_FILL = colors.HexColor("#fdecea")


@dataclass(frozen=True, slots=True)
class ProtocolPoint:
    number: int
    title: str
    verdict: str  # worded: "Godkänd", "Underkänd", "Ej tillämplig", "Ej bedömd"
    remark: str
    failed: bool = False


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


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=15, leading=19, spaceAfter=2),
        "sub": ParagraphStyle("sub", fontName=REGULAR, fontSize=9, leading=12, textColor=colors.grey),
        "cell": ParagraphStyle("cell", fontName=REGULAR, fontSize=8.5, leading=10.5),
        "head": ParagraphStyle("head", fontName=BOLD, fontSize=8.5, leading=10.5),
        "sign": ParagraphStyle("sign", fontName=REGULAR, fontSize=9, leading=12, spaceBefore=14),
    }


def _facts_table(data: ProtocolData, styles: dict[str, ParagraphStyle]) -> Table:
    facts = [
        ("Butik", data.shop_name),
        ("Organisationsnummer", data.org_number),
        ("Adress", data.address),
        ("Område", data.area or "–"),
        ("Kontanter", "Kontantfri butik" if data.cash_free else "Hanterar kontanter"),
        ("Ärende / omgång", f"{data.case_id} / besiktning {data.round}"),
        ("Besiktningsperson", data.inspector_name or "–"),
        ("Besök", data.visit or "–"),
        ("Resultat", data.outcome),
        *([("Sista dag för åtgärder", data.deadline)] if data.deadline else []),
    ]
    table = Table(
        [[paragraph(k, styles["head"]), paragraph(v, styles["cell"])] for k, v in facts],
        colWidths=[42 * mm, WIDTH - 42 * mm],
        hAlign="LEFT",
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return table


def _points_table(data: ProtocolData, styles: dict[str, ParagraphStyle]) -> Table:
    head = [paragraph(t, styles["head"]) for t in ("Nr", "Punkt", "Bedömning", "Anmärkning")]
    rows = [
        [
            paragraph(str(p.number), styles["cell"]),
            paragraph(p.title, styles["cell"]),
            paragraph(p.verdict, styles["head" if p.failed else "cell"]),
            paragraph(p.remark or "–", styles["cell"]),
        ]
        for p in data.points
    ]
    table = Table(
        [head, *rows],
        colWidths=[9 * mm, 52 * mm, 25 * mm, WIDTH - 86 * mm],
        repeatRows=1,
        hAlign="LEFT",
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
    """CPU-bound and synchronous: call it in a thread from async code."""
    register_fonts()
    styles = _styles()
    out = io.BytesIO()
    title = f"Besiktningsprotokoll – {data.shop_name}"
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
        lang="sv",
    )
    story: list[object] = [
        paragraph("Besiktningsprotokoll – Skydd mot rån i handeln", styles["title"]),
        paragraph(f"{data.kommun_name} · utskrivet {data.printed_on}", styles["sub"]),
        Spacer(1, 4 * mm),
        _facts_table(data, styles),
        Spacer(1, 4 * mm),
        _points_table(data, styles),
        paragraph("Besiktningspersonens underskrift: ______________________________", styles["sign"]),
    ]
    doc.build(story)  # type: ignore[arg-type]
    return out.getvalue()
