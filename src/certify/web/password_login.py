"""Logging in with an e-mail address and a password: the one way the JSON API and the log-in page
share. The throttle, the password, and whether the person's kommun switched password log-in off
for its staff (certify.services.staff_login) are asked here and nowhere else."""

from __future__ import annotations

from typing import Any

from litestar import Request

from certify.domain.errors import Forbidden
from certify.services import accounts, staff_login
from certify.web import login_throttle
from certify.web.auth import log_in


class WrongLogin(Exception):
    """No account has this address and password (the answer never says which of the two is wrong)."""


async def log_in_with_password(request: Request[Any, Any, Any], email: str, password: str) -> int:
    """A fresh password session for the account; WrongLogin, or Forbidden("staff_password_login_off")
    for staff whose kommun has switched password log-in off."""
    await login_throttle.refuse_if_throttled(request, email)
    account_id = await accounts.authenticate(email, password) if email and password else None
    if account_id is None:
        await login_throttle.record_failure(request, email)
        raise WrongLogin
    if await staff_login.password_login_refused(account_id):
        raise Forbidden("staff_password_login_off")
    await log_in(request, account_id)
    return account_id
