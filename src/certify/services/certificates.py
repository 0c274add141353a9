"""Certificates: numbering, issuing (with the archived PDF) inside the approve transaction,
status, downloads, the public lookup and the open register."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from certify.domain.certificate_number import compose
from certify.domain.errors import NotFound
from certify.domain.status import AnswerStatus, CertificateStatus
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
    Answer,
    Application,
    Certificate,
    CertificateSequence,
    ChainCentralVerdict,
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


async def next_numbers(kommun_id: int, year: int, count: int) -> list[str]:
    """The next `count` certificate numbers of the kommun and year (services.sequences: gap-free)."""
    kommun = (
        await Kommun.select(Kommun.code, Kommun.certificate_prefix)
        .where(Kommun.id == kommun_id)
        .first()
        .run()
    )
    assert kommun is not None
    key = f"{kommun['code']}-{year}"
    serials = await sequences.next_numbers(CertificateSequence, key, count)
    return [compose(kommun["certificate_prefix"] or kommun["code"], year, serial) for serial in serials]


async def next_number(kommun_id: int, year: int) -> str:
    """The next certificate number of the kommun and year."""
    return (await next_numbers(kommun_id, year, 1))[0]


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


async def _named_shops(application_ids: Sequence[int]) -> dict[int, NamedShop]:
    rows = (
        await Application.select(
            Application.id,
            Application.business.name,
            Application.business.street_address,
            Application.business.postal_code,
            Application.business.city,
        )
        .where(Application.id.is_in(list(application_ids)))
        .run()
    )
    return {
        row["id"]: NamedShop(
            shop_name=row["business.name"],
            street_address=row["business.street_address"],
            postal_code=row["business.postal_code"],
            city=row["business.city"],
        )
        for row in rows
    }


@dataclass(frozen=True, slots=True)
class _Stated:
    """What a certificate states of its case besides the number, the dates and the shop."""

    org_number: str
    kommun_name: str
    kommun_contact: str
    checklist_version: str
    points: tuple[PointLine, ...]
    chain_name: str  # "" unless certified through a chain case (kedjebesiktning)


_AUDITED_AS = {AnswerStatus.fulfilled.value: "pass", AnswerStatus.not_applicable.value: "not_applicable"}
"""A chain member's internal audit as the certificate states it (approval refuses any other)."""


async def _stated(application_ids: Sequence[int]) -> dict[int, _Stated]:
    """Load what the certificates of these cases state, a few queries for all of them.

    An ordinary case states its inspection's verdicts. A case certified through a chain case states,
    point by point, the shop's own verdict (a sampled shop), else the chain case's central verdict,
    else the chain's internal audit of the shop (its answers)."""
    ids = list(application_ids)
    cases = (
        await Application.select(
            Application.id,
            Application.round,
            Application.checklist_version,
            Application.checklist_version.version,
            Application.business.org_number,
            Application.business.kommun.name,
            Application.business.kommun.contact_line,
            Application.chain_case,
            Application.chain_case.chain.name,
        )
        .where(Application.id.is_in(ids))
        .run()
    )
    titles: dict[int, dict[int, tuple[str, bool]]] = {}
    for p in (
        await ChecklistPoint.select(
            ChecklistPoint.checklist_version,
            ChecklistPoint.number,
            ChecklistPoint.title_sv,
            ChecklistPoint.local,
        )
        .where(ChecklistPoint.checklist_version.is_in(list({c["checklist_version"] for c in cases})))
        .run()
    ):
        titles.setdefault(p["checklist_version"], {})[p["number"]] = (p["title_sv"], p["local"])
    rounds = {c["id"]: c["round"] for c in cases}
    judged: dict[int, dict[int, tuple[str, str]]] = {c["id"]: {} for c in cases}
    chained = [c for c in cases if c["chain_case"] is not None]
    if chained:
        await _chain_judgements(chained, judged)
    for v in (
        await Verdict.select(
            Verdict.application, Verdict.round, Verdict.point, Verdict.verdict, Verdict.remark
        )
        .where(Verdict.application.is_in(ids))
        .order_by(Verdict.point)
        .run()
    ):
        if v["round"] == rounds[v["application"]]:
            judged[v["application"]][v["point"]] = (v["verdict"], v["remark"])
    stated = {}
    for c in cases:
        version = titles.get(c["checklist_version"], {})
        stated[c["id"]] = _Stated(
            org_number=c["business.org_number"],
            kommun_name=c["business.kommun.name"],
            kommun_contact=c["business.kommun.contact_line"],
            checklist_version=c["checklist_version.version"],
            points=tuple(
                PointLine(
                    number=point,
                    title=version[point][0],
                    local=version[point][1],
                    verdict=verdict,
                    remark=remark if verdict == "not_applicable" else "",
                )
                for point, (verdict, remark) in sorted(judged[c["id"]].items())
                if point in version
            ),
            chain_name=c["chain_case.chain.name"] or "" if c["chain_case"] is not None else "",
        )
    return stated


async def _chain_judgements(
    chained: list[dict[str, Any]], judged: dict[int, dict[int, tuple[str, str]]]
) -> None:
    """The chain's audit (copied as the case's answers) under its central verdicts; the shop's own
    verdicts go over both (the caller's)."""
    for a in (
        await Answer.select(Answer.application, Answer.point, Answer.status, Answer.comment)
        .where(Answer.application.is_in([c["id"] for c in chained]))
        .run()
    ):
        if a["status"] in _AUDITED_AS:
            judged[a["application"]][a["point"]] = (_AUDITED_AS[a["status"]], a["comment"])
    central: dict[int, dict[int, tuple[str, str]]] = {}
    for v in (
        await ChainCentralVerdict.select(
            ChainCentralVerdict.chain_case,
            ChainCentralVerdict.point,
            ChainCentralVerdict.verdict,
            ChainCentralVerdict.remark,
        )
        .where(ChainCentralVerdict.chain_case.is_in(list({c["chain_case"] for c in chained})))
        .order_by(ChainCentralVerdict.round)
        .run()
    ):
        central.setdefault(v["chain_case"], {})[v["point"]] = (v["verdict"], v["remark"])
    for c in chained:
        judged[c["id"]].update(central.get(c["chain_case"], {}))


def _render(
    number: str, stated: _Stated, shop: NamedShop, issued_on: date, valid_until: date, inspector_name: str
) -> IssuedDocuments:
    """The certificate and its decal (pure; called off the event loop)."""
    document = CertificateDocument(
        number=number,
        kommun_name=stated.kommun_name,
        kommun_contact=stated.kommun_contact,
        shop_name=shop.shop_name,
        street_address=shop.street_address,
        postal_code=shop.postal_code,
        city=shop.city,
        org_number=stated.org_number,
        issued_on=issued_on,
        valid_until=valid_until,
        inspector_name=inspector_name,
        checklist_version=stated.checklist_version,
        points=stated.points,
        verify_url=verify_url(number),
        chain_name=stated.chain_name,
    )
    decal = DecalDocument(
        number=number,
        kommun_name=document.kommun_name,
        valid_until=valid_until,
        verify_url=document.verify_url,
    )
    pdf = render_certificate(document)
    return IssuedDocuments(pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), decal=render_decal(decal))


async def _inspector_name(inspector_id: int | None) -> str:
    if not inspector_id:
        return ""
    row = await Account.select(Account.name).where(Account.id == inspector_id).first().run()
    return row["name"] if row else ""


@dataclass(frozen=True, slots=True)
class ToIssue:
    """One approved case to certify, and the certificate it renews ("" if none)."""

    application_id: int
    business_id: int
    previous_number: str = ""
    replaces_at_once: bool = False


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
    issued = await issue_many(
        kommun_id=kommun_id,
        inspector_id=inspector_id,
        cases=[ToIssue(application_id, business_id, previous_number, replaces_at_once)],
    )
    return issued[0]


async def issue_many(*, kommun_id: int, inspector_id: int | None, cases: Sequence[ToIssue]) -> list[str]:
    """`issue` for many approved cases of one kommun at once (a chain case's approval): the same
    certificates, each with its own number, PDF and decal, loaded in a few queries, rendered in one
    trip off the event loop and inserted together (caller's transaction). The numbers, in order."""
    if not cases:
        return []
    issued_at = now()
    issued_on = local_date(issued_at)
    renewed = [c.previous_number for c in cases if c.previous_number]
    previous = (
        {
            r["number"]: r
            for r in await Certificate.select(
                Certificate.number, Certificate.valid_until, Certificate.revoked_at
            )
            .where(Certificate.number.is_in(renewed))
            .run()
        }
        if renewed
        else {}
    )
    numbers = await next_numbers(kommun_id, issued_on.year, len(cases))
    ids = [c.application_id for c in cases]
    shops = await _named_shops(ids)
    stated = await _stated(ids)
    inspector_name = await _inspector_name(inspector_id)
    plans: list[tuple[ToIssue, str, date, date, date | None]] = []
    for case, number in zip(cases, numbers, strict=True):
        before = previous.get(case.previous_number)
        previous_until = before["valid_until"] if before and before["revoked_at"] is None else None
        valid_from, valid_until = validity_for(issued_on, None if case.replaces_at_once else previous_until)
        plans.append((case, number, valid_from, valid_until, previous_until))

    def render_all() -> list[IssuedDocuments]:
        return [
            _render(
                number,
                stated[case.application_id],
                shops[case.application_id],
                issued_on,
                until,
                inspector_name,
            )
            for case, number, _from, until, _previous in plans
        ]

    documents = await asyncio.to_thread(render_all)
    rows = [
        Certificate(
            number=number,
            application=case.application_id,
            business=case.business_id,
            kommun=kommun_id,
            inspector=inspector_id,
            issued_at=issued_at,
            valid_from=valid_from,
            valid_until=valid_until,
            shop_name=shops[case.application_id].shop_name,
            street_address=shops[case.application_id].street_address,
            postal_code=shops[case.application_id].postal_code,
            city=shops[case.application_id].city,
            pdf=docs.pdf,
            pdf_sha256=docs.sha256,
            decal_pdf=docs.decal,
        )
        for (case, number, valid_from, valid_until, _previous), docs in zip(plans, documents, strict=True)
    ]
    for start in range(0, len(rows), _INSERT_BATCH):
        await Certificate.insert(*rows[start : start + _INSERT_BATCH]).run()
    for case, number, _from, _until, previous_until in plans:
        if case.previous_number:
            ended: dict[Any, Any] = {Certificate.replaced_by: number}
            if case.replaces_at_once and previous_until is not None:
                ended[Certificate.valid_until] = min(previous_until, issued_on - timedelta(days=1))
            await Certificate.update(ended).where(Certificate.number == case.previous_number).run()
    return numbers


_INSERT_BATCH = 50
"""Certificates per INSERT: few round trips, well under SQLite's limit of bound values."""


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
    stated = (await _stated([row["application"]]))[row["application"]]
    inspector_name = await _inspector_name(row["inspector"])
    documents = await asyncio.to_thread(
        _render, number, stated, shop, local_date(row["issued_at"]), row["valid_until"], inspector_name
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
            Certificate.application.chain_case,
            Certificate.application.chain_case.chain.name,
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
        # Certified through a chain case: the chain's name is public, nothing else of the case.
        chain=row["application.chain_case.chain.name"] if row["application.chain_case"] else None,
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
