"""The owner's copies of the certificate (intyg) and the decal (dekal) as PDF files.

A PDF stored on the certificate row when it was issued is handed out as it is; otherwise the
document is rendered from the database (byte-stable: the same data gives the same bytes).
"""

from __future__ import annotations

import asyncio
from typing import Any

from certify.domain.errors import Conflict, NotFound
from certify.pdf.certificate import CertificateDocument, PointLine, render_certificate
from certify.pdf.decal import DecalDocument, render_decal
from certify.services.access import application_scope
from certify.services.actor import Actor
from certify.services.clock import local_date
from certify.tables import Application, Certificate, ChecklistPoint, Verdict

_COLUMNS = (
    Certificate.number,
    Certificate.issued_at,
    Certificate.valid_until,
    Certificate.revoked_at,
    Certificate.pdf,
    Certificate.decal_pdf,
    Certificate.application,
    Certificate.business.name,
    Certificate.business.street_address,
    Certificate.business.postal_code,
    Certificate.business.city,
    Certificate.business.org_number,
    Certificate.kommun.name,
    Certificate.kommun.contact_line,
    Certificate.inspector.name,
    Certificate.application.round,
    Certificate.application.checklist_version,
    Certificate.application.checklist_version.version,  # type: ignore[union-attr]
)


def verify_url(base_url: str, number: str) -> str:
    return f"{base_url}/verify/{number}"


async def _certificate(actor: Actor, application_id: int) -> dict[str, Any]:
    row = (
        await Certificate.select(*_COLUMNS)
        .where(
            (Certificate.application == application_id)
            & Certificate.application.is_in(
                Application.select(Application.id).where(application_scope(actor))
            )
        )
        .first()
        .run()
    )
    if row is None:
        raise NotFound("Ärendet har inget intyg.")
    if row["revoked_at"] is not None:
        raise Conflict("Intyget är återkallat och kan inte laddas ner.")
    return row


async def _points(row: dict[str, Any]) -> tuple[PointLine, ...]:
    titles = {
        p["number"]: p["title_sv"]
        for p in await ChecklistPoint.select(ChecklistPoint.number, ChecklistPoint.title_sv)
        .where(ChecklistPoint.checklist_version == row["application.checklist_version"])
        .run()
    }
    verdicts = (
        await Verdict.select(Verdict.point, Verdict.verdict, Verdict.remark)
        .where((Verdict.application == row["application"]) & (Verdict.round == row["application.round"]))
        .order_by(Verdict.point)
        .run()
    )
    return tuple(
        PointLine(v["point"], titles.get(v["point"], ""), v["verdict"], v["remark"]) for v in verdicts
    )


async def certificate_pdf(actor: Actor, application_id: int, base_url: str) -> tuple[str, bytes]:
    """The file name and bytes of the case's certificate."""
    row = await _certificate(actor, application_id)
    name = f"intyg-{row['number']}.pdf"
    if row["pdf"]:
        return name, bytes(row["pdf"])
    document = CertificateDocument(
        number=row["number"],
        kommun_name=row["kommun.name"],
        kommun_contact=row["kommun.contact_line"],
        shop_name=row["business.name"],
        street_address=row["business.street_address"],
        postal_code=row["business.postal_code"],
        city=row["business.city"],
        org_number=row["business.org_number"],
        issued_on=local_date(row["issued_at"]),
        valid_until=row["valid_until"],
        inspector_name=row["inspector.name"] or "",
        checklist_version=row["application.checklist_version.version"],
        points=await _points(row),
        verify_url=verify_url(base_url, row["number"]),
    )
    return name, await asyncio.to_thread(render_certificate, document)


async def decal_pdf(actor: Actor, application_id: int, base_url: str) -> tuple[str, bytes]:
    """The file name and bytes of the decal for the shop's entrance."""
    row = await _certificate(actor, application_id)
    name = f"dekal-{row['number']}.pdf"
    if row["decal_pdf"]:
        return name, bytes(row["decal_pdf"])
    document = DecalDocument(
        number=row["number"],
        kommun_name=row["kommun.name"],
        valid_until=row["valid_until"],
        verify_url=verify_url(base_url, row["number"]),
    )
    return name, await asyncio.to_thread(render_decal, document)
