"""The checklist as stored (in Swedish): the current version and its 13 points; for the API in the
reader's language."""

from __future__ import annotations

import msgspec

from certify.domain.errors import NotFound
from certify.services.views import ChecklistPointView, ChecklistView
from certify.tables import ChecklistPoint, ChecklistVersion
from certify.text.catalogue import _


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
        raise NotFound("checklist_not_published")
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
        title_sv=title,
        points=[
            ChecklistPointView(
                number=p["number"],
                title=p["title_sv"],
                title_sv=p["title_sv"],
                title_en=p["title_en"],
                criteria=list(p["criteria"]),
                criteria_sv=list(p["criteria"]),
                guidance=p["guidance"],
                guidance_sv=p["guidance"],
                cash_related=p["cash_related"],
            )
            for p in points
        ],
    )


def in_reader_language(checklist: ChecklistView) -> ChecklistView:
    """The checklist with `title`, `criteria` and `guidance` in the language of the moment: the
    stored Swedish texts are the catalogue's message ids (text/extraction.py extracts them from the
    checklist files); the `_sv` fields keep the official Swedish."""
    return msgspec.structs.replace(
        checklist,
        title=_(checklist.title_sv),
        points=[
            msgspec.structs.replace(
                p, title=_(p.title_sv), criteria=[_(c) for c in p.criteria_sv], guidance=_(p.guidance_sv)
            )
            for p in checklist.points
        ],
    )
