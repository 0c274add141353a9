"""The checklist as stored (in Swedish): the version in force, any version by its name, and the
version a case started on; for the API in the reader's language."""

from __future__ import annotations

from typing import Any

import msgspec

from certify.domain.checklist import criteria_from_data
from certify.domain.errors import InvalidField, NotFound
from certify.services.views import ChecklistPointView, ChecklistView, CriterionView
from certify.tables import ChecklistPoint, ChecklistVersion
from certify.text.catalogue import _


async def current() -> ChecklistView:
    """The version new cases start on."""
    return await _load(
        ChecklistVersion.current == True  # noqa: E712 - Piccolo builds SQL from ==
    )


async def by_version(version: str) -> ChecklistView:
    """Any published version by its name (`2026.1`, or a kommun's `2026.2-3.1`): for a case's own
    pages, whose reader already may see the case."""
    return await _load(ChecklistVersion.version == version)


async def national(version: str) -> ChecklistView:
    """A national version by its name; a kommun's own version is not public (404)."""
    return await _load((ChecklistVersion.version == version) & ChecklistVersion.kommun.is_null())


async def by_id(version_id: int) -> ChecklistView:
    """The version a case started on (its applications.checklist_version)."""
    return await _load(ChecklistVersion.id == version_id)


async def _load(where: Any) -> ChecklistView:
    version = await ChecklistVersion.select().where(where).first().run()
    if version is None:
        raise NotFound("checklist_not_published")
    points = (
        await ChecklistPoint.select()
        .where(ChecklistPoint.checklist_version == version["id"])
        .order_by(ChecklistPoint.number)
        .output(load_json=True)
        .run()
    )
    return ChecklistView(
        version=version["version"],
        title=version["title"],
        title_sv=version["title"],
        points=[
            ChecklistPointView(
                number=p["number"],
                title=p["title_sv"],
                title_sv=p["title_sv"],
                title_en=p["title_en"],
                criteria=[
                    CriterionView(id=c.id, kind=c.kind.value, text=c.text, text_sv=c.text)
                    for c in criteria_from_data(p["number"], p["criteria"])
                ],
                guidance=p["guidance"],
                guidance_sv=p["guidance"],
                cash_related=p["cash_related"],
                local=p["local"],
            )
            for p in points
        ],
    )


def in_reader_language(checklist: ChecklistView) -> ChecklistView:
    """The checklist with titles, criteria and guidance in the language of the moment: the stored
    Swedish texts are the catalogue's message ids (text/extraction.py extracts them from the
    checklist files); the `_sv` fields keep the official Swedish. A kommun's own point stays in
    the kommun's words."""
    return msgspec.structs.replace(
        checklist,
        title=_(checklist.title_sv),
        points=[p if p.local else _translated(p) for p in checklist.points],
    )


def _translated(point: ChecklistPointView) -> ChecklistPointView:
    return msgspec.structs.replace(
        point,
        title=_(point.title_sv),
        criteria=[msgspec.structs.replace(c, text=_(c.text_sv)) for c in point.criteria],
        guidance=_(point.guidance_sv),
    )


async def case_points(checklist_version_id: int) -> tuple[int, ...]:
    """The point numbers of a case's checklist version: the 13, and a kommun's own after them."""
    rows = (
        await ChecklistPoint.select(ChecklistPoint.number)
        .where(ChecklistPoint.checklist_version == checklist_version_id)
        .order_by(ChecklistPoint.number)
        .run()
    )
    return tuple(r["number"] for r in rows)


async def version_points(version: str) -> tuple[int, ...]:
    """The point numbers of a version by its name (what a case's view carries)."""
    rows = (
        await ChecklistPoint.select(ChecklistPoint.number)
        .where(ChecklistPoint.checklist_version.version == version)
        .order_by(ChecklistPoint.number)
        .run()
    )
    return tuple(r["number"] for r in rows)


async def check_point(checklist_version_id: int, point: int) -> None:
    """A point the case's own checklist version has (400 naming the field otherwise)."""
    points = await case_points(checklist_version_id)
    if point not in points:
        raise InvalidField("point", "point_number_invalid", count=len(points))
