"""Time the certificate and decal against a bare reportlab page carrying the same text.

Run: PYTHONPATH=src .venv/bin/python benchmarks/pdf_render.py [--n 200]
The baseline runs interleaved in the same process, so the ratio holds on a noisy machine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from io import BytesIO

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from certify.pdf.certificate import (
    TITLE,
    CertificateDocument,
    PointLine,
    render_certificate,
)
from certify.pdf.decal import DecalDocument, render_decal
from certify.pdf.fonts import BOLD, REGULAR, register_fonts
from certify.pdf.qr import qr_matrix

TITLES = (
    "Säkerhetsansvarig",
    "Branschanpassad utbildning i säkerhetsfrågor",
    "Låsbara kassalådor",
    "Sedelboxar / sluten kontanthantering",
    "Skyddad plats för uppräkning",
    "Värdeskåp",
    "Larmmöjlighet",
    "Säkerhetsanpassade dörrar",
    "Längdmarkering",
    "God belysning",
    "Rutiner för säkerhetsarbetet",
    "Genomtänkta värdetransporter",
    "Beredskap för rånoffer",
)
CASH_POINTS = frozenset({3, 4, 5, 6, 12})
CASH_FREE = "Butiken är kontantfri sedan 2024; inga kontanter hanteras i butiken."
URL = "https://certify.borlange.se/verify/BLG-2026-00017"


def sample_certificate() -> CertificateDocument:
    """Return a realistic certificate: a cash-free shop with five points not applicable."""
    points = tuple(
        PointLine(
            number,
            title,
            "not_applicable" if number in CASH_POINTS else "pass",
            CASH_FREE if number in CASH_POINTS else "",
        )
        for number, title in enumerate(TITLES, start=1)
    )
    return CertificateDocument(
        number="BLG-2026-00017",
        kommun_name="Borlänge kommun",
        kommun_contact="Stadshuset, Röda vägen 50, 781 81 Borlänge · 0243-740 00",
        shop_name="Ångström & Söner Järnhandel",
        street_address="Stationsgatan 12",
        postal_code="78434",
        city="Borlänge",
        org_number="5560360793",
        issued_on=date(2026, 11, 25),
        valid_until=date(2028, 11, 25),
        inspector_name="Karin Öberg",
        checklist_version="2026.1",
        points=points,
        verify_url=URL,
    )


def render_baseline(lines: list[str], bold: frozenset[str]) -> bytes:
    """Draw the lines one by one on a bare A4 page with the same fonts: no QR, no table."""
    register_fonts()
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, initialFontName=REGULAR)
    y = A4[1] - 40
    for line in lines:
        canvas.setFont(BOLD if line in bold else REGULAR, 8)
        canvas.drawString(40, y, line)
        y -= 9.5
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def text_lines(pdf: bytes) -> list[str]:
    """Return the text lines a reader extracts from the PDF's only page."""
    return PdfReader(BytesIO(pdf)).pages[0].extract_text().splitlines()


def timed(samples: list[float], render: Callable[..., object], *args: object) -> None:
    """Run one render and record its duration in milliseconds."""
    start = time.perf_counter()
    render(*args)
    samples.append((time.perf_counter() - start) * 1000)


def main() -> None:
    """Render everything n times, interleaved, and print the medians and the ratios.

    "new QR" renders use a fresh number each time, so the QR code is encoded as for a new
    certificate; "cached QR" renders repeat one number, as a re-download or the decal after
    its certificate do.
    """
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=200, help="renders of each document")
    n = parser.parse_args().n
    certificate = sample_certificate()
    fresh = [_numbered(certificate, "C", index) for index in range(n)]
    decals = [_decal(_numbered(certificate, "D", index)) for index in range(n)]
    urls = [_numbered(certificate, "Q", index).verify_url for index in range(n)]
    lines = text_lines(render_certificate(certificate))
    bold = frozenset({certificate.kommun_name, TITLE, certificate.shop_name})
    runs: dict[str, list[float]] = {
        "certificate, new QR": [],
        "certificate, cached QR": [],
        "baseline": [],
        "decal, new QR": [],
        "QR encoding alone": [],
    }
    for index in range(n):
        timed(runs["certificate, new QR"], render_certificate, fresh[index])
        timed(runs["certificate, cached QR"], render_certificate, certificate)
        timed(runs["baseline"], render_baseline, lines, bold)
        timed(runs["decal, new QR"], render_decal, decals[index])
        timed(runs["QR encoding alone"], qr_matrix, urls[index])
    medians = {name: statistics.median(samples) for name, samples in runs.items()}
    print(f"renders of each: {n}; baseline: {len(lines)} text lines, same fonts, no QR, no table")
    for name, median in medians.items():
        print(f"{name:<24} median {median:6.2f} ms")
    for name in ("certificate, new QR", "certificate, cached QR"):
        print(f"ratio {name:<18} / baseline = {medians[name] / medians['baseline']:.2f}")


def _numbered(certificate: CertificateDocument, series: str, serial: int) -> CertificateDocument:
    """Return the certificate under another number, hence another verify URL."""
    number = f"BLG-2026-{series}{serial:05d}"
    return replace(certificate, number=number, verify_url=f"{URL.rsplit('/', 1)[0]}/{number}")


def _decal(certificate: CertificateDocument) -> DecalDocument:
    """Return the decal that goes with a certificate."""
    return DecalDocument(
        certificate.number, certificate.kommun_name, certificate.valid_until, certificate.verify_url
    )


if __name__ == "__main__":
    main()
