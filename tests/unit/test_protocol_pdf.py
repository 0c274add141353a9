"""The inspection protocol: every point's verdict and remark in the text, byte-stable, one page."""

from __future__ import annotations

import io
from dataclasses import replace

import pypdf
import pytest

from certify.domain.checklist import load_checklist
from certify.pdf.protocol import ProtocolData, ProtocolPoint, render_protocol
from certify.text import catalogue
from certify.text.register import case_secrecy_marking

VERDICTS = {
    4: ("Underkänd", "Sedelboxen saknas vid kassa 2."),
    6: ("Ej tillämplig", "Kontantfri sedan 2024."),
}


def protocol(**overrides: object) -> ProtocolData:
    points = tuple(
        ProtocolPoint(
            number=p.number,
            title=p.title_sv,
            verdict=VERDICTS.get(p.number, ("Godkänd", ""))[0],
            remark=VERDICTS.get(p.number, ("", f"Kontrollerat punkt {p.number} på plats."))[1],
            failed=p.number == 4,
        )
        for p in load_checklist().points
    )
    data = ProtocolData(
        kommun_name="Borlänge kommun",
        case_id=17,
        round=2,
        shop_name="Åkes Järn & Färg <Centrum>",
        org_number="556016-0680",
        address="Borlänge Torget 5, 784 33 Borlänge",
        area="Centrum",
        cash_free=True,
        inspector_name="Örjan Ödmark",
        visit="25 november 2026 kl. 10.00",
        outcome="Brister att åtgärda senast 25 december 2026",
        printed_on="25 november 2026",
        points=points,
    )
    return replace(data, **overrides)  # type: ignore[arg-type]


def text_of(pdf: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return len(reader.pages), " ".join(page.extract_text() for page in reader.pages)


def test_text_has_every_points_verdict_and_remark() -> None:
    pages, text = text_of(render_protocol(protocol()))
    flat = " ".join(text.split())
    assert pages == 1
    for point in load_checklist().points:
        default = ("Godkänd", f"Kontrollerat punkt {point.number} på plats.")
        verdict, remark = VERDICTS.get(point.number, default)
        at = flat.index(remark)
        assert verdict in flat[at - 120 : at], point.number  # the verdict sits in the same row
    assert flat.count("Godkänd") == 11 and "Underkänd" in flat and "Ej tillämplig" in flat
    for fact in (
        "Åkes Järn & Färg <Centrum>",
        "556016-0680",
        "Örjan Ödmark",
        "besiktning 2",
        "Kontantfri butik",
    ):
        assert fact in flat, fact
    assert "Brister att åtgärda senast 25 december 2026" in flat


def test_same_data_gives_the_same_bytes() -> None:
    assert render_protocol(protocol()) == render_protocol(protocol())
    assert render_protocol(protocol()) != render_protocol(protocol(round=3))


def test_long_remarks_wrap_and_flow_on() -> None:
    long_points = tuple(replace(p, remark="Mycket lång anmärkning. " * 40) for p in protocol().points)
    pages, text = text_of(render_protocol(protocol(points=long_points)))
    assert pages >= 2 and "13" in text


@pytest.mark.parametrize("language", ["sv", "en", "fi", "ar"])
def test_the_header_carries_the_secrecy_marking_in_the_protocols_language(language: str) -> None:
    with catalogue.use(language):
        marking = case_secrecy_marking()
        _, text = text_of(render_protocol(protocol()))
    flat = " ".join(text.replace("\u200e", "").split())  # a left-to-right mark keeps "18" with its law
    assert "18 kap. 8 § OSL" in marking and "18 kap. 8 § OSL" in flat, "the legal reference as the law has it"
    assert flat.index("18 kap. 8 § OSL") < flat.index("556016-0680"), "above the facts: in the header"
    if language != "ar":  # Arabic is extracted in its shaped letter forms
        assert marking in flat
    assert language == "sv" or marking != "Kan omfattas av sekretess (18 kap. 8 § OSL)", "translated"
