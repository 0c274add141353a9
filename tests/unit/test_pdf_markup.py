"""Markup in every text field of every PDF is printed as text: no error, no link, no image.

reportlab's Paragraph parses markup; a shop owner types names, areas and remarks. Each PDF gets the
hostile text in every field that carries free text, and must show it literally.
"""

from __future__ import annotations

import io
from dataclasses import fields, replace
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from certify.pdf.certificate import render_certificate
from certify.pdf.decal import render_decal
from certify.pdf.protocol import render_protocol
from certify.pdf.report import render_report
from certify.services.report_files import title_of
from certify.services.reports import (
    Changes,
    CoverageRow,
    LeadTime,
    PointShare,
    StateCount,
    StatusReport,
)
from tests.unit.test_pdf import certificate, decal
from tests.unit.test_protocol_pdf import protocol

MARKUP = [
    '<img src="/etc/passwd"/>',
    '<a href="https://angripare.example/">Klicka</a>',
    "<b>fet</b>",
    "1 < 2",
    "Åkes & Söner",
    "<para>",
]


OUR_LINKS = "https://certify.borlange.se/verify/"


def report(text: str) -> StatusReport:
    return StatusReport(
        kommun_code="2081",
        kommun_name=text,
        generated_at=datetime(2026, 11, 25, 9, 0, tzinfo=UTC),
        period_from=date(2026, 11, 12),
        period_to=date(2026, 11, 25),
        area=text,
        coverage=[
            CoverageRow(
                area=text,
                businesses=3,
                invited=1,
                signed_up=2,
                applied=1,
                certified=1,
                applied_pct=33.3,
                certified_pct=33.3,
            )
        ],
        cases_by_state=[StateCount(group="", state="certified", cases=1)],
        cases_by_area=[StateCount(group=text, state="certified", cases=1)],
        cases_by_inspector=[StateCount(group=text, state="certified", cases=1)],
        corrections_overdue=0,
        expiring_30_days=0,
        expiring_90_days=0,
        lead_times=[LeadTime(measure="submission_to_decision", cases=1, median_days=3.0, p90_days=3.0)],
        deficiencies=[PointShare(area="", point=4, title=text, inspections=1, failed=1, failed_pct=100.0)],
        deficiencies_by_area=[
            PointShare(area=text, point=4, title=text, inspections=1, failed=1, failed_pct=100.0)
        ],
        changes=Changes(new_applications=1, certificates_issued=1, expired=0, revoked=0, failed_points={}),
    )


def with_text(document: object, text: str) -> object:
    """Every free-text field of a PDF's data set to `text` (and each point's title and remark)."""
    changed = {f.name: text for f in fields(document) if isinstance(getattr(document, f.name), str)}
    changed.pop("verify_url", None)  # an address for the QR code, built by us
    changed.pop("org_number", None)  # ten digits, checked on entry
    changed.pop("postal_code", None)  # five digits, checked on entry
    if hasattr(document, "points"):
        changed["points"] = tuple(
            replace(p, title=text, remark=text)
            for p in document.points  # type: ignore[attr-defined]
        )
    return replace(document, **changed)  # type: ignore[type-var]


RENDERERS = {
    "certificate": lambda text: render_certificate(with_text(certificate(), text)),  # type: ignore[arg-type]
    "decal": lambda text: render_decal(with_text(decal(), text)),  # type: ignore[arg-type]
    "protocol": lambda text: render_protocol(with_text(protocol(), text)),  # type: ignore[arg-type]
    "report": lambda text: render_report(report(text)),
}


@pytest.mark.parametrize("text", MARKUP)
@pytest.mark.parametrize("pdf", sorted(RENDERERS))
def test_markup_is_printed_as_text(pdf: str, text: str) -> None:
    content = RENDERERS[pdf](text)
    reader = PdfReader(io.BytesIO(content))
    extracted = "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert "".join(text.split()) in extracted
    if pdf == "report":  # the charts draw labels without markup; the title is a paragraph
        assert "".join(title_of(report(text)).split()) in extracted
    for page in reader.pages:
        annotations = [a.get_object() for a in page.get("/Annots", [])]
        links = [a["/A"].get("/URI", "") for a in annotations if a.get("/Subtype") == "/Link"]
        assert all(uri.startswith(OUR_LINKS) for uri in links), "a link only to our own verify page"
        xobjects = page["/Resources"].get("/XObject", {})
        assert not [x for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"]
