"""The baseline of benchmarks/session_cost.py: a bare Litestar app with one JSON endpoint.

No middleware, no session, no logging: what Litestar itself costs, served the same way as the
service (certify.server.run, one uvicorn worker).
"""

from __future__ import annotations

from litestar import Litestar, get


@get("/bench/bare")
async def bare() -> dict[str, str]:
    return {"status": "ok"}


def app() -> Litestar:
    return Litestar(route_handlers=[bare], logging_config=None)
