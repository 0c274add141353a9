"""The kommun's own points: its draft and its published versions (kommun only, its own kommun)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post, put
from litestar.params import JSONBody

from certify.domain.checklist import LocalCriterion
from certify.services import local_points, not_applicable
from certify.services.actor import Actor
from certify.services.views import KommunChecklistVersionView, LocalPointView, NotApplicableOffView
from certify.web.api.schemas import LocalPointBody, NotApplicableOffBody, PathId, PublishBody
from certify.web.guards import KOMMUN


def _criteria(body: LocalPointBody) -> list[LocalCriterion]:
    return [LocalCriterion(kind=c.kind, text=c.text) for c in body.criteria]


class LocalPointsController(Controller):
    path = "/api/kommun/checklist"
    tags = ["kommun checklist"]
    opt = KOMMUN

    @get("/local-points", summary="The kommun's own points as drafted, retired ones last (kommun only)")
    async def list_points(self, request: Request[Actor, Any, Any]) -> list[LocalPointView]:
        return await local_points.draft(request.user)

    @post(
        "/local-points",
        summary="Add a local point to the draft (kommun only)",
        description="Title, criteria (kind: required, conditional or recommended) and guidance, in the "
        "kommun's own words: they are shown as written in every language.",
    )
    async def add_point(
        self, request: Request[Actor, Any, Any], data: JSONBody[LocalPointBody]
    ) -> LocalPointView:
        return await local_points.add(request.user, data.title, _criteria(data), data.guidance)

    @put("/local-points/{point_id:int}", summary="Edit a drafted local point (kommun only)")
    async def edit_point(
        self, request: Request[Actor, Any, Any], point_id: PathId, data: JSONBody[LocalPointBody]
    ) -> LocalPointView:
        return await local_points.edit(request.user, point_id, data.title, _criteria(data), data.guidance)

    @post(
        "/local-points/{point_id:int}/retire",
        status_code=200,
        summary="Retire a local point: left out of the next published version (kommun only)",
    )
    async def retire_point(self, request: Request[Actor, Any, Any], point_id: PathId) -> LocalPointView:
        return await local_points.retire(request.user, point_id)

    @get("/versions", summary="The kommun's published versions, newest first (kommun only)")
    async def list_versions(self, request: Request[Actor, Any, Any]) -> list[KommunChecklistVersionView]:
        return await local_points.published(request.user)

    @post(
        "/versions",
        summary="Publish the draft as the kommun's next checklist version (kommun only)",
        description="The national points and the active local points numbered after them, for the "
        "kommun's cases started on or after `valid_from` (today or later). A published version never "
        "changes.",
    )
    async def publish(
        self, request: Request[Actor, Any, Any], data: JSONBody[PublishBody]
    ) -> KommunChecklistVersionView:
        return await local_points.publish(request.user, data.valid_from)

    @get("/not-applicable-off", summary='The points "not applicable" is switched off for (kommun only)')
    async def not_applicable_off(self, request: Request[Actor, Any, Any]) -> NotApplicableOffView:
        return NotApplicableOffView(points=await not_applicable.settings(request.user))

    @put(
        "/not-applicable-off",
        summary='Switch "not applicable" off for points of the checklist (kommun only)',
        description="The full list of point numbers (1–13) for which neither the owner's answer nor "
        "the inspector's verdict may be \"not applicable\" in the kommun's cases; [] switches none off.",
    )
    async def switch_not_applicable_off(
        self, request: Request[Actor, Any, Any], data: JSONBody[NotApplicableOffBody]
    ) -> NotApplicableOffView:
        return NotApplicableOffView(points=await not_applicable.switch_off(request.user, data.points))
