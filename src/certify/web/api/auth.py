"""Registration, log-in and the caller's own account."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.exceptions import NotAuthorizedException
from litestar.params import JSONBody

from certify.services import accounts
from certify.services.actor import Actor
from certify.services.views import UserView
from certify.web import sign_up
from certify.web.api.schemas import LoginBody, RegisterBody
from certify.web.auth import log_out
from certify.web.guards import ANY_USER, PUBLIC
from certify.web.password_login import WrongLogin, log_in_with_password


class SignUpView(msgspec.Struct, kw_only=True):
    detail: str


class AuthController(Controller):
    path = "/api"
    tags = ["auth"]

    @post(
        "/auth/register",
        opt=PUBLIC,
        status_code=202,
        summary="Create a shop owner's account, then log in (same answer whether the e-mail has an account)",
        description=(
            "A taken address gets an e-mail saying it already has an account; nothing else differs. "
            "Throttled per client (429) and per address."
        ),
    )
    async def register(self, request: Request[Any, Any, Any], data: JSONBody[RegisterBody]) -> SignUpView:
        await sign_up.sign_up(request, email=data.email, name=data.name, password=data.password)
        return SignUpView(detail=sign_up.ANSWER)

    @post(
        "/auth/login",
        opt=PUBLIC,
        status_code=200,
        summary="Log in (same answer whether the e-mail exists or not)",
    )
    async def login(self, request: Request[Any, Any, Any], data: JSONBody[LoginBody]) -> UserView:
        try:
            account_id = await log_in_with_password(request, data.email, data.password)
        except WrongLogin:
            raise NotAuthorizedException(extra={"code": "wrong_login"}) from None
        return await accounts.get_user(account_id)

    @post("/auth/logout", opt=ANY_USER, status_code=204, summary="Log out")
    async def logout(self, request: Request[Any, Any, Any]) -> None:
        await log_out(request)

    @get("/me", opt=ANY_USER, summary="The logged-in user")
    async def me(self, request: Request[Actor, Any, Any]) -> UserView:
        return await accounts.get_user(request.user.id)
