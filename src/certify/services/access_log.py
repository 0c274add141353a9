"""The access log of evidence and fullmakter: who read which file of which case, and when.

Evidence may show people and premises, and a fullmakt names the people who act for a company, so
every read is recorded; but a read is not something that happened to the case, so it is kept here,
apart from the case's events (the story people read). The kommun reads the log of its own cases
and shops.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import msgspec

from certify.services import policy
from certify.services.actor import Actor
from certify.services.clock import now
from certify.services.policy import Capability
from certify.tables import Business, EvidenceRead

PAGE_SIZE = 50
LEGACY_READ_ACTION = "evidence_read"
"""Reads were once case events of this action; the migration copied them here, the story skips them."""


class ReadKind(StrEnum):
    file = "file"
    thumbnail = "thumbnail"
    fullmakt = "fullmakt"  # a representative's fullmakt (services/representation.py)
    change_file = "change_file"  # a file sent with a reported material change (its id as evidence_id)


@dataclass(frozen=True, slots=True)
class ReadFile:
    """The file that was read, as the log names it: a piece of evidence (its id and point), or a
    fullmakt (its shop and representative; the case is the shop's newest, None when it has none)."""

    application_id: int | None
    kommun_id: int
    file_name: str
    evidence_id: int = 0
    point: int = 0
    business_id: int | None = None
    representative_id: int | None = None


class EvidenceReadView(msgspec.Struct, kw_only=True):
    at: datetime
    reader: str
    application_id: int | None  # None: a fullmakt read while the shop had no case
    shop_name: str
    evidence_id: int  # 0 for a fullmakt
    point: int  # 0 for a fullmakt
    file_name: str
    kind: str  # file, thumbnail, fullmakt, change_file
    representative_id: int | None = None  # whose fullmakt


class AccessLogPage(msgspec.Struct, kw_only=True):
    reads: list[EvidenceReadView]
    total: int
    page: int
    pages: int


async def record(actor: Actor, read: ReadFile, kind: ReadKind) -> None:
    await EvidenceRead.insert(
        EvidenceRead(
            application=read.application_id,
            kommun=read.kommun_id,
            evidence_id=read.evidence_id,
            point=read.point,
            file_name=read.file_name,
            kind=kind.value,
            business_id=read.business_id,
            representative_id=read.representative_id,
            actor=actor.id,
            actor_label=actor.label,
            at=now(),
        )
    ).run()


async def list_for(actor: Actor, *, application_id: int | None = None, page: int = 1) -> AccessLogPage:
    """The kommun's own log, newest first, optionally of one case; PAGE_SIZE rows a page."""
    policy.require(actor, Capability.read_access_log)
    where = EvidenceRead.kommun == actor.kommun_id
    if application_id is not None:
        where = where & (EvidenceRead.application == application_id)
    total = await EvidenceRead.count().where(where).run()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = (
        await EvidenceRead.select(
            EvidenceRead.at,
            EvidenceRead.actor_label,
            EvidenceRead.application,
            EvidenceRead.application.business.name,
            EvidenceRead.evidence_id,
            EvidenceRead.point,
            EvidenceRead.file_name,
            EvidenceRead.kind,
            EvidenceRead.business_id,
            EvidenceRead.representative_id,
        )
        .where(where)
        .order_by(EvidenceRead.id, ascending=False)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
        .run()
    )
    without_case = {r["business_id"] for r in rows if r["application"] is None and r["business_id"]}
    names = (
        {
            b["id"]: b["name"]
            for b in await Business.select(Business.id, Business.name)
            .where(Business.id.is_in(list(without_case)))
            .run()
        }
        if without_case
        else {}
    )
    return AccessLogPage(
        reads=[
            EvidenceReadView(
                at=r["at"],
                reader=r["actor_label"],
                application_id=r["application"],
                shop_name=r["application.business.name"] or names.get(r["business_id"], ""),
                evidence_id=r["evidence_id"],
                point=r["point"],
                file_name=r["file_name"],
                kind=r["kind"],
                representative_id=r["representative_id"],
            )
            for r in rows
        ],
        total=total,
        page=page,
        pages=pages,
    )
