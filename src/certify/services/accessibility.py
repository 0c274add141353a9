"""The accessibility statement: the kommun's own, or the installation's for a kommun that has not
written one; which statement an anonymous visitor sees; the kommun's edits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from certify import database
from certify.domain.accessibility import INSTALLATION_REVIEWED_ON, Compliance, check_statement
from certify.domain.errors import NotFound
from certify.services import policy
from certify.services.actor import Actor
from certify.services.clock import now, today
from certify.services.policy import Capability
from certify.tables import AccessibilityStatement, Kommun


@dataclass(frozen=True, slots=True)
class Statement:
    kommun_code: str
    kommun_name: str
    compliance: Compliance
    shortcomings: str  # the kommun's own, beside the service's known ones ("" none)
    contact: str  # the statement's contact, else the kommun's contact line
    reviewed_on: date
    own: bool  # False: the kommun has not written its own; the installation's applies


@dataclass(frozen=True, slots=True)
class KommunLink:
    code: str
    name: str


async def _statement(kommun: dict[str, object]) -> Statement:
    row = (
        await AccessibilityStatement.select(
            AccessibilityStatement.compliance,
            AccessibilityStatement.shortcomings,
            AccessibilityStatement.contact,
            AccessibilityStatement.reviewed_on,
        )
        .where(AccessibilityStatement.kommun == kommun["id"])
        .first()
        .run()
    )
    contact_line = str(kommun["contact_line"])
    return Statement(
        kommun_code=str(kommun["code"]),
        kommun_name=str(kommun["name"]),
        compliance=Compliance(row["compliance"]) if row else Compliance.partial,
        shortcomings=row["shortcomings"] if row else "",
        contact=(row["contact"] if row else "") or contact_line,
        reviewed_on=row["reviewed_on"] if row else INSTALLATION_REVIEWED_ON,
        own=row is not None,
    )


_KOMMUN_COLUMNS = (Kommun.id, Kommun.code, Kommun.name, Kommun.contact_line)


async def for_kommun(code: str) -> Statement:
    kommun = await Kommun.select(*_KOMMUN_COLUMNS).where(Kommun.code == code).first().run()
    if kommun is None:
        raise NotFound("kommun_code_unknown", kommun=code)
    return await _statement(kommun)


async def for_visitor(actor: Actor | None) -> Statement | list[KommunLink]:
    """A staff member's own kommun's statement, the one kommun's when the installation serves one,
    otherwise the list of kommuner to choose from (an owner's shops may lie in several)."""
    if actor is not None and actor.kommun_id is not None:
        own = await Kommun.select(*_KOMMUN_COLUMNS).where(Kommun.id == actor.kommun_id).first().run()
        if own is not None:
            return await _statement(own)
    rows = await Kommun.select(*_KOMMUN_COLUMNS).order_by(Kommun.name).run()
    if len(rows) == 1:
        return await _statement(rows[0])
    return [KommunLink(code=r["code"], name=r["name"]) for r in rows]


async def own(actor: Actor) -> Statement:
    """The statement the kommun user edits: the kommun's own (or the installation's to start from)."""
    policy.own_kommun(actor, Capability.edit_accessibility_statement)
    kommun = await Kommun.select(*_KOMMUN_COLUMNS).where(Kommun.id == actor.kommun_id).first().run()
    assert kommun is not None
    return await _statement(kommun)


async def save(
    actor: Actor, *, compliance: str, shortcomings: str, contact: str, reviewed_on: date | None
) -> Statement:
    policy.own_kommun(actor, Capability.edit_accessibility_statement)
    checked = check_statement(compliance, shortcomings.strip(), contact.strip(), reviewed_on, today())
    values: dict[Any, Any] = {
        AccessibilityStatement.compliance: checked.value,
        AccessibilityStatement.shortcomings: shortcomings.strip(),
        AccessibilityStatement.contact: contact.strip(),
        AccessibilityStatement.reviewed_on: reviewed_on,
        AccessibilityStatement.updated_at: now(),
    }
    async with database.transaction():
        updated = (
            await AccessibilityStatement.update(values)
            .where(AccessibilityStatement.kommun == actor.kommun_id)
            .returning(AccessibilityStatement.id)
            .run()
        )
        if not updated:
            await AccessibilityStatement.insert(
                AccessibilityStatement(
                    kommun=actor.kommun_id,
                    compliance=checked.value,
                    shortcomings=shortcomings.strip(),
                    contact=contact.strip(),
                    reviewed_on=reviewed_on,
                )
            ).run()
    return await own(actor)
