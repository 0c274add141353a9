"""Throttling: failed log-ins are counted per client and per account (the e-mail address tried),
so neither many guesses from one client nor guesses at one account from many clients go on; and
a `Limit` for other requests worth capping (password-reset mails, sign-ups).

Only failures count, so an office behind one address can still log in; the counts live in the
app's store ("login_throttle"), which is per instance unless a shared store is configured. The
client is web/client_address.py's: X-Forwarded-For counts only from a trusted proxy.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.exceptions import TooManyRequestsException

from certify.web.client_address import client_address

STORE = "login_throttle"


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `per_window` requests of one kind for one subject (a client, an e-mail address)."""

    kind: str
    per_window: int
    window_seconds: int


FAILURES_PER_CLIENT = Limit("login-client", per_window=10, window_seconds=60)
FAILURES_PER_ACCOUNT = Limit("login-account", per_window=10, window_seconds=15 * 60)
_WAIT = {  # the error code of each refusal (certify.text.errors words it)
    FAILURES_PER_CLIENT: "too_many_failed_logins",
    FAILURES_PER_ACCOUNT: "too_many_failed_logins_to_account",
}


def _subjects(request: Request[Any, Any, Any], email: str) -> list[tuple[Limit, str]]:
    return [(FAILURES_PER_CLIENT, client_address(request)), (FAILURES_PER_ACCOUNT, email.strip().lower())]


async def refuse_if_throttled(request: Request[Any, Any, Any], email: str) -> None:
    for limit, subject in _subjects(request, email):
        if await used(request, limit, subject) >= limit.per_window:
            raise TooManyRequestsException(
                extra={"code": _WAIT[limit]}, headers={"Retry-After": str(limit.window_seconds)}
            )


async def record_failure(request: Request[Any, Any, Any], email: str) -> None:
    for limit, subject in _subjects(request, email):
        await take(request, limit, subject)


def _limit_key(limit: Limit, subject: str) -> str:
    return f"{limit.kind}:{subject}:{int(time.time() // limit.window_seconds)}"


async def used(request: Request[Any, Any, Any], limit: Limit, subject: str) -> int:
    raw = await request.app.stores.get(STORE).get(_limit_key(limit, subject))
    return int(raw) if raw else 0


async def take(request: Request[Any, Any, Any], limit: Limit, subject: str) -> bool:
    """Count one request; False (and nothing counted) when the subject has used up the window."""
    count = await used(request, limit, subject)
    if count >= limit.per_window:
        return False
    await request.app.stores.get(STORE).set(
        _limit_key(limit, subject), str(count + 1), expires_in=2 * limit.window_seconds
    )
    return True
