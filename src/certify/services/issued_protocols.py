"""The inspection protocol as issued: stored when a decision sends it out, then handed out as those
bytes by the downloads and the archive package.

A decision that sends the protocol to the shop (the workflow effects in services/cases.py: the
inspector's require_corrections and approve, a rejection) draws the round's protocol inside the
decision's transaction, where the case read already sees the new state, the deadline and the
certificate just issued, and stores it: the Swedish original, and the copy in the language the
shop's owner chose when that is another. A later change of the shop's name, of the checklist's words
or of a translation never alters a protocol that went out.

A round still under way has no stored protocol and is drawn live from its verdicts; so is a round
decided before protocols were stored (the upgrade of 2026-12-14, migration protocols): drawn from
the case's records when asked for, and in the archive package marked as drawn at export.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import datetime

from certify import database
from certify.pdf.protocol import render_protocol
from certify.pdf.protocol_words import protocol_data
from certify.services import protocols
from certify.services.actor import Actor
from certify.services.clock import local_date
from certify.services.views import ApplicationView
from certify.tables import Protocol
from certify.text import catalogue
from certify.text.languages import DEFAULT


@dataclass(frozen=True, slots=True)
class IssuedProtocol:
    round: int
    action: str  # the workflow action that sent it out
    language: str
    pdf: bytes
    sha256: str
    issued_at: datetime


async def issue(reader: Actor, case: ApplicationView, action: str, at: datetime) -> list[IssuedProtocol]:
    """Draw and store the current round's protocol as `action` sends it out at `at`, the decision's
    moment (caller's transaction: it commits with the decision or not at all). `case` is read after
    the decision's writes."""
    found = await protocols.facts(reader, case, None)
    issued_at = at
    issued = []
    for code in dict.fromkeys((DEFAULT, found.owner_language)):
        with catalogue.use(code):  # asyncio.to_thread carries the language into the thread
            data = protocol_data(found, local_date(issued_at))
            pdf = await asyncio.to_thread(render_protocol, data)
        made = IssuedProtocol(found.round, action, code, pdf, hashlib.sha256(pdf).hexdigest(), issued_at)
        await Protocol.insert(
            Protocol(
                application=case.id,
                round=made.round,
                action=made.action,
                language=made.language,
                pdf=made.pdf,
                sha256=made.sha256,
                issued_at=made.issued_at,
            )
        ).run()
        issued.append(made)
    return issued


async def _stored(application_id: int, round_: int | None = None) -> list[IssuedProtocol]:
    query = Protocol.select(
        Protocol.round, Protocol.action, Protocol.language, Protocol.pdf, Protocol.sha256, Protocol.issued_at
    ).where(Protocol.application == application_id)
    if round_ is not None:
        query = query.where(Protocol.round == round_)
    return [
        IssuedProtocol(
            round=row["round"],
            action=row["action"],
            language=row["language"],
            pdf=bytes(row["pdf"]),
            sha256=row["sha256"],
            issued_at=database.as_datetime(row["issued_at"]),
        )
        for row in await query.order_by(Protocol.id).run()
    ]


async def stored(application_id: int, round_: int, *, original: bool) -> IssuedProtocol | None:
    """The round's protocol as it last went out (a rejection after required corrections sends the
    round's protocol again): the Swedish original, or the copy the owner got; None when the round
    was never decided since protocols are stored. The caller has checked the case's scope."""
    found = await _stored(application_id, round_)
    if not found:
        return None
    last = [p for p in found if p.action == found[-1].action]
    swedish = next(p for p in last if p.language == DEFAULT)
    if original:
        return swedish
    return next((p for p in last if p.language != DEFAULT), swedish)


async def originals(application_id: int) -> list[IssuedProtocol]:
    """Every protocol the case sent out, the Swedish original of each, in the order issued."""
    return [p for p in await _stored(application_id) if p.language == DEFAULT]
