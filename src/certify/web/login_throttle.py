"""Throttling: after too many failed log-ins from one address, wait a minute; and a `Limit` for
other requests worth capping (password-reset mails per address and per client).

Only failures count, so an office behind one address can still log in; the counts live in the
app's store ("login_throttle"), which is per instance unless a shared store is configured.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.exceptions import TooManyRequestsException

FAILURES_PER_WINDOW = 10
WINDOW_SECONDS = 60
STORE = "login_throttle"


def _key(request: Request[Any, Any, Any]) -> str:
    return f"{client_address(request)}:{int(time.time() // WINDOW_SECONDS)}"


async def _failures(request: Request[Any, Any, Any]) -> int:
    raw = await request.app.stores.get(STORE).get(_key(request))
    return int(raw) if raw else 0


async def refuse_if_throttled(request: Request[Any, Any, Any]) -> None:
    if await _failures(request) >= FAILURES_PER_WINDOW:
        raise TooManyRequestsException(
            "För många misslyckade inloggningar. Vänta en minut och försök igen.",
            headers={"Retry-After": str(WINDOW_SECONDS)},
        )


async def record_failure(request: Request[Any, Any, Any]) -> None:
    count = await _failures(request) + 1
    await request.app.stores.get(STORE).set(_key(request), str(count), expires_in=2 * WINDOW_SECONDS)


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `per_window` requests of one kind for one subject (a client, an e-mail address)."""

    kind: str
    per_window: int
    window_seconds: int


def client_address(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


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
