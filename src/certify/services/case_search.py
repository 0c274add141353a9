"""Finding cases: the kommun's filtered, sorted, paginated list and the inspector's own queue.

Filtering, sorting and paging happen in SQL so that a kommun with thousands of shops gets one page
of rows, not all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import msgspec

from certify.domain.status import CaseState
from certify.services import policy
from certify.services.actor import Actor
from certify.services.clock import local_date, today
from certify.services.policy import Capability, application_scope
from certify.tables import Application, Business, Certificate

PAGE_SIZE = 25
EXPIRY_HORIZON = timedelta(days=90)
SORT_COLUMNS: dict[str, Any] = {
    "andrad": Application.updated_at,
    "butik": Application.business.name,
    "status": Application.state,
    "besok": Application.visit_at,
    "deadline": Application.deadline,
    "omgang": Application.round,
}
"""Sort keys as they appear in the page's address, each to its column."""


@dataclass(frozen=True, slots=True)
class CaseQuery:
    """What the kommun's case list asks for; every field is optional."""

    state: CaseState | None = None
    area: str = ""
    inspector_id: int | None = None
    unassigned: bool = False
    round: int | None = None
    overdue_corrections: bool = False
    expiring_soon: bool = False
    diarienummer: str = ""  # exactly this number (as the kommun writes it)
    sort: str = "andrad"
    descending: bool = True
    page: int = 1


class CaseRow(msgspec.Struct, kw_only=True):
    id: int
    business_id: int
    business_name: str
    street_address: str
    city: str
    area: str
    state: str
    round: int
    inspector_id: int | None
    inspector_name: str | None
    visit_at: datetime | None
    deadline: date | None
    updated_at: datetime
    valid_until: date | None = None  # of the case's valid certificate

    @property
    def overdue(self) -> bool:
        return (
            self.state == CaseState.corrections_required
            and self.deadline is not None
            and self.deadline < today()
        )


class CasePage(msgspec.Struct, kw_only=True):
    rows: list[CaseRow]
    total: int
    page: int
    pages: int


_ROW_COLUMNS = (
    Application.id,
    Application.business,
    Application.business.name,
    Application.business.street_address,
    Application.business.city,
    Application.business.area,
    Application.state,
    Application.round,
    Application.inspector,
    Application.inspector.name,
    Application.visit_at,
    Application.deadline,
    Application.updated_at,
)


def _valid_certificates() -> Any:
    return Certificate.revoked_at.is_null() & (Certificate.valid_until >= today())


def _where(actor: Actor, query: CaseQuery) -> Any:
    where = application_scope(actor)
    if query.state is not None:
        where &= Application.state == query.state.value
    if query.area:
        where &= Application.business.area == query.area
    if query.unassigned:
        where &= Application.inspector.is_null()
    elif query.inspector_id is not None:
        where &= Application.inspector == query.inspector_id
    if query.round is not None:
        where &= Application.round == query.round
    if query.overdue_corrections:
        where &= (Application.state == CaseState.corrections_required.value) & (
            Application.deadline < today()
        )
    if query.diarienummer:
        where &= Application.diarienummer == query.diarienummer
    if query.expiring_soon:
        expiring = Certificate.select(Certificate.application).where(
            _valid_certificates() & (Certificate.valid_until <= today() + EXPIRY_HORIZON)
        )
        where &= (Application.state == CaseState.certified.value) & Application.id.is_in(expiring)
    return where


def _row(r: dict[str, Any], valid_until: date | None) -> CaseRow:
    return CaseRow(
        id=r["id"],
        business_id=r["business"],
        business_name=r["business.name"],
        street_address=r["business.street_address"],
        city=r["business.city"],
        area=r["business.area"],
        state=r["state"],
        round=r["round"],
        inspector_id=r["inspector"],
        inspector_name=r["inspector.name"],
        visit_at=r["visit_at"],
        deadline=r["deadline"],
        updated_at=r["updated_at"],
        valid_until=valid_until,
    )


async def _valid_until(application_ids: list[int]) -> dict[int, date]:
    if not application_ids:
        return {}
    rows = (
        await Certificate.select(Certificate.application, Certificate.valid_until)
        .where(Certificate.application.is_in(application_ids) & _valid_certificates())
        .run()
    )
    return {r["application"]: r["valid_until"] for r in rows}


async def search(actor: Actor, query: CaseQuery) -> CasePage:
    """One page of the kommun's cases matching the query, in the asked order."""
    policy.require(actor, Capability.search_cases)
    where = _where(actor, query)
    total = await Application.count().where(where).run()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, query.page), pages)
    column = SORT_COLUMNS.get(query.sort, Application.updated_at)
    rows = (
        await Application.select(*_ROW_COLUMNS)
        .where(where)
        .order_by(column, ascending=not query.descending)
        .order_by(Application.id, ascending=not query.descending)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
        .run()
    )
    valid = await _valid_until([r["id"] for r in rows])
    return CasePage(rows=[_row(r, valid.get(r["id"])) for r in rows], total=total, page=page, pages=pages)


async def areas(actor: Actor) -> list[str]:
    """The areas of the shops the actor may see, for the filter's choices."""
    rows = (
        await Business.select(Business.area)
        .where((Business.kommun == actor.kommun_id) & (Business.area != ""))
        .distinct()
        .order_by(Business.area)
        .run()
    )
    return [r["area"] for r in rows]


@dataclass(frozen=True, slots=True)
class InspectorQueue:
    """The inspector's cases in the order of the working day."""

    today: list[CaseRow]
    upcoming: list[CaseRow]
    awaiting_decision: list[CaseRow]
    corrections_pending: list[CaseRow]


async def inspector_queue(actor: Actor) -> InspectorQueue:
    """Booked visits today and later; past visits not yet decided; cases waiting for the owner."""
    policy.require(actor, Capability.keep_worklist)
    open_states = [CaseState.scheduled.value, CaseState.corrections_required.value]
    rows = (
        await Application.select(*_ROW_COLUMNS)
        .where(application_scope(actor) & Application.state.is_in(open_states))
        .order_by(Application.visit_at)
        .run()
    )
    listed = [_row(r, None) for r in rows]
    on = today()

    def visit_day(row: CaseRow) -> date:
        return local_date(row.visit_at) if row.visit_at else on

    scheduled = [r for r in listed if r.state == CaseState.scheduled]
    return InspectorQueue(
        today=[r for r in scheduled if visit_day(r) == on],
        upcoming=[r for r in scheduled if visit_day(r) > on],
        awaiting_decision=[r for r in scheduled if visit_day(r) < on],
        corrections_pending=sorted(
            (r for r in listed if r.state == CaseState.corrections_required),
            key=lambda r: r.deadline or on,
        ),
    )
