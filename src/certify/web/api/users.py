"""User administration by the kommun."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromQuery, JSONBody

from certify.domain.status import Role
from certify.services import accounts, user_admin
from certify.services.actor import Actor
from certify.services.views import CreatedUserView, TemporaryPasswordView, UserView
from certify.web.api.schemas import InspectorLinkBody, PathId, UserCreateBody
from certify.web.guards import KOMMUN


class UsersController(Controller):
    path = "/api/users"
    tags = ["users"]
    opt = KOMMUN

    @post(
        "/",
        status_code=201,
        summary="Create an inspector or kommun user of the caller's own kommun, with a one-time password",
    )
    async def create(
        self, request: Request[Actor, Any, Any], data: JSONBody[UserCreateBody]
    ) -> CreatedUserView:
        user, password = await user_admin.create_user(
            request.user, name=data.name, email=data.email, role=data.role, kommun_codes=data.kommun_codes
        )
        return CreatedUserView(**msgspec.structs.asdict(user), temporary_password=password)

    @post(
        "/link-inspector",
        status_code=200,
        summary="An inspector who serves another kommun also serves the caller's (he is told by e-mail)",
    )
    async def link_inspector(
        self, request: Request[Actor, Any, Any], data: JSONBody[InspectorLinkBody]
    ) -> UserView:
        return await user_admin.link_inspector(request.user, data.email, request.app.state.settings.base_url)

    @post(
        "/{user_id:int}/unlink",
        status_code=200,
        summary="The kommun stops using a shared inspector; his open cases there go back to its queue",
    )
    async def unlink_inspector(self, request: Request[Actor, Any, Any], user_id: PathId) -> UserView:
        return await user_admin.unlink_inspector(request.user, user_id)

    @get("/", summary="Users of the caller's kommun and the inspectors serving it (kommun only)")
    async def list_users(
        self, request: Request[Actor, Any, Any], role: FromQuery[Role | None] = None
    ) -> list[UserView]:
        return await accounts.list_users(request.user, role)

    @post("/{user_id:int}/deactivate", status_code=200, summary="Deactivate a user; their sessions end now")
    async def deactivate(self, request: Request[Actor, Any, Any], user_id: PathId) -> UserView:
        return await user_admin.deactivate(request.user, user_id)

    @post(
        "/{user_id:int}/reset-password",
        status_code=200,
        summary="A temporary password (shown once); the user must choose a new one at next log-in",
    )
    async def reset_password(
        self, request: Request[Actor, Any, Any], user_id: PathId
    ) -> TemporaryPasswordView:
        password = await user_admin.reset_password(request.user, user_id)
        return TemporaryPasswordView(user_id=user_id, temporary_password=password)
