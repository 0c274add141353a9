"""How far each business of the kommun has come: not invited, invited, signed up, applied.

The kommun has promised to offer the certification to every business; this is the per-shop list
behind the coverage figures of the status report. Each shop is in exactly one stage, the furthest
it has reached, computed by the database with the same EXISTS probes as the report's coverage.
"""

from __future__ import annotations

import math
from datetime import datetime
from enum import StrEnum
from typing import Any

import msgspec

from certify.database import as_datetime
from certify.services import policy
from certify.services.actor import Actor
from certify.services.policy import Capability
from certify.tables import Business

PER_PAGE = 50


class Stage(StrEnum):
    not_invited = "not_invited"
    invited = "invited"
    signed_up = "signed_up"
    applied = "applied"


class OutreachShop(msgspec.Struct, kw_only=True):
    business_id: int
    name: str
    street_address: str
    city: str
    area: str
    email: str
    stage: Stage
    invited_at: datetime | None  # the latest invitation
    can_invite: bool  # no owner yet and an e-mail address to write to


class Outreach(msgspec.Struct, kw_only=True):
    stage: Stage | None
    area: str | None
    counts: dict[str, int]  # stage -> shops, for the whole kommun (or area)
    total: int  # shops matching the filter
    page: int
    pages: int
    shops: list[OutreachShop]


_STAGED = """
SELECT s.* FROM (
    SELECT b.id AS business_id, b.name AS name, b.street_address AS street_address, b.city AS city,
           b.area AS area, b.email AS email, b.owner AS owner,
           (SELECT MAX(i.created_at) FROM invitations i WHERE i.business = b.id) AS invited_at,
           CASE
               WHEN EXISTS (SELECT 1 FROM applications a
                            WHERE a.business = b.id AND a.submitted_at IS NOT NULL) THEN 'applied'
               WHEN b.owner IS NOT NULL THEN 'signed_up'
               WHEN EXISTS (SELECT 1 FROM invitations i WHERE i.business = b.id) THEN 'invited'
               ELSE 'not_invited'
           END AS stage
    FROM businesses b
    WHERE b.kommun = {} <area>
) s
"""


def _query(sql: str, area: str | None) -> str:
    return sql.replace("<staged>", _STAGED).replace("<area>", "AND b.area = {}" if area is not None else "")


async def overview(
    actor: Actor, *, stage: Stage | None = None, area: str | None = None, page: int = 1
) -> Outreach:
    """One page of the kommun's shops with their stage, and how many shops are in each stage."""
    policy.own_kommun(actor, Capability.see_outreach)
    scope: list[Any] = [actor.kommun_id] + ([area] if area is not None else [])
    grouped = await Business.raw(
        _query("SELECT s.stage AS stage, COUNT(*) AS n FROM (<staged>) s GROUP BY s.stage", area), *scope
    ).run()
    counts = {s.value: 0 for s in Stage}
    counts.update({r["stage"]: int(r["n"]) for r in grouped})
    total = counts[stage.value] if stage is not None else sum(counts.values())
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(max(1, page), pages)
    stage_filter = "WHERE s.stage = {}" if stage is not None else ""
    rows = await Business.raw(
        _query(f"<staged> {stage_filter} ORDER BY s.name, s.business_id LIMIT {{}} OFFSET {{}}", area),
        *scope,
        *([stage.value] if stage is not None else []),
        PER_PAGE,
        (page - 1) * PER_PAGE,
    ).run()
    return Outreach(
        stage=stage,
        area=area,
        counts=counts,
        total=total,
        page=page,
        pages=pages,
        shops=[_shop(r) for r in rows],
    )


def _shop(row: dict[str, Any]) -> OutreachShop:
    return OutreachShop(
        business_id=row["business_id"],
        name=row["name"],
        street_address=row["street_address"],
        city=row["city"],
        area=row["area"] or "",
        email=row["email"] or "",
        stage=Stage(row["stage"]),
        invited_at=None if row["invited_at"] is None else as_datetime(row["invited_at"]),
        can_invite=row["owner"] is None and bool(row["email"]),
    )
