"""The checklist as stored: the current version and its 13 points."""

from __future__ import annotations

from certify.domain.errors import NotFound
from certify.services.views import ChecklistPointView, ChecklistView
from certify.tables import ChecklistPoint, ChecklistVersion


async def current() -> ChecklistView:
    version = (
        await ChecklistVersion.select()
        .where(
            ChecklistVersion.current == True  # noqa: E712 - Piccolo builds SQL from ==
        )
        .first()
        .run()
    )
    if version is None:
        raise NotFound("Ingen checklista är publicerad.")
    return await by_id(version["id"], version["version"], version["title"])


async def by_id(version_id: int, version: str, title: str) -> ChecklistView:
    points = (
        await ChecklistPoint.select()
        .where(ChecklistPoint.checklist_version == version_id)
        .order_by(ChecklistPoint.number)
        .output(load_json=True)
        .run()
    )
    return ChecklistView(
        version=version,
        title=title,
        points=[
            ChecklistPointView(
                number=p["number"],
                title_sv=p["title_sv"],
                title_en=p["title_en"],
                criteria=list(p["criteria"]),
                guidance=p["guidance"],
                cash_related=p["cash_related"],
            )
            for p in points
        ],
    )
