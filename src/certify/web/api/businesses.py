"""Shops and opening a case for one."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.params import JSONBody

from certify.services import business_changes, businesses, cases
from certify.services.actor import Actor
from certify.services.businesses import BusinessInput
from certify.services.views import ApplicationView, BusinessChangeView, BusinessView
from certify.web.api.schemas import BusinessCreateBody, BusinessPatchBody, ChangeDecisionBody, PathId
from certify.web.guards import ANY_USER, KOMMUN, OWNER, OWNER_OR_KOMMUN


class BusinessesController(Controller):
    path = "/api/businesses"
    tags = ["businesses"]

    @post("/", opt=OWNER, status_code=201, summary="Register a shop (owner)")
    async def create(
        self, request: Request[Actor, Any, Any], data: JSONBody[BusinessCreateBody]
    ) -> BusinessView:
        return await businesses.create(request.user, BusinessInput(**msgspec.structs.asdict(data)))

    @get("/", opt=ANY_USER, summary="The shops the caller may see")
    async def list_businesses(self, request: Request[Actor, Any, Any]) -> list[BusinessView]:
        return await businesses.list_visible(request.user)

    @get("/{business_id:int}", opt=ANY_USER, summary="One shop")
    async def get_business(self, request: Request[Actor, Any, Any], business_id: PathId) -> BusinessView:
        return await businesses.get(request.user, business_id)

    @patch(
        "/{business_id:int}",
        opt=OWNER_OR_KOMMUN,
        summary="Correct a shop's facts; on a certified shop the owner's change of name or address "
        "waits for the kommun (reported_change)",
    )
    async def update(
        self, request: Request[Actor, Any, Any], business_id: PathId, data: JSONBody[BusinessPatchBody]
    ) -> BusinessView:
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        return await businesses.update(request.user, business_id, changes)

    @get(
        "/{business_id:int}/changes",
        opt=ANY_USER,
        summary="The shop's reported changes of name and address (anmälda ändringar), newest first",
    )
    async def list_changes(
        self, request: Request[Actor, Any, Any], business_id: PathId
    ) -> list[BusinessChangeView]:
        return await business_changes.list_for_business(request.user, business_id)

    @post(
        "/{business_id:int}/changes/{change_id:int}/accept",
        opt=KOMMUN,
        status_code=200,
        summary="Accept a reported change: the shop's name and address change (kommun)",
    )
    async def accept_change(
        self, request: Request[Actor, Any, Any], business_id: PathId, change_id: PathId
    ) -> BusinessChangeView:
        return await business_changes.decide(request.user, business_id, change_id, accept=True)

    @post(
        "/{business_id:int}/changes/{change_id:int}/reject",
        opt=KOMMUN,
        status_code=200,
        summary="Reject a reported change with a reason: the shop keeps what was inspected (kommun)",
    )
    async def reject_change(
        self,
        request: Request[Actor, Any, Any],
        business_id: PathId,
        change_id: PathId,
        data: JSONBody[ChangeDecisionBody],
    ) -> BusinessChangeView:
        return await business_changes.decide(
            request.user, business_id, change_id, accept=False, reason=data.reason
        )

    @post(
        "/{business_id:int}/applications",
        opt=OWNER,
        status_code=201,
        summary="Open a certification case (or a renewal) for the shop (owner)",
    )
    async def open_application(
        self, request: Request[Actor, Any, Any], business_id: PathId
    ) -> ApplicationView:
        return await cases.open_case(request.user, business_id)
