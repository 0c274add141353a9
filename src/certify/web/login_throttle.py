"""Log-in throttling: after too many failed log-ins from one address, wait a minute.

Only failures count, so an office behind one address can still log in; the counts live in the
app's store ("login_throttle"), which is per instance unless a shared store is configured.
"""

from __future__ import annotations

import time
from typing import Any

from litestar import Request
from litestar.exceptions import TooManyRequestsException

FAILURES_PER_WINDOW = 10
WINDOW_SECONDS = 60
STORE = "login_throttle"


def _key(request: Request[Any, Any, Any]) -> str:
    address = request.client.host if request.client else "unknown"
    return f"{address}:{int(time.time() // WINDOW_SECONDS)}"


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
