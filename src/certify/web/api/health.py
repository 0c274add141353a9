"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

from litestar import Response, get

from certify.migrate import pending
from certify.tables import Kommun
from certify.web.guards import PUBLIC


@get("/health", opt=PUBLIC, tags=["operations"], summary="The process is up")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@get("/ready", opt=PUBLIC, tags=["operations"], summary="The database answers and its schema is current")
async def ready() -> Response[dict[str, object]]:
    try:
        await Kommun.count().run()
        missing = await pending()
    except Exception as exc:  # any failure to reach the database means: not ready
        return Response({"status": "unavailable", "reason": exc.__class__.__name__}, status_code=503)
    if missing:
        return Response({"status": "migrations pending", "pending": missing}, status_code=503)
    return Response({"status": "ready"}, status_code=200)
