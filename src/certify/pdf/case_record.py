"""The self-assessment and the inspector's verdicts of a whole case as one PDF, for the archive
package (sip/): every point with the owner's answer and comment and each round's verdict and remark,
headed by the secrecy marking (OSL 18 kap. 8 §).

Pure: the caller hands over worded data and renders inside `catalogue.use(language)` (the archive
takes the Swedish original). The same data gives the same bytes (invariant=1).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from certify.pdf.fonts import script_for
from certify.pdf.markup import Setter
from certify.pdf.protocol import styles
from certify.text import catalogue
from certify.text.catalogue import _
from certify.text.languages import language
from certify.text.register import case_secrecy_marking

WIDTH = A4[0] - 36 * mm
PADDING = 6
HEADER_FILL = colors.HexColor("#e6edf5")


@dataclass(frozen=True, slots=True)
class RecordPoint:
    number: int
    title: str
    answer: str  # worded: "Uppfyllt", "Ej uppfyllt", ...
    comment: str
    verdicts: tuple[str, ...]  # worded, one line per round: "Besiktning 1: Godkänd – remark"


@dataclass(frozen=True, slots=True)
class CaseRecordData:
    kommun_name: str
    diarienummer: str
    shop_name: str
    org_number: str
    outcome: str  # worded state of the case
    points: tuple[RecordPoint, ...]


def _points(data: CaseRecordData, setter: Setter) -> Table:
    widths = [9 * mm, 50 * mm, 50 * mm, WIDTH - 109 * mm]
    inner = [w - 2 * PADDING for w in widths]
    headings = (_("Nr"), _("Punkt"), _("Butikens svar:").rstrip(":"), _("Bedömning"))
    rows = [
        setter.row(
            [
                setter(str(p.number), "cell", inner[0]),
                setter(p.title, "cell", inner[1]),
                [
                    setter(p.answer, "head", inner[2]),
                    *([setter(p.comment, "cell", inner[2])] if p.comment else []),
                ],
                [setter(line, "cell", inner[3]) for line in p.verdicts] or setter("–", "cell", inner[3]),
            ]
        )
        for p in data.points
    ]
    table = Table(
        [setter.row([setter(t, "head", w) for t, w in zip(headings, inner, strict=True)]), *rows],
        colWidths=setter.row(widths),
        repeatRows=1,
        hAlign=setter.table_align,
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def render_case_record(data: CaseRecordData) -> bytes:
    """CPU-bound and synchronous: call it in a thread from async code."""
    spoken = language(catalogue.current())
    setter = Setter(script_for(spoken.direction), styles())
    out = io.BytesIO()
    title = _("Egenkontroll och bedömningar")
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"{title} – {data.shop_name}",
        author=data.kommun_name,
        invariant=1,
        lang=spoken.code,
    )
    facts = " · ".join(
        part
        for part in (
            data.kommun_name,
            _("Diarienummer") + " " + data.diarienummer,
            data.shop_name,
            _("Organisationsnummer") + " " + data.org_number,
            data.outcome,
        )
        if part
    )
    story: list[object] = [
        setter(case_secrecy_marking(), "marking", WIDTH),
        setter(title, "title", WIDTH),
        setter(facts, "sub", WIDTH),
        Spacer(1, 4 * mm),
        _points(data, setter),
    ]
    doc.build(story)  # type: ignore[arg-type]
    return out.getvalue()
