"""Certificates: numbering, issuing inside the approve transaction, status and public lookup."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from certify.domain.errors import NotFound
from certify.domain.status import CertificateStatus
from certify.services.clock import local_date, now, today
from certify.services.views import CertificateSummary, PublicCertificateView
from certify.tables import Certificate, CertificateSequence, Kommun

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


async def next_number(kommun_id: int, year: int) -> str:
    """Gap-free per kommun and year; the row lock (or SQLite's write lock) makes it race-free."""
    kommun = (
        await Kommun.select(Kommun.code, Kommun.certificate_prefix)
        .where(Kommun.id == kommun_id)
        .first()
        .run()
    )
    assert kommun is not None
    key = f"{kommun['code']}-{year}"
    rows = (
        await CertificateSequence.update(
            {CertificateSequence.last_number: CertificateSequence.last_number + 1}
        )
        .where(CertificateSequence.key == key)
        .returning(CertificateSequence.last_number)
        .run()
    )
    if rows:
        serial = rows[0]["last_number"]
    else:
        await CertificateSequence.insert(CertificateSequence(key=key, last_number=1)).run()
        serial = 1
    prefix = kommun["certificate_prefix"] or kommun["code"]
    return f"{prefix}-{year}-{serial:05d}"


async def issue(
    *,
    application_id: int,
    business_id: int,
    kommun_id: int,
    inspector_id: int | None,
    previous_number: str,
) -> str:
    """Create the certificate row for an approved case (the caller holds the transaction)."""
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
    valid_from, valid_until = validity_for(issued_on, previous_until)
    number = await next_number(kommun_id, issued_on.year)
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
        )
    ).run()
    if previous_number:
        await (
            Certificate.update({Certificate.replaced_by: number})
            .where(Certificate.number == previous_number)
            .run()
        )
    return number


async def revoke(application_id: int, reason: str) -> None:
    await (
        Certificate.update({Certificate.revoked_at: now(), Certificate.revoked_reason: reason})
        .where((Certificate.application == application_id) & Certificate.revoked_at.is_null())
        .run()
    )


async def summary_for_application(application_id: int) -> CertificateSummary | None:
    row = (
        await Certificate.select(
            Certificate.number,
            Certificate.issued_at,
            Certificate.valid_from,
            Certificate.valid_until,
            Certificate.revoked_at,
            Certificate.replaced_by,
        )
        .where(Certificate.application == application_id)
        .first()
        .run()
    )
    if row is None:
        return None
    return CertificateSummary(
        number=row["number"],
        issued_at=row["issued_at"],
        valid_from=row["valid_from"],
        valid_until=row["valid_until"],
        status=status_of(row).value,
        replaced_by=row["replaced_by"] or None,
    )


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
            Certificate.business.city,
            Certificate.kommun.name,
        )
        .where(Certificate.number == number.strip().upper())
        .first()
        .run()
    )
    if row is None:
        raise NotFound("Det finns inget intyg med det numret.")
    return PublicCertificateView(
        number=row["number"],
        status=status_of(row).value,
        shop_name=row["business.name"],
        city=row["business.city"],
        kommun=row["kommun.name"],
        issued_at=local_date(row["issued_at"]),
        valid_from=row["valid_from"],
        valid_until=row["valid_until"],
        revoked_at=local_date(row["revoked_at"]) if row["revoked_at"] else None,
        replaced_by=row["replaced_by"] or None,
        pdf_sha256=row["pdf_sha256"],
    )
