"""Request ids, one JSON log line per request, and the security headers every answer carries."""

from __future__ import annotations

import contextlib
import logging
import secrets
import time
from typing import Any, cast

import msgspec
from litestar.types import Scope

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
_JSON = msgspec.json.Encoder(enc_hook=str)  # a value JSON has no word for is logged as its text


class JsonLineFormatter(logging.Formatter):
    """A log record as one JSON object per line, for log collectors (msgspec writes it in a tenth
    of json.dumps' time: there is a line per request)."""

    _second = -1
    _second_text = ""

    def format(self, record: logging.LogRecord) -> str:
        fields = dict(getattr(record, "fields", {}))
        if record.exc_info:
            fields["exception"] = self.formatException(record.exc_info)
        return self.line(record.created, record.levelname, record.name, record.getMessage(), fields)

    def line(self, created: float, level: str, logger: str, message: str, fields: dict[str, Any]) -> str:
        second = int(created)
        if second != self._second:  # a line per request: format each second once
            self._second = second
            self._second_text = time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(created))
        entry = {"time": self._second_text, "level": level.lower(), "logger": logger, "message": message}
        entry.update(fields)
        return _JSON.encode(entry).decode("utf-8")


_handlers: list[logging.StreamHandler[Any]] = []  # the one configure_logging installed


def configure_logging() -> None:
    """JSON lines on standard error for everything under the `certify` logger."""
    root = logging.getLogger("certify")
    if not any(isinstance(h.formatter, JsonLineFormatter) for h in root.handlers):
        handler: logging.StreamHandler[Any] = logging.StreamHandler()
        handler.setFormatter(JsonLineFormatter())
        root.addHandler(handler)
        _handlers[:] = [handler]
    root.setLevel(logging.INFO)
    root.propagate = False


def _only_the_json_lines() -> logging.StreamHandler[Any] | None:
    """The JSON-lines handler, when it is all the request log reaches: no other handler (a test's,
    an operator's) and no filter anywhere on the way, so a line written to it directly is all a
    LogRecord would have become."""
    log, parent = request_log, request_log.parent
    if log.handlers or log.filters or log.disabled or not log.propagate or parent is None:
        return None
    if parent.filters or parent.propagate or parent.handlers != _handlers:
        return None
    handler = _handlers[0]
    plain = not handler.filters and handler.level <= logging.INFO
    return handler if plain and isinstance(handler.formatter, JsonLineFormatter) else None


def request_id(scope: Scope) -> str:
    """The request's id (kept from X-Request-ID when sane), made once and kept in the scope."""
    state = scope.setdefault("state", {})
    known = state.get("request_id")
    if known is None:
        incoming = next((v for n, v in scope["headers"] if n == b"x-request-id"), b"").decode("latin-1")
        known = incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else secrets.token_hex(8)
        state["request_id"] = known
        state[_STARTED] = time.perf_counter()
    return known


def stamp(status: int, headers: list[tuple[bytes, bytes]], scope: Scope) -> None:
    """Every answer, also one made from an error raised outside a handler (a CSRF refusal, a
    request no route matches), gets its id and the security headers, and its status is kept for
    the log line (certify.web.stack calls this as each answer starts)."""
    scope["state"][_STATUS] = status
    present = set()
    kept = []
    for pair in headers:
        name = pair[0].lower()
        if name != b"x-request-id":
            present.add(name)
            kept.append(pair)
    kept.append((b"x-request-id", request_id(scope).encode("latin-1")))
    kept.extend(pair for pair in _SECURITY_HEADERS if pair[0] not in present)
    headers[:] = kept


def log_request(scope: Scope) -> None:
    """One line for the request, once, if its answer began (also one that never finished)."""
    state = scope["state"]
    if _STATUS in state and not state.get(_LOGGED):
        state[_LOGGED] = True
        if request_log.isEnabledFor(logging.INFO):
            _write_line(scope, state)


def _write_line(scope: Scope, state: dict[str, Any]) -> None:
    fields = {
        "request_id": request_id(scope),
        "method": scope["method"],
        "path": scope["path"],
        "status": state[_STATUS],
        "duration_ms": round((time.perf_counter() - state[_STARTED]) * 1000, 1),
        "client": client_in_scope(scope),
    }
    handler = _only_the_json_lines()
    if handler is not None:
        # The line itself, without a LogRecord and the logging machinery's walk to the handler: on
        # every request these cost more than writing the line (benchmarks/session_cost.py).
        formatter = cast(JsonLineFormatter, handler.formatter)
        line = formatter.line(time.time(), "INFO", request_log.name, "request", fields)
        try:
            with handler.lock or contextlib.nullcontext():
                handler.stream.write(line + handler.terminator)
                handler.flush()
            return
        except Exception:  # the stream failed: logging reports it as it reports any handler's failure
            pass
    record = logging.LogRecord(request_log.name, logging.INFO, __name__, 0, "request", None, None)
    record.fields = fields
    request_log.handle(record)
