"""Kept fullmakter: the fullmakt of a representative who stopped acting for a shop (removed by
another, left, closed his account, or uploaded a new one) is a registered incoming document, so it
is not destroyed with his `representatives` row. It moves here, with his name as it was, and stays
until the kommun's retention plan destroys it with the case data of the case it follows (the shop's
newest when it was kept; services/retention.py). Only the shop's kommun reads it, and every read goes
to the access log like any other fullmakt read."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import msgspec

from certify.domain.errors import NotFound
from certify.domain.retention import RecordKind
from certify.services import access_log, representatives
from certify.services.access_log import ReadFile, ReadKind
from certify.services.actor import Actor
from certify.services.clock import now
from certify.services.policy import Capability, own_kommun
from certify.tables import Application, Business, FullmaktDocument, Representative, RetentionPurge


class KeptBecause(StrEnum):
    removed = "removed"  # another representative removed him
    left = "left"  # he stopped acting for the company himself
    account_closed = "account_closed"
    replaced = "replaced"  # he uploaded a new fullmakt


class KeptFullmaktView(msgspec.Struct, kw_only=True):
    id: int
    representative_id: int  # the representative it belonged to (the access log names him so)
    person_name: str  # as it was then; "(borttaget)" once his account is closed
    file_name: str
    content_type: str
    size: int
    uploaded_at: datetime | None
    kept_at: datetime
    reason: str  # removed, left, account_closed, replaced
    application_id: int | None  # the case whose retention it follows


class KeptFullmaktDownload(msgspec.Struct, kw_only=True):
    file_name: str
    content_type: str
    content: bytes


async def _case_to_follow(business_id: int) -> int | None:
    """The shop's newest case whose case data the plan has not yet destroyed: the kept fullmakt goes
    with that case's case data. None when there is no such case; it is then kept until the kommun
    decides otherwise (README, "Gallring enligt kommunens beslut")."""
    purged = RetentionPurge.select(RetentionPurge.application).where(
        RetentionPurge.kind == RecordKind.case_data.value
    )
    row = (
        await Application.select(Application.id)
        .where((Application.business == business_id) & Application.id.not_in(purged))
        .order_by(Application.id, ascending=False)
        .first()
        .run()
    )
    return None if row is None else int(row["id"])


async def keep(representative_ids: list[int], reason: KeptBecause) -> int:
    """Copy the fullmakt of each of these representatives (those that have one) before their rows or
    files go; the caller holds the transaction and then deletes or overwrites. How many were kept."""
    if not representative_ids:
        return 0
    rows = (
        await Representative.select(
            Representative.id,
            Representative.business,
            Representative.business.kommun,
            Representative.account,
            Representative.account.name,
            Representative.fullmakt,
            Representative.fullmakt_name,
            Representative.fullmakt_type,
            Representative.fullmakt_size,
            Representative.fullmakt_uploaded_at,
        )
        .where(Representative.id.is_in(representative_ids) & Representative.fullmakt.is_not_null())
        .run()
    )
    for row in rows:
        await FullmaktDocument.insert(
            FullmaktDocument(
                business=row["business"],
                kommun=row["business.kommun"],
                application=await _case_to_follow(row["business"]),
                account=row["account"],
                representative_id=row["id"],
                person_name=row["account.name"] or "",
                file_name=row["fullmakt_name"],
                content_type=row["fullmakt_type"],
                size=row["fullmakt_size"],
                content=bytes(row["fullmakt"]),
                uploaded_at=row["fullmakt_uploaded_at"],
                kept_at=now(),
                reason=reason.value,
            )
        ).run()
    return len(rows)


async def anonymise(account_id: int, label: str) -> None:
    """A closed account's name leaves his kept fullmakter; the documents stay (the caller's transaction)."""
    await (
        FullmaktDocument.update({FullmaktDocument.person_name: label})
        .where(FullmaktDocument.account == account_id)
        .run()
    )


async def delete_for_case(application_id: int) -> int:
    """Destroy the kept fullmakter that follow this case (the retention plan's case data line; the
    caller holds the transaction and logs the purge). How many went."""
    where = FullmaktDocument.application == application_id
    count = await FullmaktDocument.count().where(where).run()
    await FullmaktDocument.delete().where(where).run()
    return count


_VIEW_COLUMNS = (
    FullmaktDocument.id,
    FullmaktDocument.representative_id,
    FullmaktDocument.person_name,
    FullmaktDocument.file_name,
    FullmaktDocument.content_type,
    FullmaktDocument.size,
    FullmaktDocument.uploaded_at,
    FullmaktDocument.kept_at,
    FullmaktDocument.reason,
    FullmaktDocument.application,
)


async def list_for(actor: Actor, business_id: int) -> list[KeptFullmaktView]:
    """The kept fullmakter of one of the kommun's shops, oldest first; another kommun's shop is 404."""
    kommun_id = own_kommun(actor, Capability.check_representation)
    ours = await Business.exists().where((Business.id == business_id) & (Business.kommun == kommun_id)).run()
    if not ours:
        raise NotFound("business_not_found")
    rows = (
        await FullmaktDocument.select(*_VIEW_COLUMNS)
        .where((FullmaktDocument.business == business_id) & (FullmaktDocument.kommun == kommun_id))
        .order_by(FullmaktDocument.id)
        .run()
    )
    return [
        KeptFullmaktView(
            id=row["id"],
            representative_id=row["representative_id"],
            person_name=row["person_name"],
            file_name=row["file_name"],
            content_type=row["content_type"],
            size=row["size"],
            uploaded_at=row["uploaded_at"],
            kept_at=row["kept_at"],
            reason=row["reason"],
            application_id=row["application"],
        )
        for row in rows
    ]


async def kept_about(account_id: int) -> list[dict[str, Any]]:
    """The kept fullmakter of this person, for his export of his own data: which shop, which file,
    when uploaded and kept, and why. Not the file itself: it is the kommun's registered document, and
    the person has it already (he uploaded it)."""
    return (  # type: ignore[no-any-return]
        await FullmaktDocument.select(
            FullmaktDocument.business.as_alias("shop_id"),
            FullmaktDocument.business.name.as_alias("shop_name"),
            FullmaktDocument.person_name,
            FullmaktDocument.file_name,
            FullmaktDocument.content_type,
            FullmaktDocument.size,
            FullmaktDocument.uploaded_at,
            FullmaktDocument.kept_at,
            FullmaktDocument.reason,
        )
        .where(FullmaktDocument.account == account_id)
        .order_by(FullmaktDocument.id)
        .run()
    )


async def read(actor: Actor, document_id: int) -> KeptFullmaktDownload:
    """A kept fullmakt's file, for the shop's kommun; the read goes to the access log."""
    kommun_id = own_kommun(actor, Capability.check_representation)
    row = (
        await FullmaktDocument.select(
            FullmaktDocument.business,
            FullmaktDocument.representative_id,
            FullmaktDocument.file_name,
            FullmaktDocument.content_type,
            FullmaktDocument.content,
        )
        .where((FullmaktDocument.id == document_id) & (FullmaktDocument.kommun == kommun_id))
        .first()
        .run()
    )
    if row is None:
        raise NotFound("file_not_found")
    read_file = ReadFile(
        application_id=await representatives.newest_case_of(row["business"]),
        kommun_id=kommun_id,
        file_name=row["file_name"],
        business_id=row["business"],
        representative_id=row["representative_id"],
    )
    await access_log.record(actor, read_file, ReadKind.fullmakt)
    return KeptFullmaktDownload(
        file_name=row["file_name"], content_type=row["content_type"], content=bytes(row["content"])
    )
