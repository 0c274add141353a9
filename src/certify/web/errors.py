"""The one mapping from domain errors to HTTP answers (JSON for the API, a page for browsers)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from asyncpg.exceptions import DataError  # type: ignore[import-untyped]
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.exceptions.responses import create_debug_response
from litestar.response import Redirect, Template
from litestar.response.base import ASGIResponse
from litestar.types import Receive, Scope, Send

from certify.database import INTEGRITY_ERRORS
from certify.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidField,
    NotFound,
    RuleNotMet,
)
from certify.text import catalogue
from certify.text.catalogue import N_, _
from certify.text.errors import text_for
from certify.web import observability
from certify.web.auth import visitor
from certify.web.language import language_of

log = logging.getLogger("certify.web")

STATUS_BY_ERROR: tuple[tuple[type[DomainError], int], ...] = (
    (NotFound, 404),
    (Forbidden, 403),
    (Conflict, 409),
    (RuleNotMet, 422),
    (InvalidField, 400),
)


def status_for(exc: DomainError) -> int:
    for error_type, status in STATUS_BY_ERROR:
        if isinstance(exc, error_type):
            return status
    return 400


def error_body(status: int, detail: str, extra: Mapping[str, Any]) -> dict[str, Any]:
    """Litestar's own error shape, so clients parse one format for every error; `extra.code` is
    the stable code (certify.text.errors), `detail` its text in the request's language."""
    return {"status_code": status, "detail": detail, "extra": dict(extra)}


def _json_value(value: object) -> object:
    return value.isoformat() if isinstance(value, date | datetime) else value


def error_extra(exc: DomainError) -> dict[str, Any]:
    """The code, the values the text names, and the error's own extra data."""
    params = {name: _json_value(value) for name, value in exc.params.items()}
    return {"code": exc.code, **params, **exc.extra}


# The code of an HTTP error that does not name its own (Litestar's, the middleware's).
CODE_BY_STATUS: dict[int, str] = {
    400: "bad_request",
    401: "not_logged_in",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "not_json",
    429: "too_many_requests",
    500: "internal_error",
}

PAGE_ERROR_TITLES: dict[int, str] = {
    400: N_("Uppgifterna kunde inte tas emot"),
    403: N_("Du har inte behörighet till sidan"),
    404: N_("Sidan finns inte"),
    405: N_("Det går inte att göra så här"),
    409: N_("Det gick inte att göra just nu"),
    413: N_("Filerna är för stora"),
    422: N_("Något saknas"),
    429: N_("För många försök"),
    500: N_("Något gick fel"),
}


Handler = Callable[[Request[Any, Any, Any], Exception], Response[Any]]


def in_request_language(handler: Handler) -> Handler:
    """An error raised where the language middleware does not reach (no route, authentication)
    is worded in the request's language too."""

    @functools.wraps(handler)
    def speaking(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        with catalogue.use(language_of(request)):
            return handler(request, exc)

    return speaking


def is_page(request: Request[Any, Any, Any]) -> bool:
    """Browsers get HTML pages; the JSON API (and its schema) keeps JSON errors."""
    return not request.url.path.startswith(("/api/", "/schema"))


class ErrorPage(Template):
    """An error page that knows who is logged in before it renders, so the header is the
    visitor's own also on a 404 outside any route (exception handlers are synchronous; the
    visitor is looked up when the answer is sent)."""

    def to_asgi_response(self, app: Any, request: Request[Any, Any, Any], **kwargs: Any) -> ASGIResponse:
        render = super().to_asgi_response

        async def send_page(scope: Scope, receive: Receive, send: Send) -> None:
            self.context["user"] = await visitor(request)
            with catalogue.use(language_of(request)):
                await render(app, request, **kwargs)(scope, receive, send)

        return send_page  # type: ignore[return-value]  # an ASGI app, as the caller awaits it


def error_page(request: Request[Any, Any, Any], status: int, detail: str) -> Response[Any]:
    """An HTML error page in the shared layout (sync: it uses the kommun name last rendered)."""
    return ErrorPage(
        template_name="errors/error.html",
        context={
            "kommun_name": request.app.state.get("kommun_name"),  # none: the layout names the programme
            "user": request.scope.get("user"),
            "title": _(PAGE_ERROR_TITLES.get(status, PAGE_ERROR_TITLES[500])),
            "detail": detail,
            "status": status,
        },
        status_code=status,
    )


def domain_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, DomainError)
    status = status_for(exc)
    if is_page(request):
        return error_page(request, status, exc.message)
    return _json(status, exc.message, error_extra(exc))


def _json(status: int, detail: str, extra: Mapping[str, Any], headers: Any = None) -> Response[Any]:
    return Response(
        error_body(status, detail, extra), status_code=status, media_type=MediaType.JSON, headers=headers
    )


def integrity_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A constraint stopped a write that raced another: nothing was written, try again."""
    log.info("integrity error on %s: %s", request.url.path, exc)
    return _json(409, text_for("write_collided"), {"code": "write_collided"})


def http_error_code(exc: HTTPException) -> str:
    """The stable code of an HTTP error: its own, or the one of its kind."""
    extra = exc.extra if isinstance(exc.extra, dict) else {}
    if isinstance(extra.get("code"), str):
        return str(extra["code"])
    if isinstance(exc, ValidationException):
        return "invalid_field" if _validation_field(exc) else "invalid_body"
    if exc.status_code == 403 and "CSRF" in exc.detail:
        return "csrf_failed"
    return CODE_BY_STATUS.get(exc.status_code, "bad_request")


def _validation_field(exc: HTTPException) -> str | None:
    """The first field Litestar's validation names (its extra is a list of key, message, source)."""
    errors = exc.extra if isinstance(exc.extra, list) else []
    keys = [str(e["key"]) for e in errors if isinstance(e, dict) and e.get("key")]
    return keys[0] if keys else None


def http_error_extra(exc: HTTPException, code: str) -> dict[str, Any]:
    """`extra` as an object with the code; a validation error names its field and keeps Litestar's
    list of errors (key, message, source) under `errors`."""
    if isinstance(exc.extra, list):
        field = _validation_field(exc)
        return {"code": code, **({"field": field} if field else {}), "errors": exc.extra}
    return {**(exc.extra or {}), "code": code}


def http_error_text(code: str, extra: Mapping[str, Any]) -> str:
    if code == "invalid_field":
        return text_for(code, field=extra.get("field") or "")
    return text_for(code)


def json_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    """An HTTP error as JSON, whatever media type the route itself produces (e.g. a PDF)."""
    code = http_error_code(exc)
    extra = http_error_extra(exc, code)
    return _json(exc.status_code, http_error_text(code, extra), extra, exc.headers)


def not_authorized_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A page visitor who is not logged in goes to the log-in page and comes back afterwards."""
    assert isinstance(exc, NotAuthorizedException)
    if not is_page(request):
        return json_error(request, exc)
    target = request.url.path if request.method == "GET" else "/"
    return Redirect(path=f"/logga-in?nasta={quote(target)}", status_code=303)


def http_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 500:
        return internal_error_handler(request, exc)
    if not is_page(request) or exc.status_code > 500:
        return json_error(request, exc)
    code = http_error_code(exc)
    detail = "" if exc.status_code in {404, 405} else http_error_text(code, http_error_extra(exc, code))
    return error_page(request, exc.status_code, detail)


def out_of_range_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A number too large for the database (e.g. an id in a URL) is bad input, not a crash."""
    detail = text_for("number_out_of_range")
    if is_page(request):
        return error_page(request, 400, detail)
    return _json(400, detail, {"code": "number_out_of_range"})


def nesting_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """msgspec refuses absurdly deep JSON with RecursionError: that is bad input, not a crash."""
    return _json(400, text_for("body_nested_too_deeply"), {"code": "body_nested_too_deeply"})


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A fault of ours: the traceback goes to the log under the request id; the client gets the
    id and a plain sentence, never the error itself (unless CERTIFY_DEBUG is on)."""
    request_id = observability.request_id(request.scope)
    log.error(
        "internal error",
        exc_info=exc,
        extra={"fields": {"request_id": request_id, "method": request.method, "path": request.url.path}},
    )
    if request.app.debug:
        return create_debug_response(request, exc)
    detail = text_for("internal_error", request_id=request_id)
    if is_page(request):
        return error_page(request, 500, detail)
    return _json(500, detail, {"code": "internal_error", "request_id": request_id})


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    error: in_request_language(handler)
    for error, handler in {
        DomainError: domain_error_handler,
        RecursionError: nesting_error_handler,
        OverflowError: out_of_range_handler,
        DataError: out_of_range_handler,
        NotAuthorizedException: not_authorized_handler,
        HTTPException: http_error_handler,
        Exception: internal_error_handler,
        **{error: integrity_error_handler for error in INTEGRITY_ERRORS},
    }.items()
}
