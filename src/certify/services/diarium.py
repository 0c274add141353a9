"""The kommun's diarium: a diarienummer for each case it receives, and the kommun's settings for it.

Numbers are handed out inside the submit transaction, gap-free per kommun and calendar year
(Swedish time): the sequence row's update is serialised by PostgreSQL's row lock and by SQLite's
write lock, and the row is created race-free with INSERT … ON CONFLICT DO NOTHING, so the first
submissions of a year never collide. A failed submit rolls its number back with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from certify import database
from certify.domain.diarienummer import DEFAULT_FORMAT, compose, normalise_format, normalise_typed
from certify.domain.errors import Conflict, NotFound
from certify.domain.status import CaseState
from certify.services import events, policy, sequences
from certify.services.actor import Actor
from certify.services.clock import local_date
from certify.services.policy import Capability, application_scope
from certify.tables import Application, DiarienummerSequence, Kommun


@dataclass(frozen=True, slots=True)
class DiariumSettings:
    kommun_code: str
    kommun_name: str
    number_format: str
    typed: bool


async def hand_out(kommun_id: int, received_at: datetime) -> str | None:
    """The next number of the kommun for the year of `received_at` (caller's transaction), or None
    when the kommun types its numbers in from its own case system."""
    kommun = (
        await Kommun.select(Kommun.code, Kommun.diarienummer_format, Kommun.diarienummer_typed)
        .where(Kommun.id == kommun_id)
        .first()
        .run()
    )
    assert kommun is not None
    if kommun["diarienummer_typed"]:
        return None
    year = local_date(received_at).year
    sequence = await sequences.next_number(DiarienummerSequence, f"{kommun['code']}-{year}")
    return compose(kommun["diarienummer_format"], year, sequence)


async def register_typed(actor: Actor, application_id: int, raw: str) -> str:
    """The kommun types the number its own case system gave a received case (once)."""
    policy.require(actor, Capability.keep_diarium)
    number = normalise_typed(raw)
    async with database.transaction():
        case = (
            await Application.select(
                Application.id,
                Application.business,
                Application.kommun,
                Application.state,
                Application.diarienummer,
                Application.kommun.diarienummer_typed,
            )
            .where((Application.id == application_id) & application_scope(actor))
            .first()
            .run()
        )
        if case is None:
            raise NotFound("case_not_found")
        if not case["kommun.diarienummer_typed"] or case["state"] == CaseState.draft:
            raise Conflict("diarienummer_not_typed")
        if case["diarienummer"]:
            raise Conflict("diarienummer_already_set", diarienummer=case["diarienummer"])
        taken = (
            await Application.exists()
            .where((Application.kommun == case["kommun"]) & (Application.diarienummer == number))
            .run()
        )
        if taken:
            raise Conflict("diarienummer_taken", diarienummer=number)
        updated = (
            await Application.update({Application.diarienummer: number})
            .where((Application.id == application_id) & Application.diarienummer.is_null())
            .returning(Application.id)
            .run()
        )
        if not updated:
            raise Conflict("changed_concurrently")
        await events.record(
            "diarienummer_registered",
            actor=actor,
            application_id=application_id,
            business_id=case["business"],
            detail={"diarienummer": number},
        )
    return number


async def types_numbers(actor: Actor) -> bool:
    """Whether the kommun user's kommun types its numbers in from its own case system."""
    row = await Kommun.select(Kommun.diarienummer_typed).where(Kommun.id == actor.kommun_id).first().run()
    return bool(row and row["diarienummer_typed"])


async def _kommun(code: str) -> dict[str, Any]:
    row = (
        await Kommun.select(
            Kommun.id, Kommun.code, Kommun.name, Kommun.diarienummer_format, Kommun.diarienummer_typed
        )
        .where(Kommun.code == code)
        .first()
        .run()
    )
    if row is None:
        raise NotFound("kommun_code_unknown", kommun=code)
    return row


def _settings(row: dict[str, Any]) -> DiariumSettings:
    return DiariumSettings(
        kommun_code=str(row["code"]),
        kommun_name=str(row["name"]),
        number_format=str(row["diarienummer_format"] or DEFAULT_FORMAT),
        typed=bool(row["diarienummer_typed"]),
    )


async def own_settings(actor: Actor) -> DiariumSettings:
    """The kommun user's own kommun's diarium settings."""
    policy.own_kommun(actor, Capability.keep_diarium)
    row = await Kommun.select(Kommun.code).where(Kommun.id == actor.kommun_id).first().run()
    assert row is not None
    return await show(row["code"])


async def configure_own(actor: Actor, *, number_format: str, typed: bool) -> DiariumSettings:
    """The kommun user sets how the own kommun's cases get their numbers (from now on)."""
    settings = await own_settings(actor)
    return await configure(settings.kommun_code, number_format=number_format, typed=typed)


async def show(code: str) -> DiariumSettings:
    return _settings(await _kommun(code))


async def configure(
    code: str, *, number_format: str | None = None, typed: bool | None = None
) -> DiariumSettings:
    """Change the options given: the format of handed-out numbers, or typing numbers in instead."""
    changes: dict[Any, Any] = {}
    if number_format is not None:
        changes[Kommun.diarienummer_format] = normalise_format(number_format)
    if typed is not None:
        changes[Kommun.diarienummer_typed] = typed
    async with database.transaction():
        row = await _kommun(code)
        if changes:
            await Kommun.update(changes).where(Kommun.id == row["id"]).run()
    return await show(code)
