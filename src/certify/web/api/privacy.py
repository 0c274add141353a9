"""The caller's own personal data: download it, or close the account."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import JSONBody

from certify.services import privacy
from certify.services.actor import Actor
from certify.web.api.schemas import Body, Password
from certify.web.auth import log_out
from certify.web.guards import ANY_USER


class CloseAccountBody(Body):
    password: Password


class PrivacyController(Controller):
    path = "/api/me"
    tags = ["auth"]
    opt = ANY_USER

    @get("/data", summary="Everything the service holds about you (GDPR), as JSON")
    async def my_data(self, request: Request[Actor, Any, Any]) -> dict[str, Any]:
        return msgspec.to_builtins(await privacy.export_own_data(request.user))  # type: ignore[no-any-return]

    @post("/close", status_code=204, summary="Close your account: anonymised, history kept")
    async def close(self, request: Request[Actor, Any, Any], data: JSONBody[CloseAccountBody]) -> None:
        await privacy.close_account(request.user, data.password)
        await log_out(request)
