"""What every routed request passes through before its handler, and every answer on its way out.

Each layer of ASGI middleware costs every request a call and a wrapped `send`, and Litestar runs
each guard with its own copy of the route handler (about 16 µs a copy on these machines): the
service's own stack cost more than a case read's query (benchmarks/session_cost.py). So the steps
each request needs run here, in this order, as plain calls in one middleware:

1. its id and clock (certify.web.observability);
2. the caller, from the session cookie (certify.web.auth);
3. its language, and a `?lang=` choice kept (certify.web.language);
4. the app-wide refusals: a number in the path not written in ASCII digits
   (certify.web.url_numbers) and a body that is not JSON (certify.web.json_bodies);
5. whether the route lets this caller through (certify.web.guards).

What each answer carries — its id, the security headers, the cookies a step decided to send, its
log line — is added by `answering`, a before_send hook, which also sees the answers made outside
a route (no route matched, a refusal raised here) that a middleware's own `send` never sees.
Reads wait their turn before all of this (certify.web.admission).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from certify.settings import Settings
from certify.text import catalogue
from certify.web import auth, guards, language, observability
from certify.web.json_bodies import json_bodies_only
from certify.web.url_numbers import ascii_path_numbers


class Stack:
    """The middleware (`middleware`) and the before_send hook (`answering`) of one app."""

    def __init__(self, settings: Settings) -> None:
        self.session_cookie = auth.SessionCookie(settings.secure_cookies)

    def middleware(self, app: ASGIApp) -> ASGIApp:
        async def each_request(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            observability.request_id(scope)
            try:
                connection: ASGIConnection[Any, Any, Any, Any] = ASGIConnection(scope)
                await auth.identify(scope, connection.cookies.get(auth.SESSION_COOKIE))
                with catalogue.use(language.language_of(connection)):
                    await language.keep_choice(connection)
                    ascii_path_numbers(scope)
                    json_bodies_only(scope, _first_of_each(scope["headers"]))
                    guards.admit(scope)
                    await app(scope, receive, send)
            finally:
                observability.log_request(scope)

        return each_request

    async def answering(self, message: Message, scope: Scope) -> None:
        if scope["type"] != "http":
            return
        if message["type"] == "http.response.start":
            headers = MutableScopeHeaders.from_message(message).headers
            observability.stamp(message["status"], headers, scope)
            for cookie in (auth.cookie_to_send(scope, self.session_cookie), language.cookie_to_send(scope)):
                if cookie is not None:
                    headers.append((b"set-cookie", cookie.encode("latin-1")))
        elif message["type"] == "http.response.body" and not message.get("more_body", False):
            observability.log_request(scope)


def _first_of_each(headers: Iterable[tuple[bytes, bytes]]) -> dict[bytes, bytes]:
    """The request's headers by name, the first of repeated ones (as Litestar's Headers.get)."""
    found: dict[bytes, bytes] = {}
    for name, value in headers:
        found.setdefault(name, value)
    return found
