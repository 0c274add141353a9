"""The stored representatives of a business: rows in, views out, and where their events go.

Callers have checked the reader's scope (services/representation.py, services/cases.py and the
check in services/representation_check.py); nothing here decides who may see or do what.
"""

from __future__ import annotations

from typing import Any

from certify.domain.representation import RepresentativeFact
from certify.domain.status import OPEN_STATES
from certify.services.clock import now
from certify.services.views import FullmaktView, RepresentativeView
from certify.tables import Application, Representative

_COLUMNS = (
    Representative.id,
    Representative.business,
    Representative.account,
    Representative.account.name,
    Representative.basis,
    Representative.check_state,
    Representative.checked_at,
    Representative.fullmakt_name,
    Representative.fullmakt_type,
    Representative.fullmakt_size,
    Representative.fullmakt_uploaded_at,
)


def view(row: dict[str, Any]) -> RepresentativeView:
    fullmakt = None
    if row["fullmakt_uploaded_at"] is not None:
        fullmakt = FullmaktView(
            file_name=row["fullmakt_name"],
            content_type=row["fullmakt_type"],
            size=row["fullmakt_size"],
            uploaded_at=row["fullmakt_uploaded_at"],
        )
    return RepresentativeView(
        id=row["id"],
        business_id=row["business"],
        account_id=row["account"],
        name=row["account.name"],
        basis=row["basis"],
        check=row["check_state"],
        checked_at=row["checked_at"],
        fullmakt=fullmakt,
    )


def fact(row: dict[str, Any]) -> RepresentativeFact:
    return RepresentativeFact(
        basis=row["basis"],
        check_state=row["check_state"],
        has_fullmakt=row["fullmakt_uploaded_at"] is not None,
    )


async def rows(where: Any) -> list[dict[str, Any]]:
    return await Representative.select(*_COLUMNS).where(where).order_by(Representative.id).run()


async def of_business(business_id: int) -> list[RepresentativeView]:
    return [view(r) for r in await rows(Representative.business == business_id)]


async def add(business_id: int, account_id: int) -> int:
    """A new representative whose basis is not stated yet (the caller holds the transaction)."""
    inserted = (
        await Representative.insert(
            Representative(business=business_id, account=account_id, created_at=now())
        )
        .returning(Representative.id)
        .run()
    )
    return int(inserted[0]["id"])


async def is_representative(business_id: int, account_id: int) -> bool:
    return bool(
        await Representative.exists()
        .where((Representative.business == business_id) & (Representative.account == account_id))
        .run()
    )


async def open_case_of(business_id: int) -> int | None:
    """The business's open case, where an event about its representatives is told (None: no case)."""
    row = (
        await Application.select(Application.id)
        .where(
            (Application.business == business_id) & Application.state.is_in([s.value for s in OPEN_STATES])
        )
        .order_by(Application.id, ascending=False)
        .first()
        .run()
    )
    return None if row is None else int(row["id"])


async def newest_case_of(business_id: int) -> int | None:
    """The business's newest case, open or decided, where a read of a fullmakt is logged (None:
    no case yet)."""
    row = (
        await Application.select(Application.id)
        .where(Application.business == business_id)
        .order_by(Application.id, ascending=False)
        .first()
        .run()
    )
    return None if row is None else int(row["id"])
