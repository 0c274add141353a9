"""Request ids, one JSON log line per request, and the security headers every answer carries."""

from __future__ import annotations

import json
import logging
import secrets
import time
from typing import Any

from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from certify.web.client_address import client_in_scope

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
_SECURITY_HEADERS = tuple((name.encode(), value.encode()) for name, value in SECURITY_HEADERS.items())
_STARTED = "certify.started"
_STATUS = "certify.status"
_LOGGED = "certify.logged"


class JsonLineFormatter(logging.Formatter):
    """A log record as one JSON object per line, for log collectors."""

    _second = -1
    _second_text = ""

    def format(self, record: logging.LogRecord) -> str:
        second = int(record.created)
        if second != self._second:  # a line per request: format each second once
            self._second, self._second_text = second, self.formatTime(record, "%Y-%m-%dT%H:%M:%S")
        entry: dict[str, Any] = {
            "time": self._second_text,
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


def request_id(scope: Scope) -> str:
    """The request's id (kept from X-Request-ID when sane), made once and kept in the scope."""
    state = scope.setdefault("state", {})
    known = state.get("request_id")
    if known is None:
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        known = incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else secrets.token_hex(8)
        state["request_id"] = known
        state[_STARTED] = time.perf_counter()
    return known


def request_middleware(app: ASGIApp) -> ASGIApp:
    """Give each routed request its id and start its clock before sessions and handlers run."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        request_id(scope)
        try:
            await app(scope, receive, send)
        finally:
            if _STATUS in scope["state"]:  # the answer began: logged even if it never finished
                _log_request(scope)

    return middleware


async def stamp_response(message: Message, scope: Scope) -> None:
    """Every answer, also one made from an error raised outside a handler (a CSRF refusal, a
    request no route matches), gets its id and the security headers and is logged with the
    status it really had. A before_send hook sees them all; a route middleware does not."""
    if scope["type"] != "http":
        return
    if message["type"] == "http.response.start":
        scope["state"][_STATUS] = message["status"]
        headers = MutableScopeHeaders.from_message(message).headers  # the raw (name, value) pairs
        present = {name.lower() for name, _ in headers}
        headers[:] = [pair for pair in headers if pair[0].lower() != b"x-request-id"]
        headers.append((b"x-request-id", request_id(scope).encode("latin-1")))
        headers.extend(pair for pair in _SECURITY_HEADERS if pair[0] not in present)
    elif message["type"] == "http.response.body" and not message.get("more_body", False):
        _log_request(scope)


def _log_request(scope: Scope) -> None:
    state = scope["state"]
    if state.get(_LOGGED):
        return
    state[_LOGGED] = True
    if not request_log.isEnabledFor(logging.INFO):
        return
    fields = {
        "request_id": request_id(scope),
        "method": scope["method"],
        "path": scope["path"],
        "status": state.get(_STATUS, 500),
        "duration_ms": round((time.perf_counter() - state[_STARTED]) * 1000, 1),
        "client": client_in_scope(scope),
    }
    # request_log.info without looking up the caller's source line: nobody reads it, and on every
    # request that cost more than writing the line (benchmarks/session_cost.py).
    request_log.handle(
        request_log.makeRecord(
            request_log.name, logging.INFO, __file__, 0, "request", (), None, extra={"fields": fields}
        )
    )
