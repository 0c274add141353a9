"""Certificates: numbering, issuing (with the archived PDF) inside the approve transaction,
status, downloads, the public lookup and the open register."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from certify.domain.certificate_number import compose
from certify.domain.errors import NotFound
from certify.domain.status import CertificateStatus
from certify.pdf.certificate import CertificateDocument, PointLine, render_certificate
from certify.pdf.decal import DecalDocument, render_decal
from certify.services import sequences
from certify.services.actor import Actor
from certify.services.clock import local_date, now, today
from certify.services.policy import certificate_scope
from certify.services.views import PublicCertificateView, RegisterEntry
from certify.settings import public_base_url
from certify.tables import (
    Account,
    Application,
    Certificate,
    CertificateSequence,
    ChecklistPoint,
    Kommun,
    Verdict,
)

VALIDITY = relativedelta(years=2)


def status_of(row: dict[str, Any], on: date | None = None) -> CertificateStatus:
    if row["revoked_at"] is not None:
        return CertificateStatus.revoked
    if (on or today()) > row["valid_until"]:
        return CertificateStatus.expired
    return CertificateStatus.valid


def validity_for(issued_on: date, previous_valid_until: date | None) -> tuple[date, date]:
    """Two years from issue; a renewal approved in time starts the day after the old one ends."""
    start = issued_on
    if previous_valid_until is not None and previous_valid_until >= issued_on:
        start = previous_valid_until + timedelta(days=1)
    return start, start + VALIDITY


def verify_url(number: str) -> str:
    return f"{public_base_url()}/verify/{number}"


async def next_number(kommun_id: int, year: int) -> str:
    """The next certificate number of the kommun and year (services.sequences: gap-free)."""
    kommun = (
        await Kommun.select(Kommun.code, Kommun.certificate_prefix)
        .where(Kommun.id == kommun_id)
        .first()
        .run()
    )
    assert kommun is not None
    key = f"{kommun['code']}-{year}"
    serial = await sequences.next_number(CertificateSequence, key)
    return compose(kommun["certificate_prefix"] or kommun["code"], year, serial)


@dataclass(frozen=True, slots=True)
class IssuedDocuments:
    pdf: bytes
    sha256: str
    decal: bytes


@dataclass(frozen=True, slots=True)
class NamedShop:
    """The shop as a certificate names it: copied from the business at issue, kept on the row."""

    shop_name: str
    street_address: str
    postal_code: str
    city: str


NAMED_SHOP_COLUMNS = (
    Certificate.shop_name,
    Certificate.street_address,
    Certificate.postal_code,
    Certificate.city,
)


async def _named_shop(application_id: int) -> NamedShop:
    row = (
        await Application.select(
            Application.business.name,
            Application.business.street_address,
            Application.business.postal_code,
            Application.business.city,
        )
        .where(Application.id == application_id)
        .first()
        .run()
    )
    assert row is not None
    return NamedShop(
        shop_name=row["business.name"],
        street_address=row["business.street_address"],
        postal_code=row["business.postal_code"],
        city=row["business.city"],
    )


async def _documents(
    number: str,
    application_id: int,
    shop: NamedShop,
    issued_on: date,
    valid_until: date,
    inspector_id: int | None,
) -> IssuedDocuments:
    """Load what the certificate states and render it once, off the event loop."""
    case = (
        await Application.select(
            Application.round,
            Application.checklist_version,
            Application.checklist_version.version,
            Application.business.org_number,
            Application.business.kommun.name,
            Application.business.kommun.contact_line,
        )
        .where(Application.id == application_id)
        .first()
        .run()
    )
    assert case is not None
    titles = {
        p["number"]: (p["title_sv"], p["local"])
        for p in await ChecklistPoint.select(
            ChecklistPoint.number, ChecklistPoint.title_sv, ChecklistPoint.local
        )
        .where(ChecklistPoint.checklist_version == case["checklist_version"])
        .run()
    }
    verdicts = (
        await Verdict.select(Verdict.point, Verdict.verdict, Verdict.remark)
        .where((Verdict.application == application_id) & (Verdict.round == case["round"]))
        .order_by(Verdict.point)
        .run()
    )
    inspector = (
        await Account.select(Account.name).where(Account.id == inspector_id).first().run()
        if inspector_id
        else None
    )
    document = CertificateDocument(
        number=number,
        kommun_name=case["business.kommun.name"],
        kommun_contact=case["business.kommun.contact_line"],
        shop_name=shop.shop_name,
        street_address=shop.street_address,
        postal_code=shop.postal_code,
        city=shop.city,
        org_number=case["business.org_number"],
        issued_on=issued_on,
        valid_until=valid_until,
        inspector_name=inspector["name"] if inspector else "",
        checklist_version=case["checklist_version.version"],
        points=tuple(
            PointLine(
                number=v["point"],
                title=titles[v["point"]][0],
                local=titles[v["point"]][1],
                verdict=v["verdict"],
                remark=v["remark"] if v["verdict"] == "not_applicable" else "",
            )
            for v in verdicts
        ),
        verify_url=verify_url(number),
    )
    decal = DecalDocument(
        number=number,
        kommun_name=document.kommun_name,
        valid_until=valid_until,
        verify_url=document.verify_url,
    )
    pdf, decal_pdf = await asyncio.to_thread(lambda: (render_certificate(document), render_decal(decal)))
    return IssuedDocuments(pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), decal=decal_pdf)


async def issue(
    *,
    application_id: int,
    business_id: int,
    kommun_id: int,
    inspector_id: int | None,
    previous_number: str,
    replaces_at_once: bool = False,
) -> str:
    """Create the certificate and its archived PDF for an approved case (caller's transaction).

    A renewal approved in time starts the day after the previous certificate ends. A re-inspection
    after a reported material change (`replaces_at_once`) vouches for the shop as it is now: the
    new certificate runs two years from today and the previous one ends yesterday, replaced."""
    issued_at = now()
    issued_on = local_date(issued_at)
    previous = None
    if previous_number:
        previous = (
            await Certificate.select(Certificate.valid_until, Certificate.revoked_at)
            .where(Certificate.number == previous_number)
            .first()
            .run()
        )
    previous_until = previous["valid_until"] if previous and previous["revoked_at"] is None else None
    valid_from, valid_until = validity_for(issued_on, None if replaces_at_once else previous_until)
    number = await next_number(kommun_id, issued_on.year)
    shop = await _named_shop(application_id)
    documents = await _documents(number, application_id, shop, issued_on, valid_until, inspector_id)
    await Certificate.insert(
        Certificate(
            number=number,
            application=application_id,
            business=business_id,
            kommun=kommun_id,
            inspector=inspector_id,
            issued_at=issued_at,
            valid_from=valid_from,
            valid_until=valid_until,
            shop_name=shop.shop_name,
            street_address=shop.street_address,
            postal_code=shop.postal_code,
            city=shop.city,
            pdf=documents.pdf,
            pdf_sha256=documents.sha256,
            decal_pdf=documents.decal,
        )
    ).run()
    if previous_number:
        ended: dict[Any, Any] = {Certificate.replaced_by: number}
        if replaces_at_once and previous_until is not None:
            ended[Certificate.valid_until] = min(previous_until, issued_on - timedelta(days=1))
        await Certificate.update(ended).where(Certificate.number == previous_number).run()
    return number


async def render_issued(number: str) -> bytes:
    """Render an issued certificate again from its stored facts (to check the archive)."""
    row = (
        await Certificate.select(
            Certificate.application,
            Certificate.issued_at,
            Certificate.valid_until,
            Certificate.inspector,
            *NAMED_SHOP_COLUMNS,
        )
        .where(Certificate.number == number)
        .first()
        .run()
    )
    if row is None:
        raise NotFound("certificate_not_found")
    shop = NamedShop(**{c._meta.name: row[c._meta.name] for c in NAMED_SHOP_COLUMNS})
    documents = await _documents(
        number, row["application"], shop, local_date(row["issued_at"]), row["valid_until"], row["inspector"]
    )
    return documents.pdf


async def revoke(application_id: int, reason: str) -> None:
    await (
        Certificate.update({Certificate.revoked_at: now(), Certificate.revoked_reason: reason})
        .where((Certificate.application == application_id) & Certificate.revoked_at.is_null())
        .run()
    )


@dataclass(frozen=True, slots=True)
class Download:
    filename: str
    content: bytes


async def download(actor: Actor, number: str, kind: str) -> Download:
    """The archived document as issued (a read, never a render); 404 outside the caller's scope."""
    column = Certificate.pdf if kind == "certificate" else Certificate.decal_pdf
    row = (
        await Certificate.select(column)
        .where((Certificate.number == number.strip().upper()) & certificate_scope(actor))
        .first()
        .run()
    )
    if row is None or row[column._meta.name] is None:
        raise NotFound("certificate_not_found")
    prefix = "intyg" if kind == "certificate" else "dekal"
    return Download(filename=f"{prefix}-{number.upper()}.pdf", content=bytes(row[column._meta.name]))


async def public_lookup(number: str) -> PublicCertificateView:
    """What anyone may see about a certificate number: no names of people, no contact details."""
    row = (
        await Certificate.select(
            Certificate.number,
            Certificate.issued_at,
            Certificate.valid_from,
            Certificate.valid_until,
            Certificate.revoked_at,
            Certificate.replaced_by,
            Certificate.pdf_sha256,
            Certificate.business.name,
            Certificate.business.street_address,
            Certificate.business.postal_code,
            Certificate.business.city,
            *NAMED_SHOP_COLUMNS,
            Certificate.kommun.name,
        )
        .where(Certificate.number == number.strip().upper())
        .first()
        .run()
    )
    if row is None:
        raise NotFound("certificate_not_found")
    replaces = (
        await Certificate.select(Certificate.number)
        .where(Certificate.replaced_by == row["number"])
        .first()
        .run()
    )
    status = status_of(row)
    # In force: the shop as the kommun knows it (the certificate's own facts, or a change the
    # kommun accepted; an owner's unaccepted change never reaches the business). Otherwise: the
    # shop as the certificate named it.
    named = "business." if status == CertificateStatus.valid else ""
    return PublicCertificateView(
        number=row["number"],
        status=status.value,
        shop_name=row["business.name" if named else "shop_name"],
        street_address=row[f"{named}street_address"],
        postal_code=row[f"{named}postal_code"],
        city=row[f"{named}city"],
        kommun=row["kommun.name"],
        issued_at=local_date(row["issued_at"]),
        valid_from=row["valid_from"],
        valid_until=row["valid_until"],
        revoked_at=local_date(row["revoked_at"]) if row["revoked_at"] else None,
        replaced_by=row["replaced_by"] or None,
        replaces=replaces["number"] if replaces else None,
        pdf_sha256=row["pdf_sha256"],
    )


async def register(on: date | None = None) -> list[RegisterEntry]:
    """The open register: shops whose certificate is in force today (public information)."""
    on = on or today()
    rows = (
        await Certificate.select(
            Certificate.number,
            Certificate.valid_until,
            Certificate.business.name,
            Certificate.business.street_address,
            Certificate.business.postal_code,
            Certificate.business.city,
            Certificate.business.area,
            Certificate.kommun.name,
        )
        .where(
            Certificate.revoked_at.is_null()
            & (Certificate.valid_from <= on)
            & (Certificate.valid_until >= on)
        )
        .order_by(Certificate.kommun.name)
        .order_by(Certificate.business.name)
        .run()
    )
    return [
        RegisterEntry(
            number=r["number"],
            shop_name=r["business.name"],
            street_address=r["business.street_address"],
            postal_code=r["business.postal_code"],
            city=r["business.city"],
            area=r["business.area"],
            kommun=r["kommun.name"],
            valid_until=r["valid_until"],
        )
        for r in rows
    ]
