"""Delivery of closed cases to the kommun's e-archive: one E-ARK SIP per case (sip/package.py).

`build` gathers a closed, registered case and packs it: the certificate exactly as issued (the
stored bytes, never rendered again), each inspection protocol the case sent out exactly as issued
(the Swedish original, stored with the decision; a round without one — decided before protocols
were stored — is drawn at export, and its PREMIS creation event says which), the
self-assessment with the verdicts as PDF and XML, the evidence files as they came in, and the audit
trail as XML. `record` then registers the package as an outgoing document to the e-archive and
writes the audit event, in one transaction; nothing in the case itself changes (state, dates).

The command line exports as the system (actor None, any kommun); a kommun user only cases of its
own kommun (404 for the others).
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from certify import database
from certify.domain.archive import is_closed, package_id, package_name
from certify.domain.errors import Conflict, NotFound
from certify.domain.file_types import EXTENSIONS
from certify.domain.secrecy import MARKING
from certify.domain.status import CLOSED_STATES
from certify.pdf.case_record import CaseRecordData, RecordPoint, render_case_record
from certify.pdf.protocol import render_protocol
from certify.pdf.protocol_words import protocol_data
from certify.services import businesses, cases, checklist, events, issued_protocols, policy, protocols
from certify.services.actor import Actor, kommun_reader
from certify.services.clock import local_date, now
from certify.services.policy import Capability
from certify.services.views import ApplicationView, BusinessView, ChecklistView, EventView
from certify.sip import package as sip
from certify.sip import records
from certify.tables import Application, Certificate, Event, Evidence, Kommun
from certify.text import catalogue
from certify.text.catalogue import _
from certify.text.languages import DEFAULT
from certify.text.vocabulary import answer_label, checklist_text, state_label, verdict_label

EXPORTED = "archive_exported"
"""The audit event of a delivery; domain/document_register.py registers it going out."""


@dataclass(frozen=True, slots=True)
class ArchivePackage:
    case_id: int
    business_id: int
    diarienummer: str
    kommun_name: str
    file_name: str  # e.g. KS-2026-00042.zip
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _software_version() -> str:
    try:
        return version("certify")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0"


def _scope(actor: Actor | None) -> Any:
    if actor is None:
        return Application.id > 0
    return Application.kommun == policy.own_kommun(actor, Capability.deliver_to_archive)


async def _closed_at(application_ids: list[int]) -> dict[int, datetime]:
    """When each case entered the state it is in: its last event that changed the state."""
    rows = (
        await Event.select(Event.application, Event.at)
        .where(Event.application.is_in(application_ids) & (Event.to_state != ""))
        .order_by(Event.id)
        .run()
        if application_ids
        else []
    )
    return {r["application"]: database.as_datetime(r["at"]) for r in rows}


async def closed_before(day: date) -> list[int]:
    """The registered cases, of every kommun, that were closed before `day` (Swedish date)."""
    rows = (
        await Application.select(Application.id)
        .where(
            Application.state.is_in([s.value for s in CLOSED_STATES]) & Application.diarienummer.is_not_null()
        )
        .order_by(Application.id)
        .run()
    )
    closed = await _closed_at([r["id"] for r in rows])
    return [r["id"] for r in rows if r["id"] in closed and local_date(closed[r["id"]]) < day]


def _point_records(case: ApplicationView, spec: ChecklistView) -> list[records.PointRecord]:
    answers = {a.point: a for a in case.answers}
    return [
        records.PointRecord(
            number=p.number,
            title_sv=p.title_sv,
            local=p.local,
            answer_status=answers[p.number].status if p.number in answers else "",
            comment=answers[p.number].comment if p.number in answers else "",
            criteria=answers[p.number].criteria if p.number in answers else {},
            verdicts=tuple(
                records.VerdictRecord(v.round, v.verdict, v.remark, tuple(v.failed_criteria))
                for v in case.verdicts
                if v.point == p.number
            ),
        )
        for p in spec.points
    ]


def _record_pdf(
    case: ApplicationView, shop: BusinessView, kommun_name: str, points: list[records.PointRecord]
) -> bytes:
    """The self-assessment and verdicts as a PDF in Swedish, the archive's language."""
    with catalogue.use(DEFAULT):
        data = CaseRecordData(
            kommun_name=kommun_name,
            diarienummer=case.diarienummer or "",
            shop_name=shop.name,
            org_number=shop.org_number,
            outcome=state_label(case.state),
            points=tuple(
                RecordPoint(
                    number=p.number,
                    title=checklist_text(p.title_sv, p.local),
                    answer=answer_label(p.answer_status or None),
                    comment=p.comment,
                    verdicts=tuple(
                        _("Besiktning {round}:").format(round=v.round)
                        + " "
                        + verdict_label(v.verdict)
                        + (f" – {v.remark}" if v.remark else "")
                        for v in p.verdicts
                    ),
                )
                for p in points
            ),
        )
        return render_case_record(data)


async def _protocols(reader: Actor, case: ApplicationView, created: datetime) -> list[sip.ContentFile]:
    """Every protocol the case sent out, the Swedish original exactly as stored when it was issued
    (a round sent out twice — corrections required, then rejected — keeps both, the later one named
    by its action); each judged round that has none (decided before protocols were stored, or never
    decided) drawn now, and its PREMIS creation event says so."""
    files = []
    issued = await issued_protocols.originals(case.id)
    with catalogue.use(DEFAULT):
        stored_note = _("Lagrat när beslutet fattades: samma fil som skickades ut med beslutet.")
        drawn_note = _(
            "Framställt vid arkivexporten ur ärendets uppgifter: protokollet lagrades inte när det "
            "skickades ut (beslutet fattades innan protokollen lagrades, eller omgången beslutades aldrig)."
        )
    named: set[int] = set()
    for protocol in issued:
        suffix = "" if protocol.round not in named else "-" + protocol.action.replace("_", "-")
        named.add(protocol.round)
        files.append(
            sip.ContentFile(
                path=f"besiktningsprotokoll-omgang-{protocol.round}{suffix}.pdf",
                content=protocol.pdf,
                mime="application/pdf",
                created=protocol.issued_at,
                provenance=stored_note,
            )
        )
    for round_ in sorted({v.round for v in case.verdicts} - named):
        facts = await protocols.facts(reader, case, round_)
        with catalogue.use(DEFAULT):
            data = protocol_data(facts, local_date(created))
            pdf = await asyncio.to_thread(render_protocol, data)
        files.append(
            sip.ContentFile(
                path=f"besiktningsprotokoll-omgang-{round_}.pdf",
                content=pdf,
                mime="application/pdf",
                created=created,
                provenance=drawn_note,
            )
        )
    return sorted(files, key=lambda f: f.path)


def _event_records(found: list[EventView]) -> list[records.EventRecord]:
    return [records.EventRecord(e.at, e.actor, e.action, e.from_state, e.to_state, e.detail) for e in found]


async def build(actor: Actor | None, application_id: int) -> ArchivePackage:
    """The case's SIP; 404 outside the actor's kommun, 409 while the case is open or unregistered."""
    row = (
        await Application.select(
            Application.id,
            Application.kommun,
            Application.business,
            Application.state,
            Application.diarienummer,
            Application.created_at,
            Application.submitted_at,
            Application.decided_at,
        )
        .where((Application.id == application_id) & _scope(actor))
        .first()
        .run()
    )
    if row is None:
        raise NotFound("case_not_found")
    if not is_closed(row["state"]):
        raise Conflict("case_not_closed")
    if not row["diarienummer"]:
        raise Conflict("case_not_registered")
    kommun = await Kommun.select(Kommun.code, Kommun.name).where(Kommun.id == row["kommun"]).first().run()
    assert kommun is not None
    # The system reads as the case's own kommun would: the same scoped views as its case page.
    reader = actor or kommun_reader(row["kommun"])
    case = await cases.view(reader, application_id)
    shop = await businesses.get(reader, row["business"])
    spec = await checklist.by_version(case.checklist_version)
    trail = await cases.list_events(reader, application_id)
    closed_at = (await _closed_at([application_id])).get(application_id) or database.as_datetime(
        row["created_at"]
    )
    created = now()
    diarienummer: str = row["diarienummer"]
    points = _point_records(case, spec)
    files: list[sip.ContentFile] = []
    certificates = (
        await Certificate.select(Certificate.number, Certificate.pdf, Certificate.issued_at)
        .where(Certificate.application == application_id)
        .order_by(Certificate.id)
        .run()
    )
    for issued in certificates:
        if issued["pdf"] is not None:
            files.append(
                sip.ContentFile(
                    path=f"intyg-{package_id(issued['number'])}.pdf",
                    content=bytes(issued["pdf"]),
                    mime="application/pdf",
                    created=database.as_datetime(issued["issued_at"]),
                )
            )
    files.extend(await _protocols(reader, case, created))
    record_pdf = await asyncio.to_thread(_record_pdf, case, shop, kommun["name"], points)
    files.append(sip.ContentFile("egenkontroll-och-bedomningar.pdf", record_pdf, "application/pdf", created))
    files.append(
        sip.ContentFile(
            "egenkontroll-och-bedomningar.xml",
            records.assessment_xml(diarienummer, case.checklist_version, points),
            "text/xml",
            created,
        )
    )
    evidence = (
        await Evidence.select(
            Evidence.id,
            Evidence.point,
            Evidence.file_name,
            Evidence.content_type,
            Evidence.content,
            Evidence.uploaded_at,
        )
        .where(Evidence.application == application_id)
        .order_by(Evidence.id)
        .run()
    )
    for item in evidence:
        extension = EXTENSIONS.get(item["content_type"], "bin")
        files.append(
            sip.ContentFile(
                path=f"bevis/{item['id']}-punkt-{item['point']}.{extension}",
                content=bytes(item["content"]),
                mime=item["content_type"],
                created=database.as_datetime(item["uploaded_at"]),
                original_name=item["file_name"],
            )
        )
    files.append(
        sip.ContentFile(
            "handelser.xml", records.events_xml(diarienummer, _event_records(trail)), "text/xml", created
        )
    )
    certificate = case.certificate
    description = records.CaseDescription(
        diarienummer=diarienummer,
        case_id=application_id,
        kommun_code=kommun["code"],
        kommun_name=kommun["name"],
        shop_name=shop.name,
        org_number=shop.org_number,
        street_address=shop.street_address,
        postal_code=shop.postal_code,
        city=shop.city,
        area=shop.area,
        state=case.state,
        checklist_version=case.checklist_version,
        rounds=case.round,
        opened_at=database.as_datetime(row["created_at"]),
        submitted_at=database.as_datetime(row["submitted_at"]) if row["submitted_at"] else None,
        decided_at=database.as_datetime(row["decided_at"]) if row["decided_at"] else None,
        closed_at=closed_at,
        certificate_number=certificate.number if certificate else "",
        certificate_valid_from=certificate.valid_from if certificate else None,
        certificate_valid_until=certificate.valid_until if certificate else None,
        certificate_status=certificate.status if certificate else "",
        secrecy=MARKING,
    )
    folder = package_id(diarienummer)
    package = sip.Package(
        object_id=diarienummer,
        folder=folder,
        label=f"{diarienummer} {shop.name}",
        kommun_name=kommun["name"],
        created_at=created,
        software_version=_software_version(),
        descriptive=records.description_xml(
            description, [f"{sip.REPRESENTATION}/data/{f.path}" for f in files]
        ),
        files=tuple(files),
    )
    content = await asyncio.to_thread(sip.build, package)
    return ArchivePackage(
        case_id=application_id,
        business_id=row["business"],
        diarienummer=diarienummer,
        kommun_name=kommun["name"],
        file_name=package_name(diarienummer),
        content=content,
    )


async def record(actor: Actor | None, package: ArchivePackage) -> None:
    """The delivery in the audit trail and, going out to the kommun's e-archive, in the document
    register (services/document_register.py registers it with the event)."""
    async with database.transaction():
        await events.record(
            EXPORTED,
            actor=actor,
            application_id=package.case_id,
            business_id=package.business_id,
            detail={
                "package": package.file_name,
                "sha256": package.sha256,
                "size": len(package.content),
                "recipient": package.kommun_name,
            },
        )


async def export(actor: Actor | None, application_id: int) -> ArchivePackage:
    """Build the case's package and record its delivery (the page and the API)."""
    package = await build(actor, application_id)
    await record(actor, package)
    return package
