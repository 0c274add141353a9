"""The inspector's installable app: the web app manifest and the service worker.

The service worker is served from the site's root, so that it may control `/besiktningar` and the
inspection pages under it (its scope is `/besiktningar`, said again in `Service-Worker-Allowed`).
Browsers check a service worker for updates on every navigation when it is not cached: `no-cache`
makes them ask, and an unchanged file answers the same bytes. The pages work without either: the
worker and static/offline.js only add the copy on the phone and the outbox (README, "The app
without a connection").
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from litestar import Request, Response, get

from certify.text.catalogue import _
from certify.text.offline import offline_words
from certify.web.guards import PUBLIC
from certify.web.language import page_language

STATIC_DIR = Path(__file__).resolve().parent / "static"
WORKER_PATH = "/offline-sw.js"
SCOPE = "/besiktningar"
START_PAGE = "/besiktningar"
WORKER_HEADERS = {
    "Cache-Control": "no-cache",
    "Service-Worker-Allowed": SCOPE,
}


@get(WORKER_PATH, opt=PUBLIC, include_in_schema=False)
async def service_worker() -> Response[bytes]:
    """The service worker's script (static/offline-sw.js), never kept stale by the browser."""
    script = (STATIC_DIR / "offline-sw.js").read_bytes()
    return Response(content=script, media_type="text/javascript; charset=utf-8", headers=WORKER_HEADERS)


@get("/besiktningar.webmanifest", opt=PUBLIC, include_in_schema=False)
async def manifest(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    """The web app manifest, in the reader's language (Swedish unless another is chosen)."""
    language = page_language()
    icons = [
        {"src": "/static/favicon.svg", "sizes": "any", "type": "image/svg+xml"},
        {"src": "/static/icon-192.png", "sizes": "192x192", "type": "image/png"},
        {"src": "/static/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
    ]
    body = {
        "name": _("Besiktning – Skydd mot rån i handeln"),
        "short_name": _("Besiktning"),
        "description": _("Besiktningspersonens sidor, också utan nät."),
        "lang": language["code"],
        "dir": language["direction"],
        "id": START_PAGE,
        "start_url": START_PAGE,
        "scope": SCOPE,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d3366",
        "icons": icons,
    }
    return Response(
        content=body,
        media_type="application/manifest+json",
        headers={"Cache-Control": "no-cache", "Vary": "Cookie, Accept-Language"},
    )


def page_state() -> dict[str, Any]:
    """What the offline line of an inspector's page needs (templates/partials/offline_status.html):
    the words, and when this copy of the page was made (shown as "last synchronised" when the phone
    opens the copy without a connection)."""
    return {"words": offline_words(), "made_at": datetime.now(UTC).isoformat(timespec="seconds")}
