"""The caller's own password: the way out of "must change password" for API clients."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, post
from litestar.params import JSONBody
from msgspec import Meta

from certify.services import user_admin
from certify.services.actor import Actor
from certify.web.auth import log_in
from certify.web.guards import ANY_USER

Password = Annotated[str, Meta(min_length=1, max_length=256)]


class PasswordChangeBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    current_password: Password
    new_password: Password


class PasswordController(Controller):
    path = "/api/me/password"
    tags = ["auth"]

    @post("/", guards=ANY_USER, status_code=204, summary="Change the caller's own password")
    async def change(self, request: Request[Actor, Any, Any], data: JSONBody[PasswordChangeBody]) -> None:
        """Ends every other session of the user; this client gets a fresh one."""
        await user_admin.change_own_password(request.user, data.current_password, data.new_password)
        log_in(request, request.user.id)
