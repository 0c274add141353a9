"""Which points of a case may be "not applicable" (rules.not_applicable_refusal decides), and the
kommun's own setting: the points for which it has switched "not applicable" off."""

from __future__ import annotations

from collections.abc import Iterable

from certify import database
from certify.domain.checklist import POINT_COUNT
from certify.domain.errors import InvalidField
from certify.domain.rules import NotApplicableFacts, may_be_not_applicable
from certify.services import events, policy
from certify.services.actor import Actor
from certify.services.policy import Capability
from certify.tables import Application, ChecklistPoint, Kommun


async def switched_off(kommun_id: int) -> frozenset[int]:
    """The points for which the kommun has switched "not applicable" off."""
    row = (
        await Kommun.select(Kommun.not_applicable_off)
        .where(Kommun.id == kommun_id)
        .output(load_json=True)
        .first()
        .run()
    )
    return frozenset(row["not_applicable_off"] or []) if row else frozenset()


async def facts(*, checklist_version: int, kommun: int, cash_free: bool) -> NotApplicableFacts:
    """For a case: the version it is judged on, its kommun and whether its shop handles cash."""
    marked = (
        await ChecklistPoint.select(ChecklistPoint.number)
        .where(
            (ChecklistPoint.checklist_version == checklist_version) & (ChecklistPoint.cash_related == True)  # noqa: E712 - Piccolo builds SQL from ==
        )
        .run()
    )
    return NotApplicableFacts(
        cash_free=cash_free,
        cash_related=frozenset(r["number"] for r in marked),
        switched_off=await switched_off(kommun),
    )


async def allowed_points(application_id: int) -> frozenset[int]:
    """The points of a case the pages offer "not applicable" for (the caller has checked access)."""
    case = (
        await Application.select(
            Application.checklist_version, Application.kommun, Application.business.cash_free
        )
        .where(Application.id == application_id)
        .first()
        .run()
    )
    if case is None:
        return frozenset()
    known = await facts(
        checklist_version=case["checklist_version"],
        kommun=case["kommun"],
        cash_free=bool(case["business.cash_free"]),
    )
    return frozenset(p for p in known.cash_related if may_be_not_applicable(p, known))


def _kommun(actor: Actor) -> int:
    return policy.own_kommun(actor, Capability.edit_checklist)


async def settings(actor: Actor) -> list[int]:
    """The kommun user's own kommun's switched-off points, in order."""
    return sorted(await switched_off(_kommun(actor)))


async def switch_off(actor: Actor, points: Iterable[int]) -> list[int]:
    """Replace the kommun's switched-off points (the national points 1–13; 400 naming `points`)."""
    kommun_id = _kommun(actor)
    chosen = sorted(set(points))
    if any(not 1 <= p <= POINT_COUNT for p in chosen):
        raise InvalidField("points", "point_number_invalid", count=POINT_COUNT)
    async with database.transaction():
        await Kommun.update({Kommun.not_applicable_off: chosen}).where(Kommun.id == kommun_id).run()
        await events.record("not_applicable_switched_off", actor=actor, detail={"points": chosen})
    return chosen
