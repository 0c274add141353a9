"""Signing up through the page or the API: throttled, and the same answer for any address.

Per client at most 30 sign-ups an hour (then 429; an office or a meeting may share an address);
per address at most 3 an hour, after which further tries are quietly dropped (no account, no
mail) with the same answer, so the limit cannot be used to learn anything about the address or
to flood its owner with mail.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import TooManyRequestsException

from certify.services import accounts, registration
from certify.text.catalogue import N_
from certify.web import login_throttle
from certify.web.client_address import client_address
from certify.web.login_throttle import Limit

PER_CLIENT = Limit("signup-client", per_window=30, window_seconds=60 * 60)
PER_ADDRESS = Limit("signup-address", per_window=3, window_seconds=60 * 60)
ANSWER = N_(
    "Om e-postadressen inte redan hade ett konto är kontot skapat och du kan logga in. "
    "Har adressen redan ett konto har vi skickat ett e-postmeddelande till den om hur du loggar in."
)


async def sign_up(request: Request[Any, Any, Any], *, email: str, name: str, password: str) -> None:
    """InvalidField for a malformed field; otherwise done (or quietly dropped), answer ANSWER
    (a message id: translate it where it is shown)."""
    if not await login_throttle.take(request, PER_CLIENT, client_address(request)):
        raise TooManyRequestsException(
            extra={"code": "too_many_sign_ups"}, headers={"Retry-After": str(PER_CLIENT.window_seconds)}
        )
    address = accounts.normalise_email(email)
    accounts.check_password(password)
    if await login_throttle.take(request, PER_ADDRESS, address):
        await registration.sign_up(
            email=address, name=name, password=password, base_url=request.app.state.settings.base_url
        )
