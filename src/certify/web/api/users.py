"""User administration by the kommun."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromQuery, JSONBody

from certify.domain.status import Role
from certify.services import accounts
from certify.services.actor import Actor
from certify.services.views import UserView
from certify.web.api.schemas import UserCreateBody
from certify.web.guards import KOMMUN


class UsersController(Controller):
    path = "/api/users"
    tags = ["users"]
    guards = KOMMUN

    @post("/", status_code=201, summary="Create an inspector or kommun user (kommun only)")
    async def create(self, request: Request[Actor, Any, Any], data: JSONBody[UserCreateBody]) -> UserView:
        return await accounts.create_user_by(
            request.user,
            email=data.email,
            name=data.name,
            role=data.role,
            password=data.password,
            kommun_codes=data.kommun_codes,
        )

    @get("/", summary="Users of the caller's kommun and the inspectors serving it (kommun only)")
    async def list_users(
        self, request: Request[Actor, Any, Any], role: FromQuery[Role | None] = None
    ) -> list[UserView]:
        return await accounts.list_users(request.user, role)
