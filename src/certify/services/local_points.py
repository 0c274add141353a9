"""The kommun's own points: a draft the kommun's staff add to, edit and retire, and its publishing
as the kommun's next checklist version from a date. A published version is a copy (the national
13 and the active local points numbered after them); later edits of the draft never change it.
Every read and write is the caller's own kommun's: another kommun's point is 404."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from certify import database
from certify.domain.checklist import LocalCriterion, criteria_as_data, local_criteria
from certify.domain.errors import Conflict, InvalidField, NotFound, RuleNotMet
from certify.services import events, policy
from certify.services.actor import Actor
from certify.services.clock import now, today
from certify.services.policy import Capability
from certify.services.views import KommunChecklistVersionView, LocalCriterionView, LocalPointView
from certify.tables import ChecklistPoint, ChecklistVersion, LocalPoint

TITLE_LONGEST = 200
TEXT_LONGEST = 2000
COPIED = ("number", "title_sv", "title_en", "criteria", "guidance", "cash_related")  # a national point


def _kommun(actor: Actor) -> int:
    return policy.own_kommun(actor, Capability.edit_checklist)


def _view(row: dict[str, Any]) -> LocalPointView:
    return LocalPointView(
        id=row["id"],
        title=row["title"],
        criteria=[LocalCriterionView(kind=c["kind"], text=c["text"]) for c in row["criteria"]],
        guidance=row["guidance"],
        retired=row["retired"],
    )


async def draft(actor: Actor) -> list[LocalPointView]:
    """The kommun's local points as drafted, retired ones last; in the order they were added."""
    rows = (
        await LocalPoint.select()
        .where(LocalPoint.kommun == _kommun(actor))
        .order_by(LocalPoint.id)
        .output(load_json=True)
        .run()
    )
    views = [_view(r) for r in rows]
    return [v for v in views if not v.retired] + [v for v in views if v.retired]


def _checked(title: str, criteria: Sequence[LocalCriterion], guidance: str) -> dict[str, Any]:
    """The fields as stored, or 400 naming the first wrong one."""
    title = title.strip()
    if not title:
        raise InvalidField("title", "field_empty")
    if len(title) > TITLE_LONGEST:
        raise InvalidField("title", "text_too_long", longest=TITLE_LONGEST)
    kept = [LocalCriterion(kind=c.kind, text=c.text.strip()) for c in criteria if c.text.strip()]
    if not kept:
        raise InvalidField("criteria", "local_point_without_criteria")
    if any(len(c.text) > TEXT_LONGEST for c in kept) or len(guidance) > TEXT_LONGEST:
        raise InvalidField("criteria", "text_too_long", longest=TEXT_LONGEST)
    return {
        "title": title,
        "criteria": [{"kind": c.kind.value, "text": c.text} for c in kept],
        "guidance": guidance.strip(),
    }


async def add(actor: Actor, title: str, criteria: Sequence[LocalCriterion], guidance: str) -> LocalPointView:
    kommun_id = _kommun(actor)
    fields = _checked(title, criteria, guidance)
    async with database.transaction():
        rows = await LocalPoint.insert(LocalPoint(kommun=kommun_id, **fields)).returning(LocalPoint.id).run()
        await events.record("local_point_added", actor=actor, detail={"local_point": rows[0]["id"]})
    return _view({**fields, "id": rows[0]["id"], "retired": False})


async def _own(actor: Actor, point_id: int) -> dict[str, Any]:
    row = (
        await LocalPoint.select()
        .where((LocalPoint.id == point_id) & (LocalPoint.kommun == _kommun(actor)))
        .output(load_json=True)
        .first()
        .run()
    )
    if row is None:
        raise NotFound("local_point_not_found")
    return row


async def edit(
    actor: Actor, point_id: int, title: str, criteria: Sequence[LocalCriterion], guidance: str
) -> LocalPointView:
    fields = _checked(title, criteria, guidance)
    async with database.transaction():
        row = await _own(actor, point_id)
        if row["retired"]:
            raise Conflict("local_point_retired")
        await (
            LocalPoint.update(
                {
                    LocalPoint.title: fields["title"],
                    LocalPoint.criteria: fields["criteria"],
                    LocalPoint.guidance: fields["guidance"],
                    LocalPoint.updated_at: now(),
                }
            )
            .where(LocalPoint.id == point_id)
            .run()
        )
        await events.record("local_point_edited", actor=actor, detail={"local_point": point_id})
    return _view({**row, **fields})


async def retire(actor: Actor, point_id: int) -> LocalPointView:
    """Left out of the next published version; versions already published keep it."""
    async with database.transaction():
        row = await _own(actor, point_id)
        if not row["retired"]:
            await (
                LocalPoint.update({LocalPoint.retired: True, LocalPoint.updated_at: now()})
                .where(LocalPoint.id == point_id)
                .run()
            )
            await events.record("local_point_retired", actor=actor, detail={"local_point": point_id})
    return _view({**row, "retired": True})


async def publish(actor: Actor, valid_from: date) -> KommunChecklistVersionView:
    """The national version in force with the kommun's active local points after its 13, as the
    kommun's next version for its cases started on or after `valid_from` (today or later)."""
    kommun_id = _kommun(actor)
    if valid_from < today():
        raise RuleNotMet("publish_date_in_past", extra={"field": "valid_from"})
    async with database.transaction():
        national = (
            await ChecklistVersion.select()
            .where(ChecklistVersion.current == True)  # noqa: E712 - Piccolo builds SQL from ==
            .first()
            .run()
        )
        assert national is not None, "the checklist migration has not run"
        base = (
            await ChecklistPoint.select()
            .where(ChecklistPoint.checklist_version == national["id"])
            .order_by(ChecklistPoint.number)
            .output(load_json=True)
            .run()
        )
        drafted = (
            await LocalPoint.select()
            .where((LocalPoint.kommun == kommun_id) & (LocalPoint.retired == False))  # noqa: E712
            .order_by(LocalPoint.id)
            .output(load_json=True)
            .run()
        )
        published = await ChecklistVersion.count().where(ChecklistVersion.kommun == kommun_id).run()
        name = f"{national['version']}-{kommun_id}.{published + 1}"
        try:
            rows = (
                await ChecklistVersion.insert(
                    ChecklistVersion(
                        version=name,
                        title=national["title"],
                        current=False,
                        kommun=kommun_id,
                        valid_from=valid_from,
                    )
                )
                .returning(ChecklistVersion.id)
                .run()
            )
        except database.INTEGRITY_ERRORS as exc:
            if database.is_unique_violation(exc):
                raise Conflict("changed_concurrently") from exc
            raise
        version_id = rows[0]["id"]
        copies = [
            ChecklistPoint(
                checklist_version=version_id,
                **{k: p[k] for k in COPIED},
            )
            for p in base
        ]
        first = len(base) + 1
        for number, local in enumerate(drafted, start=first):
            criteria = local_criteria(number, [LocalCriterion.from_data(c) for c in local["criteria"]])
            copies.append(
                ChecklistPoint(
                    checklist_version=version_id,
                    number=number,
                    title_sv=local["title"],
                    title_en=local["title"],
                    criteria=criteria_as_data(criteria),
                    guidance=local["guidance"],
                    cash_related=False,
                    local=True,
                )
            )
        await ChecklistPoint.insert(*copies).run()
        await events.record(
            "checklist_published",
            actor=actor,
            detail={"version": name, "valid_from": valid_from.isoformat(), "local_points": len(drafted)},
        )
    return KommunChecklistVersionView(version=name, valid_from=valid_from, local_points=len(drafted))


async def published(actor: Actor) -> list[KommunChecklistVersionView]:
    """The kommun's published versions, newest first."""
    kommun_id = _kommun(actor)
    rows = (
        await ChecklistVersion.select(
            ChecklistVersion.id, ChecklistVersion.version, ChecklistVersion.valid_from
        )
        .where(ChecklistVersion.kommun == kommun_id)
        .order_by(ChecklistVersion.id, ascending=False)
        .run()
    )
    counts = {
        r["checklist_version"]: r["count"]
        for r in await ChecklistPoint.raw(
            "SELECT checklist_version, COUNT(*) AS count FROM checklist_points "
            "WHERE local = {} GROUP BY checklist_version",
            True,
        ).run()
    }
    return [
        KommunChecklistVersionView(
            version=r["version"], valid_from=r["valid_from"], local_points=counts.get(r["id"], 0)
        )
        for r in rows
    ]


async def in_force_for(kommun_id: int, on: date) -> int:
    """The checklist version a case of this kommun started on `on` takes: the kommun's latest
    version valid from that day, else the national version in force."""
    own = (
        await ChecklistVersion.select(ChecklistVersion.id)
        .where((ChecklistVersion.kommun == kommun_id) & (ChecklistVersion.valid_from <= on))
        .order_by(ChecklistVersion.valid_from, ascending=False)
        .order_by(ChecklistVersion.id, ascending=False)
        .first()
        .run()
    )
    if own is not None:
        return int(own["id"])
    national = (
        await ChecklistVersion.select(ChecklistVersion.id)
        .where(ChecklistVersion.current == True)  # noqa: E712 - Piccolo builds SQL from ==
        .first()
        .run()
    )
    assert national is not None, "the checklist migration has not run"
    return int(national["id"])
