"""The `Idempotency-Key` header: a write sent twice with one key is applied once, and the repeat
gets the first answer (status and body) again. Stored by certify.services.idempotency.

Route middleware on the writes a client may need to repeat (answers, verdicts, evidence, workflow
actions): other routes never see it, and a request without the header costs one look at its
headers. With the header, the body is read here first, so that its fingerprint (method, path, query
and body; a multipart body without its random boundary, so a browser's retry of the same form data
matches) can tell a repeat from another request reusing the key.

Keys are the caller's own: the same key from another account is another key. A refusal (4xx) is
remembered like a success; a server error (5xx) or a broken connection forgets the key, so that the
retry may apply the write.
"""

from __future__ import annotations

import hashlib
import re
from typing import cast

from litestar import Litestar
from litestar.enums import ParamType
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.spec import OpenAPIType, Parameter, Schema
from litestar.routes import HTTPRoute
from litestar.types import (
    ASGIApp,
    HTTPResponseStartEvent,
    HTTPScope,
    Message,
    Receive,
    ReceiveMessage,
    Scope,
    Send,
)

from certify.domain.errors import InvalidField
from certify.services import idempotency
from certify.services.actor import Actor

HEADER = "Idempotency-Key"
_HEADER = HEADER.lower().encode("ascii")
_KEY = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII, as a structured-field string holds
_BOUNDARY = re.compile(rb"boundary=\"?([^\";,\s]+)")
REPLAYED = (b"idempotent-replayed", b"true")


def _key_of(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == _HEADER:
            key = value.decode("latin-1").strip()
            if len(key) >= 2 and key[0] == key[-1] == '"':  # the draft's sf-string form
                key = key[1:-1]
            if not _KEY.fullmatch(key):
                raise InvalidField(HEADER, "invalid_idempotency_key")
            return key
    return None


def _fingerprint(scope: HTTPScope, body: bytes) -> str:
    for name, value in scope["headers"]:
        if name == b"content-type" and (found := _BOUNDARY.search(value)):
            body = body.replace(found.group(1), b"")
    digest = hashlib.sha256()
    for part in (scope["method"].encode(), scope["raw_path"], scope["query_string"], body):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


async def _read_body(scope: Scope, receive: Receive) -> tuple[list[ReceiveMessage], bool]:
    """The request's messages; False when the body exceeds the route's limit (Litestar answers
    413 for it)."""
    limit = cast(HTTPRouteHandler, scope["route_handler"]).resolve_request_max_body_size()
    messages: list[ReceiveMessage] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, False
        size += len(message.get("body", b""))
        if limit is not None and size > limit:
            return messages, False
        if not message.get("more_body", False):
            return messages, True


def idempotent(app: ASGIApp) -> ASGIApp:
    """The middleware: wrap a write route's handler in it (`middleware=[idempotent]`)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        key = _key_of(scope)
        actor = scope.get("user")
        if key is None or not isinstance(actor, Actor):  # not logged in: the guard refuses anyway
            await app(scope, receive, send)
            return
        messages, whole = await _read_body(scope, receive)
        waiting = list(messages)

        async def replay() -> ReceiveMessage:
            return waiting.pop(0) if waiting else await receive()

        if not whole:
            await app(scope, replay, send)
            return
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")
        earlier = await idempotency.claim(actor.id, key, _fingerprint(cast(HTTPScope, scope), body))
        if earlier is not None:
            await _send_again(earlier, send)
            return
        await _apply_once(app, scope, replay, send, actor.id, key)

    return middleware


async def _send_again(answer: idempotency.Stored, send: Send) -> None:
    headers = [(b"content-length", str(len(answer.body)).encode("ascii")), REPLAYED]
    if answer.media_type:
        headers.append((b"content-type", answer.media_type.encode("latin-1")))
    await send({"type": "http.response.start", "status": answer.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body, "more_body": False})


async def _apply_once(
    app: ASGIApp, scope: Scope, receive: Receive, send: Send, account_id: int, key: str
) -> None:
    """Run the write; store its answer before it is sent, so an answered request is remembered."""
    start: HTTPResponseStartEvent | None = None
    chunks: list[bytes] = []
    answered = False

    async def hold(message: Message) -> None:
        nonlocal start, answered
        if message["type"] == "http.response.start":
            start = message
            return
        if message["type"] != "http.response.body" or start is None:
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        body = b"".join(chunks)
        if start["status"] < 500:
            media_type = next(
                (v.decode("latin-1") for n, v in start.get("headers", ()) if n.lower() == b"content-type"), ""
            )
            await idempotency.remember(account_id, key, idempotency.Stored(start["status"], media_type, body))
            answered = True
        await send(start)
        await send({"type": "http.response.body", "body": body, "more_body": False})

    try:
        await app(scope, receive, hold)
    finally:
        if not answered:
            await idempotency.forget(account_id, key)


HEADER_PARAMETER = Parameter(
    name=HEADER,
    param_in=ParamType.HEADER,
    required=False,
    schema=Schema(type=OpenAPIType.STRING, min_length=1, max_length=255),
    description=(
        "A key the client makes for this one write (e.g. a UUID). Sent again with the same request, "
        "the write is not applied again: the first answer (status and body) comes back, with the "
        "header `Idempotent-Replayed: true`. Keys are per account and kept "
        f"{idempotency.KEPT_FOR.days} days. The same key with another request: 422 "
        "`idempotency_key_reused`; while the first request is still being applied: 409 "
        "`idempotency_in_progress` (try again shortly)."
    ),
)


def document(app: Litestar) -> None:
    """The header in the OpenAPI document, on every operation that takes it."""
    paths = app.openapi_schema.paths or {}
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if idempotent not in (handler.middleware or ()):
                continue
            item = paths.get(route.path_format)
            for method in handler.http_methods:
                operation = getattr(item, method.lower(), None) if item is not None else None
                if operation is not None:
                    operation.parameters = [*(operation.parameters or []), HEADER_PARAMETER]
