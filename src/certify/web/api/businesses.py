"""Shops and opening a case for one."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.params import JSONBody

from certify.services import businesses, cases
from certify.services.actor import Actor
from certify.services.businesses import BusinessInput
from certify.services.views import ApplicationView, BusinessView
from certify.web.api.schemas import BusinessCreateBody, BusinessPatchBody, PathId
from certify.web.guards import ANY_USER, OWNER, OWNER_OR_KOMMUN


class BusinessesController(Controller):
    path = "/api/businesses"
    tags = ["businesses"]

    @post("/", guards=OWNER, status_code=201, summary="Register a shop (owner)")
    async def create(
        self, request: Request[Actor, Any, Any], data: JSONBody[BusinessCreateBody]
    ) -> BusinessView:
        return await businesses.create(request.user, BusinessInput(**msgspec.structs.asdict(data)))

    @get("/", guards=ANY_USER, summary="The shops the caller may see")
    async def list_businesses(self, request: Request[Actor, Any, Any]) -> list[BusinessView]:
        return await businesses.list_visible(request.user)

    @get("/{business_id:int}", guards=ANY_USER, summary="One shop")
    async def get_business(self, request: Request[Actor, Any, Any], business_id: PathId) -> BusinessView:
        return await businesses.get(request.user, business_id)

    @patch("/{business_id:int}", guards=OWNER_OR_KOMMUN, summary="Correct a shop's facts")
    async def update(
        self, request: Request[Actor, Any, Any], business_id: PathId, data: JSONBody[BusinessPatchBody]
    ) -> BusinessView:
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        return await businesses.update(request.user, business_id, changes)

    @post(
        "/{business_id:int}/applications",
        guards=OWNER,
        status_code=201,
        summary="Open a certification case (or a renewal) for the shop (owner)",
    )
    async def open_application(
        self, request: Request[Actor, Any, Any], business_id: PathId
    ) -> ApplicationView:
        return await cases.open_case(request.user, business_id)
