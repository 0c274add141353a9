"""Passwords: the caller's own (the way out of "must change password"), and the e-mailed link for
someone who forgot it."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, post
from litestar.exceptions import TooManyRequestsException
from litestar.params import JSONBody
from msgspec import Meta

from certify.services import accounts, password_reset, user_admin
from certify.services.actor import Actor
from certify.web import login_throttle
from certify.web.api.schemas import PathId
from certify.web.auth import log_in
from certify.web.guards import ANY_USER, KOMMUN, PUBLIC
from certify.web.login_throttle import Limit

Password = Annotated[str, Meta(min_length=1, max_length=256)]


class PasswordChangeBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    current_password: Password
    new_password: Password


class PasswordController(Controller):
    path = "/api/me/password"
    tags = ["auth"]

    @post("/", opt=ANY_USER, status_code=204, summary="Change the caller's own password")
    async def change(self, request: Request[Actor, Any, Any], data: JSONBody[PasswordChangeBody]) -> None:
        """Ends every other session of the user; this client gets a fresh one."""
        await user_admin.change_own_password(request.user, data.current_password, data.new_password)
        await log_in(request, request.user.id)


PER_CLIENT = Limit("reset-client", per_window=10, window_seconds=15 * 60)
PER_ADDRESS = Limit("reset-address", per_window=3, window_seconds=15 * 60)


async def ask_for_link(request: Request[Any, Any, Any], email: str) -> None:
    """Throttled per client (429) and per address (further mails silently not sent), so the
    answer never tells whether the address has an account."""
    if not await login_throttle.take(request, PER_CLIENT, login_throttle.client_address(request)):
        raise TooManyRequestsException(
            extra={"code": "too_many_password_resets"},
            headers={"Retry-After": str(PER_CLIENT.window_seconds)},
        )
    if await login_throttle.take(request, PER_ADDRESS, email):
        await password_reset.request_link(email)


class ForgotPasswordBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    email: Annotated[str, Meta(min_length=3, max_length=254)]


class ResetPasswordBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    token: Annotated[str, Meta(min_length=1, max_length=200)]
    new_password: Password


class PasswordResetController(Controller):
    tags = ["auth"]

    @post(
        "/api/auth/forgot-password",
        opt=PUBLIC,
        status_code=202,
        summary="Mail a link to choose a new password (same answer whether the address has an account)",
    )
    async def forgot(self, request: Request[Any, Any, Any], data: JSONBody[ForgotPasswordBody]) -> None:
        await ask_for_link(request, accounts.normalise_email(data.email))

    @post(
        "/api/auth/reset-password",
        opt=PUBLIC,
        status_code=204,
        summary="Choose a new password with the mailed token; single use, ends every session",
        description="404 when the token is unknown, used or expired (one hour).",
    )
    async def reset(self, data: JSONBody[ResetPasswordBody]) -> None:
        await password_reset.complete(data.token, data.new_password)

    @post(
        "/api/users/{owner_id:int}/send-reset-link",
        opt=KOMMUN,
        status_code=202,
        summary="Mail a shop owner of the kommun a link to choose a new password (kommun)",
    )
    async def send_link(self, request: Request[Actor, Any, Any], owner_id: PathId) -> None:
        await password_reset.send_by_kommun(request.user, owner_id)
