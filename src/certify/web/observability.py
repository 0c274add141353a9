"""Request ids, one JSON log line per request, and the security headers every answer carries."""

from __future__ import annotations

import json
import logging
import secrets
import time
from typing import Any

from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send

request_log = logging.getLogger("certify.requests")

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(self), geolocation=(), microphone=()",
}
# The interactive API docs load their script from a CDN: they get a looser policy.
DOCS_PREFIX = "/schema"


class JsonLineFormatter(logging.Formatter):
    """A log record as one JSON object per line, for log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging() -> None:
    """JSON lines on standard error for everything under the `certify` logger."""
    root = logging.getLogger("certify")
    if not any(isinstance(h.formatter, JsonLineFormatter) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(JsonLineFormatter())
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    root.propagate = False


def request_middleware(app: ASGIApp) -> ASGIApp:
    """Give each request an id (kept from X-Request-ID when sane), log it, add the headers."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else secrets.token_hex(8)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableScopeHeaders.from_message(message)
                headers["x-request-id"] = request_id
                if not scope["path"].startswith(DOCS_PREFIX):
                    for name, value in SECURITY_HEADERS.items():
                        if name not in headers:
                            headers[name] = value
            await send(message)

        try:
            await app(scope, receive, send_with_headers)
        finally:
            request_log.info(
                "request",
                extra={
                    "fields": {
                        "request_id": request_id,
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                        "client": (scope.get("client") or ("", 0))[0],
                    }
                },
            )

    return middleware
