"""The case as the services handle it: one typed record, loaded once per transaction.

Every write of services/cases.py starts from `load` and hands the record on — to the workflow's
effects, the certificate it issues, the not-applicable rule and the event (whose e-mails take the
shop and the booking from it instead of reading them again). Attributes, not `row["business.x"]`
keys, so a type checker and a symbol search see every use.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from certify.domain.errors import NotFound
from certify.services.actor import Actor
from certify.services.policy import application_scope
from certify.tables import Application


@dataclass(frozen=True, slots=True)
class Shop:
    """The shop a case certifies, as far as the workflow needs it."""

    id: int
    kommun: int
    name: str
    email: str
    area: str
    cash_free: bool
    kommun_name: str


@dataclass(frozen=True, slots=True)
class Booking:
    """The inspector and visit of a case (None before the kommun assigns one)."""

    inspector: int | None
    inspector_name: str
    inspector_email: str
    inspector_language: str
    visit_at: datetime | None


@dataclass(frozen=True, slots=True)
class CaseRecord:
    id: int
    state: str
    round: int
    version: int
    kommun: int
    checklist_version: int  # the version's row id
    checklist: str  # the version's name, e.g. 2026.2
    deadline: date | None
    previous_certificate: str  # "" unless the case renews (or re-inspects) a certificate
    diarienummer: str | None
    created_at: datetime
    updated_at: datetime
    shop: Shop
    booking: Booking
    chain_case: int | None = None  # a sampled shop's case: decided in this chain case, never alone

    @property
    def inspector(self) -> int | None:
        return self.booking.inspector

    @property
    def visit_at(self) -> datetime | None:
        return self.booking.visit_at

    def booked(self, **changes: Any) -> CaseRecord:
        """The record with the booking changed (an action's effect), for what follows the write."""
        return replace(self, booking=replace(self.booking, **changes))


_COLUMNS = (
    Application.id,
    Application.state,
    Application.round,
    Application.version,
    Application.kommun,
    Application.checklist_version,
    Application.checklist_version.version,
    Application.deadline,
    Application.previous_certificate,
    Application.diarienummer,
    Application.created_at,
    Application.updated_at,
    Application.business,
    Application.business.kommun,
    Application.business.name,
    Application.business.email,
    Application.business.area,
    Application.business.cash_free,
    Application.business.kommun.name,
    Application.inspector,
    Application.inspector.name,
    Application.inspector.email,
    Application.inspector.language,
    Application.visit_at,
    Application.chain_case,
)


def _record(row: dict[str, Any]) -> CaseRecord:
    return CaseRecord(
        id=row["id"],
        state=row["state"],
        round=row["round"],
        version=row["version"],
        kommun=row["kommun"],
        checklist_version=row["checklist_version"],
        checklist=row["checklist_version.version"],
        deadline=row["deadline"],
        previous_certificate=row["previous_certificate"],
        diarienummer=row["diarienummer"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        shop=Shop(
            id=row["business"],
            kommun=row["business.kommun"],
            name=row["business.name"],
            email=row["business.email"],
            area=row["business.area"],
            cash_free=bool(row["business.cash_free"]),
            kommun_name=row["business.kommun.name"],
        ),
        booking=Booking(
            inspector=row["inspector"],
            inspector_name=row["inspector.name"] or "",
            inspector_email=row["inspector.email"] or "",
            inspector_language=row["inspector.language"] or "",
            visit_at=row["visit_at"],
        ),
        chain_case=row["chain_case"],
    )


async def load(actor: Actor | None, application_id: int) -> CaseRecord:
    """The case if the actor may see it (the system, None, sees all); otherwise 404."""
    where = Application.id == application_id
    if actor is not None:
        where = where & application_scope(actor)
    row = await Application.select(*_COLUMNS).where(where).first().run()
    if row is None:
        raise NotFound("case_not_found")
    return _record(row)
